// The Athena results panel in a real VS Code (code-server + Chromium) against moto_server, seeded by
// the sandbox seeder: a comparison filter over All columns, Copy with nothing selected, the Stats
// tab's explanation of a small "Data scanned", and a second query opening its own results tab.
// Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { openVsCode, ROOT, type VsCodeSession, quickOpen } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { DEMO_FILE, seed } from '../sandbox/seed/40-athena';

describe('Athena UI: the results panel', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let results: FrameLocator;

  before(async () => {
    moto = await startMoto();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-athena-results-'));
    await seed({ endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace, root: ROOT, log: () => undefined }, { rounds: 1 });
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  const lenses = () => vs.page.locator('.editor-group-container .monaco-editor .codelens-decoration a', { hasText: 'Run' });

  test('"> 50" over All columns compares the number columns: the 3 hours of the payments spike', async () => {
    const { page } = vs;
    await quickOpen(vs, DEMO_FILE);
    // The lenses come once the extension has activated for SQL (slow when the machine is loaded); the
    // editor draws only the lines in view, so wait for the first two statements' lenses.
    await lenses().nth(1).waitFor({ timeout: 90_000 }).catch(async (err: Error) => {
      await vs.screenshot('athena-results-no-lenses');
      throw err;
    });
    await vs.statusBarText('sandbox · AwsDataCatalog.pipeline', 60_000);
    await lenses().first().click();
    results = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await results.locator('.status', { hasText: '144 rows' }).first().waitFor({ timeout: 60_000 });
    // Typed as a user types: the text field reports keyboard input (fill() sets the value underneath it).
    await results.locator('.filter-text input').click();
    await page.keyboard.type('> 50');
    await results.locator('.status', { hasText: '3 rows · filtered from 144' }).waitFor({ timeout: 30_000 });
    const cells = await results.locator('.c', { hasText: 'payments' }).allTextContents();
    assert.ok(cells.length >= 3, 'the rows shown are payments rows');
    await vs.screenshot('athena-results-filter-all-columns');
  });

  test('Copy with nothing selected says so', async () => {
    await results.locator('vscode-button', { hasText: /^\s*Copy\s*$/ }).first().click();
    await results.locator('.status', { hasText: 'Nothing selected to copy' }).waitFor({ timeout: 10_000 });
    await vs.screenshot('athena-results-copy-nothing');
  });

  test('the Stats tab says why a few bytes scanned cost what they cost (the 10 MB minimum)', async () => {
    await results.locator('vscode-tab-header', { hasText: 'Stats' }).click();
    const scanned = results.locator('.stats dd', { hasText: "Athena's 10 MB minimum per query" });
    await scanned.waitFor({ timeout: 10_000 });
    assert.match((await scanned.textContent()) ?? '', / · billed as 10\.0 MB, Athena's 10 MB minimum per query$/);
    await vs.screenshot('athena-results-stats-minimum');
  });

  test('a second query opens its own results tab; the first one\'s results stay', async () => {
    const { page } = vs;
    // Back to the editor, then run the second statement.
    await page.locator('.tabs-container .tab', { hasText: DEMO_FILE }).first().click();
    await lenses().nth(1).click();
    const tabs = page.locator('.tabs-container .tab', { hasText: 'Results:' });
    await tabs.nth(1).waitFor({ timeout: 60_000 });
    const titles = (await tabs.allTextContents()).map((t) => t.trim());
    assert.equal(titles.length, 2, `two results tabs: ${titles.join(' | ')}`);
    assert.ok(titles.some((t) => /SELECT appid/.test(t)) && titles.some((t) => /SELECT from_iso8601_timestamp/.test(t)), `each tab names its statement: ${titles.join(' | ')}`);
    await vs.screenshot('athena-results-two-tabs');
  });
});
