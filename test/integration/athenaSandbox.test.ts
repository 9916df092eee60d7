// The Athena sandbox seeder against moto_server: the demo .sql file's statements, run as the
// extension runs them, get the seeded results, read from the CSV that lands in S3.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { GlueClient } from '@aws-sdk/client-glue';
import { openResults, startQuery, waitForQuery } from '../../src/athena/athenaClient';
import { fetchDatabases, fetchTables } from '../../src/athena/schema';
import { splitStatements } from '../../src/athena/sql';
import { DATABASE, DEMO_FILE, demoResults, seed, WORKGROUP } from '../sandbox/seed/40-athena';
import { startMoto, type Moto } from '../helpers/moto';
import { ROOT } from '../helpers/webviewPage';

let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });

test('seeded: each statement of the demo file returns its results, streamed from the CSV in S3', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'athena-ws-'));
  await seed({ endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace, root: ROOT, log: () => undefined }, { rounds: 1 });
  const settings = JSON.parse(readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8'));
  assert.deepEqual(settings, { 'cloudMonitor.athena.workgroup': WORKGROUP, 'cloudMonitor.athena.database': DATABASE });
  const statements = splitStatements(readFileSync(join(workspace, DEMO_FILE), 'utf8'));
  assert.equal(statements.length, 3);
  assert.ok(statements.every((s) => s.parameters.length === 0), 'parameters are written in: ready to run');
  assert.match(statements[0].text, /FROM pipeline\.events\s+WHERE appid IN \('checkout', 'orders', 'payments'\)/);

  const athena = new AthenaClient(moto.clientConfig());
  const s3 = new S3Client(moto.clientConfig());
  const glue = new GlueClient(moto.clientConfig());
  try {
    assert.ok((await fetchDatabases(athena, 'AwsDataCatalog')).includes(DATABASE));
    const [events] = await fetchTables(athena, 'AwsDataCatalog', DATABASE, glue);
    assert.deepEqual(events.partitionKeys.map((p) => p.name), ['year', 'month', 'day', 'appid']);
    const expected = demoResults();
    for (const [i, stmt] of statements.entries()) {
      const id = await startQuery(athena, { sql: stmt.text, workgroup: WORKGROUP, database: DATABASE });
      const qe = await waitForQuery(athena, id, { pollMs: 5 });
      assert.match(qe.ResultConfiguration?.OutputLocation ?? '', /^s3:\/\/sandbox-athena-results\/results\/.+\.csv$/);
      const { resultSet, done } = await openResults(athena, s3, qe);
      assert.equal((await done).path, 's3', 'moto wrote the CSV at the output location');
      assert.deepEqual(resultSet.columns.map((c) => c.name), expected[i].columns.map(([n]) => n));
      assert.deepEqual(resultSet.getRows(0, 1000), expected[i].rows);
    }
  } finally {
    athena.destroy();
    s3.destroy();
    glue.destroy();
  }
});
