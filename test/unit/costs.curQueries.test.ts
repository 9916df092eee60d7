// The bundled CUR 2.0 query library: each file is one Athena statement whose `?` markers match the
// parameters its header declares, checked with the Athena feature's own statement splitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { splitStatements } from '../../src/athena/sql';
import { listQueries, parseQuery, renderQuery, tableProblem, TABLE_PLACEHOLDER } from '../../src/costs/curQueries';

const DIR = join(__dirname, '..', '..', '..', 'media', 'queries', 'cur');

test('the library holds the five required queries', async () => {
  const titles = (await listQueries(DIR)).map((q) => q.title);
  assert.deepEqual(titles, ['Top 10 costliest services', 'Top 10 costliest accounts', 'Cost by a tag (e.g. cost_center)', 'Distinct billing periods', 'Usage types']);
});

test('each query is one statement, names the table placeholder, and declares every ? parameter', async () => {
  for (const q of await listQueries(DIR)) {
    assert.ok(q.text.includes(TABLE_PLACEHOLDER), q.file);
    const statements = splitStatements(renderQuery(q, 'cur.data'));
    assert.equal(statements.length, 1, q.file);
    assert.equal(statements[0].parameters.length, q.parameters.length, `${q.file}: declared ${q.parameters.length}`);
    assert.ok(q.description.length > 20, q.file);
    assert.match(statements[0].text, /FROM cur\.data\b/, q.file);
  }
});

test('parsing the header: title, description, parameters', () => {
  const q = parseQuery('x.sql', "-- Title here\n-- What it does.\n-- Parameters (in order):\n--   1. first\n--   2. second\nSELECT ? , ? FROM {{cur_table}};\n");
  assert.equal(q.title, 'Title here');
  assert.equal(q.description, 'What it does.');
  assert.deepEqual(q.parameters, ['first', 'second']);
});

test('only a table name can be written in: no SQL through the table prompt', () => {
  assert.equal(tableProblem('cur.data'), undefined);
  assert.equal(tableProblem('"my-db"."cur 2"'), undefined);
  assert.ok(tableProblem('cur.data; DROP TABLE x'));
  assert.ok(tableProblem('a.b.c'));
  assert.ok(tableProblem(''));
  assert.throws(() => renderQuery(parseQuery('x.sql', 'SELECT 1 FROM {{cur_table}}'), 'x --'));
});
