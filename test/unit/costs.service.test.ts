// What the view and the dashboard show, checked against totals computed independently from the fake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache } from '../../src/cache/diskCache';
import { formatLedger, summarizeCe } from '../../src/costs/ledger';
import type { LedgerLine } from '../../src/billing/ledger';
import { CostService, forecastFromToday, labelFor, type CostSettings } from '../../src/costs/service';
import { CostStore } from '../../src/costs/store';
import { answerCostAndUsage, ACCOUNTS, EC2, FakeCostExplorer } from '../helpers/costData';

const TODAY = '2024-03-15';
const SETTINGS: CostSettings = { metric: 'UnblendedCost', filter: 'all', topN: 3, tagKey: 'cost_center' };

function service(today = TODAY, scopeAccounts?: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'costs-'));
  const now = () => Date.parse(`${today}T10:00:00Z`);
  const fake = new FakeCostExplorer(() => today);
  const store = new CostStore({ cache: new DiskCache(join(dir, 'c'), now), api: () => fake, scope: () => 's', ttlMs: () => 3_600_000, lockDir: join(dir, 'locks'), now });
  return { svc: new CostService(store, scopeAccounts), fake };
}

/** Total of a period straight from the fake, without GroupBy. */
function direct(start: string, end: string, metric = 'UnblendedCost', filter?: boolean): number {
  const page = answerCostAndUsage({ TimePeriod: { Start: start, End: end }, Granularity: 'DAILY', Metrics: [metric], ...(filter ? { Filter: { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } } } : {}) }, TODAY);
  return (page.ResultsByTime ?? []).reduce((s, r) => s + Number(r.Total?.[metric]?.Amount ?? 0), 0);
}

test('overview: month to date, same point last month, last month and the forecast add up', async () => {
  const { svc } = service();
  const o = await svc.overview(SETTINGS);
  assert.ok(Math.abs(o.monthToDate - direct('2024-03-01', '2024-03-16')) < 0.01);
  assert.ok(Math.abs(o.samePointLastMonth - direct('2024-02-01', '2024-02-16')) < 0.01);
  assert.ok(Math.abs(o.lastMonth.total - direct('2024-02-01', '2024-03-01')) < 0.01);
  assert.equal(o.lastMonth.month, '2024-02');
  assert.ok(Math.abs(o.change.delta - (o.monthToDate - o.samePointLastMonth)) < 0.01);
  assert.equal(o.estimated, true);
  // Month end = spent before today + forecast for today..31 March (17 days of the last week's average).
  assert.ok(o.forecast);
  const before = direct('2024-03-01', '2024-03-15');
  assert.ok(o.forecast.monthEnd > before);
  assert.ok(o.forecast.lower! < o.forecast.monthEnd && o.forecast.monthEnd < o.forecast.upper!);
});

test('groups: top N + Other sum to the month to date; daily series cover the month so far', async () => {
  const { svc } = service();
  const g = await svc.group('SERVICE', SETTINGS);
  assert.equal(g.entries.length, 3);
  assert.equal(g.entries[0].key, EC2);
  assert.ok(g.other && g.other.count === g.count - 3);
  const sum = g.entries.reduce((s, e) => s + e.amount, 0) + (g.other?.amount ?? 0);
  assert.ok(Math.abs(sum - direct('2024-03-01', '2024-03-16')) < 0.01);
  assert.equal(g.days.length, 15);
  assert.equal(g.entries[0].daily.length, 15);
  assert.ok(Math.abs(g.entries[0].daily.reduce((a, b) => a + b, 0) - g.entries[0].amount) < 0.01);
  for (const e of g.entries) assert.ok(Math.abs(e.change.delta - (e.amount - e.previous)) < 0.01);

  const accounts = await svc.group('LINKED_ACCOUNT', SETTINGS);
  assert.deepEqual(accounts.entries.map((e) => e.label), [`prod (${ACCOUNTS[0].id})`, `dev (${ACCOUNTS[1].id})`]);
  const tags = await svc.group('TAG', SETTINGS);
  assert.deepEqual(tags.entries.map((e) => e.label).sort(), ['(untagged)', 'team-a', 'team-b']);
});

test('excluding credits, refunds and tax changes the figures, through a filtered request', async () => {
  const { svc, fake } = service('2024-03-02');
  const all = await svc.overview(SETTINGS);
  const net = await svc.overview({ ...SETTINGS, filter: 'noCreditsRefundsTax' });
  // 1 March carries a -25 credit and 12 of tax.
  assert.ok(Math.abs(net.monthToDate - all.monthToDate - 13) < 0.01);
  const filtered = fake.calls.filter((c) => c.op === 'GetCostAndUsage').map((c) => (c.input as { Filter?: unknown }).Filter);
  assert.deepEqual(filtered, [undefined, { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } }]);
});

test('dashboard: stacked series sum to the daily totals; movers sorted by size of change', async () => {
  const { svc } = service();
  const d = await svc.dashboard({ rangeDays: 30, granularity: 'DAILY', dimension: 'SERVICE', metric: 'UnblendedCost', excludeCreditsRefundsTax: false }, '', 4);
  assert.equal(d.stacked.x[0], '2024-02-15');
  assert.equal(d.stacked.x.at(-1), TODAY);
  const day0 = d.stacked.series.reduce((s, x) => s + x.values[0], 0);
  assert.ok(Math.abs(day0 - direct('2024-02-15', '2024-02-16')) < 0.01);
  assert.equal(d.stacked.series.at(-1)?.key, 'other');
  assert.deepEqual(d.monthly.months.slice(-2), ['2024-02', '2024-03']);
  assert.equal(d.forecast.days.length, 31);
  assert.equal(d.forecast.actual[16], null, '17 March is in the future');
  assert.ok(d.forecast.mean[14] !== null && d.forecast.mean[13] === null, 'the forecast starts today');
  for (let i = 1; i < d.movers.length; i++) assert.ok(Math.abs(d.movers[i - 1].delta) >= Math.abs(d.movers[i].delta));
  // The 12-month chart: months the daily data holds are summed from it, older ones come from the monthly request.
  const monthSum = (m: string) => d.monthly.series.reduce((s, x) => s + x.values[d.monthly.months.indexOf(m)], 0);
  assert.ok(Math.abs(monthSum('2024-02') - direct('2024-02-01', '2024-03-01')) < 0.02, 'February, from daily data');
  assert.ok(Math.abs(monthSum('2023-06') - direct('2023-06-01', '2023-07-01')) < 0.02, 'June 2023, from the monthly request');
  assert.ok(Math.abs(monthSum('2024-03') - d.monthToDate) < 0.02, 'this month so far');
  const monthly = await svc.dashboard({ ...d.params, granularity: 'MONTHLY' }, '', 4);
  assert.deepEqual(monthly.stacked.x, ['2024-02-01', '2024-03-01']);
});

test('a forecast fetched yesterday still serves from today on', () => {
  const entry = { fetchedOn: '2024-03-14', unit: 'USD', days: [{ day: '2024-03-14', mean: 10, lower: 8, upper: 12 }, { day: '2024-03-15', mean: 11, lower: 9, upper: 13 }, { day: '2024-03-16', mean: 12 }] };
  assert.deepEqual(forecastFromToday(entry, '2024-03-15'), { mean: 23, lower: undefined, upper: undefined });
  assert.equal(forecastFromToday(entry, '2024-04-01'), undefined);
});

test('labels: account names, untagged costs, no region', () => {
  assert.equal(labelFor('LINKED_ACCOUNT', '111', { 111: 'prod' }), 'prod (111)');
  assert.equal(labelFor('LINKED_ACCOUNT', '333', {}), '333');
  assert.equal(labelFor('TAG', 'cost_center$', {}), '(untagged)');
  assert.equal(labelFor('TAG', 'cost_center$team-a', {}), 'team-a');
  assert.equal(labelFor('REGION', '', {}), '(no region)');
});

test('the CE request ledger is a view of the billing ledger: its Cost Explorer lines per UTC day and month, other services left out', () => {
  const line = (at: string, service: string, op: string, n: number, usd: number, failed = 0): LedgerLine => ({ at, feature: 'costs', profile: 'p|x', account: '1', region: 'us-east-1', service, op, n, failed, q: n, unit: 'request', usd, priced: true });
  const lines = [
    line('2024-02-29T23:59:59Z', 'ce', 'GetCostAndUsage', 1, 0.01),
    line('2024-03-01T00:00:00Z', 'ce', 'GetCostAndUsage', 1, 0.01),
    line('2024-03-15T01:00:00Z', 'ce', 'GetCostAndUsage', 3, 0.03, 1),
    line('2024-03-15T23:00:00Z', 'ce', 'GetCostForecast', 1, 0.01),
    line('2024-03-15T23:00:00Z', 's3', 'ListBuckets', 40, 0.0002),
  ];
  const s = summarizeCe(lines, '2024-03-15');
  assert.deepEqual(s, { today: 4, month: 5, total: 6, dollarsToday: 0.04, dollarsMonth: 0.05 });
  const doc = formatLedger(lines, '2024-03-15');
  assert.match(doc, /^# Cost Explorer request ledger/);
  assert.match(doc, /- Today \(2024-03-15\): 4 requests, \$0\.04/);
  assert.match(doc, /\| 2024-03-15 01:00:00 \| GetCostAndUsage \| 3 \(1 failed\) \| \$0\.03 \| p\\\|x \| 1 \|/, 'a | in a profile stays in its cell');
  assert.doesNotMatch(doc, /ListBuckets/);
  assert.match(formatLedger([], '2024-03-15'), /No request yet\./);
});

test('the dashboard of a scope served by its payer: the payer\'s anomalies whose root causes name only accounts outside the scope are left off the chart', async () => {
  const params = { rangeDays: 30 as const, granularity: 'DAILY' as const, dimension: 'SERVICE' as const, metric: 'UnblendedCost' as const, excludeCreditsRefundsTax: false };
  // The fake's anomaly: the EC2 spike of prod (111111111111).
  const withProd = await service(TODAY, [ACCOUNTS[0].id, ACCOUNTS[1].id]).svc.dashboard(params, '', 6);
  assert.equal(withProd.anomalies.length, 1);
  const devOnly = await service(TODAY, [ACCOUNTS[1].id]).svc.dashboard(params, '', 6);
  assert.equal(devOnly.anomalies.length, 0, 'prod is not in this scope');
  const oneProfile = await service(TODAY).svc.dashboard(params, '', 6);
  assert.equal(oneProfile.anomalies.length, 1, 'one profile: as before');
});
