import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../src/webview/results/csv';
import { copyText, exportChunks, jsonValue } from '../../src/webview/results/export';
import { ResultSet } from '../../src/webview/results/resultSet';
import { FORMULA_CELLS } from '../fixtures/hostile';

function sample(): ResultSet {
  const rs = new ResultSet([{ name: 'name', kind: 'text' }, { name: 'n', kind: 'number' }, { name: 'ok', kind: 'boolean' }]);
  rs.appendRows([['a\tb', '1', 'true'], [null, '12345678901234567890', null], ['', '2.50', 'false']]);
  return rs;
}

test('CSV export keeps the header and NULL vs empty, and follows the view order', async () => {
  const rs = sample();
  await rs.setView({ sort: { column: 0, descending: true } });
  const text = [...exportChunks(rs, 'csv', 8)].join('');
  assert.deepEqual(parseCsv(text), [['name', 'n', 'ok'], ['a\tb', '1', 'true'], ['', '2.50', 'false'], [null, '12345678901234567890', null]]);
});

test('JSON export is one valid array; numbers only when lossless', () => {
  const chunks = [...exportChunks(sample(), 'json', 10)];
  assert.ok(chunks.length > 1, 'streamed in chunks');
  assert.deepEqual(JSON.parse(chunks.join('')), [
    { name: 'a\tb', n: 1, ok: true },
    { name: null, n: '12345678901234567890', ok: null },
    { name: '', n: '2.50', ok: false },
  ]);
  assert.deepEqual(JSON.parse([...exportChunks(new ResultSet([{ name: 'x', kind: 'text' }]), 'json')].join('')), []);
  assert.equal(jsonValue('number', '-3'), -3);
});

test('copy: one cell as its value, a range as TSV with quoting', () => {
  const rs = sample();
  assert.equal(copyText(rs, 0, 0, [0]).text, 'a\tb');
  assert.equal(copyText(rs, 1, 1, [0]).text, '');
  const all = copyText(rs, 2, 0, undefined, { header: true });
  assert.equal(all.rows, 3);
  assert.equal(all.text, 'name\tn\tok\n"a\tb"\t1\ttrue\n\t12345678901234567890\t\n\t2.50\tfalse');
  assert.equal(copyText(rs, 0, 99, [1]).rows, 3);
});

function formulas(): ResultSet {
  const rs = new ResultSet([{ name: '=cmd|\' /C calc\'!A0', kind: 'text' }, { name: 'n', kind: 'number' }]);
  rs.appendRows(FORMULA_CELLS.map((c, i) => [c, String(-i)]));
  return rs;
}

test('CSV export is safe for spreadsheets by default (FORMULA_CELLS and a hostile column name get a leading \'); csv-exact keeps every value; JSON is exact', () => {
  const safe = parseCsv([...exportChunks(formulas(), 'csv')].join(''));
  assert.deepEqual(safe[0], ['\'=cmd|\' /C calc\'!A0', 'n']);
  assert.deepEqual(safe.slice(1).map((r) => r[0]), FORMULA_CELLS.map((c) => `'${c}`));
  assert.deepEqual(safe.slice(1).map((r) => r[1]), FORMULA_CELLS.map((_, i) => String(-i)), 'negative numbers stay numbers');
  const exact = parseCsv([...exportChunks(formulas(), 'csv-exact')].join(''));
  assert.deepEqual(exact.slice(1).map((r) => r[0]), [...FORMULA_CELLS]);
  assert.equal(exact[0][0], '=cmd|\' /C calc\'!A0');
  const json = JSON.parse([...exportChunks(formulas(), 'json')].join('')) as Record<string, unknown>[];
  assert.deepEqual(json.map((r) => r['=cmd|\' /C calc\'!A0']), [...FORMULA_CELLS]);
});

test('copy: exact values by default (what the clipboard holds is the data); spreadsheetSafe (Copy for Spreadsheet) neutralises FORMULA_CELLS', () => {
  const rs = formulas();
  const last = FORMULA_CELLS.length - 1;
  const exact = copyText(rs, 0, last, [0]).text.split('\n');
  assert.equal(exact[0], FORMULA_CELLS[0].includes('"') ? `"${FORMULA_CELLS[0].replace(/"/g, '""')}"` : FORMULA_CELLS[0]);
  assert.equal(copyText(rs, 2, 2, [0]).text, '-2+3', 'one cell copies as its exact value');
  const safe = copyText(rs, 0, last, [0, 1], { header: true, spreadsheetSafe: true }).text;
  const pasted = safe.split('\n').map((line) => line.split('\t')[0].replace(/^"|"$/g, '').replace(/""/g, '"'));
  assert.equal(pasted[0], '\'=cmd|\' /C calc\'!A0');
  // The tab and CR cells are quoted (they hold a separator); inside the quotes they start with '.
  assert.deepEqual(pasted.slice(1, 5), FORMULA_CELLS.slice(0, 4).map((c) => `'${c}`));
  assert.ok(safe.includes('"\'\t=1+1"') && safe.includes('"\'\r=1+1"'), safe);
  assert.equal(copyText(rs, 2, 2, [0], { spreadsheetSafe: true }).text, '\'-2+3');
});
