// Athena in a real VS Code (code-server + Chromium) against moto_server, seeded by the sandbox seeder:
// run a statement of a .sql file through its CodeLens, then see the grid, the chart and the stats,
// the history entry and the status bar. Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { openVsCode, ROOT, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { DEMO_FILE, seed } from '../sandbox/seed/40-athena';

describe('Athena UI: run from the editor', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let results: FrameLocator;

  before(async () => {
    moto = await startMoto();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-athena-'));
    await seed({ endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace, root: ROOT, log: () => undefined }, { rounds: 1 });
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  test('the CodeLens runs the statement; the results grid shows the rows', async () => {
    const { page } = vs;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(DEMO_FILE);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: DEMO_FILE }).first().waitFor();
    await page.keyboard.press('Enter');
    const lenses = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run' });
    const lens = lenses.first();
    // The editor draws its lenses as they resolve, not all in one frame, and only near what is in view: the
    // third statement is below the fold, and when the lens provider comes after the editor opened (the Athena
    // bundle loads last) it was never drawn in a fresh-clone run. So go to the end, wait for the third, check
    // there are no more (a fresh-clone run once counted 2 right after the first appeared), and come back.
    await lens.waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+End');
    await lenses.nth(2).waitFor({ state: 'attached', timeout: 30_000 });
    await page.keyboard.press('Control+Home');
    await lens.waitFor({ timeout: 15_000 });
    assert.equal(await lenses.count(), 3, 'one Run lens per statement');
    await vs.statusBarText('sandbox · AwsDataCatalog.pipeline');
    await lens.click();
    results = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await results.locator('.status', { hasText: '144 rows' }).first().waitFor({ timeout: 60_000 });
    await results.locator('.c', { hasText: 'payments' }).first().waitFor();
    const headers = await results.locator('.h').allTextContents();
    assert.deepEqual(headers.slice(0, 3), ['appid', 'hour', 'errors']);
    const numAlign = await results.locator('.c.num').first().evaluate((c) => getComputedStyle(c).textAlign);
    assert.equal(numAlign, 'right');
    await vs.screenshot('athena-grid');
  });

  test('the chart tab draws errors over time, one line per app', async () => {
    await results.locator('vscode-tab-header', { hasText: 'Chart' }).click();
    await results.locator('.chart canvas').first().waitFor();
    await results.locator('.status', { hasText: '48 points' }).waitFor();
    const legend = (await results.locator('.u-legend').textContent()) ?? '';
    for (const app of ['checkout', 'orders', 'payments']) assert.ok(legend.includes(app), `legend has ${app}`);
    await vs.screenshot('athena-chart');
  });

  test('the stats tab shows state, data scanned, cost, times, the S3 fast path and the query', async () => {
    await results.locator('vscode-tab-header', { hasText: 'Stats' }).click();
    const stats = results.locator('.stats');
    await stats.locator('dd', { hasText: 'SUCCEEDED' }).waitFor();
    const text = (await stats.textContent()) ?? '';
    for (const want of ['Data scanned', 'Cost', '$0.0000477', 'Engine time', 'Queue time', 'Total time', 'S3 result file (CSV stream)', 'sandbox']) {
      assert.ok(text.includes(want), `stats mention ${want}`);
    }
    assert.match((await stats.locator('pre').textContent()) ?? '', /-- Errors per app per hour[\s\S]*FROM pipeline.events/);
    await vs.screenshot('athena-stats');
  });

  test('the Athena History view lists the run; the schema tree shows tables, columns and partition keys', async () => {
    const { page } = vs;
    // The Athena views are in their own bottom panel.
    await vs.runCommand('Focus on Athena History View');
    const history = vs.viewPane('Athena History');
    await history.locator('.monaco-list-row', { hasText: 'SELECT appid' }).first().waitFor({ timeout: 30_000 });
    assert.match((await history.locator('.monaco-list-row').first().textContent()) ?? '', /SUCCEEDED/);
    await vs.screenshot('athena-history');
    // Then give the schema tree the room.
    await page.locator('.part.panel .pane-header', { hasText: 'Athena History' }).first().click();
    const schema = vs.viewPane('Athena Schema');
    // AwsDataCatalog and the workspace's database open by themselves; moto lacks ListTableMetadata, so the tables come from Glue.
    const events = schema.locator('.monaco-list-row', { hasText: 'events' }).first();
    await events.waitFor({ timeout: 60_000 });
    // A click inserts the name (there is an editor); the twistie expands.
    await events.locator('.monaco-tl-twistie').click();
    await schema.locator('.monaco-list-row', { hasText: 'partition key' }).first().waitFor();
    const rows = await schema.locator('.monaco-list-row').allTextContents();
    for (const want of ['AwsDataCatalog', 'pipeline', 'events', 'ts', 'level', 'appid']) assert.ok(rows.some((r) => r.includes(want)), `schema shows ${want}: ${rows.join(' | ')}`);
    await vs.screenshot('athena-schema');
  });
});
