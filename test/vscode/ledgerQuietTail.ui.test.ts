// Two small things in a real VS Code (code-server + Chromium) against moto_server: the Cost Explorer
// request ledger opens read-only (a virtual document: closing it asks nothing), and a tail of a
// quiet log group says it is waiting, not that something failed. Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

describe('Read-only ledger, quiet tail', () => {
  let vs: VsCodeSession;
  let moto: Moto;

  before(async () => {
    moto = await startMoto();
    const logs = new CloudWatchLogsClient(moto.clientConfig());
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/quiet' }));
    logs.destroy();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-ledger-tail-'));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  test('the request ledger opens read-only: not an Untitled buffer, never dirty, closes without a save prompt', async () => {
    const { page } = vs;
    await vs.openContainer();
    await vs.statusBarText('sandbox · us-east-1 · 123456789012', 60_000);
    await vs.runCommand('Cloud Monitor: Show Cost Explorer Request Ledger');
    const tab = page.locator('.tabs-container .tab.active');
    await tab.filter({ hasText: /ledger/i }).waitFor({ timeout: 30_000 });
    assert.doesNotMatch((await tab.innerText()).trim(), /Untitled/);
    assert.equal(await page.locator('.tabs-container .tab.active.dirty').count(), 0, 'the ledger tab is not dirty');
    await vs.screenshot('ledger-read-only');
    // Closing it asks nothing: the tab goes (an Untitled buffer with text would ask to be saved).
    await page.locator('.editor-group-container .monaco-editor').first().click();
    await page.keyboard.press('Control+W');
    await page.locator('.tabs-container .tab', { hasText: /ledger/i }).waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no save prompt');
  });

  test('a tail of a quiet log group says it is waiting, not an error', async () => {
    const { page } = vs;
    await vs.viewPane('Logs').locator('.monaco-list-row', { hasText: '/app/quiet' }).first().click({ timeout: 60_000 });
    const editor = page.locator('.editor-instance .monaco-editor .view-lines');
    await editor.filter({ hasText: 'Waiting for events' }).waitFor({ timeout: 60_000 });
    const text = (await editor.first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Nothing is wrong: the log group is quiet/);
    assert.doesNotMatch(text, /Tail failed/);
    await vs.screenshot('logs-tail-quiet');
  });
});
