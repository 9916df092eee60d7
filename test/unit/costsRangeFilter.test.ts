// The dashboard's custom range checks, filter expressions, switch prices, anomaly marks and CSV of the chart.
// Pure functions, no network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartCsv, csvFileName } from '../../src/costs/csvExport';
import { filterExpression, filterId, filterText, priceText } from '../../src/costs/plan';
import { earliestDay, rangePeriod, rangeProblem } from '../../src/costs/range';
import { anomalyMarks, type DashboardData } from '../../src/costs/service';
import { parseCsv } from '../../src/webview/results/csv';
import { FORMULA_CELLS } from '../fixtures/hostile';

const TODAY = '2026-12-03';

test('a custom range: real dates, end not before start, not after today, not before the 13 months Cost Explorer holds', () => {
  assert.equal(rangeProblem({ start: '2026-11-01', end: '2026-11-30' }, TODAY), undefined);
  assert.equal(rangeProblem({ start: TODAY, end: TODAY }, TODAY), undefined, 'one day, today');
  assert.match(rangeProblem({ start: '2026-11-10', end: '2026-11-09' }, TODAY)!, /end date \(2026-11-09\) is before the start date \(2026-11-10\)/);
  assert.match(rangeProblem({ start: '2026-11-10', end: '2026-12-04' }, TODAY)!, /in the future.*up to today \(2026-12-03, UTC\)/);
  assert.equal(earliestDay(TODAY), '2025-11-01');
  assert.equal(rangeProblem({ start: '2025-11-01', end: '2025-11-30' }, TODAY), undefined);
  assert.match(rangeProblem({ start: '2025-10-31', end: '2025-11-30' }, TODAY)!, /too far back: Cost Explorer answers from 2025-11-01/);
  assert.match(rangeProblem({ start: '2026-02-30', end: '2026-03-01' }, TODAY)!, /not a date/);
  assert.match(rangeProblem({ start: '', end: '2026-03-01' }, TODAY)!, /not a date/);
  assert.deepEqual(rangePeriod({ start: '2026-11-01', end: '2026-11-30' }), { start: '2026-11-01', end: '2026-12-01' }, 'End exclusive, as Cost Explorer takes it');
});

test('filters as Cost Explorer expressions: one condition alone, two under And; an untagged filter is a tag Key without Values', () => {
  assert.equal(filterExpression('all'), undefined);
  assert.deepEqual(filterExpression(filterId('all', { dimension: 'SERVICE', value: 'AWS Lambda' })), { Dimensions: { Key: 'SERVICE', Values: ['AWS Lambda'] } });
  assert.deepEqual(filterExpression(filterId('noCreditsRefundsTax', { dimension: 'TAG', key: 'team', value: 'a' })), {
    And: [{ Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } }, { Tags: { Key: 'team', Values: ['a'] } }],
  });
  assert.deepEqual(filterExpression(filterId('all', { dimension: 'TAG', key: 'team', value: '' })), { Tags: { Key: 'team' } });
  // The same filter, however its keys were ordered, is one cache key; no filter keeps the old keys.
  assert.equal(JSON.stringify(filterId('all', { value: 'x', dimension: 'REGION' } as never)), JSON.stringify(filterId('all', { dimension: 'REGION', value: 'x' })));
  assert.equal(filterId('all'), 'all');
  assert.equal(filterText(filterId('noCreditsRefundsTax', { dimension: 'LINKED_ACCOUNT', value: '111111111111' })), ' excl. credits/refunds/tax, account = 111111111111');
});

test('a scope served by its payer: its linked accounts as one LINKED_ACCOUNT condition, under And with the rest; in any order one cache key; one profile keeps its keys', () => {
  const ids = ['333333333333', '111111111111', '222222222222', '111111111111'];
  const scope = { Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['111111111111', '222222222222', '333333333333'] } };
  assert.deepEqual(filterExpression(filterId('all', undefined, ids)), scope);
  assert.deepEqual(filterExpression(filterId('noCreditsRefundsTax', { dimension: 'SERVICE', value: 'AWS Lambda' }, ids)), {
    And: [{ Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } }, { Dimensions: { Key: 'SERVICE', Values: ['AWS Lambda'] } }, scope],
  });
  assert.equal(JSON.stringify(filterId('all', undefined, ids)), JSON.stringify(filterId('all', undefined, [...ids].reverse())));
  assert.equal(filterId('all', undefined, []), 'all');
  assert.equal(filterId('noCreditsRefundsTax', undefined, undefined), 'noCreditsRefundsTax');
  assert.equal(filterText(filterId('all', undefined, ids)), " the scope's 3 linked accounts");
});

test('the price of a switch: "cached", or requests at $0.01', () => {
  assert.equal(priceText(0), 'cached');
  assert.equal(priceText(1), '1 request, $0.01');
  assert.equal(priceText(2), '2 requests, $0.02');
});

test('anomaly marks: those overlapping the chart, clipped to its days, with their total impact', () => {
  const days = ['2026-11-20', '2026-11-21', '2026-11-22'];
  const a = (id: string, start: string, end: string) => ({ id, start, end, dimension: 'EC2', maxImpact: 5, totalImpact: 12, impactPercent: 40, rootCauses: [] });
  assert.deepEqual(anomalyMarks([a('in', '2026-11-19', '2026-11-21'), a('out', '2026-11-23', '2026-11-25')], days), [{ id: 'in', start: '2026-11-20', end: '2026-11-21', dimension: 'EC2', impact: 12, impactPercent: 40, maxImpact: 5 }]);
  assert.deepEqual(anomalyMarks([a('x', '2026-11-20', '2026-11-20')], []), []);
});

test('CSV of the chart: every name from AWS that a spreadsheet would run is written as text; the file name holds none of them', () => {
  const labels = [...FORMULA_CELLS];
  const d = {
    today: TODAY, unit: 'USD',
    params: { rangeDays: 30, granularity: 'DAILY', dimension: 'TAG', metric: 'UnblendedCost', excludeCreditsRefundsTax: false, filter: { dimension: 'TAG', key: 'team', value: '=cmd|x' } },
    stacked: { x: ['2026-12-01', '2026-12-02'], series: labels.map((label, i) => ({ key: label, label, values: [i, -i] })) },
    range: { start: '2026-12-01', end: '2026-12-02' },
  } as unknown as DashboardData;
  const rows = parseCsv(chartCsv(d, '=evil'));
  assert.equal(rows[0][0], "2026-12-01 to 2026-12-02 (UTC), UnblendedCost in USD, by tag =evil, only tag team = =cmd|x");
  assert.deepEqual(rows[1], ['Date', ...labels.map((l) => `'${l}`), 'Total']);
  assert.deepEqual(rows[3], ['2026-12-02', ...labels.map((_, i) => String(-i)), String(-labels.reduce((s, _, i) => s + i, 0))], 'negative figures stay numbers');
  assert.equal(csvFileName(d), 'costs-2026-12-01-to-2026-12-02-by-tag.csv');
});
