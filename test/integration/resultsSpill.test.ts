// Athena results read through the S3 fast path (the result CSV put at moto's OutputLocation, as Athena
// writes it; moto does not write it) into a store forced to spill: the rows match an in-memory read,
// and the cap and a full disk (a statfs stand-in: the test cannot fill a real disk) end the read with
// the message and the rows read so far, status done, the rest of the object left unread.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, type QueryExecution } from '@aws-sdk/client-athena';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { openResults, startQuery, waitForQuery } from '../../src/athena/athenaClient';
import { encodeRow, type Cell } from '../../src/webview/results/csv';
import type { SpillOptions } from '../../src/webview/results/spillFile';
import { startMoto, type Moto } from '../helpers/moto';

let moto: Moto;
let athena: AthenaClient;
let s3: S3Client;
const BUCKET = 'athena-spill-test';
const root = mkdtempSync(join(tmpdir(), 'spill-int-'));
const header: Cell[] = ['appid', 'errors', 'note'];
const columnInfo = [
  { Name: 'appid', Type: 'varchar', Label: 'appid', Nullable: 'UNKNOWN', CaseSensitive: true },
  { Name: 'errors', Type: 'bigint', Label: 'errors', Nullable: 'UNKNOWN', CaseSensitive: false },
  { Name: 'note', Type: 'varchar', Label: 'note', Nullable: 'UNKNOWN', CaseSensitive: true },
];
const ROWS: Cell[][] = Array.from({ length: 60_000 }, (_, i) => [`app-${i % 97}`, i % 11 ? String(i) : null, `note ${'x'.repeat(i % 50)} ✓`]);

before(async () => {
  moto = await startMoto();
  athena = new AthenaClient(moto.clientConfig());
  s3 = new S3Client(moto.clientConfig());
});
after(async () => {
  athena?.destroy();
  s3?.destroy();
  await moto?.stop();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(async () => {
  await moto.reset();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

/** A finished query whose OutputLocation holds ROWS as Athena's CSV. */
async function query(): Promise<QueryExecution> {
  const res = await fetch(`${moto.endpoint}/moto-api/static/athena/query-results`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: '123456789012', region: 'us-east-1', results: [{ rows: [{ Data: header.map((h) => ({ VarCharValue: h })) }], column_info: columnInfo }] }),
  });
  assert.equal(res.status, 201);
  const id = await startQuery(athena, { sql: 'SELECT * FROM events', workgroup: 'primary', outputLocation: `s3://${BUCKET}/results/` });
  const qe = await waitForQuery(athena, id, { pollMs: 5 });
  const key = qe.ResultConfiguration!.OutputLocation!.slice(`s3://${BUCKET}/`.length);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: [header, ...ROWS].map(encodeRow).join('') }));
  return qe;
}

let dirs = 0;
const spill = (over: Partial<SpillOptions> = {}): SpillOptions => ({ dir: join(root, `d${dirs++}`), thresholdChars: 1000, maxBytes: 1 << 30, freeBytes: () => 1e12, ...over });

test('fast path into a spilled store (moto S3): every row as an in-memory read gives, sorted alike; the file goes on close', async () => {
  const qe = await query();
  const opts = spill();
  const spilled = await openResults(athena, s3, qe, { spill: opts });
  const memory = await openResults(athena, s3, qe);
  assert.equal((await spilled.done).path, 's3');
  await memory.done;
  assert.ok(spilled.resultSet.store.spilled);
  assert.equal(spilled.resultSet.length, ROWS.length);
  assert.deepEqual(spilled.resultSet.getRows(0, ROWS.length), ROWS);
  for (const spec of [{ sort: { column: 1, descending: true } }, { sort: { column: 2, descending: false }, filter: { column: -1, text: 'app-5' } }]) {
    await spilled.resultSet.setView(spec);
    await memory.resultSet.setView(spec);
    assert.deepEqual(spilled.resultSet.getRows(0, ROWS.length), memory.resultSet.getRows(0, ROWS.length), JSON.stringify(spec));
  }
  assert.equal(readdirSync(opts.dir).length, 1);
  spilled.resultSet.dispose();
  assert.deepEqual(readdirSync(opts.dir), []);
});

test('the cap ends a fast-path read (moto S3) with the message; the rows read so far stay, status done', async () => {
  const qe = await query();
  const { resultSet, done } = await openResults(athena, s3, qe, { spill: spill({ maxBytes: 1_200_000 }) });
  const outcome = await done;
  assert.equal(outcome.path, 's3', 'no fall back to paging (which would duplicate the rows)');
  assert.match(outcome.stopped ?? '', /^Stopped at [\d,]+ rows: the result is larger than 1 MB, the cap set by cloudMonitor\.results\.maxSpillMb\. The rows read so far are shown\.$/);
  assert.ok(resultSet.length > 0 && resultSet.length < ROWS.length, `kept ${resultSet.length}`);
  assert.deepEqual(resultSet.getRows(0, resultSet.length), ROWS.slice(0, resultSet.length));
  assert.deepEqual(resultSet.status, { phase: 'done', loaded: resultSet.length, message: outcome.stopped });
  resultSet.dispose();
});

test('a full disk ends a fast-path read (moto S3; statfs stand-in) with the message and the rows read so far', async () => {
  const qe = await query();
  // The disk fills up while the result is read: plenty free at the first two checks, then 100 MB.
  let checks = 0;
  const { resultSet, done } = await openResults(athena, s3, qe, { spill: spill({ diskCheckBytes: 200_000, reserveBytes: 256 * 1_048_576, freeBytes: () => (++checks <= 2 ? 1e12 : 100 * 1_048_576) }) });
  const outcome = await done;
  assert.match(outcome.stopped ?? '', /^Stopped at [\d,]+ rows: the disk holding the extension's storage has 100 MB free, too little for the rest of the result\./);
  assert.ok(resultSet.length > 0 && resultSet.length < ROWS.length, `kept ${resultSet.length} rows (those read before the disk filled)`);
  assert.deepEqual(resultSet.getRows(0, resultSet.length), ROWS.slice(0, resultSet.length));
  assert.equal(resultSet.status.phase, 'done');
  resultSet.dispose();
});
