// The cost dashboard webview in headless Chromium under the extension's strict CSP (test/helpers/webviewPage.ts),
// with a real host endpoint serving CostService data from the counting fake Cost Explorer. Checks: no CSP
// violation, AWS strings only ever as text, controls kept in setState across a reload, the notices' actions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache } from '../../src/cache/diskCache';
import { payerScopeNote } from '../../src/costs/accounts';
import { dashboardChecks } from '../../src/costs/dashboardChecks';
import type { CostsDashboardSpec, DashboardParams, DashboardState, LoadResult } from '../../src/costs/dashboardProtocol';
import { CostService } from '../../src/costs/service';
import { CostStore } from '../../src/costs/store';
import type { Endpoint } from '../../src/webview/protocol';
import { check } from '../../src/webview/validate';
import { FakeCostExplorer } from '../helpers/costData';
import { openWebviewPage, ROOT, type WebviewPage } from '../helpers/webviewPage';

const TODAY = '2024-03-15';
const NOW = Date.parse(`${TODAY}T10:00:00Z`);
const HOSTILE = '<img src=x onerror="window.pwned=1">Evil & Co';
const DEFAULTS: DashboardParams = { rangeDays: 30, granularity: 'DAILY', dimension: 'SERVICE', metric: 'UnblendedCost', excludeCreditsRefundsTax: false };

const dir = mkdtempSync(join(tmpdir(), 'costs-wv-'));
const fake = new FakeCostExplorer(() => TODAY);
const store = new CostStore({ cache: new DiskCache(join(dir, 'c'), () => NOW), api: () => fake, scope: () => 's', ttlMs: () => 3_600_000, lockDir: join(dir, 'locks'), now: () => NOW });
const service = new CostService(store);

let answer: (params: DashboardParams) => Promise<LoadResult> = async (params) => {
  const data = await service.dashboard(params, '', 6);
  // An AWS-controlled name (a linked account's name, a tag value) that looks like markup.
  data.stacked.series[0].label = HOSTILE;
  data.movers[0].label = HOSTILE;
  return { ok: true, data, age: 'just now', ledger: '2 Cost Explorer requests today ($0.02)' };
};
const loads: DashboardParams[] = [];
const notified: string[] = [];

function wire(ep: Endpoint<CostsDashboardSpec, 'host'>) {
  ep.on('ready', () => ep.notify('init', { params: DEFAULTS, tagKey: '' }));
  ep.handle('load', async ({ params }) => {
    loads.push(params);
    return answer(params);
  }, dashboardChecks.load);
  ep.on('allowRequests', () => notified.push('allowRequests'), check.none);
  ep.on('showLedger', () => notified.push('showLedger'), check.none);
}

let wv: WebviewPage<CostsDashboardSpec>;
before(async () => {
  wv = await openWebviewPage<CostsDashboardSpec>({ bundle: 'costs', onHostEndpoint: wire, viewport: { width: 1200, height: 900 } });
});
after(async () => {
  await wv?.close();
  assert.deepEqual(wv.violations, [], 'no CSP violation over the whole session');
});

test('renders the headline, three charts and the movers under the strict CSP (headless Chromium; figures from an in-process fake Cost Explorer)', async () => {
  const { page } = wv;
  await page.locator('.card .value').first().waitFor({ timeout: 30_000 });
  assert.match(await page.locator('.card .value').first().innerText(), /^\$[\d,]+\.\d\d$/);
  for (const c of ['stacked', 'monthly', 'forecast']) await page.locator(`.chart-${c} canvas`).waitFor();
  assert.ok((await page.locator('.movers tbody tr').count()) > 3);
  assert.match(await page.locator('.status').innerText(), /2 Cost Explorer requests today/);
  assert.ok(fake.count('GetCostAndUsage') > 0, 'the figures were requested from the in-process fake');
  assert.deepEqual(wv.errors, []);
});

test('with the range and filter unchanged, the filter line reads as a sentence beside the disabled Apply, not "Apply shown"', async () => {
  const { page } = wv;
  await page.locator('#apply-price').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('#apply').getAttribute('disabled'), '');
  assert.equal(await page.locator('#apply-price').innerText(), 'Nothing to apply: the charts show this range and filter.');
  const line = (await page.locator('.control.buttons.apply').innerText()).replace(/\s+/g, ' ').trim();
  assert.equal(line, 'Apply Nothing to apply: the charts show this range and filter.');
  await page.locator('.control.buttons.apply').screenshot({ path: `${ROOT}/test-results/costs-dashboard-apply-unchanged.png` });
});

test('AWS strings are text: markup in a name is shown, never parsed (a markup name planted in figures from an in-process fake Cost Explorer)', async () => {
  const { page } = wv;
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  assert.equal(await page.locator('.movers tbody tr td').first().innerText(), HOSTILE);
  assert.ok((await page.locator('.chart-stacked .u-legend').innerText()).includes(HOSTILE));
});

test('controls are kept with setState and come back after a reload (figures from an in-process fake Cost Explorer)', async () => {
  const { page } = wv;
  const choose = async (id: string, option: string) => {
    await page.locator(`#${id}`).click();
    await page.locator(`#${id}`).getByRole('option', { name: option, exact: true }).click();
  };
  await choose('range', 'Last 90 days');
  await page.locator('.chart-stacked .u-title', { hasText: 'last 90 days' }).waitFor();
  await choose('dimension', 'Account');
  await page.locator('.chart-stacked .u-title', { hasText: 'by account' }).waitFor();
  const state = (await wv.state()) as DashboardState;
  assert.deepEqual(state.params, { ...DEFAULTS, rangeDays: 90, dimension: 'LINKED_ACCOUNT' });
  const before = loads.length;
  await wv.reload();
  await page.locator('.chart-stacked .u-title', { hasText: 'Daily cost, last 90 days, by account' }).waitFor({ timeout: 30_000 });
  assert.deepEqual(loads.slice(before)[0], state.params, 'the restored controls, not the defaults');
  assert.equal(await page.locator('#range').evaluate((e) => (e as HTMLElement & { value: string }).value), '90');
});

test('without consent the dashboard asks for it and requests nothing itself; once allowed, the host requests (in-process fake Cost Explorer, its calls counted)', async () => {
  const { page } = wv;
  const saved = answer;
  // The host's consent gate in front of a store with an empty cache: every figure it shows must be requested.
  class NoConsent extends Error {}
  let consented = false;
  const gated = new CostService(new CostStore({
    cache: new DiskCache(join(dir, 'gated-c'), () => NOW), api: () => fake, scope: () => 's',
    ttlMs: () => 3_600_000, lockDir: join(dir, 'gated-locks'), now: () => NOW, beforeRequest: () => { if (!consented) throw new NoConsent(); },
  }));
  answer = async (params) => {
    try {
      return { ok: true, data: await gated.dashboard(params, '', 6), age: 'just now', ledger: '' };
    } catch (err) {
      if (err instanceof NoConsent) return { ok: false, reason: 'consent', message: 'Cost Explorer charges $0.01 per request. Nothing is requested until you allow it.' };
      throw err;
    }
  };
  const requestsBefore = fake.count();
  const loadsBefore = loads.length;
  try {
    await wv.reload();
    const notice = page.locator('.notice');
    await notice.waitFor({ timeout: 30_000 });
    assert.match(await notice.innerText(), /\$0\.01 per request/);
    await notice.locator('vscode-button').click();
    // The click's message reaches the host a moment later (seen late under load with a fixed 200 ms wait).
    for (let waited = 0; !notified.length && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(notified, ['allowRequests']);
    assert.equal(await page.locator('.chart canvas').count(), 0);
    assert.ok(loads.length > loadsBefore, 'the dashboard did ask the host');
    assert.equal(fake.count() - requestsBefore, 0, 'no Cost Explorer request before consent');
    // Allowed: the same host path now requests, so the count above could have moved.
    consented = true;
    await wv.reload();
    await page.locator('.chart-stacked canvas').waitFor({ timeout: 30_000 });
    assert.ok(fake.count() - requestsBefore > 0, 'the host requested once allowed');
  } finally {
    answer = saved;
  }
});

test('the scope notice under a payer names the members whose account id cannot be read as text: a label with HTML, markdown and a URL is shown, never parsed or linked (the notice dashboardSource sends, in headless Chromium under the strict CSP)', async () => {
  const { page } = wv;
  const saved = answer;
  // Member labels come from the SSO portal (account names) or profile names: outside text.
  const labels = ['<img src=x onerror="window.pwned=2">Ops', '[Sign in again](https://evil.example/steal) **now**', 'https://evil.example/phish', '<a href="command:workbench.action.terminal.new">Dev</a>'];
  const scopeNote = payerScopeNote({ label: '<b>Payments</b> Prod', account: '111111111111' }, 2, labels);
  assert.equal(scopeNote.kind, 'warning');
  answer = async (params) => ({ ...(await saved(params)), scopeNote: scopeNote.text, scopeNoteKind: scopeNote.kind });
  try {
    await wv.reload();
    const note = page.locator('#scope-note .notice.warning');
    await note.waitFor({ timeout: 30_000 });
    assert.equal(await note.innerText(), scopeNote.text, 'shown exactly as sent, as text');
    assert.match(scopeNote.text, /Not shown: <img src=x onerror="window\.pwned=2">Ops, \[Sign in again\] \(https:\/\/evil\.example\/steal\) \*\*now\*\*, https:\/\/evil\.example\/phish, <a href=/);
    assert.deepEqual([await page.locator('#scope-note img, #scope-note a, #scope-note b').count(), await page.locator('img').count()], [0, 0], 'no element from a label');
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    await page.locator('#scope-note').screenshot({ path: `${ROOT}/test-results/costs-dashboard-scope-note-hostile.png` });
    assert.deepEqual(await wv.violationsSoFar(), [], 'no CSP violation');
  } finally {
    answer = saved;
  }
});
