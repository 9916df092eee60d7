// The cost dashboard's range, filter, switch prices, anomaly markers and CSV export, in code-server + Chromium.
// Cost Explorer is the stand-in in front of moto_server (test/helpers/ceEndpoint.ts, computing every answer
// from test/helpers/costData.ts and honouring TimePeriod and Filter; moto 5.2.1 ignores both and lacks the
// forecast and anomalies), which counts every request at the HTTP level. One service's name is a spreadsheet
// formula (test/fixtures/hostile.ts), as anyone able to name a product in a bill could make it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { addDays, addMonths, monthOf, utcToday } from '../../src/costs/dates';
import type { CostPage } from '../../src/costs/math';
import { parseCsv } from '../../src/webview/results/csv';
import { openVsCode, type VsCodeSession, screenshotOnFailure, shotName } from '../helpers/codeServer';
import { startCeEndpoint, type CeEndpoint } from '../helpers/ceEndpoint';
import { costExplorerAnswers, EC2 } from '../helpers/costData';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { FORMULA_CELLS } from '../fixtures/hostile';

const RDS = 'Amazon Relational Database Service';
const HOSTILE_SERVICE = FORMULA_CELLS[0];

/** The stand-in's answer with RDS renamed to a formula (in group keys; a filter on it is never asked). */
function withHostileName(answer: CostPage): CostPage {
  for (const r of answer.ResultsByTime ?? []) for (const g of r.Groups ?? []) g.Keys = g.Keys?.map((k) => (k === RDS ? HOSTILE_SERVICE : k));
  return answer;
}

describe('cost dashboard: range, filter, price before a switch, anomalies on the chart, CSV export (Cost Explorer stand-in computing from line items in front of moto_server)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let ce: CeEndpoint;
  let frame: FrameLocator;
  let workspace: string;
  const today = utcToday(Date.now());

  before(async () => {
    moto = await startMoto();
    ce = await startCeEndpoint(moto.endpoint, costExplorerAnswers(() => utcToday(Date.now()), { costAndUsage: withHostileName }));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), ce.url);
    workspace = mkdtempSync(join(tmpdir(), 'ws-'));
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1', 'cloudMonitor.costs.tagKey': 'cost_center' }, viewport: { width: 1500, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    await ce?.close();
    await moto?.stop();
  });

  const step = (name: string, fn: () => Promise<void>) => test(name, () => screenshotOnFailure(() => vs, shotName('costs-filter-failed', name), fn));
  const value = (id: string) => frame.locator(`#${id}`).evaluate((e) => (e as HTMLElement & { value: string }).value);
  /** The options live in each select's shadow DOM, which Playwright locators pierce. */
  const optionTexts = async (id: string, shot?: string) => {
    await frame.locator(`#${id}`).click();
    const texts = (await frame.locator(`#${id}`).getByRole('option').allInnerTexts()).map((t) => t.trim());
    if (shot) await vs.screenshot(shot);
    await vs.page.keyboard.press('Escape');
    return texts;
  };
  const choose = async (id: string, option: RegExp) => {
    await frame.locator(`#${id}`).click();
    await frame.locator(`#${id}`).getByRole('option', { name: option }).first().click();
  };
  /** Waits until a load has drawn the stacked chart with this title. */
  const drawn = (title: RegExp) => frame.locator('.chart-stacked .u-title').filter({ hasText: title }).waitFor({ timeout: 60_000 });
  const settled = () => frame.locator('.status vscode-progress-ring').waitFor({ state: 'detached', timeout: 60_000 });

  step('the dashboard, once allowed, marks the anomaly on the daily chart with its impact as text', async () => {
    await vs.openContainer();
    await vs.runCommand('Cloud Monitor: Open Cost Dashboard');
    frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('.notice vscode-button', { hasText: 'Allow requests' }).click({ timeout: 60_000 });
    await vs.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow Requests' }).click({ timeout: 15_000 });
    await drawn(/^Daily cost, last 30 days, by service$/);
    await settled();
    assert.match(await frame.locator('.header .active').innerText(), /^Last 30 days \(\w{3} \d+ – \w{3} \d+\) · all costs$/);
    // The EC2 spike 6 to 4 days ago: one marker per day, the impact in the tooltip (title text).
    const markers = frame.locator('.chart-stacked .anomaly-marker');
    await markers.first().waitFor({ timeout: 15_000 });
    assert.deepEqual(await markers.evaluateAll((ms) => ms.map((m) => (m as HTMLElement).dataset.day)), [addDays(today, -6), addDays(today, -5), addDays(today, -4)]);
    const title = await markers.first().getAttribute('title');
    assert.match(title ?? '', new RegExp(`^Anomaly \\w{3} \\d+ – \\w{3} \\d+: ${EC2}, impact \\$131\\.40 \\(\\+110%\\), largest day \\$48\\.10$`));
    assert.equal(await frame.locator('.anomalies li').first().innerText(), title);
    // The formula-named service is a legend entry, as text.
    assert.ok((await frame.locator('.chart-stacked .u-legend').innerText()).includes(HOSTILE_SERVICE));
    assert.equal(await frame.locator('a').count(), 0);
  });

  step('the group-by list prices each switch before it is made ("cached" for the one shown), and a switch costs what it said', async () => {
    // The prices arrive after the chart: the shown grouping's option says "cached" once they have.
    await frame.locator('#dimension vscode-option', { hasText: /^Service · cached$/ }).waitFor({ state: 'attached', timeout: 30_000 });
    const options = await optionTexts('dimension', 'costs-filter-price-options');
    assert.ok(options.some((o) => /^Service · cached$/.test(o)), options.join(' | '));
    const region = options.find((o) => o.startsWith('Region'));
    const price = /^Region · (\d+) requests?, \$(0\.\d\d)$/.exec(region ?? '');
    assert.ok(price, `the Region option says its price: ${options.join(' | ')}`);
    assert.equal(Number(price[2]), Number(price[1]) * 0.01);
    const before = ce.count();
    await choose('dimension', /^Region/);
    await drawn(/by region$/);
    await settled();
    assert.equal(ce.count() - before, Number(price[1]), 'the switch made as many requests as its price said');
    // The options are priced again for the new grouping (the controls are redrawn with them): wait for it.
    await frame.locator('#dimension vscode-option', { hasText: /^Region · cached$/ }).waitFor({ state: 'attached', timeout: 30_000 });
    // Back to service: it said "cached", and is.
    const back = ce.count();
    await choose('dimension', /^Service/);
    await drawn(/by service$/);
    await settled();
    assert.equal(ce.count(), back);
    await frame.locator('#dimension vscode-option', { hasText: /^Region · cached$/ }).waitFor({ state: 'attached', timeout: 30_000 });
    await frame.locator('#dimension vscode-option', { hasText: /^Service · cached$/ }).waitFor({ state: 'attached', timeout: 30_000 });
  });

  step('a custom range and a region filter: a wrong range is refused with the reason, the right one shows its price before Apply, and the header names both', async () => {
    await choose('range', /^Custom/);
    const start = frame.locator('#range-start');
    const end = frame.locator('#range-end');
    await start.waitFor({ timeout: 15_000 });
    await start.fill(addDays(today, -3));
    await end.fill(addDays(today, -10));
    await frame.locator('#range-error', { hasText: /The end date \(\d{4}-\d\d-\d\d\) is before the start date/ }).waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('#apply').getAttribute('disabled'), '');
    await end.fill(addDays(today, 2));
    await frame.locator('#range-error', { hasText: /is in the future/ }).waitFor({ timeout: 15_000 });

    const from = `${addMonths(monthOf(today), -1)}-01`;
    const to = addDays(today, -1);
    await start.fill(from);
    await end.fill(to);
    // Filter values come from groups already fetched: no request to offer them.
    const before = ce.count();
    await choose('filter-dimension', /^Region$/);
    const offered = await frame.locator('#filter-values option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.ok(offered.includes('us-east-1') && offered.includes('eu-west-1'), offered.join(', '));
    await frame.locator('#filter-value').fill('us-east-1');
    await frame.locator('#filter-value').dispatchEvent('change');
    const price = frame.locator('#apply-price');
    await price.filter({ hasText: /^\d+ requests?, \$0\.\d\d$/ }).waitFor({ timeout: 30_000 });
    const requests = Number(/^(\d+)/.exec(await price.innerText())![1]);
    assert.equal(ce.count(), before, 'offering values and pricing made no request');
    assert.equal(await frame.locator('#range-error').innerText(), '');
    await vs.screenshot('costs-filter-apply-price');

    await frame.locator('#apply').click();
    await drawn(/^Daily cost, \w{3} \d+ – \w{3} \d+, by service$/);
    await settled();
    await frame.locator('#dimension vscode-option', { hasText: /^Service · cached$/ }).waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(ce.count() - before, requests, 'Apply made as many requests as its price said');
    const active = await frame.locator('.header .active').innerText();
    assert.match(active, new RegExp(`^\\w{3} \\d+, ${from.slice(0, 4)} – \\w{3} \\d+, ${to.slice(0, 4)} · only region = us-east-1$`));
    // Every request since carries the filter, with Cost Explorer's own shape.
    for (const r of ce.requests.slice(before)) {
      if (r.op !== 'GetCostAndUsage' && r.op !== 'GetCostForecast') continue;
      assert.deepEqual(r.body.Filter, { Dimensions: { Key: 'REGION', Values: ['us-east-1'] } }, `${r.op} ${JSON.stringify(r.body.TimePeriod)}`);
    }
    // EC2's spike is in us-east-1 and inside the range: still marked.
    await frame.locator('.chart-stacked .anomaly-marker').first().waitFor({ timeout: 15_000 });
    assert.equal(await value('range'), 'custom');
    await frame.locator('.chart-stacked').scrollIntoViewIfNeeded();
    await vs.screenshot('costs-filter');
  });

  step('Export CSV writes what the chart shows; the formula-named service is inert text in it', async () => {
    const before = ce.count();
    await frame.locator('#export').click();
    // code-server's save dialog: VS Code's simple file dialog, a quick input holding the suggested path.
    const input = vs.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    // The dialog fills in the folder first, then the suggested name.
    const suggested = /costs-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d-by-service\.csv$/;
    await vs.page.waitForFunction((re) => new RegExp(re).test((document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value ?? ''), suggested.source, { timeout: 15_000 });
    const path = (await input.inputValue()).trim();
    assert.ok(path.startsWith(workspace), `suggested in the workspace folder: ${path}`);
    await input.press('Enter');
    await frame.locator('#export-result', { hasText: /Saved/ }).waitFor({ timeout: 30_000 });
    const file = join(workspace, path.split('/').pop()!);
    assert.ok(existsSync(file), file);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    assert.match(String(rows[0][0]), /, by service, only region = us-east-1$/);
    assert.equal(rows[1][0], 'Date');
    assert.ok(rows[1].includes(`'${HOSTILE_SERVICE}`), `the formula is written with a leading ' (${rows[1].join(' | ')})`);
    assert.ok(!rows.flat().some((c) => c === HOSTILE_SERVICE), 'never as a bare formula');
    assert.equal(rows[2][0], `${addMonths(monthOf(today), -1)}-01`);
    assert.equal(rows.at(-1)![0], addDays(today, -1));
    assert.equal(ce.count(), before, 'exporting makes no request');
  });
});
