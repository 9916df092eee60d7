import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRow, type Cell } from '../../src/webview/results/csv';
import type { ResultColumn } from '../../src/webview/results/protocol';
import { cellTest, MAX_CHART_POINTS, ResultSet } from '../../src/webview/results/resultSet';
import { RowStore } from '../../src/webview/results/rowStore';
import { guessKind, numericValue, parseTime } from '../../src/webview/results/values';

const columns: ResultColumn[] = [
  { name: 'app', kind: 'text' },
  { name: 'n', kind: 'number' },
  { name: 'at', kind: 'timestamp' },
];
const rows: Cell[][] = [
  ['web', '10', '2024-01-01 00:00:02.000'],
  ['api', '2', '2024-01-01 00:00:01.000'],
  ['Web-2', null, '2024-01-01 00:00:03.000'],
  ['', '-5', null],
  [null, '100', '2024-01-01 00:00:00.000'],
];

function filled(csvChunk = 7): ResultSet {
  const rs = new ResultSet(columns, { csvHeader: true });
  const csv = encodeRow(columns.map((c) => c.name)) + rows.map(encodeRow).join('');
  for (let i = 0; i < csv.length; i += csvChunk) rs.pushCsv(csv.slice(i, i + csvChunk));
  rs.endCsv();
  return rs;
}

test('the store drops the header, keeps rows as text and pads short rows with NULL', () => {
  const store = new RowStore(3, 1);
  store.pushCsv('"a","b","c"\n"1",,""\n"2"\n');
  store.endCsv();
  assert.equal(store.length, 2);
  assert.deepEqual(store.row(0), ['1', null, '']);
  assert.deepEqual(store.row(1), ['2', null, null]);
  assert.equal(store.field(0, 2), '');
  assert.equal(store.field(0, 1), null);
  assert.ok(!store.textLength || store.textLength < 20, 'header text is not retained');
});

test('CSV pushed in small chunks and rows appended as arrays read back the same', () => {
  const a = filled(3);
  const b = new ResultSet(columns);
  b.appendRows(rows.slice(0, 2));
  b.appendRows(rows.slice(2));
  assert.equal(a.length, 5);
  assert.deepEqual(a.getRows(0, 10), rows);
  assert.deepEqual(b.getRows(0, 10), rows);
  assert.deepEqual(a.getRows(3, 10), rows.slice(3));
  assert.deepEqual(a.getRows(9, 10), []);
});

test('sorting numbers and text; NULLs last in both directions; stable', async () => {
  const rs = filled();
  await rs.finish();
  let v = await rs.setView({ sort: { column: 1, descending: false } });
  assert.equal(v.total, 5);
  assert.deepEqual(rs.getRows(0, 5).map((r) => r[1]), ['-5', '2', '10', '100', null]);
  await rs.setView({ sort: { column: 1, descending: true } });
  assert.deepEqual(rs.getRows(0, 5).map((r) => r[1]), ['100', '10', '2', '-5', null]);
  await rs.setView({ sort: { column: 0, descending: false } });
  assert.deepEqual(rs.getRows(0, 5).map((r) => r[0]), ['', 'Web-2', 'api', 'web', null]);
  v = await rs.setView({ sort: { column: 2, descending: false } });
  assert.deepEqual(rs.getRows(0, 5).map((r) => r[0]), [null, 'api', 'web', 'Web-2', '']);
  const before = v.version;
  v = await rs.setView({});
  assert.ok(v.version > before);
  assert.deepEqual(rs.getRows(0, 5), rows);
});

test('filtering: any column (case-insensitive), one column, comparisons, NULL tests', async () => {
  const rs = filled();
  await rs.finish();
  assert.equal((await rs.setView({ filter: { column: -1, text: 'WEB' } })).total, 2);
  assert.equal((await rs.setView({ filter: { column: -1, text: '2024-01-01 00:00:03' } })).total, 1);
  assert.equal((await rs.setView({ filter: { column: 1, text: '> 5' } })).total, 2);
  assert.equal((await rs.setView({ filter: { column: 1, text: 'is null' } })).total, 1);
  assert.equal((await rs.setView({ filter: { column: 0, text: 'is null' } })).total, 1);
  assert.equal((await rs.setView({ filter: { column: 0, text: '= ' } })).total, 1, 'the empty string, not the NULL');
  const v = await rs.setView({ filter: { column: 1, text: '>= 2' }, sort: { column: 1, descending: true } });
  assert.equal(v.total, 3);
  assert.deepEqual(rs.getRows(0, 5).map((r) => r[1]), ['100', '10', '2']);
  // The quoted text of the raw CSV does not leak into matches.
  assert.equal((await rs.setView({ filter: { column: -1, text: '","' } })).total, 0);
});

test('cellTest understands the column kind', () => {
  const t = cellTest({ column: 2, text: '< 2024-01-01 00:00:02' }, columns);
  assert.equal(t('2024-01-01 00:00:01.000'), true);
  assert.equal(t('2024-01-01 00:00:02.500'), false);
  assert.equal(t(null), false);
  assert.equal(cellTest({ column: 0, text: 'is not null' }, columns)(''), true);
});

test('a sort made while loading is marked partial and remade over all rows at finish', async () => {
  const rs = new ResultSet(columns);
  rs.appendRows(rows.slice(0, 2));
  const events: string[] = [];
  rs.on((e) => events.push(e.type));
  const v = await rs.setView({ sort: { column: 1, descending: false } });
  assert.equal(v.partial, true);
  assert.equal(v.total, 2);
  rs.appendRows(rows.slice(2));
  await rs.finish();
  const after = rs.viewInfo();
  assert.equal(after.total, 5);
  assert.equal(after.partial, undefined);
  assert.deepEqual(rs.getRows(0, 5).map((r) => r[1]), ['-5', '2', '10', '100', null]);
  assert.deepEqual(events, ['view', 'rows', 'status', 'view']);
});

test('chart data: time x sorted ascending in seconds; categories summed', () => {
  const rs = filled();
  const time = rs.chartData({ x: 2, ys: [1] });
  assert.equal(time.xKind, 'time');
  assert.deepEqual(time.x, [1704067200, 1704067201, 1704067202, 1704067203]);
  assert.deepEqual(time.ys[0], [100, 2, 10, null]);
  const cat = rs.chartData({ x: 0, ys: [1] });
  assert.equal(cat.xKind, 'category');
  assert.deepEqual(cat.categories, ['web', 'api', 'Web-2', '', 'NULL']);
  assert.deepEqual(cat.ys[0], [10, 2, null, -5, 100]);
});

test('chart data samples big results evenly', () => {
  const rs = new ResultSet([{ name: 'x', kind: 'number' }, { name: 'y', kind: 'number' }]);
  const n = MAX_CHART_POINTS * 2 + 10;
  const batch: Cell[][] = [];
  for (let i = 0; i < n; i++) batch.push([String(i), String(i * 2)]);
  rs.appendRows(batch);
  const d = rs.chartData({ x: 0, ys: [1] });
  assert.equal(d.x.length, MAX_CHART_POINTS);
  assert.equal(d.x[0], 0);
  assert.ok(d.x[d.x.length - 1] > n - 5);
  assert.match(d.note ?? '', /Sampled/);
});

test('value parsing', () => {
  assert.equal(parseTime('2024-01-31'), Date.UTC(2024, 0, 31));
  assert.equal(parseTime('2024-01-31 10:20:30.123'), Date.UTC(2024, 0, 31, 10, 20, 30, 123));
  assert.equal(parseTime('2024-01-31 10:20:30.123 UTC'), Date.UTC(2024, 0, 31, 10, 20, 30, 123));
  assert.equal(parseTime('2024-01-31T10:20:30+02:00'), Date.UTC(2024, 0, 31, 8, 20, 30));
  assert.ok(Number.isNaN(parseTime('yesterday')));
  assert.ok(Number.isNaN(numericValue('number', null)));
  assert.ok(Number.isNaN(numericValue('number', '')));
  assert.equal(numericValue('boolean', 'true'), 1);
  assert.equal(guessKind(['1', '2.5', null]), 'number');
  assert.equal(guessKind(['2024-01-01 00:00:00']), 'timestamp');
  assert.equal(guessKind(['x', '1']), 'text');
});

test('the CSV header skip never drops rows appended as arrays', () => {
  const rs = new ResultSet(columns, { csvHeader: true });
  rs.appendRows([rows[0]]);
  rs.pushCsv('"app","n","at"\n');
  rs.pushCsv(encodeRow(rows[1]));
  rs.endCsv();
  assert.deepEqual(rs.getRows(0, 5), [rows[0], rows[1]]);
});

test('chart data split by a category: one series per value, on the union of x', () => {
  const rs = new ResultSet([{ name: 'app', kind: 'text' }, { name: 'at', kind: 'timestamp' }, { name: 'errors', kind: 'number' }]);
  rs.appendRows([
    ['web', '2024-01-01 00:00:00', '1'], ['api', '2024-01-01 00:00:00', '5'],
    ['web', '2024-01-01 01:00:00', '2'], ['api', '2024-01-01 02:00:00', '7'],
  ]);
  const d = rs.chartData({ x: 1, ys: [2], splitBy: 0 });
  assert.deepEqual(d.series, ['api', 'web']);
  assert.deepEqual(d.x, [1704067200, 1704070800, 1704074400]);
  assert.deepEqual(d.ys, [[5, null, 7], [1, 2, null]]);
});
