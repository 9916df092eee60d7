// The `npm run demo` sandbox's costs in code-server: moto_server seeded by every seeder, the sandbox stand-in
// in front of it (test/sandbox/gaps.ts) computing Cost Explorer from one set of daily line items. moto alone
// hands out seeded GetCostAndUsage results in the order they are first asked for, so opening the groups in
// another order swapped or emptied their figures and the dashboard's month to date was $0.00 by region.
// Here the Costs view's groups and the dashboard's groupings are opened in one order, then (after a Refresh
// that asks Cost Explorer again) in another, and must show the same figures, with month to date the same under
// every grouping. Last, the stand-in turns into a new account and the forecast says why it is missing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { addDays, addMonths, monthOf, utcToday } from '../../src/costs/dates';
import { screenshotOnFailure, shotName, type VsCodeSession } from '../helpers/codeServer';
import { TAG_KEY } from '../helpers/costData';
import { openSandbox, widenSideBar, type SandboxSession } from './sandboxSession';

const GROUPS = ['By region', `By tag: ${TAG_KEY}`, 'By service', 'By account', 'By usage type'];
const DIMENSIONS = [['REGION', 'region'], ['TAG', `tag ${TAG_KEY}`], ['SERVICE', 'service'], ['LINKED_ACCOUNT', 'account'], ['USAGE_TYPE', 'usage type']] as const;
const MONEY = /[+-]?\$[\d,]+\.\d\d/;
const dollars = (s: string) => Number(s.replace(/[$,]/g, ''));

describe('the demo sandbox: cost groups and dashboard groupings show the same figures in any order, month to date the same under each (moto_server seeded as by npm run demo; Cost Explorer from the sandbox stand-in computing from one set of line items: moto hands seeded results out in first-asked order)', () => {
  let session: SandboxSession | undefined;
  let vs: VsCodeSession;
  let frame: FrameLocator;

  before(async () => {
    session = await openSandbox();
    vs = session.vs;
  });
  after(async () => {
    await session?.close();
  });

  const step = (name: string, fn: () => Promise<void>) => test(name, () => screenshotOnFailure(() => vs, shotName('costs-sandbox-failed', name), fn, async () => {
    console.log('costs rows:', await costs().locator('.monaco-list-row').allInnerTexts().catch((e) => String(e)));
  }));
  const costs = () => vs.viewPane('Costs');
  const row = (text: string | RegExp) => costs().locator('.monaco-list-row', { hasText: text }).first();

  /** Expands one group, reads its entries (label and figures), collapses it again. */
  async function readGroup(label: string, shotPrefix: string): Promise<string[]> {
    const group = costs().locator('.monaco-list-row[aria-level="1"]', { hasText: label }).first();
    await group.click();
    const children = costs().locator('.monaco-list-row[aria-level="2"]');
    // Entries (with figures), or the empty line: either way the group has answered.
    await costs().locator('.monaco-list-row[aria-level="2"]', { hasText: /\$|No costs/ }).first().waitFor({ timeout: 60_000 });
    const texts = (await children.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    await vs.screenshot(`costs-sandbox-${shotPrefix}-${label.replace(/\W+/g, '-').toLowerCase()}`);
    await group.click();
    await costs().locator('.monaco-list-row[aria-level="2"]').first().waitFor({ state: 'detached', timeout: 15_000 });
    return texts;
  }

  async function readDashboard(dim: string, titleBy: string): Promise<{ cards: string; movers: string; legend: string[] }> {
    const select = frame.locator('#dimension');
    if ((await select.evaluate((e) => (e as HTMLElement & { value: string }).value)) !== dim) {
      // Each load draws new cards: mark the old ones, then wait for the ones drawn for this grouping.
      await frame.locator('.cards').evaluate((e) => e.setAttribute('data-before', ''));
      await select.click();
      await select.getByRole('option', { name: new RegExp(`^${titleBy.split(' ')[0]}`, 'i') }).first().click();
      assert.equal(await select.evaluate((e) => (e as HTMLElement & { value: string }).value), dim);
      await frame.locator('.cards:not([data-before])').waitFor({ timeout: 60_000 });
    }
    await frame.locator('.status vscode-progress-ring').waitFor({ state: 'detached', timeout: 60_000 });
    // The stacked chart is drawn by this grouping, or says there is nothing to draw.
    await frame.locator('.chart-stacked .u-title, .chart-stacked p').filter({ hasText: new RegExp(`by ${titleBy}$|^No costs in the last`) }).waitFor({ timeout: 15_000 });
    return {
      cards: (await frame.locator('.cards').innerText()).replace(/\s+/g, ' ').trim(),
      movers: (await frame.locator('.movers').innerText()).replace(/\s+/g, ' ').trim(),
      legend: (await frame.locator('.chart-stacked .u-legend .u-series th').allInnerTexts()).map((t) => t.trim()),
    };
  }

  let viewMtd = '';
  const passes: { groups: Record<string, string[]>; dashboard: Record<string, Awaited<ReturnType<typeof readDashboard>>> }[] = [];

  step('after consent the Costs view shows month to date', async () => {
    await vs.openContainer();
    // The seeded alerts' notifications would cover the dashboard in the screenshots.
    await vs.runCommand('Notifications: Clear All Notifications');
    // A wider side bar, so the groups' figures are not cut off.
    await widenSideBar(vs, 200);
    // Only the Costs view open, so its groups have room.
    const others = vs.page.locator('.sidebar .pane-header.expanded').filter({ hasNot: vs.page.locator('h3.title', { hasText: /^\s*costs\s*$/i }) });
    for (let n = await others.count(); n > 0; n = await others.count()) {
      await others.first().click();
      if (n === (await others.count())) break;
    }
    await row('Allow requests and load costs').click({ timeout: 60_000 });
    await vs.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow Requests' }).click();
    const mtd = row(/Month to date: \$[\d,]+\.\d\d/);
    await mtd.waitFor({ timeout: 60_000 });
    viewMtd = (await mtd.innerText()).match(MONEY)![0];
    assert.ok(dollars(viewMtd) > 0, viewMtd);
  });

  const pass = (n: 1 | 2, groupOrder: string[], dimOrder: (typeof DIMENSIONS)[number][]) => step(`pass ${n}: groups ${groupOrder.join(', ')}; dashboard by ${dimOrder.map((d) => d[1]).join(', ')}`, async () => {
    if (n === 2) {
      // Ask Cost Explorer again for everything that can change, so the second order is answered afresh.
      const before = (await costs().locator('.pane-header .description').innerText()).match(/(\d+) CE requests? today/)?.[1];
      await vs.runCommand('Cloud Monitor: Refresh Costs');
      await costs().locator('.pane-header .description').filter({ hasNotText: new RegExp(`^\\s*${before} CE request`) }).waitFor({ timeout: 60_000 });
      await row(/Month to date: \$[\d,]+\.\d\d/).waitFor({ timeout: 60_000 });
      assert.equal((await row(/Month to date/).innerText()).match(MONEY)![0], viewMtd, 'the view\'s month to date after a refresh');
    }
    const groups: Record<string, string[]> = {};
    for (const g of groupOrder) groups[g] = await readGroup(g, `pass${n}`);
    await costs().locator('.pane-header').hover();
    await costs().locator('.pane-header .action-label[aria-label="Open Cost Dashboard"]').click();
    frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('.cards').waitFor({ timeout: 60_000 });
    const dashboard: Record<string, Awaited<ReturnType<typeof readDashboard>>> = {};
    for (const [dim, by] of dimOrder) {
      dashboard[dim] = await readDashboard(dim, by);
      await vs.screenshot(`costs-sandbox-pass${n}-dashboard-${dim.toLowerCase()}`);
    }
    passes.push({ groups, dashboard });
    // Closed, so the next pass opens it afresh.
    await vs.runCommand('View: Close All Editors');
    await vs.page.locator('.tabs-container .tab', { hasText: 'Cost Dashboard' }).waitFor({ state: 'detached', timeout: 15_000 });
  });

  pass(1, GROUPS, [...DIMENSIONS]);
  pass(2, [...GROUPS].reverse(), [...DIMENSIONS].reverse());

  step('both orders show the same figures; month to date is the same under every grouping and equals the view\'s', async () => {
    const [a, b] = passes;
    assert.ok(a && b, 'both passes ran');
    for (const g of GROUPS) assert.deepEqual(b.groups[g], a.groups[g], `${g}: the same entries and figures in either order`);
    for (const [dim] of DIMENSIONS) assert.deepEqual(b.dashboard[dim], a.dashboard[dim], `dashboard by ${dim}: the same figures in either order`);
    for (const g of GROUPS) {
      const amounts = a.groups[g].map((t) => t.match(MONEY)?.[0]).filter((m): m is string => !!m).map(dollars);
      assert.ok(amounts.length > 0, `${g} has entries: ${a.groups[g].join(' | ')}`);
      const sum = amounts.reduce((x, y) => x + y, 0);
      // Each entry is shown rounded to the cent.
      assert.ok(Math.abs(sum - dollars(viewMtd)) <= 0.01 * amounts.length, `${g}: its entries add up to month to date (${sum.toFixed(2)} vs ${viewMtd})`);
    }
    for (const [dim] of DIMENSIONS) {
      const mtd = a.dashboard[dim].cards.match(/Month to date\s*([+-]?\$[\d,]+\.\d\d)/)?.[1];
      assert.equal(mtd, viewMtd, `dashboard by ${dim}: month to date equals the Costs view's`);
    }
  });

  step('a new account (costs since the 2nd of last month: less than one full billing cycle): the view and the dashboard say the forecast is unavailable for lack of history, with no Retry and no $0.00', async () => {
    const today = utcToday(Date.now());
    session!.sandbox.costHistory.from = addDays(`${addMonths(monthOf(today), -1)}-01`, 1);
    await vs.runCommand('Cloud Monitor: Refresh Costs');
    const forecast = row('Forecast unavailable: not enough cost history yet');
    await forecast.waitFor({ timeout: 60_000 });
    assert.doesNotMatch(await forecast.innerText(), /\$/);
    assert.equal(await costs().locator('.monaco-list-row', { hasText: /Retry|Forecast for month end/ }).count(), 0, 'no error line and no month-end figure');
    await row(/Month to date: \$[\d,]+\.\d\d/).waitFor();
    await vs.screenshot('costs-sandbox-new-account-view');
    await costs().locator('.pane-header').hover();
    await costs().locator('.pane-header .action-label[aria-label="Open Cost Dashboard"]').click();
    frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const card = frame.locator('.card.forecast-unavailable');
    await card.waitFor({ timeout: 60_000 });
    assert.equal(await card.locator('.value').innerText(), 'Unavailable');
    assert.match(await card.innerText(), /Forecast unavailable: not enough cost history yet/);
    assert.equal(await frame.locator('.notice.error').count(), 0, 'not an error with Retry');
    await frame.locator('.chart-forecast .u-title', { hasText: 'forecast unavailable: not enough cost history yet' }).waitFor({ timeout: 15_000 });
    await vs.screenshot('costs-sandbox-new-account-dashboard');
  });
});
