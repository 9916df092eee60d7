import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvRowScanner, decodeRow, encodeRow, encodeSpreadsheetSafeRow, fieldAt, parseCsv, spreadsheetSafe, type Cell } from '../../src/webview/results/csv';
import { FORMULA_CELLS } from '../fixtures/hostile';

test('quoted fields, doubled quotes, and NULL (unquoted empty) vs "" (empty string)', () => {
  const rows = parseCsv('"a","b","c"\n"x",,""\n"say ""hi""","",\n');
  assert.deepEqual(rows, [
    ['a', 'b', 'c'],
    ['x', null, ''],
    ['say "hi"', '', null],
  ]);
});

test('newlines, CRLF and commas inside quoted fields', () => {
  const rows = parseCsv('"line1\nline2","a,b"\r\n"x\r\ny","z"\r\n');
  assert.deepEqual(rows, [['line1\nline2', 'a,b'], ['x\r\ny', 'z']]);
});

test('unquoted values from other writers are text; a last row without newline is kept', () => {
  assert.deepEqual(parseCsv('1,abc,,"q"\n2,d e,f,'), [['1', 'abc', null, 'q'], ['2', 'd e', 'f', null]]);
});

test('a single NULL column is an empty line; unicode survives', () => {
  assert.deepEqual(parseCsv('"ü ✓ 日本"\n\n"€"\n'), [['ü ✓ 日本'], [], ['€']]);
});

test('the scanner gives the same rows however the input is chunked', () => {
  const text = '"h1","h2"\n"a ""q""\nb",\n,"x,y"\n"",""\n"last","row"';
  const expected = parseCsv(text);
  for (let size = 1; size <= text.length; size++) {
    const scanner = new CsvRowScanner(0);
    const rows: Cell[][] = [];
    const take = (b: ReturnType<CsvRowScanner['push']>) => {
      if (!b) return;
      b.starts.forEach((s, i) => rows.push(decodeRow(b.text, s, i + 1 < b.starts.length ? b.starts[i + 1] : b.text.length)));
    };
    for (let i = 0; i < text.length; i += size) take(scanner.push(text.slice(i, i + size)));
    take(scanner.end());
    assert.deepEqual(rows, expected, `chunk size ${size}`);
  }
});

test('blocks gather small chunks until the threshold', () => {
  const scanner = new CsvRowScanner(20);
  assert.equal(scanner.push('"a"\n"b"\n'), undefined);
  const block = scanner.push('"c"\n"d"\n"e"\n"f');
  assert.deepEqual(block?.starts.length, 5);
  assert.equal(scanner.end()?.text, '"f');
});

test('fieldAt reads one field without decoding the row', () => {
  const text = '"a ""1""",,"b,\nc",d,""\n';
  const row = decodeRow(text, 0, text.length);
  assert.deepEqual(row, ['a "1"', null, 'b,\nc', 'd', '']);
  for (let k = 0; k < row.length; k++) assert.equal(fieldAt(text, 0, text.length, k), row[k], `field ${k}`);
  assert.equal(fieldAt(text, 0, text.length, 5), undefined);
  assert.equal(fieldAt('"x",\n', 0, 5, 1), null);
});

test('encodeRow round-trips through the parser', () => {
  const rows: Cell[][] = [['a', null, '', 'q"uote', 'new\nline', 'c,omma', '<img src=x onerror=alert(1)>']];
  assert.deepEqual(parseCsv(rows.map(encodeRow).join('')), rows);
  assert.equal(encodeRow([null, '', 'x']), ',"","x"\n');
});

test('the first block goes out early, later ones gather up to the threshold', () => {
  const scanner = new CsvRowScanner(1000, 10);
  assert.equal(scanner.push('"a"\n'), undefined);
  assert.deepEqual(scanner.push('"b"\n"c"\n')?.starts.length, 3, 'first block once 10 chars are in');
  assert.equal(scanner.push('"d"\n"e"\n"f"\n'), undefined, 'then blocks wait for 1000 chars');
  assert.equal(scanner.end()?.starts.length, 3);
});

test('spreadsheetSafe: every FORMULA_CELLS cell gets a leading quote; plain numbers and other text stay exact', () => {
  for (const cell of FORMULA_CELLS) assert.equal(spreadsheetSafe(cell), `'${cell}`, JSON.stringify(cell));
  for (const cell of ['-3', '+1.5', '-0.25e-3', '.5', 'plain', 'a=b', '', ' =1', '\'=already quoted']) assert.equal(spreadsheetSafe(cell), cell, JSON.stringify(cell));
});

test('encodeSpreadsheetSafeRow neutralises FORMULA_CELLS; encodeRow keeps them exact; NULL stays NULL in both', () => {
  const row: Cell[] = [...FORMULA_CELLS, null, '-42', 'ok'];
  assert.deepEqual(parseCsv(encodeRow(row)), [row], 'exact: the values round-trip unchanged');
  const safe = parseCsv(encodeSpreadsheetSafeRow(row))[0];
  assert.deepEqual(safe, [...FORMULA_CELLS.map((c) => `'${c}`), null, '-42', 'ok']);
  // What a spreadsheet looks at: no field of the safe line starts with a formula character.
  for (const field of safe) if (field) assert.doesNotMatch(field, /^[=+@\t\r]|^-(?!\d+$)/, field);
});
