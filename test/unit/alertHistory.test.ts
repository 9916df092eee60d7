// The alert history store (bounded, newest first, state changes recorded once) and the Alerts view's
// time labels. Pure modules: no VS Code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertHistory, ALERT_HISTORY_KEY, type AlertHistoryEntry } from '../../src/alerts/history';
import { ago, clockTime, inTime } from '../../src/alerts/times';

function memento(initial?: unknown) {
  const data = new Map<string, unknown>(initial === undefined ? [] : [[ALERT_HISTORY_KEY, initial]]);
  return { get: <T>(k: string) => data.get(k) as T | undefined, update: async (k: string, v: unknown) => void data.set(k, v) };
}
const entry = (at: number, key = `k${at}`): AlertHistoryEntry => ({ at, key, state: 'ALARM', text: 't', outcome: 'shown' });

describe('AlertHistory', () => {
  test('keeps the newest entries first and at most max', async () => {
    const h = new AlertHistory(memento(), 5);
    await h.add([entry(1), entry(2), entry(3)]);
    await h.add([entry(4), entry(5), entry(6), entry(7)]);
    assert.deepEqual(h.list().map((e) => e.at), [7, 6, 5, 4, 3]);
  });

  test('records a state change from the table once (by key, state and since)', async () => {
    const h = new AlertHistory(memento());
    const rows = [{ key: 'a#error', state: 'ALARM', since: 100 }, { key: 'b#error', state: 'OK', since: 200 }, { key: 'c#error', state: 'OK' }];
    assert.equal(await h.addStates(rows, 1000), 2, 'a row without a time is not a change');
    assert.equal(await h.addStates(rows, 2000), 0);
    assert.equal(await h.addStates([{ key: 'a#error', state: 'OK', since: 300 }], 3000), 1, 'a new state of the same key is a change');
    assert.deepEqual(h.list().map((e) => `${e.key} ${e.state} ${e.outcome}`), ['a#error OK table', 'a#error ALARM table', 'b#error OK table']);
  });

  test('ignores stored garbage (another version, a hand edit)', () => {
    const h = new AlertHistory(memento([entry(1), { at: 'x' }, null, 5, { ...entry(2), text: 3 }]));
    assert.deepEqual(h.list().map((e) => e.at), [1]);
  });
});

describe('Alerts view times', () => {
  const now = new Date(2026, 11, 3, 14, 0, 0).getTime();
  test('ago, inTime and clockTime', () => {
    assert.equal(ago(now - 3 * 60_000, now), '3m ago');
    assert.equal(ago(now - 13 * 60_000, now), '13m ago');
    assert.equal(inTime(now + 45 * 60_000, now), 'in 45m');
    assert.equal(inTime(now + 3_600_000 - 1000, now), 'in 1h');
    assert.equal(inTime(now + 4 * 3_600_000, now), 'in 4h');
    assert.equal(clockTime(now + 65 * 60_000, now), '15:05');
    assert.equal(clockTime(new Date(2026, 11, 4, 9, 7).getTime(), now), '2026-12-04 09:07');
  });
});
