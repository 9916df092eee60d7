// The billing ledger's pure parts: the price table (complete, sourced), call pricing, sums by day, month,
// feature and account, the budget decision, the ledger document and its spreadsheet-safe CSV, and the
// contract check's ledger side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describePrice, formatSpend, insightsCostText, PRICE_TABLE, priceOf } from '../../src/billing/prices';
import { liveTailLine, priceCall, priceBefore } from '../../src/billing/middleware';
import { BillingLedger, summarizeSpend, type LedgerLine } from '../../src/billing/ledger';
import { billingCsv, formatBillingLedger, judgeAction, judgeBudget, priceTableMarkdown, spendLines } from '../../src/billing/report';
import { parseCsv } from '../../src/webview/results/csv';
import { ledgerGaps, shippedOperations } from '../helpers/contract';
import { FORMULA_CELLS, COMMAND_LINK } from '../fixtures/hostile';

const ROOT = resolve(__dirname, '..', '..', '..');
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);
const once = () => { const seen = new Set<string>(); return (id: string) => (seen.has(id) ? false : (seen.add(id), true)); };

test('price table: every operation the shipped code can call has a price (calls_unpriced = 0), each with its source page and date read', () => {
  const shipped = [...shippedOperations(ROOT, ['src']).keys()]; // the extension's own (pipeline/ is the Lambda consumer, not the extension)
  assert.ok(shipped.length > 50, `found ${shipped.length} operations`);
  assert.deepEqual(shipped.filter((op) => !(op in PRICE_TABLE)), []);
  for (const [op, e] of Object.entries(PRICE_TABLE)) {
    assert.match(e.source, /^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//, op);
    assert.match(e.read, /^\d{4}-\d{2}/, op);
    assert.ok(e.note.length > 5, op);
    assert.equal(e.unit === 'free', e.usd === 0, op);
  }
});

test('prices: regional figures where they differ, describePrice and formatSpend', () => {
  close(priceOf('s3:ListObjectsV2', 'us-east-1')!.usdPerUnit, 0.005 / 1000);
  close(priceOf('s3:ListObjectsV2', 'sa-east-1')!.usdPerUnit, 0.007 / 1000);
  close(priceOf('s3:GetObject', 'eu-central-1')!.usdPerUnit, 0.00043 / 1000);
  assert.equal(priceOf('s3:CreateMultipartUpload', 'us-east-1'), undefined);
  assert.equal(describePrice(PRICE_TABLE['ce:GetCostAndUsage']), '$0.01 per request');
  assert.equal(describePrice(PRICE_TABLE['s3:ListBuckets']), '$0.005 per 1,000 requests');
  assert.equal(describePrice(PRICE_TABLE['sqs:ReceiveMessage']), '$0.40 per 1,000,000 requests');
  assert.equal(describePrice(PRICE_TABLE['athena:GetQueryExecution']), '$5.00 per TB scanned');
  assert.equal(describePrice(PRICE_TABLE['logs:StartLiveTail']), '$0.01 per minute');
  assert.equal(describePrice(PRICE_TABLE['cloudformation:DescribeStacks']), 'free');
  assert.deepEqual([0, 0.04, 0.015, 1.234, 0.0000477, 4e-7].map(formatSpend), ['$0', '$0.04', '$0.015', '$1.23', '$0.000048', '$0.00000040']);
});

test('priceCall: requests times attempts, metrics requested, FIFO queues, consumed read units, free calls', () => {
  close(priceCall('ce:GetCostAndUsage', 'us-east-1', {}, {}, 1, once()).usd, 0.01);
  close(priceCall('ce:GetCostAndUsage', 'us-east-1', {}, {}, 3, once()).usd, 0.03);
  const gmd = priceCall('cloudwatch:GetMetricData', 'us-east-1', { MetricDataQueries: [{ Id: 'a', MetricStat: {} }, { Id: 'b', MetricStat: {} }, { Id: 'e', Expression: 'a+b' }] }, {}, 1, once());
  assert.equal(gmd.q, 2);
  close(gmd.usd, 0.02 / 1000);
  close(priceBefore('cloudwatch:GetMetricData', 'us-east-1', { MetricDataQueries: [{ Id: 'a', MetricStat: {} }] }), 0.01 / 1000);
  close(priceCall('sqs:ReceiveMessage', 'us-east-1', { QueueUrl: 'https://sqs/1/q' }, {}, 1, once()).usd, 0.4 / 1e6);
  close(priceCall('sqs:ReceiveMessage', 'us-east-1', { QueueUrl: 'https://sqs/1/q.fifo' }, {}, 1, once()).usd, 0.5 / 1e6);
  assert.equal(priceCall('dynamodb:Query', 'us-east-1', {}, {}, 1, once()).q, 1, 'at least one read unit');
  assert.equal(priceCall('dynamodb:Query', 'us-east-1', {}, { ConsumedCapacity: { CapacityUnits: 4.5 } }, 1, once()).q, 4.5);
  assert.deepEqual(priceCall('cloudformation:DescribeStacks', 'us-east-1', {}, {}, 1, once()), { q: 0, usd: 0, unit: 'free', priced: true });
  assert.equal(priceCall('s3:CreateMultipartUpload', 'us-east-1', {}, {}, 1, once()).priced, false);
});

test('priceCall: Athena bills a query once from its final state (10 MB minimum, DDL and failed free); Insights by bytesScanned once', () => {
  const first = once();
  const qe = (state: string, bytes: number, type = 'DML', id = 'q1') => ({ QueryExecution: { QueryExecutionId: id, StatementType: type, Status: { State: state }, Statistics: { DataScannedInBytes: bytes } } });
  assert.equal(priceCall('athena:GetQueryExecution', 'us-east-1', {}, qe('RUNNING', 5e9), 1, first).usd, 0, 'not final yet');
  close(priceCall('athena:GetQueryExecution', 'us-east-1', {}, qe('SUCCEEDED', 1024 ** 4), 1, first).usd, 5);
  assert.equal(priceCall('athena:GetQueryExecution', 'us-east-1', {}, qe('SUCCEEDED', 1024 ** 4), 1, first).usd, 0, 'billed once');
  close(priceCall('athena:GetQueryExecution', 'us-east-1', {}, qe('SUCCEEDED', 1, 'DML', 'q2'), 1, first).usd, (10 * 1024 ** 2 / 1024 ** 4) * 5);
  assert.equal(priceCall('athena:GetQueryExecution', 'us-east-1', {}, qe('SUCCEEDED', 5e9, 'DDL', 'q3'), 1, first).usd, 0);
  assert.equal(priceCall('athena:GetQueryExecution', 'us-east-1', {}, qe('FAILED', 5e9, 'DML', 'q4'), 1, first).usd, 0);
  const gb2 = 2 * 1024 ** 3;
  assert.equal(priceCall('logs:GetQueryResults', 'us-east-1', { queryId: 'i1' }, { status: 'Running', statistics: { bytesScanned: gb2 } }, 1, first).usd, 0);
  close(priceCall('logs:GetQueryResults', 'us-east-1', { queryId: 'i1' }, { status: 'Complete', statistics: { bytesScanned: gb2 } }, 1, first).usd, 0.01);
  assert.equal(priceCall('logs:GetQueryResults', 'us-east-1', { queryId: 'i1' }, { status: 'Complete', statistics: { bytesScanned: gb2 } }, 1, first).usd, 0);
});

const line = (at: string, feature: string, usd: number, account = '111111111111', n = 1): LedgerLine =>
  ({ at, feature, profile: 'dev', account, region: 'us-east-1', service: 'ce', op: 'GetCostAndUsage', n, failed: 0, q: n, unit: 'request', usd, priced: true });

test('summarizeSpend: today and this month (UTC), by feature and by account; other months left out', () => {
  const s = summarizeSpend([
    line('2026-11-30T23:59:59.000Z', 'costs', 0.5),
    line('2026-12-01T00:00:00.000Z', 'costs', 0.02, '111111111111', 2),
    line('2026-12-03T08:00:00.000Z', 'costs', 0.03, '111111111111', 3),
    line('2026-12-03T09:00:00.000Z', 'athena', 0.25, '222222222222'),
  ], '2026-12-03');
  close(s.todayUsd, 0.28);
  close(s.monthUsd, 0.3);
  assert.equal(s.todayCalls, 4);
  assert.equal(s.monthCalls, 6);
  assert.deepEqual([...s.byFeatureToday].map(([k, v]) => [k, Number(v.toFixed(4))]), [['costs', 0.03], ['athena', 0.25]]);
  assert.deepEqual([...s.byAccountMonth].map(([k, v]) => [k, Number(v.toFixed(4))]), [['111111111111', 0.05], ['222222222222', 0.25]]);
  const text = spendLines(s, 1);
  assert.equal(text[0], 'Cloud Monitor spend today: $0.28 of the $1.00 daily budget, 4 calls (athena $0.25, costs $0.03)');
  assert.match(text[1], /^This month: \$0\.30, 6 calls/);
  assert.match(text[2], /^By account today: 222222222222 \$0\.25, 111111111111 \$0\.03/);
});

test('judgeBudget: a priced call that would pass the budget asks with the figure; a scan-billed query asks once the budget is passed; free calls never', () => {
  assert.deepEqual(judgeBudget({ key: 'ce:GetCostAndUsage', usd: 0.01, when: 'advance' }, 0.98, 1), { go: true });
  assert.deepEqual(judgeBudget({ key: 'ce:GetCostAndUsage', usd: 0.01, when: 'advance' }, 0.99, 1), { go: true }, 'reaching the budget exactly is not passing it');
  assert.deepEqual(judgeBudget({ key: 'ce:GetCostAndUsage', usd: 0.01, when: 'advance' }, 1, 1), { go: false, message: 'This Cost Explorer GetCostAndUsage request costs $0.01; today\'s spend is $1.00 of $1.00 (cloudMonitor.billing.dailyBudgetUsd).' });
  assert.deepEqual(judgeBudget({ key: 'athena:StartQueryExecution', usd: 0, when: 'after' }, 0.5, 1), { go: true });
  const over = judgeBudget({ key: 'athena:StartQueryExecution', usd: 0, when: 'after' }, 1.2, 1);
  assert.equal(over.go, false);
  assert.match((over as { message: string }).message, /daily budget is passed: today's spend is \$1\.20 of \$1\.00.*Athena StartQueryExecution is billed afterwards: Athena bills it by the data it scans/);
  assert.match((judgeBudget({ key: 'logs:StartQuery', usd: 0, when: 'after' }, 2, 1) as { message: string }).message, /\$0\.005 per GB scanned/);
  assert.deepEqual(judgeBudget({ key: 'sts:GetCallerIdentity', usd: 0, when: 'free' }, 50, 1), { go: true });
});

test('ledger document and CSV: hostile names stay text (Markdown table cells, spreadsheet formulas guarded)', () => {
  const lines = FORMULA_CELLS.map((f, i) => ({ ...line(`2026-12-03T0${i}:00:00.000Z`, 'costs', 0.01), profile: f, account: '' }));
  lines.push({ ...line('2026-12-03T08:00:00.000Z', 'logs', 0.5), profile: `a|b ${COMMAND_LINK}`, account: '' });
  const doc = formatBillingLedger(lines, '2026-12-03', 1);
  assert.match(doc, /^# Cloud Monitor spend ledger/);
  assert.match(doc, /\| costs \| 6 \| \$0\.06 \|/);
  assert.match(doc, /\| 2026-12-03 \| 7 \| \$0\.56 \|/);
  assert.ok(doc.includes('a\\|b'), 'a pipe in a name cannot break the table');
  const rows = parseCsv(billingCsv(lines));
  assert.equal(rows[0][0], 'time_utc');
  for (let i = 0; i < FORMULA_CELLS.length; i++) {
    const cell = rows[i + 1][2] ?? '';
    assert.ok(!/^[=+@\t\r]/.test(cell) && (!/^-/.test(cell) || /^-?\d/.test(cell)), `profile cell ${JSON.stringify(cell)} starts a formula`);
  }
});

test('contract check, ledger side: an extension-host call without a ledger entry, and an unpriced operation, are reported', () => {
  const r = ledgerGaps([
    { client: 'S3Client', op: 'ListBuckets', by: 'src', input: {}, proc: 'extension', ledger: 'buckets' },
    { client: 'S3Client', op: 'GetObject', by: 'src', input: {}, proc: 'extension' },
    { client: 'S3Client', op: 'CreateMultipartUpload', by: 'src', input: {}, proc: 'node', ledger: 'buckets' },
    { client: 'S3Client', op: 'ListObjectsV2', by: 'test', input: {}, proc: 'node' },
  ], new Map([['s3:ListBuckets', ['src/x.ts']], ['s3:UploadPart', ['src/y.ts']]]), PRICE_TABLE);
  assert.deepEqual(r.unledgered, ['s3:GetObject ×1']);
  assert.deepEqual(r.unpriced, ['s3:CreateMultipartUpload (recorded under buckets)', 's3:UploadPart (the shipped code can call it)']);
  assert.equal(r.ledgered, 2);
  assert.equal(r.extensionCalls, 2);
});

test('Logs Insights results show the query\'s cost from statistics.bytesScanned', () => {
  assert.equal(insightsCostText(2 * 1024 ** 3, 'us-east-1'), '$0.0100 ($0.005 per GB scanned)');
  assert.equal(insightsCostText(1_000_000, 'us-east-1'), '$0.00000466 ($0.005 per GB scanned)');
  assert.equal(insightsCostText(undefined, 'us-east-1'), '? (no bytesScanned in the answer)');
});

test('the README cost table is generated from the price table: one row per operation, with its trigger', () => {
  const table = priceTableMarkdown(shippedOperations(ROOT, ['src']));
  const rows = table.split('\n').slice(2);
  assert.equal(rows.length, Object.keys(PRICE_TABLE).length);
  assert.ok(rows.includes('| `ce:GetCostAndUsage` | $0.01 per request | $0.01 per API request; each page of a paged answer is a request | the Costs view and cost dashboard (after consent; cached, see above) |'));
  assert.ok(rows.some((r) => r.startsWith('| `sts:AssumeRole` | free |') && r.endsWith('signing in with a role, web identity or SSO profile |')));
});

test('judgeAction: one question for a whole refresh, with its number of requests and price, only when it would pass the budget', () => {
  const refresh = { what: 'This refresh', service: 'Cost Explorer', requests: 4, usd: 0.04 };
  assert.deepEqual(judgeAction(refresh, 0.96, 1), { go: true }, 'exactly at the budget');
  assert.deepEqual(judgeAction(refresh, 0.98, 1), { go: false, message: "This refresh makes 4 Cost Explorer requests ($0.04); today's spend is $0.98 of $1.00 (cloudMonitor.billing.dailyBudgetUsd)." });
  assert.deepEqual(judgeAction({ ...refresh, requests: 0, usd: 0 }, 5, 1), { go: true }, 'all cached: nothing to ask');
  assert.match((judgeAction({ ...refresh, requests: 1, usd: 0.01 }, 1, 1) as { message: string }).message, /makes 1 Cost Explorer request \(/);
});

test('liveTailLine: a session\'s minutes at $0.01 each, under logs, adding no call (StartLiveTail is recorded when sent)', () => {
  const l = liveTailLine({ billedMinutes: 7, profile: 'p', region: 'us-east-1' }, '123');
  assert.deepEqual({ ...l, usd: Math.round(l.usd * 100) / 100 }, { feature: 'logs', profile: 'p', account: '123', region: 'us-east-1', service: 'logs', op: 'StartLiveTail', q: 7, unit: 'minute', usd: 0.07, priced: true, ok: true, calls: 0 });
  const ledger = new BillingLedger('/nonexistent/ledger.jsonl', () => 0, 60_000);
  ledger.record({ ...l, q: 0, usd: 0, calls: 1 });
  ledger.record(l);
  return ledger.lines().then((lines) => assert.deepEqual(lines.map((x) => [x.n, x.q]), [[1, 7]]));
});
