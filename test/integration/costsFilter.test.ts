// The dashboard's custom range and filter against the Cost Explorer stand-in (test/helpers/ceEndpoint.ts in
// front of moto_server, answering GetCostAndUsage, GetCostForecast and the anomalies from one set of line
// items, test/helpers/costData.ts: moto's own GetCostAndUsage ignores TimePeriod and Filter and hands out
// seeded results in first-asked order). Through the real SDK client, so every request is serialized and held
// to botocore's model by the stand-in. Checked: the request shapes (Filter, TimePeriod), the figures, the
// cache (filter and range in the key), and that the price shown before a switch is what the switch costs.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { DiskCache } from '../../src/cache/diskCache';
import { sdkCeApi } from '../../src/costs/api';
import { chartCsv } from '../../src/costs/csvExport';
import { addDays } from '../../src/costs/dates';
import { summarizeCe } from '../../src/costs/ledger';
import { BillingLedger } from '../../src/billing/ledger';
import { addLedger } from '../../src/billing/middleware';
import { parsePages, total, totalsBy, type CostPage } from '../../src/costs/math';
import type { CostFilter } from '../../src/costs/plan';
import { CostService, type DashboardParams } from '../../src/costs/service';
import { CostStore } from '../../src/costs/store';
import { parseCsv } from '../../src/webview/results/csv';
import { ACCOUNTS, costExplorerAnswers, EC2, TAG_KEY } from '../helpers/costData';
import { startCeEndpoint, type CeEndpoint } from '../helpers/ceEndpoint';
import { startMoto, type Moto } from '../helpers/moto';

const TODAY = '2024-03-15';
const NOW = Date.parse(`${TODAY}T10:00:00Z`);
const HOUR = 3_600_000;
const BASE: DashboardParams = { rangeDays: 30, granularity: 'DAILY', dimension: 'SERVICE', metric: 'UnblendedCost', excludeCreditsRefundsTax: true };
const ONLY_EC2: CostFilter = { dimension: 'SERVICE', value: EC2 };

describe('dashboard range and filter (Cost Explorer stand-in computing from line items in front of moto_server: moto ignores TimePeriod and Filter)', () => {
  let moto: Moto;
  let ce: CeEndpoint;
  let client: CostExplorerClient;

  before(async () => {
    moto = await startMoto();
    ce = await startCeEndpoint(moto.endpoint, costExplorerAnswers(() => TODAY));
    client = new CostExplorerClient({ ...moto.clientConfig('us-east-1'), endpoint: ce.url });
  });
  after(async () => {
    client?.destroy();
    await ce?.close();
    await moto?.stop();
  });
  beforeEach(() => { ce.requests.length = 0; });

  function window() {
    const dir = mkdtempSync(join(tmpdir(), 'costs-filter-'));
    // The window's own client, recording into the billing ledger as the extension's clients do.
    const ledger = new BillingLedger(join(dir, 'billing.jsonl'), () => NOW);
    const windowClient = new CostExplorerClient({ ...moto.clientConfig('us-east-1'), endpoint: ce.url });
    addLedger(windowClient as unknown as Parameters<typeof addLedger>[0], { feature: 'costs', profile: 'sandbox', region: 'us-east-1', account: () => '' }, { ledger });
    const store = new CostStore({ cache: new DiskCache(join(dir, 'cache'), () => NOW), api: () => sdkCeApi(() => windowClient), scope: () => `sandbox|${ce.url}`, ttlMs: () => 6 * HOUR, lockDir: join(dir, 'locks'), now: () => NOW });
    return { store, ledger, service: new CostService(store) };
  }
  const ask = async (input: GetCostAndUsageCommandInput) => parsePages([(await client.send(new GetCostAndUsageCommand(input))) as CostPage]).rows;
  const month = { Start: '2024-03-01', End: '2024-03-16' };
  const daily = { TimePeriod: month, Granularity: 'DAILY' as const, Metrics: ['UnblendedCost'] };

  test('the stand-in filters as Cost Explorer does: Dimensions SERVICE, LINKED_ACCOUNT, REGION; Tags by value, a Key without Values is "untagged"; And and Not', async () => {
    const byService = totalsBy(await ask({ ...daily, GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] }), 0, 'UnblendedCost');
    const byAccount = totalsBy(await ask({ ...daily, GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }] }), 0, 'UnblendedCost');
    const byRegion = totalsBy(await ask({ ...daily, GroupBy: [{ Type: 'DIMENSION', Key: 'REGION' }] }), 0, 'UnblendedCost');
    const byTag = totalsBy(await ask({ ...daily, GroupBy: [{ Type: 'TAG', Key: TAG_KEY }] }), 0, 'UnblendedCost');
    const sum = async (Filter: GetCostAndUsageCommandInput['Filter']) => total(await ask({ ...daily, Filter }), 'UnblendedCost');
    assert.equal(await sum({ Dimensions: { Key: 'SERVICE', Values: [EC2] } }), byService.get(EC2));
    assert.equal(await sum({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNTS[1].id] } }), byAccount.get(ACCOUNTS[1].id));
    assert.equal(await sum({ Dimensions: { Key: 'REGION', Values: ['eu-west-1'] } }), byRegion.get('eu-west-1'));
    assert.equal(await sum({ Tags: { Key: TAG_KEY, Values: ['team-b'] } }), byTag.get(`${TAG_KEY}$team-b`));
    assert.equal(await sum({ Tags: { Key: TAG_KEY } }), byTag.get(`${TAG_KEY}$`), 'a tag Key without Values: costs without that tag');
    const all = await sum(undefined);
    const notEc2 = await sum({ Not: { Dimensions: { Key: 'SERVICE', Values: [EC2] } } });
    assert.ok(Math.abs(all - notEc2 - byService.get(EC2)!) < 0.001, 'Not: everything else');
    const both = await sum({ And: [{ Dimensions: { Key: 'SERVICE', Values: [EC2] } }, { Dimensions: { Key: 'REGION', Values: ['eu-west-1'] } }] });
    assert.ok(both > 0 && both < byService.get(EC2)!, `And: EC2 in eu-west-1 only (${both})`);
  });

  test('the stand-in refuses what Cost Explorer refuses: two operators in one Expression, Start not before End, a Start older than 13 months (ValidationException)', async () => {
    const refused = async (input: GetCostAndUsageCommandInput, why: RegExp) => {
      await assert.rejects(client.send(new GetCostAndUsageCommand(input)), (err: Error) => err.name === 'ValidationException' && why.test(err.message));
    };
    await refused({ ...daily, Filter: { Dimensions: { Key: 'SERVICE', Values: [EC2] }, Tags: { Key: TAG_KEY, Values: ['team-a'] } } }, /exactly one/);
    await refused({ ...daily, TimePeriod: { Start: '2024-03-10', End: '2024-03-10' } }, /before end date/);
    await refused({ ...daily, TimePeriod: { Start: '2023-01-31', End: '2023-02-02' } }, /13 months/);
  });

  test('a custom range and a service filter: every request carries the filter (And with the credits/refunds/tax exclusion), the chart covers exactly the range, and its figures are the filtered ones', async () => {
    const { service, ledger } = window();
    const params: DashboardParams = { ...BASE, custom: { start: '2024-02-10', end: '2024-03-05' }, filter: ONLY_EC2, dimension: 'REGION' };
    const d = await service.dashboard(params, TAG_KEY, 6);
    const made = ce.count();
    // Every request is in the billing ledger, a cent each: what the Costs view's title counts.
    const spent = summarizeCe(await ledger.lines(), TODAY);
    assert.deepEqual([spent.today, spent.dollarsToday], [made, made / 100], 'every request is in the ledger');
    const expected: NonNullable<GetCostAndUsageCommandInput['Filter']> = { And: [{ Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } }, { Dimensions: { Key: 'SERVICE', Values: [EC2] } }] };
    const costs = ce.requests.filter((r) => r.op === 'GetCostAndUsage' || r.op === 'GetCostForecast');
    assert.ok(costs.length >= 2);
    for (const r of costs) assert.deepEqual(r.body.Filter, expected, `${r.op} ${JSON.stringify(r.body.TimePeriod)} is filtered`);
    assert.deepEqual(d.range, { start: '2024-02-10', end: '2024-03-05' });
    assert.equal(d.stacked.x[0], '2024-02-10');
    assert.equal(d.stacked.x.at(-1), '2024-03-05');
    assert.equal(d.stacked.x.length, 25);
    // Only EC2: its regions, summed, are EC2's cost over the range (asked independently).
    const shown = d.stacked.series.reduce((s, x) => s + x.values.reduce((a, b) => a + b, 0), 0);
    const ec2 = total(await ask({ TimePeriod: { Start: '2024-02-10', End: '2024-03-06' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'], Filter: expected }), 'UnblendedCost');
    assert.ok(Math.abs(shown - ec2) < 0.01, `chart ${shown} vs EC2 ${ec2}`);
    assert.deepEqual(d.stacked.series.map((s) => s.label).sort(), ['eu-west-1', 'us-east-1']);
    // The one anomaly (the EC2 spike, Mar 9 to 11) lies after this range: nothing to mark.
    assert.deepEqual(d.anomalies, []);
    const last30 = await service.dashboard({ ...params, custom: undefined }, TAG_KEY, 6);
    assert.deepEqual(last30.anomalies.map((a) => [a.start, a.end, a.dimension, a.impact]), [['2024-03-09', '2024-03-11', EC2, 131.4]], 'on the last 30 days it is marked, with its impact');
  });

  test('filter and range are part of the cache key: the same view again costs nothing; another filter is requested; a range inside cached months costs nothing; the price shown first is what each switch costs', async () => {
    const { service, store } = window();
    const priced = (p: DashboardParams) => store.estimate((dry) => new CostService(dry).dashboard(p, TAG_KEY, 6));
    const load = async (p: DashboardParams) => {
      const before = ce.count();
      const estimate = await priced(p);
      assert.equal(ce.count(), before, 'pricing makes no request');
      await service.dashboard(p, TAG_KEY, 6);
      return { estimate, made: ce.count() - before };
    };
    const first = await load({ ...BASE, filter: ONLY_EC2 });
    assert.ok(first.made >= 3, `cold: daily months, older months, forecast, monitors, anomalies (${first.made})`);
    assert.equal(first.estimate, first.made, 'cold: the price shown is what the load cost');

    const again = await load({ ...BASE, filter: ONLY_EC2 });
    assert.deepEqual(again, { estimate: 0, made: 0 }, 'the same filter again: cached');

    const other = await load({ ...BASE, filter: { dimension: 'LINKED_ACCOUNT', value: ACCOUNTS[1].id } });
    assert.ok(other.made >= 2, `another filter has its own cache entries (${other.made})`);
    assert.equal(other.estimate, other.made);
    const other2 = ce.requests.slice(-other.made).filter((r) => r.op === 'GetCostAndUsage');
    for (const r of other2) assert.deepEqual((r.body.Filter as { And: unknown[] }).And[1], { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNTS[1].id] } });

    const inside = await load({ ...BASE, filter: ONLY_EC2, custom: { start: '2024-02-20', end: addDays(TODAY, -1) } });
    assert.deepEqual(inside, { estimate: 0, made: 0 }, 'a custom range inside months already held: cached');

    const unfiltered = await load({ ...BASE });
    assert.ok(unfiltered.made >= 2, 'no filter is another key again');
    assert.equal(unfiltered.estimate, unfiltered.made);
  });

  test('CSV of what the chart shows: a row per day of the range, a column per series, the total; figures as plain numbers', async () => {
    const { service } = window();
    const d = await service.dashboard({ ...BASE, custom: { start: '2024-03-01', end: '2024-03-10' }, dimension: 'LINKED_ACCOUNT' }, TAG_KEY, 6);
    const rows = parseCsv(chartCsv(d, TAG_KEY));
    assert.match(String(rows[0][0]), /^2024-03-01 to 2024-03-10 \(UTC\), UnblendedCost in USD, by account/);
    assert.deepEqual(rows[1], ['Date', ...d.stacked.series.map((s) => s.label), 'Total']);
    assert.deepEqual(rows.slice(2).map((r) => r[0]), d.stacked.x);
    for (const [i, r] of rows.slice(2).entries()) {
      const values = r.slice(1, -1).map(Number);
      assert.deepEqual(values, d.stacked.series.map((s) => s.values[i]));
      assert.ok(Math.abs(Number(r.at(-1)) - values.reduce((a, b) => a + b, 0)) < 0.0002);
    }
  });
});
