// The Athena part of the sandbox: a results bucket, a `sandbox` workgroup that writes there, the
// pipeline's Glue database and events table, canned results for the bundled pipeline queries
// (moto returns seeded results in the order queries start, and writes their CSV to the output
// location, which the extension then streams), and a .sql file in the workspace ready to run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AthenaClient, CreateWorkGroupCommand, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { fillPlaceholders, listLibrary } from '../../../src/athena/library';
import { splitStatements } from '../../../src/athena/sql';
import type { SeedEnv } from '../types';

export const RESULTS_BUCKET = 'sandbox-athena-results';
export const WORKGROUP = 'sandbox';
export const DATABASE = 'pipeline';
export const DEMO_FILE = 'athena-demo.athena.sql';
const APPS = ['checkout', 'orders', 'payments'];

type Cell = string | null;
interface Seeded { file: string; columns: [string, string][]; rows: Cell[][] }

/** Demo values for each bundled query's `?` parameters, in order. */
const PARAMETERS: Record<string, string[]> = {
  'errors-per-app-per-hour.sql': ["'checkout'", "'orders'", "'payments'", "'2024'", "'05'"],
  'last-events-of-app.sql': ["'checkout'", "'2024'", "'05'", "'02'"],
  'busiest-apps.sql': ["'checkout'", "'orders'", "'payments'", "'2024'", "'05'"],
};

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** Plausible results for the three pipeline queries (no double quotes: moto writes its CSV unescaped). */
export function demoResults(): Seeded[] {
  const t0 = Date.UTC(2024, 4, 1);
  const perHour: Cell[][] = [];
  for (let h = 0; h < 48; h++) {
    for (const [i, app] of APPS.entries()) {
      const base = [2, 0, 5][i];
      const spike = app === 'payments' && h >= 30 && h <= 33 ? 40 + (h - 30) * 9 : 0;
      perHour.push([app, iso(t0 + h * 3_600_000).replace(':00:00 UTC', ':00:00.000 UTC'), String(base + ((h * (i + 3)) % 7) + spike)]);
    }
  }
  const last: Cell[][] = [];
  for (let k = 0; k < 200; k++) {
    const level = k % 17 === 0 ? 'ERROR' : k % 5 === 0 ? 'WARN' : 'INFO';
    last.push([
      iso(Date.UTC(2024, 4, 2, 23, 59, 0) - k * 41_000).replace(' UTC', '.000 UTC'),
      level,
      level === 'ERROR' ? 'payment provider timeout after 3000 ms' : level === 'WARN' ? 'slow response from inventory' : `handled POST /cart (${k})`,
      k % 3 === 0 ? null : `{route=/cart, region=eu-west-1}`,
      `{duration_ms=${(k * 37) % 900}.0}`,
    ]);
  }
  const busiest: Cell[][] = [
    ['payments', '182340', '1204', '3310', '2024-05-01T00:00:02.114Z', '2024-05-31T23:59:58.870Z'],
    ['checkout', '151277', '212', '940', '2024-05-01T00:00:00.501Z', '2024-05-31T23:59:59.002Z'],
    ['orders', '98012', '47', '388', '2024-05-01T00:00:05.930Z', '2024-05-31T23:59:41.377Z'],
  ];
  return [
    { file: 'errors-per-app-per-hour.sql', columns: [['appid', 'varchar'], ['hour', 'timestamp(3) with time zone'], ['errors', 'bigint']], rows: perHour },
    { file: 'last-events-of-app.sql', columns: [['event_time', 'timestamp(3) with time zone'], ['level', 'varchar'], ['message', 'varchar'], ['fields', 'map(varchar, varchar)'], ['metrics', 'map(varchar, double)']], rows: last },
    { file: 'busiest-apps.sql', columns: [['appid', 'varchar'], ['events', 'bigint'], ['errors', 'bigint'], ['warnings', 'bigint'], ['first_event', 'varchar'], ['last_event', 'varchar']], rows: busiest },
  ];
}

/** Queues canned results in moto: Athena returns a header row first for a SELECT, and so do these. */
export async function queueResults(endpoint: string, accountId: string, region: string, results: Seeded[]): Promise<void> {
  const apiRow = (cells: Cell[]) => ({ Data: cells.map((c) => (c === null ? {} : { VarCharValue: c })) });
  const body = {
    account_id: accountId, region,
    results: results.map((r) => ({
      rows: [apiRow(r.columns.map(([n]) => n)), ...r.rows.map(apiRow)],
      column_info: r.columns.map(([name, type]) => ({ CatalogName: 'hive', SchemaName: DATABASE, TableName: '', Name: name, Label: name, Type: type, Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: false })),
    })),
  };
  const res = await fetch(`${endpoint}/moto-api/static/athena/query-results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`seeding Athena results failed: ${res.status}`);
}

/** The demo .sql file: the bundled pipeline queries with their parameters written in, in seeded order. */
export async function demoSql(root: string): Promise<string> {
  const library = await listLibrary(join(root, 'media', 'queries'));
  const parts = [
    '-- Cloud Monitor sandbox: Athena queries over the pipeline\'s events table.',
    '-- Click "Run" above a statement, or put the cursor in it and press Ctrl+Enter (Cmd+Enter).',
    '-- These come from the query library (Cloud Monitor: Open Athena Query Library), with the',
    '-- parameters written in. The sandbox answers with canned results, in this order.',
    '',
  ];
  for (const { file } of demoResults()) {
    const q = library.find((x) => x.group === 'pipeline' && x.file === file);
    if (!q) throw new Error(`bundled query ${file} is missing`);
    let text = fillPlaceholders(q.text, { events_table: `${DATABASE}.events` });
    const [stmt] = splitStatements(text);
    const values = PARAMETERS[file];
    if (stmt.parameters.length !== values.length) throw new Error(`${file}: ${stmt.parameters.length} parameters, ${values.length} demo values`);
    // Write the values in from the last marker back, so earlier offsets stay valid.
    for (let i = stmt.parameters.length - 1; i >= 0; i--) text = text.slice(0, stmt.parameters[i]) + values[i] + text.slice(stmt.parameters[i] + 1);
    parts.push(text.trim(), '');
  }
  return parts.join('\n');
}

function mergeWorkspaceSettings(workspace: string, settings: Record<string, unknown>): void {
  const dir = join(workspace, '.vscode');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'settings.json');
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
}

export async function seed(env: SeedEnv, opts: { rounds?: number } = {}): Promise<void> {
  const s3 = new S3Client(env.clientConfig);
  const athena = new AthenaClient(env.clientConfig);
  const glue = new GlueClient(env.clientConfig);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: RESULTS_BUCKET }));
    await athena.send(new CreateWorkGroupCommand({
      Name: WORKGROUP,
      Description: 'Sandbox workgroup: results in s3://sandbox-athena-results/results/',
      Configuration: { ResultConfiguration: { OutputLocation: `s3://${RESULTS_BUCKET}/results/` }, EnforceWorkGroupConfiguration: false },
    }));
    // Athena's catalog (moto keeps its own list of databases) and Glue's (tables and columns).
    const ddl = await athena.send(new StartQueryExecutionCommand({ QueryString: `CREATE DATABASE IF NOT EXISTS ${DATABASE}`, WorkGroup: WORKGROUP, ResultConfiguration: { OutputLocation: `s3://${RESULTS_BUCKET}/results/` } }));
    await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: ddl.QueryExecutionId }));
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DATABASE, Description: 'Pipeline events' } })).catch((err: Error) => {
      if (err.name !== 'AlreadyExistsException') throw err;
    });
    await glue.send(new CreateTableCommand({
      DatabaseName: DATABASE,
      TableInput: {
        Name: 'events', TableType: 'EXTERNAL_TABLE', Description: 'Pipeline events (gzip JSON Lines), partition projection',
        StorageDescriptor: {
          Columns: [
            { Name: 'ts', Type: 'string', Comment: 'event time, ISO-8601 UTC' }, { Name: 'level', Type: 'string' }, { Name: 'message', Type: 'string' },
            { Name: 'fields', Type: 'map<string,string>' }, { Name: 'metrics', Type: 'map<string,double>' }, { Name: 'messageid', Type: 'string', Comment: 'SQS message id' },
          ],
          Location: 's3://sandbox-pipeline-data/events/',
        },
        PartitionKeys: [{ Name: 'year', Type: 'string' }, { Name: 'month', Type: 'string' }, { Name: 'day', Type: 'string' }, { Name: 'appid', Type: 'string' }],
      },
    })).catch((err: Error) => {
      if (err.name !== 'AlreadyExistsException') throw err;
    });
    const results = demoResults();
    const rounds = opts.rounds ?? 3;
    for (let i = 0; i < rounds; i++) await queueResults(env.endpoint, env.accountId, env.region, results);
    writeFileSync(join(env.workspace, DEMO_FILE), await demoSql(env.root));
    mergeWorkspaceSettings(env.workspace, { 'cloudMonitor.athena.workgroup': WORKGROUP, 'cloudMonitor.athena.database': DATABASE });
    env.log(`Athena: workgroup ${WORKGROUP}, database ${DATABASE}, ${results.length * rounds} canned results, ${DEMO_FILE} in the workspace`);
  } finally {
    s3.destroy();
    athena.destroy();
    glue.destroy();
  }
}
