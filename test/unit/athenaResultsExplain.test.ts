import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueryExecution } from '@aws-sdk/client-athena';
import { executionDetails, scanNote } from '../../src/athena/athenaClient';
import { MB } from '../../src/athena/cost';
import { ResultSet, rowTest } from '../../src/webview/results/resultSet';
import type { Cell, ResultColumn } from '../../src/webview/results/protocol';

const columns: ResultColumn[] = [
  { name: 'appid', kind: 'text', type: 'varchar' },
  { name: 'hour', kind: 'timestamp', type: 'timestamp' },
  { name: 'errors', kind: 'number', type: 'bigint' },
  { name: 'warnings', kind: 'number', type: 'bigint' },
];
const rows: Cell[][] = [
  ['checkout', '2024-05-01 00:00', '2', '40'],
  ['payments', '2024-05-01 01:00', '55', '1'],
  ['orders', '2024-05-01 02:00', '10', null],
  ['10', '2024-05-01 03:00', '1', '1'],
];

describe('filters over All columns', () => {
  test('"> 10" compares the number columns only (text "payments" > "10" does not count)', async () => {
    const rs = new ResultSet(columns);
    rs.appendRows(rows);
    await rs.finish();
    const view = await rs.setView({ filter: { column: -1, text: '> 10' } });
    assert.deepEqual(rs.getRows(0, view.total).map((r) => r[0]), ['checkout', 'payments']);
  });
  test('= text matches a whole cell of a text column; is null matches a row with an empty cell; != needs every column to differ', () => {
    const eq = rowTest('= orders', columns)!;
    assert.deepEqual(rows.filter(eq).map((r) => r[0]), ['orders']);
    const isNull = rowTest('is null', columns)!;
    assert.deepEqual(rows.filter(isNull).map((r) => r[0]), ['orders']);
    const ne = rowTest('!= 1', columns)!;
    // orders has a null warnings cell: a null is not a number, so it fails the comparison.
    assert.deepEqual(rows.filter(ne).map((r) => r[0]), ['checkout']);
  });
  test('a date compares the date and time columns', () => {
    assert.deepEqual(rows.filter(rowTest('>= 2024-05-01 02:00', columns)!).map((r) => r[0]), ['orders', '10']);
  });
  test('plain text is left to the "contains" search', () => {
    assert.equal(rowTest('payments', columns), undefined);
  });
});

describe('"Data scanned" explains itself', () => {
  const qe = (over: Partial<QueryExecution>): QueryExecution => ({ Status: { State: 'SUCCEEDED' }, StatementType: 'DML', Statistics: { DataScannedInBytes: 0 }, ...over });
  test('a small scan is billed at the 10 MB minimum, and says so beside the figure', () => {
    const d = executionDetails(qe({ Statistics: { DataScannedInBytes: 1500 } }));
    assert.equal(d.find((x) => x.label === 'Data scanned')?.value, "1.46 KB · billed as 10.0 MB, Athena's 10 MB minimum per query");
    assert.match(d.find((x) => x.label === 'Cost')!.value, /^\$0\.0000477 \(billed: 10\.0 MB\)$/);
  });
  test('DDL and reused results scan nothing and are not charged', () => {
    assert.match(scanNote(qe({ StatementType: 'DDL' }), 0), /DDL statement: it reads no data and is not charged/);
    const reused = executionDetails(qe({ Statistics: { DataScannedInBytes: 0, ResultReuseInformation: { ReusedPreviousResult: true } } }));
    assert.match(reused.find((x) => x.label === 'Data scanned')!.value, /results reused from an earlier run/);
    assert.equal(reused.find((x) => x.label === 'Cost')!.value, '$0.00');
  });
  test('a scan above the minimum needs no note', () => {
    assert.equal(scanNote(qe({ Statistics: { DataScannedInBytes: 20 * MB } }), 20 * MB), '');
  });
});
