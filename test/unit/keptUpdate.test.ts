// Writes to VS Code's extension state that the state drops (microsoft/vscode issue 137132, src/util/keptUpdate.ts)
// are made again: the alert history, the Athena history and the artifact bucket's name. Pure modules: no VS Code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertHistory, type AlertHistoryEntry } from '../../src/alerts/history';
import { HistoryStore, type HistoryEntry } from '../../src/athena/historyStore';
import { artifactBucketMemory } from '../../src/pipeline/artifacts';
import { setKept } from '../../src/util/keptUpdate';

/**
 * Extension state whose next `dropNext(n)` writes resolve but leave the state as it was: what VS Code does when an
 * older state, sent back from an earlier write, replaces the extension host's copy before the write goes out.
 */
function droppingState() {
  const data = new Map<string, unknown>();
  let drops = 0;
  const state = {
    writes: 0,
    dropNext(n: number) { drops = n; },
    get: <T>(k: string) => structuredClone(data.get(k)) as T | undefined,
    update: async (k: string, v: unknown) => {
      state.writes++;
      if (drops > 0) drops--;
      else data.set(k, structuredClone(v));
    },
  };
  return state;
}

const alert = (at: number, key: string, outcome: AlertHistoryEntry['outcome'] = 'shown'): AlertHistoryEntry => ({ at, key, state: 'ALARM', text: `${key} text`, outcome });

test('an alert history entry whose write VS Code\'s state dropped is written again, next to what was there', async () => {
  const state = droppingState();
  const h = new AlertHistory(state);
  state.dropNext(1);
  await h.add([alert(1, 'checkout#error')]);
  assert.equal(state.writes, 2, 'the dropped write and one more');
  state.dropNext(1);
  await h.add([alert(2, 'orders#error', 'dnd')]);
  assert.deepEqual(h.list().map((e) => `${e.key} ${e.outcome}`), ['orders#error dnd', 'checkout#error shown']);
  assert.equal(state.writes, 4);
});

test('an alert history entry is written at most 3 times; one older than a full history is written once', async () => {
  const state = droppingState();
  state.dropNext(10);
  await new AlertHistory(state).add([alert(1, 'a#error')]);
  assert.equal(state.writes, 3);
  const full = droppingState();
  const h = new AlertHistory(full, 2);
  await h.add([alert(5, 'x'), alert(6, 'y')]);
  await h.add([alert(1, 'old')]);
  assert.deepEqual(h.list().map((e) => e.key), ['y', 'x']);
  assert.equal(full.writes, 2);
});

const query = (id: string, startedAt: number): HistoryEntry => ({ id, startedAt, state: 'RUNNING', sql: 'SELECT 1', workgroup: 'primary', catalog: 'AwsDataCatalog', database: 'logs' });

test('an Athena history entry, its update and its removal are written again when VS Code\'s state dropped them', async () => {
  const state = droppingState();
  const h = new HistoryStore(state, () => 10);
  state.dropNext(1);
  await h.put(query('q1', 1));
  await h.put(query('q2', 2));
  assert.deepEqual(h.list().map((e) => e.id), ['q2', 'q1']);
  state.dropNext(1);
  await h.patch('q1', { state: 'SUCCEEDED', rows: 3 });
  assert.deepEqual(h.get('q1'), { ...query('q1', 1), state: 'SUCCEEDED', rows: 3 });
  state.dropNext(1);
  await h.remove('q2');
  assert.deepEqual(h.list().map((e) => e.id), ['q1']);
  assert.equal(state.writes, 7, 'each dropped write made once more');
  // Clear History: made again when dropped; a query that started while it was written is kept.
  state.dropNext(1);
  const cleared = h.clear();
  await h.put(query('q3', 3));
  await cleared;
  assert.deepEqual(h.list().map((e) => e.id), ['q3']);
});

test('the artifact bucket\'s remembered name, and its forgetting, are written again when VS Code\'s state dropped them', async () => {
  const state = droppingState();
  const memory = artifactBucketMemory(state);
  state.dropNext(1);
  await memory.set('123456789012', 'us-east-1', 'cm-artifacts-abc123');
  await memory.set('123456789012', 'eu-west-1', 'cm-artifacts-def456');
  assert.equal(memory.get('123456789012', 'us-east-1'), 'cm-artifacts-abc123');
  state.dropNext(1);
  await memory.set('123456789012', 'us-east-1', undefined);
  assert.equal(memory.get('123456789012', 'us-east-1'), undefined);
  assert.equal(memory.get('123456789012', 'eu-west-1'), 'cm-artifacts-def456');
  assert.equal(state.writes, 5);
});

test('setKept (the profile, region and scope, the filters, the Athena context and parameters) writes a value again while what is stored differs, undefined included', async () => {
  const state = droppingState();
  state.dropNext(1);
  await setKept(state, 'filters', { severity: ['CRITICAL'], open: true });
  assert.deepEqual(state.get('filters'), { severity: ['CRITICAL'], open: true });
  assert.equal(state.writes, 2, 'the dropped write and one more');
  state.dropNext(1);
  await setKept(state, 'filters', undefined);
  assert.equal(state.get('filters'), undefined, 'a cleared value is cleared');
  assert.equal(state.writes, 4);
  await setKept(state, 'profile', 'sandbox');
  assert.equal(state.writes, 5, 'a write that held is made once');
  state.dropNext(10);
  await setKept(state, 'profile', 'prod');
  assert.equal(state.writes, 8, 'at most 3 writes');
});
