// UI test of the Findings view's filters, bulk triage and Open in Console, in one code-server session
// against moto_server seeded by the sandbox seeder. The profile points at the sandbox stand-in
// (test/sandbox/gaps.ts), which answers BatchUpdateFindings (moto lacks it: HTTP 404) by applying it to
// moto's findings, so a triage is read back from moto. moto ignores GetFindings' filters: the view's
// local filter is what the tree shows here; the request shapes are checked in
// test/integration/findingsFilters.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { openVsCode, showOnlyView, type VsCodeSession, screenshotOnFailure } from '../helpers/codeServer';
import { chooseFromContextMenu as chooseMenuItem } from '../helpers/contextMenu';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { startSandboxGaps, type SandboxGaps } from '../sandbox/gaps';
import { seed } from '../sandbox/seed/10-buckets-findings';

const S32 = 'S3 general purpose buckets should block public read access';
const S38 = 'S3 general purpose buckets should block public access';
const XSS = 'Bucket <b>policy</b>';

describe('Findings UI: filters kept per workspace, bulk triage, Open in Console (moto_server; BatchUpdateFindings from the sandbox stand-in: moto lacks it)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let gaps: SandboxGaps;
  const pane = (): Locator => vs.viewPane('Findings');
  const row = (text: string | RegExp) => pane().locator('.monaco-list-row', { hasText: text }).first();
  const header = () => vs.page.locator('.sidebar .pane-header', { has: vs.page.locator('h3.title', { hasText: /^\s*Findings\s*$/i }) }).first();

  /** Widens the side bar so descriptions fit, and shows only the Findings view. */
  async function showFindings(): Promise<void> {
    await vs.openContainer();
    await header().waitFor({ timeout: 60_000 });
    await showOnlyView(vs, 'Findings');
    const box = await vs.page.locator('.part.sidebar').boundingBox();
    if (box && box.width < 600) {
      await vs.page.mouse.move(box.x + box.width + 1, box.y + 300);
      await vs.page.mouse.down();
      await vs.page.mouse.move(box.x + 720, box.y + 300, { steps: 8 });
      await vs.page.mouse.up();
    }
  }

  /** Toggles one value in the open multi-select quick pick, found by typing it. */
  async function toggle(page: Page, value: string): Promise<void> {
    await page.locator('.quick-input-widget input').fill(value);
    await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${value}$`) }) }).first().click();
  }

  const chooseFromContextMenu = (target: Locator, label: string, opened: Locator) => chooseMenuItem(vs.page, target, label, opened);

  /**
   * What the browser is sent to: VS Code's "open the external website?" dialog shows a Uri shortened, so the
   * test presses Open and reads the URL of the page the browser opens. The console is never reached: a
   * route answers for it with an empty page.
   */
  function externalSiteDialog(): Locator {
    return vs.page.locator('.monaco-dialog-box', { hasText: 'open the external website' });
  }

  async function externalUrlOpened(): Promise<string> {
    const dialog = externalSiteDialog();
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /https:\/\/console\.aws\.amazon\.com\/securityhub\//);
    await vs.screenshot('findings-open-in-console-dialog');
    const popup = vs.page.context().waitForEvent('page', { timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    const opened = await popup;
    await opened.waitForURL(/^https:\/\/console\./, { timeout: 30_000 });
    const url = opened.url();
    await opened.close();
    return url;
  }

  before(async () => {
    moto = await startMoto();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-'));
    await seed({ endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace, root: process.cwd(), log: () => undefined });
    gaps = await startSandboxGaps(moto);
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), gaps.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1500, height: 1000 } });
    // Open in Console's page, answered here: the test machine has no internet, and no test should reach AWS.
    await vs.page.context().route(/^https:\/\/console\.aws\.amazon\.com\//, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<title>console stand-in</title>' }));
    await showFindings();
  });
  after(async () => {
    await vs?.close();
    await gaps?.close();
    await moto?.stop();
  });

  /** A failing step leaves a screenshot named after it. */
  const step = (name: string, fn: () => Promise<void>) => screenshotOnFailure(() => vs, `${name}-failed`, fn);
  /** The view's title actions show on hover. */
  async function titleAction(label: string): Promise<Locator> {
    await header().hover();
    const action = vs.page.locator(`.sidebar .pane-header .action-label[aria-label="${label}"]`).first();
    await action.waitFor({ timeout: 15_000 });
    return action;
  }

  test('Filter Findings: severity and resource type picked from what was fetched; the view says what is filtered', () => step('findings-filters', async () => {
    await row(/Critical \(2\)/).waitFor({ timeout: 90_000 });
    await vs.runCommand('Filter Findings');
    const picker = vs.page.locator('.quick-input-widget', { hasText: 'Filter Findings' });
    await picker.waitFor({ timeout: 30_000 });
    // The fetched findings' products and resource types are offered next to the fixed enums.
    await vs.page.locator('.quick-input-widget input').fill('Guard');
    await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'GuardDuty' }).first().waitFor({ timeout: 15_000 });
    for (const v of ['CRITICAL', 'HIGH', 'AwsS3Bucket']) await toggle(vs.page, v);
    await vs.page.locator('.quick-input-widget input').fill('');
    await vs.page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden', timeout: 15_000 });

    await pane().getByText('Filtered: Severity: CRITICAL, HIGH · Resource type: AwsS3Bucket').waitFor({ timeout: 60_000 });
    await row(/Critical \(1\)/).waitFor({ timeout: 60_000 });
    await row(/High \(2\)/).waitFor({ timeout: 15_000 });
    assert.equal(await pane().locator('.monaco-list-row', { hasText: /Medium|Low|Informational/ }).count(), 0);
    assert.match(await header().innerText(), /CRITICAL, HIGH · NEW or NOTIFIED · AwsS3Bucket/);
    await titleAction('Clear Findings Filters');
    await vs.screenshot('findings-filters');
  }));

  test('the filters are kept per workspace: after a window reload the view comes back filtered', () => step('findings-filters-reload', async () => {
    // Wait for the new page, not the old workbench still on screen while the reload starts.
    const reloaded = vs.page.waitForEvent('load', { timeout: 60_000 });
    await vs.runCommand('Developer: Reload Window');
    await reloaded;
    await vs.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await vs.statusBarText('sandbox', 90_000);
    // The side bar comes back with the Cloud Monitor container open; open it only if it did not.
    if (!(await header().waitFor({ timeout: 30_000 }).then(() => true, () => false))) await showFindings();
    await pane().getByText('Filtered: Severity: CRITICAL, HIGH · Resource type: AwsS3Bucket').waitFor({ timeout: 120_000 });
    await row(/Critical \(1\)/).waitFor({ timeout: 90_000 });
    await row(/High \(2\)/).waitFor({ timeout: 15_000 });
    assert.equal(await pane().locator('.monaco-list-row', { hasText: /Medium|Low|Informational/ }).count(), 0);
    await vs.screenshot('findings-filters-after-reload');

    // Only S3 findings loaded, yet the filter still offers what was offered when it was set, and says how to see every value.
    await vs.runCommand('Filter Findings');
    // The command palette (which also shows "Filter Findings") may still be up: wait for the filter pick's own input.
    const picker = vs.page.locator('.quick-input-widget', { has: vs.page.locator('input[placeholder*="To see every value, run Clear Findings Filters first"]') });
    await picker.waitFor({ timeout: 30_000 });
    await vs.page.locator('.quick-input-widget input').fill('AwsEc2SecurityGroup');
    await vs.page.locator('.quick-input-list .monaco-list-row', { has: vs.page.locator('.label-name', { hasText: /^AwsEc2SecurityGroup$/ }) }).first().waitFor({ timeout: 15_000 });
    await vs.screenshot('findings-filters-after-reload-choices');
    await vs.page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden', timeout: 15_000 });
  }));

  test('Open in Console, from the tree and from the detail page: the console of the partition, the region, the finding id encoded', () => step('findings-console', async () => {
    // Select the row first (focus in the tree), then its context menu.
    await row(S32).click();
    // The click opens the finding's detail page: let it take focus before the context menu opens.
    await vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('#open-in-console').waitFor({ timeout: 60_000 });
    await chooseFromContextMenu(row(S32), 'Open Finding in Security Hub Console', externalSiteDialog());
    const fromTree = await externalUrlOpened();
    const u = new URL(fromTree);
    assert.equal(u.origin, 'https://console.aws.amazon.com');
    assert.equal(u.pathname, '/securityhub/home');
    assert.equal(u.searchParams.get('region'), 'us-east-1');
    assert.equal(u.hash, '#/findings?search=Id=%255Coperator%255C%253AEQUALS%255C%253As3-2%252Fdemo-public-website');

    // The hostile title's finding: its detail page's button asks for the same kind of URL, built by the host.
    await row(XSS).click();
    const frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('#open-in-console').click({ timeout: 60_000 });
    const fromPanel = new URL(await externalUrlOpened());
    assert.equal(fromPanel.origin, 'https://console.aws.amazon.com');
    assert.equal(fromPanel.hash, '#/findings?search=Id=%255Coperator%255C%253AEQUALS%255C%253Amarkup%252Fxss-check');
    assert.equal(await vs.page.locator('.notifications-toasts a[href*="console.aws"]').count(), 0, 'never a link in a notification');
  }));

  test('bulk triage of a selection: the confirmation counts the findings; one call; they leave the tree and moto has them suppressed', () => step('findings-bulk', async () => {
    await row(S32).click();
    await row(S38).click({ modifiers: ['Control'] });
    await row(XSS).click({ modifiers: ['Control'] });
    assert.equal(await pane().locator('.monaco-list-row.selected').count(), 3);
    await chooseFromContextMenu(row(XSS), 'Set Finding Workflow Status', vs.page.locator('.quick-input-widget', { hasText: 'Set workflow status of 3 findings' }));
    await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'SUPPRESSED' }).first().click();
    await vs.page.locator('.quick-input-widget', { hasText: 'Note for SUPPRESSED' }).waitFor({ timeout: 15_000 });
    await vs.page.locator('.quick-input-widget input').fill('accepted risk: public website');
    await vs.page.keyboard.press('Enter');
    const dialog = vs.page.locator('.monaco-dialog-box', { hasText: 'Set the workflow status of 3 findings to SUPPRESSED?' });
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /3 findings will change, in 1 call to Security Hub/);
    await vs.screenshot('findings-bulk-confirm');
    await dialog.getByRole('button', { name: 'Set SUPPRESSED on 3 Findings' }).click();

    await row('No findings match the filters').waitFor({ timeout: 60_000 });
    const hub = new SecurityHubClient(moto.clientConfig());
    const stored = (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
    hub.destroy();
    const suppressed = stored.filter((f) => f.Workflow?.Status === 'SUPPRESSED').map((f) => f.Id).sort();
    assert.deepEqual(suppressed, ['markup/xss-check', 's3-2/demo-public-website', 's3-8/demo-public-website']);
    assert.ok(stored.filter((f) => f.Workflow?.Status === 'SUPPRESSED').every((f) => f.Note?.Text === 'accepted risk: public website'));
    await vs.screenshot('findings-bulk-triaged');

    // Clear Filters: the other open findings come back, and the view no longer says it is filtered.
    await (await titleAction('Clear Findings Filters')).click();
    await row(/Critical \(1\)/).waitFor({ timeout: 60_000 });
    await row(/Medium \(2\)/).waitFor({ timeout: 15_000 });
    assert.equal(await pane().getByText(/^Filtered:/).count(), 0);
    assert.equal(await pane().locator('.monaco-list-row', { hasText: S32 }).count(), 0, 'suppressed stays out');
  }));
});
