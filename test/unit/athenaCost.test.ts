import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatUsd, MB, queryCost, TB } from '../../src/athena/cost';

test('$5 per TB scanned', () => {
  assert.equal(queryCost(TB).usd, 5);
  assert.equal(queryCost(2 * TB).usd, 10);
  assert.equal(queryCost(TB / 2).usd, 2.5);
});

test('Athena bills at least 10 MB per query', () => {
  const min = (10 * MB / TB) * 5;
  assert.equal(queryCost(0).usd, min);
  assert.equal(queryCost(1).usd, min);
  assert.equal(queryCost(10 * MB).usd, min);
  assert.equal(queryCost(1).billedBytes, 10 * MB);
  assert.match(queryCost(1).note, /10 MB minimum/);
});

test('bytes are rounded up to the next whole MB', () => {
  assert.equal(queryCost(10 * MB + 1).billedBytes, 11 * MB);
  assert.equal(queryCost(11 * MB).billedBytes, 11 * MB);
  assert.ok(Math.abs(queryCost(10 * MB + 1).usd - (11 * MB / TB) * 5) < 1e-15);
});

test('failed queries and DDL cost nothing; cancelled ones are charged for what they scanned', () => {
  assert.equal(queryCost(5 * TB, 'FAILED').usd, 0);
  assert.equal(queryCost(5 * TB, 'SUCCEEDED', 'DDL').usd, 0);
  assert.equal(queryCost(TB, 'CANCELLED').usd, 5);
  assert.match(queryCost(TB, 'CANCELLED').note, /Cancelled/);
  assert.equal(queryCost(Number.NaN).billedBytes, 10 * MB);
});

test('formatting', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1536), '1.50 KB');
  assert.equal(formatBytes(10 * MB), '10.0 MB');
  assert.equal(formatBytes(3 * TB), '3.00 TB');
  assert.equal(formatUsd(5), '$5.00');
  assert.equal(formatUsd(queryCost(0).usd), '$0.0000477');
  assert.equal(formatUsd(0), '$0.00');
  assert.equal(formatUsd(0.0146484375), '$0.0146');
  assert.equal(formatUsd(1234.5), '$1234.50');
});
