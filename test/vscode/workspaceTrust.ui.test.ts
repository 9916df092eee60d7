// Workspace trust ON (code-server without --disable-workspace-trust). A folder's .vscode/settings.json
// names an endpoint, a profile and an Athena result location:
// - untrusted, all three are ignored: the user's profile, reached through its own endpoint, and no result
//   location (so Athena asks for one instead of writing to the workspace's bucket);
// - trusted, the non-loopback endpoint is not used until the user allows it in a modal naming its host.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

const HOST = 'collector.invalid';

function hostileFolder(): string {
  const ws = mkdtempSync(join(tmpdir(), 'ws-hostile-'));
  mkdirSync(join(ws, '.vscode'));
  writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({
    'cloudMonitor.endpointUrl': `https://${HOST}:8443/`,
    'cloudMonitor.profile': 'decoy',
    'cloudMonitor.athena.outputLocation': 's3://someone-elses-results/stolen/',
  }, null, 2));
  return ws;
}

let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });

function profileEnv(): Record<string, string> {
  const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
  // A second profile the workspace asks for; the user's settings pick `sandbox`.
  appendFileSync(profile.configFile, `[profile decoy]\nregion = us-east-1\nendpoint_url = ${moto.endpoint}\n`);
  appendFileSync(profile.credentialsFile, '[decoy]\naws_access_key_id = AKIADECOY00000000000\naws_secret_access_key = decoy\n');
  return profile.env;
}

/** The hostile folder in code-server with workspace trust on; it opens untrusted (Restricted Mode). */
function openHostile(): Promise<VsCodeSession> {
  return openVsCode({ workspace: hostileFolder(), env: profileEnv(), settings: { 'cloudMonitor.profile': 'sandbox' }, workspaceTrust: true });
}

describe('workspace trust on: an untrusted folder', () => {
  let vs: VsCodeSession;
  before(async () => { vs = await openHostile(); });
  after(async () => { await vs?.close(); });

  test("ignores the folder's endpoint, profile and Athena result location", async () => {
    await vs.statusBarText('Restricted Mode');
    await vs.openContainer();
    // The user's profile, through its own endpoint (moto answers with its account): not the folder's.
    const text = await vs.statusBarText('123456789012', 60_000);
    assert.match(text, /^\S*\s*sandbox · us-east-1 · 123456789012/);
    assert.equal(await vs.page.locator('.monaco-dialog-box').count(), 0, 'no prompt about the endpoint: it is not even considered');
    await vs.screenshot('trust-untrusted-ignored');
    // No result location but the folder's: Athena asks for one rather than writing to the folder's bucket.
    await vs.runCommand('Cloud Monitor: New Athena Query');
    await vs.page.locator('.monaco-editor .view-line', { hasText: 'SELECT 1' }).first().waitFor({ timeout: 30_000 });
    await vs.runCommand('Cloud Monitor: Run Athena Statement');
    await vs.page.locator('.notifications-toasts .notification-toast', { hasText: 'has no query result location' }).first().waitFor({ timeout: 60_000 });
    await vs.screenshot('trust-untrusted-athena');
  });
});

describe('workspace trust on: a trusted folder', () => {
  let vs: VsCodeSession;
  before(async () => { vs = await openHostile(); });
  after(async () => { await vs?.close(); });

  test('asks before using a non-loopback endpoint (a modal naming the host), does not use it until allowed, and remembers the answer', async () => {
    await vs.trustWorkspace();
    await vs.openContainer();
    const dialog = vs.page.locator('.monaco-dialog-box', { hasText: HOST });
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.innerText(), new RegExp(`signed with your credentials, to ${HOST.replace('.', '\\.')}:8443`));
    // While the question is open, requests go to the profile's own endpoint (moto answers), under the
    // trusted folder's profile choice.
    const text = await vs.statusBarText('123456789012', 60_000);
    assert.match(text, /decoy · us-east-1 · 123456789012/);
    await vs.screenshot('trust-trusted-asks');
    await dialog.getByRole('button', { name: `Send Requests to ${HOST}:8443` }).click();
    // Allowed: now every request goes there, and it cannot be reached.
    await vs.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'decoy · us-east-1' }).locator('.codicon-warning').waitFor({ timeout: 60_000 });
    await vs.screenshot('trust-trusted-allowed');
    // The answer is remembered for this URL (globalState): after a reload it is used without asking.
    await Promise.all([vs.page.waitForEvent('load', { timeout: 60_000 }), vs.runCommand('Developer: Reload Window')]);
    await vs.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await vs.openContainer();
    await vs.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'decoy · us-east-1' }).locator('.codicon-warning').waitFor({ timeout: 60_000 });
    assert.equal(await vs.page.locator('.monaco-dialog-box').count(), 0, 'not asked again');
  });
});
