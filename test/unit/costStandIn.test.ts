// The Cost Explorer stand-in (test/helpers/costData.ts) that the sandbox, the integration and the UI tests
// use: it must honour what a request asks, as Cost Explorer does, or every test on it proves less.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsErrorAnswer } from '../helpers/ceEndpoint';
import { answerCostAndUsage, answerForecast, FakeCostExplorer } from '../helpers/costData';

const TODAY = '2026-12-03'; // the 1st (credits and tax are booked on it) is inside the forecast's last week

test('the forecast stand-in honours the request\'s Filter: leaving out credits and tax changes it by exactly their share', () => {
  const noCreditsTax = { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Tax'] } } };
  const period = { Start: TODAY, End: '2026-12-31' };
  const all = answerForecast({ TimePeriod: period, Metric: 'UNBLENDED_COST' }, TODAY);
  const filtered = answerForecast({ TimePeriod: period, Metric: 'UNBLENDED_COST', Filter: noCreditsTax }, TODAY);
  const creditsAndTax = answerCostAndUsage({ TimePeriod: { Start: '2026-11-26', End: TODAY }, Granularity: 'DAILY', GroupBy: [{ Type: 'DIMENSION', Key: 'RECORD_TYPE' }], Metrics: ['UnblendedCost'] }, TODAY)
    .ResultsByTime!.flatMap((r) => r.Groups ?? []).filter((g) => g.Keys?.[0] !== 'Usage').reduce((s, g) => s + Number(g.Metrics!.UnblendedCost.Amount), 0);
  assert.ok(creditsAndTax !== 0, 'the week holds credits or tax');
  const days = all.ForecastResultsByTime.length;
  assert.ok(Math.abs((Number(all.Total.Amount) - Number(filtered.Total.Amount)) - (creditsAndTax / 7) * days) < 0.01, `${all.Total.Amount} vs ${filtered.Total.Amount}`);
});

test('the forecast stand-in refuses a new account as Cost Explorer does: DataUnavailableException until the costs under the Filter reach back to the 1st of last month (one full billing cycle)', async () => {
  const input = { TimePeriod: { Start: TODAY, End: '2026-12-31' }, Metric: 'UNBLENDED_COST' };
  assert.throws(() => answerForecast(input, TODAY, { from: '2026-11-02' }), (err: unknown) => err instanceof AwsErrorAnswer && err.type === 'DataUnavailableException' && err.message === 'Insufficient amount of historical data.');
  assert.throws(() => answerForecast(input, TODAY, { from: '2026-12-01' }), AwsErrorAnswer);
  assert.ok(Number(answerForecast(input, TODAY, { from: '2026-11-01' }).Total.Amount) > 0);
  assert.ok(Number(answerForecast(input, TODAY).Total.Amount) > 0, 'without a start, the history is long');
  // A Filter that keeps only tax: tax is booked on the 1st, so it counts from the first 1st after the start.
  const onlyTax = { ...input, Filter: { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Usage', 'Credit'] } } } };
  assert.ok(Number(answerForecast(onlyTax, TODAY, { from: '2026-11-01' }).Total.Amount) > 0);
  // The in-process fake rejects as the SDK does (a service exception named after its type).
  const fake = new FakeCostExplorer(() => TODAY);
  fake.history = { from: '2026-11-20' };
  await assert.rejects(fake.getCostForecast({ ...input, Granularity: 'DAILY' } as never), { name: 'DataUnavailableException' });
});
