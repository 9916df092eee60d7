// UI tests of the foundation in code-server + Chromium: the container and its views, the welcome
// content without a connection, the status bar with the sandbox profile, a command from the palette.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

const VIEWS = ['Costs', 'Buckets', 'Findings', 'Alerts', 'Logs', 'Pipeline'];

describe('foundation UI: no AWS connection', () => {
  let vs: VsCodeSession;
  before(async () => {
    // No shared files and no environment credentials: no profile at all.
    const none = mkdtempSync(join(tmpdir(), 'aws-none-'));
    vs = await openVsCode({
      workspace: mkdtempSync(join(tmpdir(), 'ws-')),
      env: { AWS_CONFIG_FILE: join(none, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(none, 'credentials'), AWS_PROFILE: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    });
  });
  after(async () => { await vs?.close(); });

  test('each view offers Select Profile and Select Region', async () => {
    await vs.openContainer();
    const costs = vs.viewPane('Costs');
    await costs.getByRole('button', { name: 'Select Profile' }).waitFor({ timeout: 30_000 });
    assert.equal(await costs.getByRole('button', { name: 'Select Region' }).count(), 1);
    assert.match(await vs.statusBarText('AWS: select profile'), /select profile/);
    await vs.screenshot('foundation-welcome');
  });
});

describe('foundation UI: sandbox profile', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
    const s3 = new S3Client(moto.clientConfig());
    for (const b of ['sandbox-app-logs', 'sandbox-artifacts']) await s3.send(new CreateBucketCommand({ Bucket: b }));
    s3.destroy();
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({ workspace: mkdtempSync(join(tmpdir(), 'ws-')), env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox' } });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  test('the container shows every view', async () => {
    await vs.openContainer();
    for (const name of VIEWS) {
      await vs.page.locator('.sidebar .pane-header', { hasText: name }).first().waitFor({ timeout: 15_000 });
    }
    const headers = await vs.page.locator('.sidebar .pane-header h3.title').allInnerTexts();
    assert.deepEqual(headers.map((h) => h.trim().toLowerCase()), VIEWS.map((v) => v.toLowerCase()));
    await vs.statusBarText('sandbox · us-east-1 · 123456789012');
    // Connected from the start: no view ever claims there is no connection.
    assert.equal(await vs.page.locator('.sidebar .welcome-view-content', { hasText: 'No AWS connection' }).count(), 0);
    await vs.screenshot('foundation-views');
  });

  test('the Athena views live in their own bottom panel, not in the side bar', async () => {
    await vs.runCommand('Focus on Athena History View');
    const panel = vs.page.locator('.part.panel');
    for (const name of ['Athena Schema', 'Athena History']) await panel.locator('.pane-header', { hasText: name }).first().waitFor({ timeout: 15_000 });
    assert.equal(await vs.page.locator('.sidebar .pane-header', { hasText: /Athena/ }).count(), 0);
    await vs.screenshot('foundation-athena-panel');
  });

  test('the status bar shows profile, region, account and the local endpoint', async () => {
    await vs.openContainer();
    const text = await vs.statusBarText('123456789012');
    assert.match(text, /sandbox · us-east-1 · 123456789012/);
    assert.match(text, /local endpoint/);
    await vs.screenshot('foundation-statusbar');
  });

  test('Select Region from the command palette switches the region', async () => {
    await vs.runCommand('Cloud Monitor: Select Region');
    const input = vs.page.locator('.quick-input-widget input');
    await input.fill('eu-west-1');
    await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Europe (Ireland)' }).first().waitFor();
    await input.press('Enter');
    const text = await vs.statusBarText('eu-west-1');
    assert.match(text, /sandbox · eu-west-1/);
    await vs.screenshot('foundation-select-region');
  });
});

describe('foundation UI: network down', () => {
  let vs: VsCodeSession;
  before(async () => {
    // The profile's endpoint is a closed loopback port: every call fails to connect.
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), 'http://127.0.0.1:9');
    vs = await openVsCode({ workspace: mkdtempSync(join(tmpdir(), 'ws-')), env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox' } });
  });
  after(async () => { await vs?.close(); });

  test('a view shows the failure as an error item with Retry, and the status bar warns', async () => {
    await vs.openContainer();
    const buckets = vs.viewPane('Buckets');
    const row = buckets.locator('.monaco-list-row', { hasText: 'Cannot reach AWS' }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.hover();
    assert.equal(await row.locator('.action-label[aria-label="Retry"]').count(), 1, 'inline Retry action');
    // The connection item turns into a warning (icon and background), and its tooltip says why.
    const item = vs.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'sandbox · us-east-1' }).first();
    await item.locator('.codicon-warning').waitFor({ timeout: 30_000 });
    assert.match((await item.getAttribute('class')) ?? '', /\bwarning-kind\b/, 'warning background');
    assert.doesNotMatch(await item.innerText(), /123456789012/, 'no account: the identity call failed');
    await vs.screenshot('foundation-network-down');
    await item.hover();
    await vs.page.locator('.workbench-hover, .monaco-hover', { hasText: 'Cannot reach AWS' }).first().waitFor({ timeout: 15_000 });
  });
});
