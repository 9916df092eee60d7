import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../src/webview/results/csv';
import { copyText, exportChunks, jsonValue } from '../../src/webview/results/export';
import { ResultSet } from '../../src/webview/results/resultSet';

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
  const all = copyText(rs, 2, 0, undefined, true);
  assert.equal(all.rows, 3);
  assert.equal(all.text, 'name\tn\tok\n"a\tb"\t1\ttrue\n\t12345678901234567890\t\n\t2.50\tfalse');
  assert.equal(copyText(rs, 0, 99, [1]).rows, 3);
});
