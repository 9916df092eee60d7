// The Costs view and the cost dashboard in code-server + Chromium, against moto_server. GetCostAndUsage is
// served by moto from seeded results; GetCostForecast, GetAnomalyMonitors and GetAnomalies come from the
// recorded-response endpoint in front of moto (moto 5.2.1 lacks them), which also counts every request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { utcToday } from '../../src/costs/dates';
import { openVsCode, type VsCodeSession, screenshotOnFailure, screenshotPath, shotName } from '../helpers/codeServer';
import { seedCostAndUsage, startCeEndpoint, type CeEndpoint } from '../helpers/ceEndpoint';
import { answerAnomalies, answerAnomalyMonitors, answerForecast, EC2 } from '../helpers/costData';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { plannedCostResults } from '../sandbox/seed/30-costs';

describe('costs UI: view and dashboard (moto_server + recorded-response endpoint for forecast and anomalies)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let ce: CeEndpoint;
  const today = utcToday(Date.now());

  before(async () => {
    moto = await startMoto();
    ce = await startCeEndpoint(moto.endpoint, {
      GetCostForecast: (body) => answerForecast(body as Parameters<typeof answerForecast>[0], today),
      GetAnomalyMonitors: () => answerAnomalyMonitors(),
      GetAnomalies: () => answerAnomalies(today),
    });
    // In the order the extension asks: the view's 90 days by service+account, then the dashboard's 12 months.
    await seedCostAndUsage(moto.endpoint, plannedCostResults(today).map((r) => r.result));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), ce.url);
    vs = await openVsCode({ workspace: mkdtempSync(join(tmpdir(), 'ws-')), env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1', 'cloudMonitor.costs.tagKey': 'cost_center', 'cloudMonitor.costs.statusBar': true } });
  });
  after(async () => {
    await vs?.close();
    await ce?.close();
    await moto?.stop();
  });

  /** Runs a step; on failure, a screenshot of the moment shows what went wrong. */
  const step = (name: string, fn: () => Promise<void>) => test(name, () => screenshotOnFailure(() => vs, shotName('costs-failed', name), fn, async () => {
    console.log('rows:', await vs?.page.locator('.sidebar .monaco-list-row').allInnerTexts().catch(() => []));
    console.log('headers:', JSON.stringify(await vs?.page.locator('.sidebar .pane-header').allInnerTexts().catch(() => [])));
    console.log('costs rows:', await costs().locator('.monaco-list-row').allInnerTexts().catch((e) => String(e)));
  }));
  // The pane whose title is exactly "Costs" (its header also carries the description and actions).
  const costs = () => vs.page.locator('.sidebar .pane').filter({ has: vs.page.locator('.pane-header h3.title', { hasText: /^\s*costs\s*$/i }) }).first();
  const row = (text: string | RegExp) => costs().locator('.monaco-list-row', { hasText: text }).first();

  step('before consent the view explains the price and makes no request', async () => {
    await vs.openContainer();
    // Collapse every other view of the container so the Costs view has room for the screenshots.
    const others = vs.page.locator('.sidebar .pane-header.expanded').filter({ hasNot: vs.page.locator('h3.title', { hasText: /^\s*costs\s*$/i }) });
    for (let n = await others.count(); n > 0; n = await others.count()) {
      await others.first().click();
      await vs.page.waitForTimeout(100);
      if (n === (await others.count())) break;
    }
    await row('Cost Explorer charges $0.01 per request').waitFor({ timeout: 60_000 });
    assert.equal(ce.count(), 0);
    await vs.screenshot('costs-consent');
  });

  step('after consent the view shows month to date, forecast and last month from two requests', async () => {
    await row('Allow requests and load costs').click();
    const dialog = vs.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /\$0\.01 for each API request/);
    await dialog.getByRole('button', { name: 'Allow Requests' }).click();
    await row(/Month to date: \$[\d,]+\.\d\d/).waitFor({ timeout: 60_000 });
    await row(/Forecast for month end: \$[\d,]+\.\d\d/).waitFor({ timeout: 15_000 });
    await row(/Last month \(\w{3} \d{4}\): \$[\d,]+\.\d\d/).waitFor();
    assert.equal(ce.count('GetCostAndUsage'), 1);
    assert.equal(ce.count('GetCostForecast'), 1);
    const description = await costs().locator('.pane-header .description').innerText();
    assert.match(description, /2 CE requests today \(\$0\.02\)/);
    // cloudMonitor.costs.statusBar: the same figure in the status bar, from the same data.
    const mtd = (await row(/Month to date/).innerText()).match(/\$[\d,]+\.\d\d/)?.[0];
    assert.equal(await vs.statusBarText('MTD'), `${mtd} MTD`);
    await vs.screenshot('costs-view');
  });

  step('By service expands into top N + Other with changes; an entry into its days, with no request', async () => {
    await row('By service').click();
    await row(EC2).waitFor({ timeout: 15_000 });
    await row(/^Other \(\d+\)/).waitFor();
    const text = await row(EC2).innerText();
    assert.match(text, /\$[\d,]+\.\d\d · [+-]\$[\d,]+\.\d\d \([+-][\d.]+%\)/);
    await row('Anomalies').click();
    await row(/\$131\.40 impact/).waitFor({ timeout: 15_000 });
    assert.equal(ce.count('GetCostAndUsage'), 1);
    await vs.screenshot('costs-view-groups');
  });

  let frame: FrameLocator;
  step('the dashboard renders charts and movers from one more request (the older months of its 12-month chart)', async () => {
    await costs().locator('.pane-header').hover();
    // The dashboard's first request is held, so the switch prices (asked after the load) arrive while the
    // group-by list is open: they change the option texts in place, and the list stays open with the same
    // select (they used to redraw the controls, closing it).
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    ce.hold = (op) => (op === 'GetCostAndUsage' ? held : undefined);
    await costs().locator('.pane-header .action-label[aria-label="Open Cost Dashboard"]').click();
    frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const groupBy = frame.locator('#dimension');
    try {
      await groupBy.waitFor({ timeout: 60_000 });
      await groupBy.evaluate((e) => void ((e as HTMLElement).dataset.mark = 'before-prices'));
      await groupBy.click();
      assert.doesNotMatch(await groupBy.getByRole('option', { name: /^Region/ }).innerText(), / · /, 'no price before the load');
    } finally {
      ce.hold = undefined;
      release();
    }
    await groupBy.getByRole('option', { name: /^Region · / }).waitFor({ timeout: 60_000 });
    assert.equal(await groupBy.evaluate((e) => (e as HTMLElement).dataset.mark), 'before-prices', 'the same select: the controls were not redrawn');
    assert.equal(await groupBy.evaluate((e) => (e as HTMLElement & { open: boolean }).open), true, 'the list stayed open');
    await vs.screenshot('costs-dashboard-prices-in-open-list');
    await vs.page.keyboard.press('Escape');
    await frame.locator('.card .value').first().waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('.card .value').first().innerText(), /^\$[\d,]+\.\d\d$/);
    await frame.locator('.chart-stacked canvas').waitFor();
    await frame.locator('.chart-monthly canvas').waitFor();
    await frame.locator('.chart-forecast canvas').waitFor();
    assert.ok((await frame.locator('.movers tbody tr').count()) > 0);
    const legend = frame.locator('.chart-stacked .u-legend');
    assert.match(await legend.innerText(), /Amazon Elastic Compute Cloud/);
    // The cursor is off the chart: each series by its name alone (no colon before an empty value), no "Day:" row;
    // on a day, the day and each series' value after a colon.
    const colons = () => legend.locator('tr.u-series th').evaluateAll((ths) => ths.map((th) => getComputedStyle(th, '::after').content));
    const dayRow = legend.locator('tr.u-series').first();
    assert.ok((await colons()).every((c) => c === 'none' || c === 'normal'), `colons off the chart: ${JSON.stringify(await colons())}`);
    assert.equal(await dayRow.isVisible(), false, 'the Day row is left out off the chart');
    await frame.locator('.chart-stacked .u-over').hover();
    await dayRow.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dayRow.innerText(), /^Day\s*[A-Z][a-z]{2} \d+$/);
    assert.ok((await colons()).every((c) => c === '":"'), `colons on a day: ${JSON.stringify(await colons())}`);
    // Not vs.screenshot, which parks the mouse off the chart.
    await vs.page.screenshot({ path: screenshotPath('costs-dashboard-legend-on-a-day') });
    await frame.locator('.cards').hover();
    assert.equal(ce.count('GetCostAndUsage'), 2);
    // The view's description counts the dashboard's requests too.
    await costs().locator('.pane-header .description', { hasText: `${ce.count()} CE requests today` }).waitFor({ timeout: 15_000 });
    await vs.screenshot('costs-dashboard');
    await frame.locator('.movers').scrollIntoViewIfNeeded();
    await vs.screenshot('costs-dashboard-forecast-movers');
  });

  step('changing range, granularity and metric costs nothing but the forecast of the new metric', async () => {
    // The options live in each select's shadow DOM, which Playwright locators pierce. A range or group-by
    // option may carry its price after ' · ' ('Last 90 days · cached').
    const choose = async (id: string, option: string) => {
      await frame.locator(`#${id}`).click();
      await frame.locator(`#${id}`).getByRole('option', { name: new RegExp(`^${option}( · .*)?$`) }).click();
    };
    await choose('range', 'Last 90 days');
    await frame.locator('.chart-stacked .u-title', { hasText: 'last 90 days' }).waitFor({ timeout: 15_000 });
    await choose('metric', 'Amortized');
    await choose('granularity', 'Monthly');
    await frame.locator('.chart-stacked .u-title', { hasText: 'Monthly cost, last 90 days' }).waitFor({ timeout: 15_000 });
    assert.equal(ce.count('GetCostAndUsage'), 2);
    assert.equal(ce.count('GetCostForecast'), 2);
    await vs.screenshot('costs-dashboard-90-days-monthly');
  });

  step('the ledger command lists every request with its price', async () => {
    await vs.runCommand('Cloud Monitor: Show Cost Explorer Request Ledger');
    const editor = vs.page.locator('.editor-instance .view-lines').first();
    await editor.getByText('Cost Explorer request ledger').waitFor({ timeout: 15_000 });
    // Monaco renders spaces as no-break spaces.
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, new RegExp(`Today \\(${today}\\): ${ce.count()} requests, \\$0\\.0${ce.count()}`));
    assert.match(text, /GetCostForecast/);
    await vs.screenshot('costs-ledger');
  });

  step('a CUR 2.0 query opens in an editor with the table written in', async () => {
    await vs.runCommand('Cloud Monitor: Open CUR 2.0 Athena Query');
    const input = vs.page.locator('.quick-input-widget input');
    await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Top 10 costliest services' }).first().waitFor({ timeout: 15_000 });
    await input.fill('costliest services');
    await input.press('Enter');
    await vs.page.locator('.quick-input-widget', { hasText: 'CUR 2.0 Table' }).waitFor({ timeout: 15_000 });
    await input.fill('data_exports.cur2');
    await input.press('Enter');
    const editor = vs.page.locator('.editor-instance .view-lines').first();
    await editor.getByText('FROM data_exports.cur2').waitFor({ timeout: 15_000 });
    assert.match((await editor.innerText()).replace(/\u00a0/g, ' '), /WHERE billing_period = \?/);
    await vs.screenshot('costs-cur-query');
  });

  step('after a reload (a restart) the dashboard comes back as it was, with zero requests', async () => {
    const before = ce.count();
    // Reload Window shuts the workbench down properly, so its state (and the webview's) is saved first.
    await vs.page.evaluate(() => Object.assign(window, { costsBeforeReload: true }));
    await vs.runCommand('Developer: Reload Window');
    await vs.page.waitForFunction(() => !('costsBeforeReload' in window), undefined, { timeout: 60_000 });
    await vs.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The dashboard's tab was restored; showing it revives the panel through the serializer.
    await vs.page.locator('.tabs-container .tab', { hasText: 'Cost Dashboard' }).click({ timeout: 60_000 });
    frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('.chart-stacked .u-title', { hasText: 'Monthly cost, last 90 days' }).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#metric').evaluate((e) => (e as HTMLElement & { value: string }).value), 'AmortizedCost');
    assert.equal(ce.count(), before);
    await vs.screenshot('costs-dashboard-restored');
  });

  step('offline: Refresh keeps the cached figures on screen with their age', async () => {
    await ce.close();
    await costs().locator('.pane-header').hover();
    await costs().locator('.pane-header .action-label[aria-label="Refresh Costs"]').click();
    // The view message says so once the refresh request has failed: wait for it.
    await costs().getByText(/Could not refresh: showing data from/).first().waitFor({ timeout: 90_000 });
    await row(/Month to date: \$[\d,]+\.\d\d/).waitFor();
    assert.match(await costs().innerText(), /Could not refresh: showing data from/);
    await vs.screenshot('costs-view-offline');
  });
});
