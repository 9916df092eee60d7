// The contract check, run last by test/run.mjs: every AWS call the run's tests, code-server's extension host,
// the sandbox and the stand-ins recorded (CLOUD_MONITOR_CONTRACT_DIR) is held to AWS's own API models
// (botocore's service-2.json): each request to its operation's input shape, each stand-in answer (loopback
// endpoints marked with the x-cloud-monitor-stand-in header, aws-sdk-client-mock fixtures) to its output
// shape. A violation fails the run as `operation · member path · rule`. It prints how many calls were
// checked per operation, and the operations the shipped code (src/, pipeline/) can call that it never called.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { CONTRACT_DIR_ENV } from '../helpers/contractRecorder';
import { PRICE_TABLE } from '../../src/billing/prices';
import { checkRecords, describeFindings, ledgerGaps, readRecords, shippedOperations } from '../helpers/contract';

const ROOT = resolve(__dirname, '..', '..', '..');
const dir = process.env[CONTRACT_DIR_ENV];

test('contract check: every recorded AWS request and stand-in answer fits AWS\'s API model', { skip: dir ? false : `${CONTRACT_DIR_ENV} is not set: run through test/run.mjs` }, (t) => {
  const records = readRecords(dir!);
  const { counts, findings, refused, skippedPatterns } = checkRecords(records);
  const shipped = shippedOperations(ROOT);

  t.diagnostic(`${records.length} AWS calls recorded; per operation: calls (sent by shipped code) [stand-in answers checked]`);
  for (const [op, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    t.diagnostic(`  ${op} ${c.calls} (${c.shipped})${c.answers ? ` [${c.answers}]` : ''}${shipped.has(op) ? '' : ' · not called by shipped code'}`);
  }
  const uncalled = [...shipped.keys()].filter((op) => !counts.get(op)?.shipped).sort();
  t.diagnostic(`Operations the shipped code can call that no test had it call (${uncalled.length} of ${shipped.size}):`);
  for (const op of uncalled) t.diagnostic(`  ${op} ← ${[...new Set(shipped.get(op))].join(', ')}`);
  for (const [service, shapes] of skippedPatterns) t.diagnostic(`Patterns JavaScript cannot compile, not checked (${service}): ${[...shapes].sort().join(', ')}`);

  for (const line of describeFindings(refused)) t.diagnostic(`Sent against the model on purpose by a test, refused by its stand-in: ${line}`);
  const lines = describeFindings(findings);
  assert.equal(lines.length, 0, `${lines.length} contract violations (records in ${dir}):\n${lines.join('\n')}`);
});

test('ledger check: every call of the extension host is in the billing ledger, and every operation has a price (calls_unpriced = 0)', { skip: dir ? false : `${CONTRACT_DIR_ENV} is not set: run through test/run.mjs` }, (t) => {
  const records = readRecords(dir!);
  const { unledgered, unpriced, ledgered, extensionCalls } = ledgerGaps(records, shippedOperations(ROOT, ['src']), PRICE_TABLE);
  t.diagnostic(`${ledgered} calls carried a ledger entry; ${extensionCalls} calls from code-server's extension host`);
  if (!extensionCalls) t.diagnostic('No code-server test ran in this run (a unit or integration group): only the price table is checked.');
  assert.deepEqual(unledgered, [], `calls that reached AWS from the extension without a ledger entry:\n${unledgered.join('\n')}`);
  assert.deepEqual(unpriced, [], `operations without a price in src/billing/prices.ts:\n${unpriced.join('\n')}`);
});
