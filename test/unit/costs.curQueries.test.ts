// The CUR 2.0 queries (media/queries/cur, the `cur` group of the Athena query library): each is one
// Athena statement whose `?` markers match its documented parameters, with the table written in on open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fillPlaceholders, libraryProblems, listLibrary } from '../../src/athena/library';
import { splitStatements } from '../../src/athena/sql';

const ROOT = join(__dirname, '..', '..', '..', 'media', 'queries');

test('the CUR 2.0 library holds the five queries the issue asks for', async () => {
  const titles = (await listLibrary(ROOT)).filter((q) => q.group === 'cur').map((q) => q.title);
  assert.deepEqual(titles, ['Top 10 costliest services', 'Top 10 costliest accounts', 'Cost by a tag (e.g. cost_center)', 'Distinct billing periods', 'Usage types']);
});

test('each CUR query is one statement, documents every ? parameter, and takes its table on open', async () => {
  for (const q of (await listLibrary(ROOT)).filter((x) => x.group === 'cur')) {
    assert.deepEqual(libraryProblems(q), [], q.file);
    assert.deepEqual(q.placeholders, ['cur_table'], q.file);
    assert.ok(q.description.length > 20, q.file);
    const sql = fillPlaceholders(q.text, { cur_table: 'data_exports.cur2' });
    assert.match(splitStatements(sql)[0].text, /FROM data_exports\.cur2\b/, q.file);
    assert.throws(() => fillPlaceholders(q.text, { cur_table: 'x; DROP TABLE y' }), q.file);
  }
});

test('the cost-by-tag query takes the tag key as a parameter, not as SQL text', async () => {
  const q = (await listLibrary(ROOT)).find((x) => x.file === '03-cost-by-tag.sql');
  assert.ok(q);
  assert.match(q.text, /element_at\(resource_tags, \?\)/);
  assert.equal(q.parameters.length, 2);
  assert.match(q.parameters[0], /user_cost_center/);
});
