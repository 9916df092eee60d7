// Every host handler a webview can reach, fed malformed messages (wrong types, unknown enums, huge
// strings, negative and huge offsets and counts): the handler has no effect, the request gets an
// error answer, the problem goes to the log as text, and the endpoint still answers a good message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardChecks } from '../../src/costs/dashboardChecks';
import type { CostsDashboardSpec, DashboardParams } from '../../src/costs/dashboardProtocol';
import { detailChecks, MAX_NOTE } from '../../src/findings/detailChecks';
import type { FindingDetailSpec } from '../../src/findings/detailProtocol';
import { Endpoint, type Message, type Spec } from '../../src/webview/protocol';
import { ResultsBinding } from '../../src/webview/results/binding';
import type { ResultsSpec } from '../../src/webview/results/protocol';
import { ResultSet } from '../../src/webview/results/resultSet';
import { check } from '../../src/webview/validate';
import { FORMULA_CELLS } from '../fixtures/hostile';

const HUGE = 'x'.repeat(1_000_000);
const BAD_INTS: unknown[] = [-1, 2 ** 31, 2 ** 53, 1.5, Number.NaN, Infinity, '0', null, true, [], {}];

function hostEnd<S extends Spec>() {
  const posted: Message[] = [];
  const problems: string[] = [];
  const ep = new Endpoint<S, 'host'>((m) => posted.push(m), undefined, (p) => problems.push(p));
  let id = 0;
  return {
    ep, problems,
    /** Sends a request as the webview would and returns the host's answer. */
    async ask(method: string, params: unknown): Promise<{ result?: unknown; error?: string }> {
      const before = posted.length;
      await ep.receive({ kind: 'request', id: ++id, method, params });
      const answer = posted.slice(before).find((m) => m.kind === 'response' && m.id === id);
      assert.ok(answer && answer.kind === 'response', `an answer to ${method}`);
      return answer;
    },
  };
}

test('results grid: malformed getRows, setView, chartData, copy and export never reach the ResultSet, the clipboard or the file dialog', async () => {
  const rs = new ResultSet([{ name: 'a', kind: 'text' }, { name: 'n', kind: 'number' }]);
  rs.appendRows(Array.from({ length: 50 }, (_, i) => [`r${i}`, String(i)]));
  await rs.finish();
  const { ep, ask, problems } = hostEnd<ResultsSpec>();
  const effects: string[] = [];
  const binding = new ResultsBinding(ep, {
    writeClipboard: async (t) => { effects.push(`clipboard:${t.length}`); },
    exportToFile: async (_c, f) => { effects.push(`export:${f}`); return {}; },
  }, { title: 't', resultSet: rs });
  const version = rs.viewInfo().version;
  const bad: [string, unknown][] = [
    ['getRows', undefined], ['getRows', 'all'], ['getRows', { version, offset: 0 }], ['getRows', { version, offset: 0, count: 1e9 }],
    ...BAD_INTS.flatMap((n): [string, unknown][] => [['getRows', { version, offset: n, count: 10 }], ['getRows', { version, offset: 0, count: n }], ['getRows', { version: n, offset: 0, count: 10 }]]),
    ['setView', { sort: { column: 'a', descending: false } }], ['setView', { sort: { column: -1, descending: 'yes' } }], ['setView', { filter: { column: 0, text: HUGE } }],
    ['setView', { filter: { column: -2, text: 'r1' } }], ['setView', { filter: { column: 0, text: 7 } }], ['setView', []],
    ['chartData', { x: 0, ys: 'n' }], ['chartData', { x: -1, ys: [1] }], ['chartData', { x: 0, ys: Array(20_000).fill(1) }], ['chartData', { x: 0, ys: [1], splitBy: '0' }],
    ...BAD_INTS.flatMap((n): [string, unknown][] => [['copy', { from: n, to: 1 }], ['copy', { from: 0, to: n }]]),
    ['copy', { from: 0, to: 1, columns: [0, -3] }], ['copy', { from: 0, to: 1, columns: '0,1' }], ['copy', { from: 0, to: 1, header: 'yes' }], ['copy', { from: 0, to: 1, spreadsheetSafe: 1 }],
    ['copy', { from: 0, to: 1, columns: Array(20_000).fill(0) }],
    ['export', { format: 'xlsx' }], ['export', { format: 'CSV' }], ['export', { format: ['csv'] }], ['export', { format: 'csv-exact' }], ['export', { format: HUGE }], ['export', undefined],
  ];
  for (const [method, params] of bad) {
    const answer = await ask(method, params);
    assert.equal(answer.error, `invalid ${method} request`, `${method} ${JSON.stringify(params)?.slice(0, 80)}`);
  }
  assert.deepEqual(effects, [], 'no clipboard write, no export');
  assert.deepEqual(rs.viewInfo().spec, {}, 'the view is unchanged');
  assert.equal(rs.viewInfo().version, version);
  assert.equal(problems.length, bad.length);
  assert.ok(problems.every((p) => p.length < 200 && !p.includes('xxxxxxxx')), 'logged as short text, without the offending string');
  // The endpoint still answers good requests.
  assert.deepEqual((await ask('getRows', { version, offset: 48, count: 5 })).result, { version, offset: 48, rows: [['r48', '48'], ['r49', '49']] });
  assert.deepEqual((await ask('copy', { from: 0, to: 0, columns: [0] })).result, { rows: 1 });
  assert.deepEqual((await ask('export', { format: 'json' })).result, {});
  assert.deepEqual(effects, ['clipboard:2', 'export:json']);
  binding.dispose();
});

test('cost dashboard: load with a wrong type, an unknown enum or a huge string never reaches the Cost Explorer loader; notifications carry nothing', async () => {
  const { ep, ask, problems } = hostEnd<CostsDashboardSpec>();
  const loads: unknown[] = [];
  const notes: string[] = [];
  ep.handle('load', (p) => { loads.push(p); return { ok: false, reason: 'error', message: 'x' }; }, dashboardChecks.load);
  ep.on('allowRequests', () => notes.push('allowRequests'), check.none);
  const good: DashboardParams = { rangeDays: 30, granularity: 'DAILY', dimension: 'SERVICE', metric: 'UnblendedCost', excludeCreditsRefundsTax: false };
  const bad: unknown[] = [
    undefined, null, 'load', { params: 'all' }, { params: null },
    { params: { ...good, rangeDays: 31 } }, { params: { ...good, rangeDays: '30' } }, { params: { ...good, rangeDays: -30 } }, { params: { ...good, rangeDays: 1e12 } },
    { params: { ...good, granularity: 'HOURLY' } }, { params: { ...good, dimension: 'TAG:Owner' } }, { params: { ...good, dimension: HUGE } },
    { params: { ...good, metric: 'BlendedCost' } }, { params: { ...good, metric: 0 } }, { params: { ...good, excludeCreditsRefundsTax: 'false' } },
    { params: { ...good, excludeCreditsRefundsTax: undefined } }, { params: good, refresh: 'yes' },
  ];
  for (const params of bad) assert.equal((await ask('load', params)).error, 'invalid load request', JSON.stringify(params)?.slice(0, 80));
  await ep.receive({ kind: 'notify', method: 'allowRequests', params: { all: true } });
  assert.deepEqual(loads, []);
  assert.deepEqual(notes, []);
  assert.equal(problems.length, bad.length + 1);
  // Still answering; unknown keys do not reach the loader.
  assert.deepEqual((await ask('load', { params: { ...good, extra: HUGE }, refresh: true })).result, { ok: false, reason: 'error', message: 'x' });
  assert.deepEqual(loads, [{ params: good, refresh: true }]);
  await ep.receive({ kind: 'notify', method: 'allowRequests' });
  assert.deepEqual(notes, ['allowRequests']);
});

test('finding detail: triage with an unknown status, a wrong type or a note over 512 characters never reaches Security Hub', async () => {
  const { ep, ask, problems } = hostEnd<FindingDetailSpec>();
  const triaged: unknown[] = [];
  const other: string[] = [];
  ep.handle('triage', async (p) => { triaged.push(p); return { ok: true, message: 'done' }; }, detailChecks.triage);
  ep.handle('openRemediation', async () => { other.push('open'); return true; }, detailChecks.none);
  const bad: unknown[] = [
    undefined, 'RESOLVED', { status: 'NEW', note: '' }, { status: 'resolved', note: '' }, { status: 'DELETED', note: '' }, { status: ['RESOLVED'], note: '' },
    { status: 'RESOLVED' }, { status: 'RESOLVED', note: 5 }, { status: 'RESOLVED', note: 'n'.repeat(MAX_NOTE + 1) }, { status: 'RESOLVED', note: HUGE }, { status: HUGE, note: '' },
  ];
  for (const params of bad) assert.equal((await ask('triage', params)).error, 'invalid triage request', JSON.stringify(params)?.slice(0, 80));
  assert.equal((await ask('openRemediation', { url: 'https://evil.example' })).error, 'invalid openRemediation request');
  assert.deepEqual(triaged, []);
  assert.deepEqual(other, []);
  assert.equal(problems.length, bad.length + 1);
  assert.deepEqual((await ask('triage', { status: 'SUPPRESSED', note: 'n'.repeat(MAX_NOTE) })).result, { ok: true, message: 'done' });
  assert.equal(triaged.length, 1);
});

test('results grid: Copy for Spreadsheet (spreadsheetSafe) reaches the clipboard neutralised; plain Copy stays exact', async () => {
  const rs = new ResultSet([{ name: 'cell', kind: 'text' }]);
  rs.appendRows(FORMULA_CELLS.slice(0, 4).map((c) => [c]));
  await rs.finish();
  const { ep, ask } = hostEnd<ResultsSpec>();
  const clipboard: string[] = [];
  const binding = new ResultsBinding(ep, { writeClipboard: async (t) => { clipboard.push(t); }, exportToFile: async () => ({}) }, { title: 't', resultSet: rs });
  await ask('copy', { from: 1, to: 3, columns: [0], header: true, spreadsheetSafe: true });
  await ask('copy', { from: 1, to: 3, columns: [0] });
  assert.deepEqual(clipboard, [['cell', ...FORMULA_CELLS.slice(1, 4).map((c) => `'${c}`)].join('\n'), FORMULA_CELLS.slice(1, 4).join('\n')]);
  binding.dispose();
});
