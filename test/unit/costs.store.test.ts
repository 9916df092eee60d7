// The cost store's request discipline, driven by a counting fake Cost Explorer (test/helpers/costData.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache } from '../../src/cache/diskCache';
import { HEADLINE_GROUPING, contiguousRuns, isFinal, monthsToFetch, overviewMonths, runPeriod } from '../../src/costs/plan';
import { CostService, type CostSettings } from '../../src/costs/service';
import type { CeApi } from '../../src/costs/api';
import { utcToday } from '../../src/costs/dates';
import { ConnectionChangedError, CostStore, NotCachedError, type StoreDeps } from '../../src/costs/store';
import { FakeCostExplorer } from '../helpers/costData';

const HOUR = 3_600_000;
const SETTINGS: CostSettings = { metric: 'UnblendedCost', filter: 'all', topN: 5, tagKey: 'cost_center' };

function world(start = Date.UTC(2024, 2, 15, 9)) {
  const dir = mkdtempSync(join(tmpdir(), 'costs-'));
  const clock = { now: start };
  const fake = new FakeCostExplorer(() => new Date(clock.now).toISOString().slice(0, 10));
  let consent = true;
  /**
   * A store as one VS Code window would build it; call again for a second window on the same disk. `over` replaces
   * its client or its scope (a connection the test changes).
   */
  const window = (over: Partial<Pick<StoreDeps, 'api' | 'scope'>> = {}) => {
    const store = new CostStore({
      cache: new DiskCache(join(dir, 'cache'), () => clock.now),
      api: () => fake,
      scope: () => 'sandbox|http://127.0.0.1:5000',
      ttlMs: () => 6 * HOUR,
      lockDir: join(dir, 'locks'),
      now: () => clock.now,
      beforeRequest: () => { if (!consent) throw new Error('consent required'); },
      ...over,
    });
    return { store, service: new CostService(store) };
  };
  return { dir, clock, fake, window, setConsent: (v: boolean) => { consent = v; } };
}

test('plan: contiguous runs, run periods never past tomorrow, final months', () => {
  assert.deepEqual(contiguousRuns(['2024-03', '2023-12', '2024-01', '2024-05']), [['2023-12', '2024-01'], ['2024-03'], ['2024-05']]);
  assert.deepEqual(runPeriod(['2024-02', '2024-03'], '2024-03-15'), { start: '2024-02-01', end: '2024-03-16' });
  assert.deepEqual(runPeriod(['2024-01'], '2024-03-15'), { start: '2024-01-01', end: '2024-02-01' });
  assert.equal(isFinal('2024-02', '2024-03-05', []), true);
  assert.equal(isFinal('2024-02', '2024-03-02', ['2024-02-28']), false, 'still estimated');
  assert.equal(isFinal('2024-03', '2024-03-31', []), false, 'not ended');
  const states = [
    { month: '2024-01', cached: true, final: true, fresh: false },
    { month: '2024-02', cached: true, final: false, fresh: true },
    { month: '2024-03', cached: false, final: false, fresh: false },
  ];
  assert.deepEqual(monthsToFetch(states, 'auto'), ['2024-03']);
  assert.deepEqual(monthsToFetch(states, 'force'), ['2024-02', '2024-03']);
  assert.deepEqual(monthsToFetch(states, 'cacheOnly'), []);
  assert.deepEqual(overviewMonths('2024-03-15'), ['2023-12', '2024-01', '2024-02', '2024-03']);
});

test('a cold overview makes one GetCostAndUsage and one GetCostForecast; the same window again makes none', async () => {
  const w = world();
  const { service } = w.window();
  const o = await service.overview(SETTINGS);
  assert.equal(w.fake.count('GetCostAndUsage'), 1);
  assert.equal(w.fake.count('GetCostForecast'), 1);
  assert.deepEqual((w.fake.calls[0].input as { TimePeriod: unknown }).TimePeriod, { Start: '2023-12-01', End: '2024-03-16' });
  assert.ok(o.monthToDate > 0 && o.forecast && o.forecast.monthEnd > o.monthToDate);
  await service.overview(SETTINGS);
  await service.group('SERVICE', SETTINGS);
  await service.group('LINKED_ACCOUNT', SETTINGS);
  assert.equal(w.fake.count(), 2, 'service and account groups come from the same request');
});

test('a second window, or a restart, within the TTL makes zero requests (counting fake Cost Explorer)', async () => {
  const w = world();
  await w.window().service.overview(SETTINGS);
  const before = w.fake.count();
  w.clock.now += 5 * HOUR;
  const second = w.window();
  const o = await second.service.overview(SETTINGS);
  assert.equal(w.fake.count(), before);
  assert.ok(o.monthToDate > 0);
});

test('after the TTL only the open month is requested again; final months never are', async () => {
  const w = world(Date.UTC(2024, 2, 15, 9));
  const { service } = w.window();
  await service.overview(SETTINGS);
  w.clock.now += 6 * HOUR + 1;
  await service.overview(SETTINGS);
  const refresh = w.fake.calls.filter((c) => c.op === 'GetCostAndUsage');
  assert.equal(refresh.length, 2);
  assert.deepEqual((refresh[1].input as { TimePeriod: unknown }).TimePeriod, { Start: '2024-03-01', End: '2024-03-16' });

  // 5 April: Dec..Feb were final when fetched; March was open, so March and April are fetched, together.
  w.clock.now = Date.UTC(2024, 3, 5, 9);
  await service.overview(SETTINGS);
  const april = w.fake.calls.filter((c) => c.op === 'GetCostAndUsage');
  assert.equal(april.length, 3);
  assert.deepEqual((april[2].input as { TimePeriod: unknown }).TimePeriod, { Start: '2024-03-01', End: '2024-04-06' });
  // 6 May: April's data was fetched while still estimated, March was final when fetched on 5 April.
  w.clock.now = Date.UTC(2024, 4, 6, 9);
  await service.overview(SETTINGS);
  const may = w.fake.calls.filter((c) => c.op === 'GetCostAndUsage');
  assert.deepEqual((may[3].input as { TimePeriod: unknown }).TimePeriod, { Start: '2024-04-01', End: '2024-05-07' });
  for (const c of may) assert.ok((c.input as { TimePeriod: { Start: string } }).TimePeriod.Start >= '2023-12-01');
  const starts = may.map((c) => (c.input as { TimePeriod: { Start: string } }).TimePeriod.Start);
  assert.equal(starts.filter((s) => s <= '2024-02-01').length, 1, 'December to February were requested once, ever');
});

test('a manual refresh re-requests open data only', async () => {
  const w = world();
  const { service } = w.window();
  await service.overview(SETTINGS);
  await service.overview(SETTINGS, 'force');
  const cau = w.fake.calls.filter((c) => c.op === 'GetCostAndUsage');
  assert.equal(cau.length, 2);
  assert.deepEqual((cau[1].input as { TimePeriod: unknown }).TimePeriod, { Start: '2024-03-01', End: '2024-03-16' }, 'February closed and final: not re-requested');
  assert.equal(w.fake.count('GetCostForecast'), 2);
  await service.group('SERVICE', SETTINGS);
  await service.overview(SETTINGS);
  assert.equal(w.fake.count(), 4, 'after the refresh, the same data serves every node');
});

test('the dashboard reuses the headline data and asks once, monthly, for the older of its 12 months', async () => {
  const w = world();
  const { service } = w.window();
  await service.overview(SETTINGS);
  const d = await service.dashboard({ rangeDays: 90, granularity: 'DAILY', dimension: 'SERVICE', metric: 'UnblendedCost', excludeCreditsRefundsTax: false }, '', 5);
  assert.equal(w.fake.count('GetCostAndUsage'), 2);
  const monthly = w.fake.calls.filter((c) => c.op === 'GetCostAndUsage')[1].input as { Granularity: string; TimePeriod: unknown };
  assert.equal(monthly.Granularity, 'MONTHLY');
  assert.deepEqual(monthly.TimePeriod, { Start: '2023-03-01', End: '2023-12-01' }, 'December to March come from the daily data');
  assert.equal(d.stacked.x.length, 90);
  assert.equal(d.monthly.months.length, 13);
  // Metric and granularity are free: all metrics come in every request, monthly is summed from daily.
  await service.dashboard({ rangeDays: 30, granularity: 'MONTHLY', dimension: 'LINKED_ACCOUNT', metric: 'AmortizedCost', excludeCreditsRefundsTax: false }, '', 5);
  assert.equal(w.fake.count('GetCostAndUsage'), 2);
  assert.equal(w.fake.count('GetCostForecast'), 2, 'one forecast per metric');
  // Next month, December (final, held daily) leaves the daily window: it is summed from that data, not asked for.
  w.clock.now = Date.UTC(2024, 3, 10, 9);
  const before = w.fake.calls.length;
  const april = await service.dashboard({ rangeDays: 90, granularity: 'DAILY', dimension: 'SERVICE', metric: 'UnblendedCost', excludeCreditsRefundsTax: false }, '', 5);
  const aprilCau = w.fake.calls.slice(before).filter((c) => c.op === 'GetCostAndUsage').map((c) => c.input as { Granularity: string; TimePeriod: { Start: string } });
  assert.deepEqual(aprilCau.map((c) => [c.Granularity, c.TimePeriod.Start]), [['DAILY', '2024-03-01']], 'only March (estimated when fetched) and April');
  assert.ok(april.monthly.series.reduce((s, x) => s + x.values[april.monthly.months.indexOf('2023-12')], 0) > 1000);
});

test('concurrent refreshes share one request, within a window and across two windows', async () => {
  const w = world();
  const a = w.window();
  const b = w.window();
  await Promise.all([a.service.overview(SETTINGS), a.service.group('SERVICE', SETTINGS), b.service.overview(SETTINGS), b.service.group('LINKED_ACCOUNT', SETTINGS)]);
  assert.equal(w.fake.count('GetCostAndUsage'), 1);
  assert.equal(w.fake.count('GetCostForecast'), 1);
});

test('pagination: every NextPageToken is followed, and the sums match an unpaged answer', async () => {
  const paged = world();
  paged.fake.pageSize = 100;
  const p = await paged.window().service.group('SERVICE', SETTINGS);
  const pages = paged.fake.calls.filter((c) => c.op === 'GetCostAndUsage');
  assert.ok(pages.length > 3, `expected several pages, got ${pages.length}`);
  assert.equal((pages[0].input as { NextPageToken?: string }).NextPageToken, undefined);
  assert.equal((pages[1].input as { NextPageToken?: string }).NextPageToken, '100');
  const whole = await world().window().service.group('SERVICE', SETTINGS);
  assert.deepEqual(p.entries.map((e) => [e.key, e.amount]), whole.entries.map((e) => [e.key, e.amount]));
});

test('offline: the cached data stays, with its age and the error; nothing cached is an error', async () => {
  const w = world();
  const { service } = w.window();
  await service.overview(SETTINGS);
  const fetchedAt = w.clock.now;
  w.clock.now += 8 * HOUR;
  w.fake.offline = true;
  const o = await service.overview(SETTINGS);
  assert.equal(o.fetchedAt, fetchedAt);
  assert.match(String(o.error), /ENOTFOUND/);
  assert.ok(o.monthToDate > 0);
  await assert.rejects(service.group('REGION', SETTINGS), /ENOTFOUND/);
});

test('no request without consent, and cacheOnly never fetches', async () => {
  const w = world();
  w.setConsent(false);
  const { service } = w.window();
  await assert.rejects(service.overview(SETTINGS), /consent required/);
  assert.equal(w.fake.count(), 0);
  await assert.rejects(service.overview(SETTINGS, 'cacheOnly'), NotCachedError);
  w.setConsent(true);
  await service.overview(SETTINGS);
  w.clock.now += 7 * HOUR;
  const before = w.fake.count();
  const o = await service.overview(SETTINGS, 'cacheOnly');
  assert.equal(w.fake.count(), before);
  assert.ok(o.monthToDate > 0, 'expired data is still shown when automatic refresh is off');
});

test('anomalies are asked for only when a monitor exists, monitors once a day', async () => {
  const w = world();
  const { store } = w.window();
  const monitors = await store.anomalyMonitors();
  assert.equal(monitors.value.monitors.length, 1);
  const a = await store.anomalies();
  assert.equal(a.value.anomalies[0].rootCauses[0].accountName, 'prod');
  w.clock.now += 7 * HOUR;
  await store.anomalyMonitors();
  await store.anomalies();
  assert.equal(w.fake.count('GetAnomalyMonitors'), 1);
  assert.equal(w.fake.count('GetAnomalies'), 2);
});

test('the headline grouping is fetched with both dimensions in one request', () => {
  assert.deepEqual(HEADLINE_GROUPING.groupBy.map((g) => g.Key), ['SERVICE', 'LINKED_ACCOUNT']);
});

test('a connection change while the client is made (its module loading) sends nothing; the next load asks for the new connection (counting fake Cost Explorer)', async () => {
  const w = world();
  let made!: () => void;
  const gate = new Promise<void>((r) => (made = r));
  let asked = false;
  const state = { scope: 'sandbox|http://127.0.0.1:5000' };
  // As the Costs feature's api(): the first client waits for its module to load.
  const { service } = w.window({ api: async () => { asked = true; await gate; return w.fake; }, scope: () => state.scope });
  const loading = service.overview(SETTINGS);
  while (!asked) await new Promise((r) => setImmediate(r));
  state.scope = 'production|';
  made();
  await assert.rejects(loading, (err: Error) => err instanceof ConnectionChangedError && /changed before Cost Explorer GetCostAndUsage was sent: nothing was sent/.test(err.message));
  assert.equal(w.fake.count(), 0, 'no request');
  const o = await service.overview(SETTINGS);
  assert.ok(o.monthToDate > 0);
  assert.equal(w.fake.count(), 2, 'GetCostAndUsage and GetCostForecast, for the new connection');
});

test('an answer that arrives after the connection changed is stored under the connection it was asked of, never the new one (counting fake Cost Explorer)', async () => {
  const w = world();
  const state = { scope: 'sandbox|http://127.0.0.1:5000' };
  const api: CeApi = {
    getCostAndUsage: async (input) => {
      state.scope = 'production|';
      return w.fake.getCostAndUsage(input);
    },
    getCostForecast: (input) => w.fake.getCostForecast(input),
    getAnomalyMonitors: (input) => w.fake.getAnomalyMonitors(input),
    getAnomalies: (input) => w.fake.getAnomalies(input),
  };
  const { service } = w.window({ api: () => api, scope: () => state.scope });
  const months = overviewMonths(utcToday(w.clock.now));
  await service.overview(SETTINGS).catch(() => undefined);
  assert.equal(w.fake.count('GetCostAndUsage'), 1);
  // The new connection has nothing cached; the old one has the answer.
  await assert.rejects(service.overview(SETTINGS, 'cacheOnly'), NotCachedError);
  state.scope = 'sandbox|http://127.0.0.1:5000';
  const cached = await service.overview(SETTINGS, 'cacheOnly');
  assert.ok(cached.monthToDate > 0, `the sandbox's months ${months.join(', ')} are cached`);
});
