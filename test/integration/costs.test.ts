// The cost store and service against moto_server, through the real SDK client. GetCostAndUsage is served
// by moto from results seeded with POST /moto-api/static/ce/cost-and-usage-results. moto 5.2.1 lacks
// GetCostForecast, GetAnomalyMonitors and GetAnomalies (HTTP 500), so those come from a recorded-response
// endpoint in front of moto (test/helpers/ceEndpoint.ts), which also counts every request at the HTTP level.
//
// moto hands out seeded results in order: the first request with an unseen body takes the next result, the
// same body gets the same result again. So each test seeds exactly the requests it expects, in order.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DiskCache } from '../../src/cache/diskCache';
import { sdkCeApi } from '../../src/costs/api';
import { summarizeCe } from '../../src/costs/ledger';
import { BillingLedger } from '../../src/billing/ledger';
import { addLedger } from '../../src/billing/middleware';
import { parsePages, total, type CostPage } from '../../src/costs/math';
import { costAndUsageInput, groupingFor, HEADLINE_GROUPING, runPeriod, overviewMonths } from '../../src/costs/plan';
import { CostService, type CostSettings } from '../../src/costs/service';
import { CostStore } from '../../src/costs/store';
import { answerAnomalies, answerAnomalyMonitors, answerCostAndUsage, answerForecast } from '../helpers/costData';
import { seedCostAndUsage, startCeEndpoint, type CeEndpoint } from '../helpers/ceEndpoint';
import { startMoto, type Moto } from '../helpers/moto';

const TODAY = '2024-03-15';
const NOW = Date.parse(`${TODAY}T10:00:00Z`);
const HOUR = 3_600_000;
const SETTINGS: CostSettings = { metric: 'UnblendedCost', filter: 'all', topN: 5, tagKey: 'cost_center' };

let moto: Moto;
let ce: CeEndpoint;
let client: CostExplorerClient;

before(async () => {
  moto = await startMoto();
  ce = await startCeEndpoint(moto.endpoint, {
    GetCostForecast: (body) => answerForecast(body as Parameters<typeof answerForecast>[0], TODAY),
    GetAnomalyMonitors: () => answerAnomalyMonitors(),
    GetAnomalies: () => answerAnomalies(TODAY),
  });
  client = new CostExplorerClient({ ...moto.clientConfig('us-east-1'), endpoint: ce.url });
});
after(async () => {
  client?.destroy();
  await ce?.close();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  ce.requests.length = 0;
});

/**
 * One VS Code window's store on a shared storage folder, its client recording into the billing ledger
 * there, as the extension's clients do (the Costs view's count reads it).
 */
function windowOn(dir: string, now = () => NOW) {
  const ledger = new BillingLedger(join(dir, 'billing.jsonl'), now, 0);
  const windowClient = new CostExplorerClient({ ...moto.clientConfig('us-east-1'), endpoint: ce.url });
  addLedger(windowClient as unknown as Parameters<typeof addLedger>[0], { feature: 'costs', profile: 'sandbox', region: 'us-east-1', account: () => '' }, { ledger });
  const store = new CostStore({
    cache: new DiskCache(join(dir, 'cache'), now),
    api: () => sdkCeApi(() => windowClient),
    scope: () => `sandbox|${ce.url}`,
    ttlMs: () => 6 * HOUR,
    lockDir: join(dir, 'locks'),
    now,
  });
  return { store, ledger, service: new CostService(store) };
}

const headlineInput = () => costAndUsageInput(HEADLINE_GROUPING, 'DAILY', runPeriod(overviewMonths(TODAY), TODAY), 'all');

test('a refresh makes 2 requests: GetCostAndUsage (moto_server) + GetCostForecast (recorded-response endpoint: moto lacks it)', async () => {
  const page = answerCostAndUsage(headlineInput(), TODAY);
  await seedCostAndUsage(moto.endpoint, [page]);
  const { service } = windowOn(mkdtempSync(join(tmpdir(), 'costs-it-')));
  const o = await service.overview(SETTINGS);
  assert.equal(ce.count('GetCostAndUsage'), 1);
  assert.equal(ce.count('GetCostForecast'), 1);
  assert.equal(ce.count(), 2);
  // The figures are moto's answer: compare with the seeded page, summed independently.
  const rows = parsePages([page as CostPage]).rows;
  assert.equal(o.monthToDate, total(rows, 'UnblendedCost', { start: '2024-03-01', end: '2024-03-16' }));
  assert.equal(o.lastMonth.total, total(rows, 'UnblendedCost', { start: '2024-02-01', end: '2024-03-01' }));
  assert.ok(o.monthToDate > 100);
  assert.ok(o.forecast && o.forecast.monthEnd > o.monthToDate);
  const sent = ce.requests[0].body as { TimePeriod: unknown; GroupBy: { Key: string }[]; Metrics: string[] };
  assert.deepEqual(sent.TimePeriod, { Start: '2023-12-01', End: '2024-03-16' });
  assert.deepEqual(sent.GroupBy.map((g) => g.Key), ['SERVICE', 'LINKED_ACCOUNT'], 'two group-bys in one call');
  assert.deepEqual(sent.Metrics, ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost']);
  // Service and account groups need no further request.
  const services = await service.group('SERVICE', SETTINGS);
  await service.group('LINKED_ACCOUNT', SETTINGS);
  assert.equal(ce.count(), 2);
  assert.equal(services.entries[0].key, 'Amazon Elastic Compute Cloud - Compute');
});

test('a new account (costs only since the 5th): the recorded-response endpoint (moto lacks GetCostForecast) refuses the forecast with DataUnavailableException as AWS\'s model declares it, and the overview says forecast unavailable (no error, no $0.00) while month to date is shown; a month of history gets a forecast', async () => {
  const newAccount = { from: '2024-03-05' };
  await seedCostAndUsage(moto.endpoint, [answerCostAndUsage(headlineInput(), TODAY, Infinity, newAccount)]);
  const saved = ce.recorded.GetCostForecast;
  ce.recorded.GetCostForecast = (body) => answerForecast(body as Parameters<typeof answerForecast>[0], TODAY, newAccount);
  try {
    // On the wire: the JSON 1.1 error Cost Explorer sends, marked as the stand-in's.
    const wire = await fetch(ce.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSInsightsIndexService.GetCostForecast' },
      body: JSON.stringify({ TimePeriod: { Start: TODAY, End: '2024-03-31' }, Metric: 'UNBLENDED_COST', Granularity: 'DAILY', PredictionIntervalLevel: 80 }),
    });
    assert.equal(wire.status, 400);
    assert.equal(wire.headers.get('x-cloud-monitor-stand-in'), '1');
    assert.deepEqual(await wire.json(), { __type: 'DataUnavailableException', Message: 'Insufficient amount of historical data.' });
    const before = ce.count();

    const dir = mkdtempSync(join(tmpdir(), 'costs-it-'));
    const o = await windowOn(dir).service.overview(SETTINGS);
    assert.equal(ce.count('GetCostForecast') - 1, 1, 'one forecast request from the extension');
    assert.equal(o.forecast, undefined, 'no month-end figure: not $0.00');
    assert.equal(o.forecastError, undefined, 'too little history is not an error (no Retry)');
    assert.equal(o.forecastUnavailable, 'Insufficient amount of historical data.');
    assert.ok(o.monthToDate > 50, `month to date from the 5th: ${o.monthToDate}`);
    assert.equal(o.lastMonth.total, 0, 'nothing before the account opened');
    // The refusal is an answer, kept for the TTL like one: a second window asks nothing.
    const again = await windowOn(dir, () => NOW + HOUR).service.overview(SETTINGS);
    assert.equal(ce.count(), before + 2);
    assert.equal(again.forecastUnavailable, 'Insufficient amount of historical data.');

    // One whole billing cycle (since the 1st of last month) is enough.
    ce.recorded.GetCostForecast = (body) => answerForecast(body as Parameters<typeof answerForecast>[0], TODAY, { from: '2024-02-01' });
    const month = await windowOn(mkdtempSync(join(tmpdir(), 'costs-it-'))).service.overview(SETTINGS);
    assert.ok(month.forecast && month.forecast.monthEnd > month.monthToDate, 'a forecast after one full billing cycle');
    assert.equal(month.forecastUnavailable, undefined);
  } finally {
    ce.recorded.GetCostForecast = saved;
  }
});

test('a second window, or a restart, within the TTL makes zero requests (moto_server + recorded forecast)', async () => {
  await seedCostAndUsage(moto.endpoint, [answerCostAndUsage(headlineInput(), TODAY)]);
  const dir = mkdtempSync(join(tmpdir(), 'costs-it-'));
  const firstWindow = windowOn(dir);
  const first = await firstWindow.service.overview(SETTINGS);
  await firstWindow.ledger.flush();
  assert.equal(ce.count(), 2);

  let now = NOW + 2 * HOUR;
  const second = windowOn(dir, () => now);
  const again = await second.service.overview(SETTINGS);
  await second.service.group('SERVICE', SETTINGS);
  assert.equal(ce.count(), 2, 'second window: zero requests');
  assert.equal(again.monthToDate, first.monthToDate);

  now = NOW + 5 * HOUR;
  const restarted = windowOn(dir, () => now);
  await restarted.service.overview(SETTINGS);
  assert.equal(ce.count(), 2, 'restart within the TTL: zero requests');
  assert.equal((await restarted.store.today()), TODAY);
  const ledger = summarizeCe(await restarted.ledger.lines(), TODAY);
  assert.deepEqual([ledger.today, ledger.dollarsToday], [2, 0.02], 'the ledger is shared by every window');
});

test('pagination: GetCostAndUsage follows NextPageToken (moto_server serves the seeded pages in order)', async () => {
  const { grouping } = groupingFor('REGION');
  const input = costAndUsageInput(grouping, 'DAILY', runPeriod(['2024-02', '2024-03'], TODAY), 'all');
  const page1 = answerCostAndUsage(input, TODAY, 60);
  assert.ok(page1.NextPageToken, 'the fake pages at 60 groups');
  const page2 = answerCostAndUsage({ ...input, NextPageToken: page1.NextPageToken }, TODAY, 60);
  const rest: CostPage[] = [];
  for (let p = page2; p.NextPageToken;) rest.push((p = answerCostAndUsage({ ...input, NextPageToken: p.NextPageToken }, TODAY, 60)));
  const pages = [page1, page2, ...rest];
  await seedCostAndUsage(moto.endpoint, pages);
  const { service } = windowOn(mkdtempSync(join(tmpdir(), 'costs-it-')));
  const regions = await service.group('REGION', SETTINGS);
  assert.equal(ce.count('GetCostAndUsage'), pages.length);
  assert.equal(ce.requests[0].body.NextPageToken, undefined);
  assert.equal(ce.requests[1].body.NextPageToken, page1.NextPageToken);
  const whole = parsePages([answerCostAndUsage(input, TODAY)]);
  const expected = total(whole.rows, 'UnblendedCost', { start: '2024-03-01', end: '2024-03-16' });
  const shown = regions.entries.reduce((s, e) => s + e.amount, 0) + (regions.other?.amount ?? 0);
  assert.ok(Math.abs(shown - expected) < 0.01, `${shown} vs ${expected}: every page counted`);
});

test('anomalies with impact and root causes (recorded-response endpoint: moto lacks GetAnomalyMonitors and GetAnomalies)', async () => {
  const { store } = windowOn(mkdtempSync(join(tmpdir(), 'costs-it-')));
  const monitors = await store.anomalyMonitors();
  assert.equal(monitors.value.monitors[0].name, 'services');
  const a = await store.anomalies();
  assert.equal(a.value.anomalies.length, 1);
  assert.equal(a.value.anomalies[0].totalImpact, 131.4);
  assert.deepEqual(a.value.anomalies[0].rootCauses[0], { service: 'Amazon Elastic Compute Cloud - Compute', region: 'us-east-1', account: '111111111111', accountName: 'prod', usageType: 'USE1-BoxUsage:m5.large', contribution: 131.4 });
  const sent = ce.requests.find((r) => r.op === 'GetAnomalies')?.body as { DateInterval: unknown };
  assert.deepEqual(sent.DateInterval, { StartDate: '2024-02-14', EndDate: TODAY });
});

test('no monitor, no GetAnomalies (recorded-response endpoint: moto lacks GetAnomalyMonitors)', async () => {
  const saved = ce.recorded.GetAnomalyMonitors;
  ce.recorded.GetAnomalyMonitors = () => ({ AnomalyMonitors: [] });
  try {
    const { store } = windowOn(mkdtempSync(join(tmpdir(), 'costs-it-')));
    assert.deepEqual((await store.anomalyMonitors()).value.monitors, []);
    assert.equal(ce.count('GetAnomalies'), 0);
  } finally {
    ce.recorded.GetAnomalyMonitors = saved;
  }
});

test('moto_server without the recorded endpoint: GetCostForecast fails and the overview still shows actuals', async () => {
  await seedCostAndUsage(moto.endpoint, [answerCostAndUsage(headlineInput(), TODAY)]);
  const direct = new CostExplorerClient({ ...moto.clientConfig('us-east-1'), maxAttempts: 1 });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'costs-it-'));
    const store = new CostStore({
      cache: new DiskCache(join(dir, 'cache'), () => NOW), api: () => sdkCeApi(() => direct),
      scope: () => 'moto', ttlMs: () => 6 * HOUR, lockDir: join(dir, 'locks'), now: () => NOW,
    });
    const o = await new CostService(store).overview(SETTINGS);
    assert.ok(o.monthToDate > 100);
    assert.equal(o.forecast, undefined);
    assert.ok(o.forecastError, 'the failure is kept for the view to show');
  } finally {
    direct.destroy();
  }
});
