import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  change, dailySeries, forecastMonthEnd, formatChange, formatCurrency, linearMonthEnd, monthlyFromDaily, parsePages, topN, total, totalsBy,
  type CostPage,
} from '../../src/costs/math';

const m = (u: number, a = u, n = u) => ({ UnblendedCost: { Amount: String(u), Unit: 'USD' }, AmortizedCost: { Amount: String(a), Unit: 'USD' }, NetUnblendedCost: { Amount: String(n), Unit: 'USD' } });

test('top N plus Other: sorted by amount, stable on ties, the rest summed into Other', () => {
  const totals = new Map([['EC2', 50], ['S3', 10], ['Lambda', 10], ['RDS', 30], ['CloudWatch', 2.5], ['SQS', 0.25]]);
  const r = topN(totals, 3);
  assert.deepEqual(r.top.map((e) => e.key), ['EC2', 'RDS', 'Lambda']);
  assert.deepEqual(r.other, { count: 3, amount: 12.75, keys: ['S3', 'CloudWatch', 'SQS'] });
});

test('top N: no Other when everything fits, and an Other of one entry shows that entry instead', () => {
  assert.equal(topN(new Map([['a', 1], ['b', 2]]), 5).other, undefined);
  const r = topN(new Map([['a', 1], ['b', 2], ['c', 3], ['d', 4]]), 3);
  assert.deepEqual(r.top.map((e) => e.key), ['d', 'c', 'b', 'a']);
  assert.equal(r.other, undefined);
  assert.deepEqual(topN(new Map(), 3), { top: [] });
});

test('top N: credits (negative amounts) sort last and net against Other', () => {
  const r = topN(new Map([['EC2', 100], ['Credit', -40], ['S3', 5], ['KMS', 1]]), 2);
  assert.deepEqual(r.top.map((e) => e.key), ['EC2', 'S3']);
  assert.equal(r.other?.amount, -39);
});

test('changes against the previous period', () => {
  assert.deepEqual(change(120, 100), { delta: 20, ratio: 0.2 });
  assert.deepEqual(change(80, 100), { delta: -20, ratio: -0.2 });
  assert.deepEqual(change(5, 0), { delta: 5 }, 'no ratio when there was nothing before');
  assert.deepEqual(change(0.3, 0.1 + 0.2 - 0.3), { delta: 0.3 });
  assert.equal(change(-50, -100).ratio, 0.5, 'a smaller credit is an increase');
  assert.equal(formatChange(change(120, 100)), '+$20.00 (+20%)');
  assert.equal(formatChange(change(95, 100)), '-$5.00 (-5.0%)');
  assert.equal(formatChange(change(5, 0)), '+$5.00 (new)');
  assert.equal(formatChange(change(100, 100)), 'no change');
});

test('the forecast: actual before today plus the forecast from today, with its interval', () => {
  assert.deepEqual(forecastMonthEnd(300, { mean: 200, lower: 150, upper: 260 }), { monthEnd: 500, lower: 450, upper: 560 });
  assert.deepEqual(forecastMonthEnd(0, { mean: 12.345 }), { monthEnd: 12.345 });
  // Linear fallback: 15 days of a 30-day month.
  assert.equal(linearMonthEnd(150, '2024-04-15'), 300);
  assert.equal(linearMonthEnd(290, '2024-02-29'), 290, 'the last day of a leap February');
});

test('currency formatting: thousands, cents, tiny amounts, negatives, other currencies', () => {
  assert.equal(formatCurrency(1234.5), '$1,234.50');
  assert.equal(formatCurrency(0), '$0.00');
  assert.equal(formatCurrency(0.004), '<$0.01');
  assert.equal(formatCurrency(-0.004), '-<$0.01');
  assert.equal(formatCurrency(-12.3), '-$12.30');
  assert.equal(formatCurrency(-0.0001 + 0.0001), '$0.00');
  assert.equal(formatCurrency(99.999), '$100.00');
  assert.equal(formatCurrency(5, 'EUR'), '€5.00');
  assert.equal(formatCurrency(1500, 'EUR', 'de-DE'), '1.500,00\u00a0€');
  assert.equal(formatCurrency(5, 'CNY'), 'CN¥5.00');
});

test('pages are flattened: groups of one day split across pages, estimated days, account names', () => {
  const pages: CostPage[] = [
    {
      NextPageToken: 't1',
      ResultsByTime: [{ TimePeriod: { Start: '2024-03-01', End: '2024-03-02' }, Total: {}, Groups: [{ Keys: ['EC2', '111'], Metrics: m(10, 9, 8) }], Estimated: false }],
      DimensionValueAttributes: [{ Value: '111', Attributes: { description: 'prod' } }],
    },
    {
      ResultsByTime: [
        { TimePeriod: { Start: '2024-03-01', End: '2024-03-02' }, Groups: [{ Keys: ['S3', '222'], Metrics: m(1) }] },
        { TimePeriod: { Start: '2024-03-02', End: '2024-03-03' }, Groups: [{ Keys: ['EC2', '111'], Metrics: m(11) }], Estimated: true },
      ],
    },
  ];
  const p = parsePages(pages);
  assert.equal(p.rows.length, 3);
  assert.deepEqual(p.rows[0], { day: '2024-03-01', keys: ['EC2', '111'], amounts: [10, 9, 8] });
  assert.deepEqual(p.estimated, ['2024-03-02']);
  assert.deepEqual(p.names, { 111: 'prod' });
  assert.equal(p.unit, 'USD');
  assert.equal(total(p.rows, 'UnblendedCost'), 22);
  assert.equal(total(p.rows, 'NetUnblendedCost', { start: '2024-03-01', end: '2024-03-02' }), 9);
  assert.deepEqual([...totalsBy(p.rows, 1, 'UnblendedCost')], [['111', 21], ['222', 1]]);
  assert.deepEqual(dailySeries(p.rows, 'UnblendedCost', { start: '2024-02-29', end: '2024-03-04' }), [0, 11, 11, 0]);
  assert.deepEqual(dailySeries(p.rows, 'UnblendedCost', { start: '2024-03-01', end: '2024-03-03' }, (k) => k[0] === 'S3'), [1, 0]);
});

test('a response without GroupBy yields its Total as one row', () => {
  const p = parsePages([{ ResultsByTime: [{ TimePeriod: { Start: '2024-01-01', End: '2024-02-01' }, Total: m(42), Groups: [] }] }]);
  assert.deepEqual(p.rows, [{ day: '2024-01-01', keys: [], amounts: [42, 42, 42] }]);
});

test('monthly granularity from daily values, across a year end', () => {
  const r = monthlyFromDaily(['2023-12-30', '2023-12-31', '2024-01-01'], [1, 2, 4]);
  assert.deepEqual(r, { months: ['2023-12', '2024-01'], values: [3, 4] });
});
