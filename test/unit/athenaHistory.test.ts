import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEntry, entryLabel, HistoryStore, type HistoryEntry } from '../../src/athena/historyStore';

function memory() {
  const data = new Map<string, unknown>();
  return { get: <T>(k: string) => data.get(k) as T | undefined, update: async (k: string, v: unknown) => { data.set(k, v); } };
}

const base: Omit<HistoryEntry, 'id' | 'startedAt'> = { sql: '-- errors\nSELECT 1', state: 'SUCCEEDED', workgroup: 'primary', catalog: 'AwsDataCatalog', database: 'logs' };

test('history keeps the newest entries first, up to the limit, and updates by id', async () => {
  const h = new HistoryStore(memory(), () => 3);
  let changes = 0;
  h.onDidChange(() => changes++);
  for (let i = 0; i < 5; i++) await h.put({ ...base, id: `q${i}`, startedAt: 1000 + i });
  assert.deepEqual(h.list().map((e) => e.id), ['q4', 'q3', 'q2']);
  await h.patch('q3', { state: 'FAILED', error: 'boom' });
  assert.equal(h.get('q3')?.state, 'FAILED');
  assert.deepEqual(h.list().map((e) => e.id), ['q4', 'q3', 'q2']);
  await h.remove('q4');
  assert.deepEqual(h.list().map((e) => e.id), ['q3', 'q2']);
  await h.clear();
  assert.deepEqual(h.list(), []);
  assert.equal(changes, 8);
});

test('labels and descriptions', () => {
  const e: HistoryEntry = { ...base, id: 'q', startedAt: 0, scannedBytes: 1.2 * 1024 ** 3, costUsd: 0.00586, durationMs: 3100, rows: 12 };
  assert.equal(entryLabel(e), 'SELECT 1');
  assert.equal(describeEntry(e), 'SUCCEEDED · 1.20 GB · $0.00586 · 3.1 s · 12 rows');
  assert.equal(entryLabel({ ...e, sql: `SELECT ${'x'.repeat(200)}` }).length, 80);
});
