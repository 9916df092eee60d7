import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fillPlaceholders, identifierProblem, libraryProblems, listLibrary, parseLibraryQuery } from '../../src/athena/library';

const ROOT = join(__dirname, '..', '..', '..');

test('the bundled library parses, and every ? is documented', async () => {
  const all = await listLibrary(join(ROOT, 'media', 'queries'));
  const pipeline = all.filter((q) => q.group === 'pipeline').map((q) => q.title);
  assert.deepEqual(pipeline.sort(), ['Busiest apps', 'Errors per app per hour', 'Last events of an app']);
  for (const q of all) {
    assert.deepEqual(libraryProblems(q), [], q.file);
    assert.ok(q.description.length > 20, `${q.file} has a description`);
  }
  const errors = all.find((q) => q.file === 'errors-per-app-per-hour.sql')!;
  assert.deepEqual(errors.placeholders, ['events_table']);
  assert.equal(errors.parameters.length, 5);
});

test('placeholders take identifiers only', () => {
  const q = parseLibraryQuery('g', 'x.sql', '-- T\n-- D\nSELECT * FROM {{events_table}} WHERE a = ?;');
  assert.equal(fillPlaceholders(q.text, { events_table: 'logs.events' }), '-- T\n-- D\nSELECT * FROM logs.events WHERE a = ?;');
  assert.equal(fillPlaceholders(q.text, { events_table: '"My Db"."events"' }).includes('"My Db"."events"'), true);
  assert.throws(() => fillPlaceholders(q.text, { events_table: 'x; DROP TABLE y' }), /database\.table/);
  assert.equal(identifierProblem('a.b.c') !== undefined, true);
});
