// Athena against moto_server. moto gives canned results (seeded via /moto-api/static/athena/query-results)
// and does not write the result CSV itself the way Athena does, so the tests put it at the
// OutputLocation. moto answers GetQueryResults in one response, so paging goes through a loopback
// pager (test/helpers/athenaPager.ts). moto lacks ListTableMetadata and never fails a query: those
// paths use aws-sdk-client-mock, and the test names say so.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand, GetQueryResultsCommand, GetWorkGroupCommand, ListTableMetadataCommand, StartQueryExecutionCommand,
  StopQueryExecutionCommand, type QueryExecution,
} from '@aws-sdk/client-athena';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { executionDetails, openResults, QueryCancelledError, QueryFailedError, sourceLabel, startQuery, waitForQuery } from '../../src/athena/athenaClient';
import { fetchCatalogs, fetchDatabases, fetchTables, fetchWorkGroups } from '../../src/athena/schema';
import { findMissingContext } from '../../src/athena/contextCheck';
import { encodeRow, type Cell } from '../../src/webview/results/csv';
import { startMoto, type Moto } from '../helpers/moto';
import { startAthenaPager, type AthenaPager } from '../helpers/athenaPager';
import { STAND_IN_HEADER } from '../helpers/contractRecorder';

let moto: Moto;
let pager: AthenaPager;
let athena: AthenaClient;
let s3: S3Client;
const BUCKET = 'athena-results-test';
const OUTPUT = `s3://${BUCKET}/results/`;

const columnInfo = [
  { Name: 'appid', Label: 'appid', Type: 'varchar' },
  { Name: 'errors', Label: 'errors', Type: 'bigint' },
  { Name: 'note', Label: 'note', Type: 'varchar' },
];
const header: Cell[] = ['appid', 'errors', 'note'];
const data: Cell[][] = [
  ['web', '12', 'say "hi", then\nleave'],
  ['api', '3', null],
  ['', '0', ''],
  ['<img src=x onerror=alert(1)>', null, 'x'],
];

function apiRow(cells: Cell[]) {
  return { Data: cells.map((c) => (c === null ? {} : { VarCharValue: c })) };
}

async function seed(results: { rows: Cell[][]; columns?: typeof columnInfo }[]): Promise<void> {
  const res = await fetch(`${moto.endpoint}/moto-api/static/athena/query-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: '123456789012', region: 'us-east-1', results: results.map((r) => ({ rows: r.rows.map(apiRow), column_info: r.columns ?? columnInfo })) }),
  });
  assert.equal(res.status, 201);
}

async function runToSuccess(sql: string) {
  const id = await startQuery(athena, { sql, workgroup: 'primary', database: 'default', outputLocation: OUTPUT });
  return waitForQuery(athena, id, { pollMs: 5 });
}

before(async () => {
  moto = await startMoto();
  pager = await startAthenaPager(moto.endpoint);
  athena = new AthenaClient(moto.clientConfig());
  s3 = new S3Client(moto.clientConfig());
});
after(async () => {
  athena?.destroy();
  s3?.destroy();
  await pager?.stop();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

test('fast path: the result CSV is streamed from the OutputLocation in S3, NULL and empty kept apart', async () => {
  await seed([{ rows: [header, ...data] }]);
  const qe = await runToSuccess('SELECT appid, errors, note FROM events');
  assert.equal(qe.Status?.State, 'SUCCEEDED');
  const location = qe.ResultConfiguration!.OutputLocation!;
  assert.match(location, /^s3:\/\/athena-results-test\/results\/.+\.csv$/);
  // What Athena writes there (moto's own CSV is not escaped like Athena's): header + rows.
  const key = location.slice(`s3://${BUCKET}/`.length);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: [header, ...data].map(encodeRow).join('') }));

  const { resultSet, done } = await openResults(athena, s3, qe);
  assert.deepEqual(resultSet.columns.map((c) => [c.name, c.kind]), [['appid', 'text'], ['errors', 'number'], ['note', 'text']]);
  const outcome = await done;
  assert.equal(outcome.path, 's3');
  assert.equal(sourceLabel(outcome), 'S3 result file (CSV stream)');
  assert.deepEqual(resultSet.getRows(0, 10), data);
  assert.equal(resultSet.status.phase, 'done');
});

test('the first rows are visible before the whole CSV is read (incremental parse)', async () => {
  await seed([{ rows: [header] }]);
  const qe = await runToSuccess('SELECT appid, errors, note FROM events');
  const key = qe.ResultConfiguration!.OutputLocation!.slice(`s3://${BUCKET}/`.length);
  const many: string[] = [encodeRow(header)];
  for (let i = 0; i < 60_000; i++) many.push(encodeRow([`app-${i}`, String(i), 'x'.repeat(40)]));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: many.join('') }));
  const { resultSet, done } = await openResults(athena, s3, qe);
  const seenWhileLoading: number[] = [];
  resultSet.on((e) => { if (e.type === 'rows' && resultSet.status.phase === 'loading') seenWhileLoading.push(e.loaded); });
  await done;
  assert.ok(seenWhileLoading.length >= 2, `rows arrived in ${seenWhileLoading.length} steps`);
  assert.ok(seenWhileLoading[0] < 60_000, 'first rows came before the last');
  assert.equal(resultSet.length, 60_000);
  assert.deepEqual(resultSet.getRows(59_999, 1), [['app-59999', '59999', 'x'.repeat(40)]]);
});

test('S3 access denied (a loopback endpoint answers 403 AccessDenied) falls back to GetQueryResults paging (loopback pager: moto does not page)', async () => {
  const rows: Cell[][] = [];
  for (let i = 0; i < 2_345; i++) rows.push([`app-${i % 7}`, String(i), i % 5 ? `n${i}` : null]);
  await seed([{ rows: [header, ...rows] }]);
  const qe = await runToSuccess('SELECT appid, errors, note FROM events');
  const denied = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'application/xml', [STAND_IN_HEADER]: '1' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
  });
  await new Promise<void>((r) => denied.listen(0, '127.0.0.1', r));
  const deniedS3 = new S3Client({ ...moto.clientConfig(), endpoint: `http://127.0.0.1:${(denied.address() as { port: number }).port}`, maxAttempts: 1 });
  const pagedAthena = new AthenaClient({ ...moto.clientConfig(), endpoint: pager.endpoint });
  try {
    const pagesBefore = pager.pages();
    const { resultSet, done } = await openResults(pagedAthena, deniedS3, qe);
    const outcome = await done;
    assert.equal(outcome.path, 'paging');
    assert.equal(outcome.fallbackReason, 'S3 access denied');
    assert.equal(sourceLabel(outcome), 'GetQueryResults paging (fallback: S3 access denied)');
    assert.deepEqual(resultSet.getRows(0, 3000), rows, 'header dropped, every row once, NULLs kept');
    // One call for the column metadata, then 3 pages of 1,000 (the header counts in the first).
    assert.equal(pager.pages() - pagesBefore, 4);
  } finally {
    deniedS3.destroy();
    pagedAthena.destroy();
    await new Promise((r) => denied.close(r));
  }
});

/** Counts the GetObject requests an S3 client sends. */
function countGetObject(client: S3Client): () => number {
  let n = 0;
  client.middlewareStack.add((next, context) => (args) => {
    if (context.commandName === 'GetObjectCommand') n++;
    return next(args);
  }, { step: 'initialize', name: 'countGetObject' });
  return () => n;
}

async function putAtOutput(qe: { ResultConfiguration?: { OutputLocation?: string } }, body: Uint8Array | string): Promise<void> {
  const key = qe.ResultConfiguration!.OutputLocation!.slice(`s3://${BUCKET}/`.length);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

/** Opens each execution's results with a counting S3 client: paging because of CSE_KMS, the seeded rows, and no GetObject at all. */
async function assertReadWithoutGetObject(...executions: QueryExecution[]): Promise<void> {
  const counted = new S3Client(moto.clientConfig());
  const gets = countGetObject(counted);
  try {
    for (const execution of executions) {
      const { resultSet, done } = await openResults(athena, counted, execution);
      const outcome = await done;
      assert.equal(outcome.path, 'paging');
      assert.equal(outcome.fallbackReason, 'the results are encrypted client-side (CSE_KMS)');
      assert.deepEqual(resultSet.getRows(0, 10), data);
    }
    assert.equal(gets(), 0, 'no GetObject on the ciphertext');
  } finally {
    counted.destroy();
  }
}

/** What a CSE_KMS result file looks like to a plain GetObject: KMS-enveloped ciphertext, here random bytes with commas and newlines. */
const CIPHERTEXT = Uint8Array.from({ length: 4096 }, (_, i) => [0x2c, 0x0a, 0x22, 0xff, 0x00, 0x8f][i % 6] ^ (i * 31 & 0x7f));

test('the loopback pager refuses GetQueryResults MaxResults over 1,000 as Athena does (the model: 1 to 1000)', async () => {
  await seed([{ rows: [header, ['a', '1', null]] }]);
  const qe = await runToSuccess('SELECT appid, errors, note FROM events');
  const pagedAthena = new AthenaClient({ ...moto.clientConfig(), endpoint: pager.endpoint, maxAttempts: 1 });
  try {
    await assert.rejects(pagedAthena.send(new GetQueryResultsCommand({ QueryExecutionId: qe.QueryExecutionId, MaxResults: 1001 })), (err: Error) => err.name === 'InvalidRequestException' && /less than or equal to 1000/.test(err.message));
    const ok = await pagedAthena.send(new GetQueryResultsCommand({ QueryExecutionId: qe.QueryExecutionId, MaxResults: 1000 }));
    assert.equal(ok.ResultSet?.Rows?.length, 2, 'header and the row');
  } finally {
    pagedAthena.destroy();
  }
});

test('CSE_KMS in the query\'s EncryptionConfiguration: the result file is never read from S3, rows come from GetQueryResults (moto)', async () => {
  await seed([{ rows: [header, ...data] }]);
  // A client that asks for CSE_KMS itself (the primary workgroup does not encrypt).
  const cse = await athena.send(new StartQueryExecutionCommand({
    QueryString: 'SELECT appid, errors, note FROM events', WorkGroup: 'primary',
    ResultConfiguration: { OutputLocation: OUTPUT, EncryptionConfiguration: { EncryptionOption: 'CSE_KMS', KmsKey: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
  }));
  const qe = await waitForQuery(athena, cse.QueryExecutionId!, { pollMs: 5 });
  assert.equal(qe.ResultConfiguration?.EncryptionConfiguration?.EncryptionOption, 'CSE_KMS', 'moto keeps the execution\'s encryption option');
  await putAtOutput(qe, CIPHERTEXT);
  await assertReadWithoutGetObject(qe);
});

test('CSE_KMS set only on the workgroup (enforced): the result file is never read from S3 either (moto)', async () => {
  await seed([{ rows: [header, ...data] }]);
  await athena.send(new CreateWorkGroupCommand({
    Name: 'encrypted',
    Configuration: { ResultConfiguration: { OutputLocation: `s3://${BUCKET}/cse/`, EncryptionConfiguration: { EncryptionOption: 'CSE_KMS', KmsKey: 'alias/athena-results' } }, EnforceWorkGroupConfiguration: true },
  }));
  const id = await startQuery(athena, { sql: 'SELECT appid, errors, note FROM events', workgroup: 'encrypted' });
  const qe = await waitForQuery(athena, id, { pollMs: 5 });
  await putAtOutput(qe, CIPHERTEXT);
  // As Athena may report it: the execution's own configuration without the workgroup's encryption.
  const asReported = { ...qe, ResultConfiguration: { OutputLocation: qe.ResultConfiguration!.OutputLocation } };
  await assertReadWithoutGetObject(qe, asReported);
});

test('SSE_S3 and SSE_KMS results stay on the S3 fast path: S3 decrypts them (moto)', async () => {
  for (const option of ['SSE_S3', 'SSE_KMS'] as const) {
    await seed([{ rows: [header, ...data] }]);
    const started = await athena.send(new StartQueryExecutionCommand({
      QueryString: 'SELECT appid, errors, note FROM events', WorkGroup: 'primary',
      ResultConfiguration: { OutputLocation: OUTPUT, EncryptionConfiguration: { EncryptionOption: option, KmsKey: option === 'SSE_KMS' ? 'alias/athena-results' : undefined } },
    }));
    const qe = await waitForQuery(athena, started.QueryExecutionId!, { pollMs: 5 });
    await putAtOutput(qe, [header, ...data].map(encodeRow).join(''));
    const { resultSet, done } = await openResults(athena, s3, qe);
    assert.equal((await done).path, 's3', option);
    assert.deepEqual(resultSet.getRows(0, 10), data, option);
  }
});

test('a DDL result is not a CSV: it is read through GetQueryResults, without a header row', async () => {
  await seed([{ rows: [['events'], ['alerts']], columns: [{ Name: 'tab_name', Label: 'tab_name', Type: 'string' }] }]);
  const qe = await runToSuccess('SHOW TABLES');
  assert.equal(qe.StatementType, 'DDL');
  const { resultSet, done } = await openResults(athena, s3, qe);
  const outcome = await done;
  assert.equal(outcome.path, 'paging');
  assert.match(outcome.fallbackReason ?? '', /not a CSV \(DDL statement\)/);
  assert.deepEqual(resultSet.getRows(0, 10), [['events'], ['alerts']]);
});

test('a result file missing from S3 falls back to paging', async () => {
  await seed([{ rows: [header, ...data] }]);
  const qe = await runToSuccess('SELECT appid, errors, note FROM events');
  const gone = { ...qe, ResultConfiguration: { OutputLocation: `s3://${BUCKET}/nowhere/missing.csv` } };
  const { resultSet, done } = await openResults(athena, s3, gone);
  const outcome = await done;
  assert.equal(outcome.path, 'paging');
  assert.equal(outcome.fallbackReason, 'the result file is not in S3');
  assert.deepEqual(resultSet.getRows(0, 10), data);
});

test('the workgroup\'s own result location wins over the setting; without either, a clear error', async () => {
  await athena.send(new CreateWorkGroupCommand({ Name: 'analysts', Configuration: { ResultConfiguration: { OutputLocation: `s3://${BUCKET}/wg/` }, EnforceWorkGroupConfiguration: true } }));
  const wg = await athena.send(new GetWorkGroupCommand({ WorkGroup: 'analysts' }));
  assert.equal(wg.WorkGroup?.Configuration?.ResultConfiguration?.OutputLocation, `s3://${BUCKET}/wg/`);
  const id = await startQuery(athena, { sql: 'SELECT 1', workgroup: 'analysts', outputLocation: `s3://${BUCKET}/setting/` });
  const qe = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!;
  // The workgroup's result configuration is sent as is (moto does not apply it by itself).
  assert.match(qe.ResultConfiguration?.OutputLocation ?? '', /^s3:\/\/athena-results-test\/wg\/.+\.csv$/);
  await assert.rejects(startQuery(athena, { sql: 'SELECT 1', workgroup: 'primary' }), /has no query result location/);
  const withSetting = await startQuery(athena, { sql: 'SELECT 1', workgroup: 'primary', outputLocation: OUTPUT, parameters: ["'web'"] });
  const q2 = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: withSetting }))).QueryExecution!;
  assert.match(q2.ResultConfiguration?.OutputLocation ?? '', /^s3:\/\/athena-results-test\/results\//);
  assert.deepEqual(q2.ExecutionParameters, ["'web'"]);
});

test('cancel calls StopQueryExecution and ends in CANCELLED', async () => {
  const id = await startQuery(athena, { sql: 'SELECT 1', workgroup: 'primary', outputLocation: OUTPUT });
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(waitForQuery(athena, id, { signal: ac.signal }), (err: unknown) => err instanceof QueryCancelledError && err.execution?.Status?.State === 'CANCELLED');
});

test('progress reports QUEUED, then RUNNING, then SUCCEEDED, one report per poll (loopback pager holds the query: moto answers SUCCEEDED at once)', async () => {
  await pager.holdQueries('progress_probe', { queued: 2, running: 3 });
  const held = new AthenaClient({ ...moto.clientConfig(), endpoint: pager.endpoint });
  try {
    const id = await startQuery(held, { sql: 'SELECT 1 AS progress_probe', workgroup: 'primary', outputLocation: OUTPUT });
    const states: string[] = [];
    const qe = await waitForQuery(held, id, { pollMs: 1, onState: (s) => states.push(s) });
    assert.deepEqual(states, ['QUEUED', 'QUEUED', 'RUNNING', 'RUNNING', 'RUNNING', 'SUCCEEDED']);
    assert.equal(qe.Status?.State, 'SUCCEEDED');
  } finally {
    held.destroy();
  }
});

test('cancelling a query the pager holds in RUNNING stops it: CANCELLED, no further RUNNING (loopback pager holds the query)', async () => {
  await pager.holdQueries('cancel_probe', { queued: 0, running: 1000 });
  const held = new AthenaClient({ ...moto.clientConfig(), endpoint: pager.endpoint });
  try {
    const id = await startQuery(held, { sql: 'SELECT 1 AS cancel_probe', workgroup: 'primary', outputLocation: OUTPUT });
    const ac = new AbortController();
    const states: string[] = [];
    const waiting = waitForQuery(held, id, { pollMs: 1, maxPollMs: 5, signal: ac.signal, onState: (s) => { states.push(s); if (states.length === 3) ac.abort(); } });
    await assert.rejects(waiting, (err: unknown) => err instanceof QueryCancelledError && err.execution?.Status?.State === 'CANCELLED');
    assert.deepEqual(states, ['RUNNING', 'RUNNING', 'RUNNING']);
  } finally {
    held.destroy();
  }
});

test('a failed query carries Athena\'s message (aws-sdk-client-mock: moto never fails a query)', async () => {
  const mock = mockClient(AthenaClient);
  try {
    const failed = {
      QueryExecutionId: 'q-1', Query: 'SELECT nope FROM events', StatementType: 'DML' as const,
      Status: { State: 'FAILED' as const, StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved", AthenaError: { ErrorCategory: 2, ErrorType: 1006, ErrorMessage: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved" } },
      Statistics: { DataScannedInBytes: 0 },
    };
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: failed });
    mock.on(StopQueryExecutionCommand).resolves({});
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    const client = new AthenaClient({ region: 'us-east-1' });
    await assert.rejects(waitForQuery(client, 'q-1'), (err: unknown) => err instanceof QueryFailedError && /line 1:8/.test(err.message));
    const details = executionDetails(failed);
    assert.deepEqual(details.find((d) => d.label === 'Cost'), { label: 'Cost', value: '$0.00', hint: 'Failed queries are not charged. Billed: 0 B.' });
  } finally {
    mock.restore();
  }
});

test('stats: data scanned, cost with the 10 MB minimum, times, and a warning over the threshold', () => {
  const qe = {
    QueryExecutionId: 'q-2', StatementType: 'DML' as const, WorkGroup: 'primary', QueryExecutionContext: { Database: 'logs' },
    Status: { State: 'SUCCEEDED' as const },
    Statistics: { DataScannedInBytes: 3 * 1024 ** 3, EngineExecutionTimeInMillis: 1520, QueryQueueTimeInMillis: 80, TotalExecutionTimeInMillis: 1700 },
  };
  const d = Object.fromEntries(executionDetails(qe, { warnBytes: 1024 ** 3, rows: 42 }).map((x) => [x.label, x]));
  assert.equal(d['Data scanned'].value, '3.00 GB');
  assert.equal(d.Cost.value, '$0.0146');
  assert.equal(d['Engine time'].value, '1.52 s');
  assert.equal(d['Queue time'].value, '80 ms');
  assert.equal(d.Warning.tone, 'warning');
  assert.equal(d.Rows.value, '42');
  const small = Object.fromEntries(executionDetails({ ...qe, Statistics: { DataScannedInBytes: 5 } }).map((x) => [x.label, x]));
  assert.equal(small.Cost.value, '$0.0000477 (billed: 10.0 MB)');
  assert.match(small.Cost.hint ?? '', /10 MB minimum/);
  assert.equal(small.Warning, undefined);
});

test('schema: catalogs, databases and workgroups from moto', async () => {
  await runToSuccess('CREATE DATABASE logs');
  assert.deepEqual(await fetchCatalogs(athena), ['AwsDataCatalog']);
  assert.deepEqual(await fetchDatabases(athena, 'AwsDataCatalog'), ['default', 'logs']);
  assert.deepEqual((await fetchWorkGroups(athena)).map((w) => w.name), ['primary']);
});

test('schema: tables, views, columns and partition keys, every page (aws-sdk-client-mock: moto lacks ListTableMetadata)', async () => {
  const mock = mockClient(AthenaClient);
  try {
    mock.on(ListTableMetadataCommand, { CatalogName: 'AwsDataCatalog', DatabaseName: 'logs' })
      .resolvesOnce({
        TableMetadataList: [{ Name: 'events', TableType: 'EXTERNAL_TABLE', Columns: [{ Name: 'event_time', Type: 'timestamp' }, { Name: 'message', Type: 'string', Comment: 'raw' }], PartitionKeys: [{ Name: 'year', Type: 'string' }, { Name: 'appid', Type: 'string' }], CreateTime: new Date() }],
        NextToken: 'page-2',
      })
      .resolvesOnce({ TableMetadataList: [{ Name: 'errors_by_app', TableType: 'VIRTUAL_VIEW', Columns: [{ Name: 'appid', Type: 'string' }], CreateTime: new Date() }] });
    const tables = await fetchTables(new AthenaClient({ region: 'us-east-1' }), 'AwsDataCatalog', 'logs');
    assert.deepEqual(tables, [
      { name: 'errors_by_app', type: 'VIRTUAL_VIEW', columns: [{ name: 'appid', type: 'string', comment: undefined }], partitionKeys: [] },
      { name: 'events', type: 'EXTERNAL_TABLE', columns: [{ name: 'event_time', type: 'timestamp', comment: undefined }, { name: 'message', type: 'string', comment: 'raw' }], partitionKeys: [{ name: 'year', type: 'string', comment: undefined }, { name: 'appid', type: 'string', comment: undefined }] },
    ]);
    assert.equal(mock.commandCalls(ListTableMetadataCommand).length, 2);
    assert.equal(mock.commandCalls(ListTableMetadataCommand)[1].args[0].input.NextToken, 'page-2');
  } finally {
    mock.restore();
  }
});

test('ListTableMetadata failing (moto answers HTTP 500) falls back to Glue GetTables for AwsDataCatalog (moto)', async () => {
  const glue = new GlueClient(moto.clientConfig());
  try {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'pipeline' } }));
    await glue.send(new CreateTableCommand({
      DatabaseName: 'pipeline',
      TableInput: {
        Name: 'events', TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: { Columns: [{ Name: 'ts', Type: 'string', Comment: 'event time' }, { Name: 'level', Type: 'string' }] },
        PartitionKeys: [{ Name: 'year', Type: 'string' }, { Name: 'appid', Type: 'string' }],
      },
    }));
    await assert.rejects(fetchTables(athena, 'AwsDataCatalog', 'pipeline'), 'moto still lacks ListTableMetadata');
    const tables = await fetchTables(athena, 'AwsDataCatalog', 'pipeline', glue);
    assert.deepEqual(tables, [{
      name: 'events', type: 'EXTERNAL_TABLE',
      columns: [{ name: 'ts', type: 'string', comment: 'event time' }, { name: 'level', type: 'string', comment: undefined }],
      partitionKeys: [{ name: 'year', type: 'string', comment: undefined }, { name: 'appid', type: 'string', comment: undefined }],
    }]);
    await assert.rejects(fetchTables(athena, 'OtherCatalog', 'pipeline', glue), 'no Glue fallback for other catalogs');
  } finally {
    glue.destroy();
  }
});

test('a failed run\'s context check: GetWorkGroup for the workgroup, GetDatabase only when the failure names a missing schema (moto_server)', async () => {
  const sent: string[] = [];
  const probe = new AthenaClient(moto.clientConfig());
  probe.middlewareStack.add((next, context) => (args) => {
    sent.push(context.commandName ?? '?');
    return next(args);
  }, { step: 'initialize' });
  const failure = 'SCHEMA_NOT_FOUND: line 1:15: Schema gone_db does not exist';
  // moto has AwsDataCatalog.default and the primary workgroup; the database below was never made.
  assert.deepEqual(await findMissingContext(probe, { workgroup: 'primary', catalog: 'AwsDataCatalog', database: 'default' }, failure), []);
  assert.deepEqual(sent.splice(0), ['GetWorkGroupCommand', 'GetDatabaseCommand']);
  assert.deepEqual(await findMissingContext(probe, { workgroup: 'primary', catalog: 'AwsDataCatalog', database: 'gone_db' }, failure), [{ key: 'database', name: 'gone_db' }]);
  assert.deepEqual(sent.splice(0), ['GetWorkGroupCommand', 'GetDatabaseCommand']);
  // A failure that does not point at the database asks about the workgroup only.
  assert.deepEqual(await findMissingContext(probe, { workgroup: 'primary', catalog: 'AwsDataCatalog', database: 'gone_db' }, 'HIVE_BAD_DATA: malformed row'), []);
  assert.deepEqual(sent.splice(0), ['GetWorkGroupCommand']);
  probe.destroy();
});
