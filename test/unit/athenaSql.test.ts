import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorPosition, firstKeyword, mapErrorPosition, parameterProblem, positionOf, qualifierBefore, referencedTables, splitStatements, statementAt } from '../../src/athena/sql';

test('splits on semicolons and trims each statement', () => {
  const src = 'SELECT 1;\n\n  SELECT 2 ;\nSELECT 3';
  const s = splitStatements(src);
  assert.deepEqual(s.map((x) => x.text), ['SELECT 1', 'SELECT 2', 'SELECT 3']);
  for (const st of s) assert.equal(src.slice(st.start, st.end), st.text);
});

test('semicolons inside strings, quoted identifiers and comments do not split', () => {
  const src = [
    "SELECT 'a;b', 'it''s; fine' AS \"weird;name\", `x;y` FROM t -- trailing; comment",
    'WHERE c = 1 /* block; comment',
    'still; comment */ AND d = 2;',
    "SELECT ';' ; -- only a comment; here",
    '/* nothing but a comment; */',
  ].join('\n');
  const s = splitStatements(src);
  assert.equal(s.length, 2);
  assert.match(s[0].text, /^SELECT 'a;b'/);
  assert.match(s[0].text, /AND d = 2$/);
  assert.equal(s[1].text, "SELECT ';'");
});

test('statements made only of comments and whitespace are dropped', () => {
  assert.deepEqual(splitStatements('  ;; -- hi\n;/* x */;\n').length, 0);
  assert.deepEqual(splitStatements('').length, 0);
});

test('leading comments stay with their statement (Athena accepts them)', () => {
  const s = splitStatements('-- errors per hour\nSELECT 1;');
  assert.equal(s.length, 1);
  assert.equal(s[0].text, '-- errors per hour\nSELECT 1');
  assert.equal(firstKeyword(s[0].text), 'SELECT');
  assert.equal(firstKeyword('/* a */ -- b\n  show tables'), 'SHOW');
});

test('parameters are the ? outside strings and comments', () => {
  const src = "SELECT * FROM t WHERE a = ? AND b = '?' AND \"c?\" = ? -- ?\n/* ? */";
  const [s] = splitStatements(src);
  assert.equal(s.parameters.length, 2);
  for (const p of s.parameters) assert.equal(src[p], '?');
});

test('statementAt picks the statement under, just after, or nearest before the cursor', () => {
  const src = 'SELECT 1;\n\nSELECT 2;\n';
  const s = splitStatements(src);
  assert.equal(statementAt(s, 0)?.text, 'SELECT 1');
  assert.equal(statementAt(s, 9)?.text, 'SELECT 1'); // right after the semicolon
  assert.equal(statementAt(s, 10)?.text, 'SELECT 1'); // blank line after it
  assert.equal(statementAt(s, 13)?.text, 'SELECT 2');
  assert.equal(statementAt(s, src.length)?.text, 'SELECT 2');
  assert.equal(statementAt([], 0), undefined);
  assert.equal(statementAt(splitStatements('\n\n  SELECT 3'), 0)?.text, 'SELECT 3');
});

test('Athena error positions map into the document', () => {
  assert.deepEqual(errorPosition("COLUMN_NOT_FOUND: line 3:8: Column 'foo' cannot be resolved"), { line: 3, column: 8 });
  assert.deepEqual(errorPosition('line 1:15: mismatched input'), { line: 1, column: 15 });
  assert.equal(errorPosition('Access denied'), undefined);
  const src = 'SELECT 1;\n  SELECT x\n  FROM t';
  const [, second] = splitStatements(src);
  const start = positionOf(src, second.start);
  assert.deepEqual(start, { line: 1, character: 2 });
  // line 1 col 8 of the statement is on the statement's first line, shifted by its indent.
  assert.deepEqual(mapErrorPosition(start, { line: 1, column: 8 }), { line: 1, character: 9 });
  assert.equal(src.split('\n')[1][9], 'x');
  // Later lines keep their own columns.
  assert.deepEqual(mapErrorPosition(start, { line: 2, column: 3 }), { line: 2, character: 2 });
});

test('parameter values must be SQL literals', () => {
  for (const ok of ["'my-app'", "'it''s'", '42', '-1.5e3', "DATE '2024-01-31'", 'true', 'NULL', "timestamp '2024-01-01 00:00:00'"]) {
    assert.equal(parameterProblem(ok), undefined, ok);
  }
  assert.match(parameterProblem('my-app') ?? '', /quoted: 'my-app'/);
  assert.match(parameterProblem("'open") ?? '', /Unterminated/);
  assert.match(parameterProblem('  ') ?? '', /SQL literal/);
});

test('tables and aliases after FROM and JOIN, for column completion', () => {
  const sql = 'SELECT e.level FROM logs.events e JOIN "My Db"."Apps" AS a ON a.id = e.appid LEFT JOIN alerts WHERE 1=1';
  assert.deepEqual(referencedTables(sql), [
    { database: 'logs', table: 'events', alias: 'e' },
    { database: 'My Db', table: 'Apps', alias: 'a' },
    { table: 'alerts', alias: undefined },
  ]);
  assert.equal(qualifierBefore('SELECT e.'), 'e');
  assert.equal(qualifierBefore('SELECT e.lev'), 'e');
  assert.equal(qualifierBefore('FROM "My Db".'), 'My Db');
  assert.equal(qualifierBefore('SELECT lev'), undefined);
});
