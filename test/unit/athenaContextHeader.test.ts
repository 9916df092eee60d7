import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { contextHeaderText, parseContextHeader } from '../../src/athena/contextHeader';
import { athenaQuery } from '../../src/pipeline/actions';
import { HOSTILE_ATHENA_NAMES, SQL_INJECTION_APP_IDS } from '../fixtures/hostile';

describe('a .sql file\'s own Athena context (header comments)', () => {
  test('reads workgroup, catalog and database from the leading comments only; the first line for a key wins', () => {
    const text = '-- Pipeline events\n-- workgroup: my-pipe\n--database:cloud_monitor_my_pipe\n-- workgroup: other\n\nSELECT 1;\n-- catalog: late\n';
    const p = parseContextHeader(text);
    assert.deepEqual(p.header, { workgroup: 'my-pipe', database: 'cloud_monitor_my_pipe' });
    assert.deepEqual(p.lines.map((l) => [l.key, l.line]), [['workgroup', 1], ['database', 2]]);
    assert.deepEqual(p.problems, []);
  });
  test('a file without a header has none', () => {
    assert.deepEqual(parseContextHeader('SELECT 1;\n-- workgroup: x\n').header, {});
  });
  test('names of the wrong shape are ignored and reported, never used', () => {
    for (const bad of HOSTILE_ATHENA_NAMES) {
      const p = parseContextHeader(`-- database: ${bad}\nSELECT 1;`);
      // A name with a line break ends the header line; whatever follows is not the name given.
      assert.notEqual(p.header.database, bad, JSON.stringify(bad));
      if (!bad.includes('\n')) assert.equal(p.problems.length, 1, JSON.stringify(bad));
    }
  });
  test('writing a header refuses names of the wrong shape', () => {
    assert.equal(contextHeaderText({ workgroup: 'my-pipe', database: 'cloud_monitor_my_pipe' }), '-- workgroup: my-pipe\n-- database: cloud_monitor_my_pipe\n');
    for (const bad of HOSTILE_ATHENA_NAMES) {
      assert.throws(() => contextHeaderText({ database: bad }), /Not a valid Athena database name/);
      assert.throws(() => contextHeaderText({ workgroup: bad }), /Not a valid Athena workgroup name/);
    }
  });
  test('the pipeline query refuses database and table names other than the stack makes, and app ids that break a line', () => {
    for (const bad of HOSTILE_ATHENA_NAMES) {
      assert.throws(() => athenaQuery(bad, 'events', 'orders'), /Not a Glue database name/);
      assert.throws(() => athenaQuery('cloud_monitor_p', bad, 'orders'), /Not a Glue table name/);
    }
    for (const appId of SQL_INJECTION_APP_IDS.filter((a) => /[\r\n]/.test(a))) assert.throws(() => athenaQuery('cloud_monitor_p', 'events', appId), /no control characters/);
  });
});
