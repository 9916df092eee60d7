import { test } from 'node:test';
import assert from 'node:assert/strict';
import { athenaTypeToKind } from '../../src/athena/types';

test('Athena types map to grid kinds', () => {
  const cases: [string | undefined, string][] = [
    ['bigint', 'number'], ['integer', 'number'], ['tinyint', 'number'], ['smallint', 'number'],
    ['double', 'number'], ['float', 'number'], ['real', 'number'], ['decimal(38,9)', 'number'], ['DECIMAL(10, 2)', 'number'],
    ['boolean', 'boolean'],
    ['date', 'date'],
    ['timestamp', 'timestamp'], ['timestamp(3)', 'timestamp'], ['timestamp with time zone', 'timestamp'], ['timestamp(3) with time zone', 'timestamp'],
    ['time', 'time'], ['time with time zone', 'time'],
    ['varchar', 'text'], ['varchar(255)', 'text'], ['char(3)', 'text'], ['string', 'text'],
    ['array<varchar>', 'json'], ['array(varchar)', 'json'], ['map<varchar,bigint>', 'json'], ['row(a integer, b varchar)', 'json'], ['struct<a:int>', 'json'], ['json', 'json'],
    ['varbinary', 'binary'],
    ['interval day to second', 'text'], ['uuid', 'text'], ['ipaddress', 'text'], ['', 'text'], [undefined, 'text'],
  ];
  for (const [type, kind] of cases) assert.equal(athenaTypeToKind(type), kind, String(type));
});
