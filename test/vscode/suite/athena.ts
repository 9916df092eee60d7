// Athena inside the real extension host (code-server), against moto_server behind the loopback
// pager (test/helpers/athenaPager.ts: Athena's 1,000-row pages, and failed queries on demand).
// Prompts are stubbed with expectations: an unexpected prompt fails the test.
import * as vscode from 'vscode';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, CreateDataCatalogCommand } from '@aws-sdk/client-athena';
import type { RunOutcome } from '../../../src/athena/runner';
import { SchemaService } from '../../../src/athena/schemaTree';
import type { Ctx } from '../../../src/context';
import type { HistoryEntry } from '../../../src/athena/historyStore';
import type { ResultsPanel } from '../../../src/webview/results/panel';
import { FORMULA_CELLS } from '../../fixtures/hostile';
import { extension, extensionCtx } from './api';
import { currentSignal, runAll, test, waitFor } from './runner';

const MOTO = process.env.MOTO_ENDPOINT!;
const PAGER = process.env.ATHENA_PAGER!;

async function seedResults(rows: (string | null)[][], columns: [string, string][]): Promise<void> {
  const apiRow = (cells: (string | null)[]) => ({ Data: cells.map((c) => (c === null ? {} : { VarCharValue: c })) });
  const res = await fetch(`${MOTO}/moto-api/static/athena/query-results`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ results: [{ rows: [apiRow(columns.map(([n]) => n)), ...rows.map(apiRow)], column_info: columns.map(([Name, Type]) => ({ Name, Label: Name, Type })) }] }),
  });
  assert.equal(res.status, 201);
}

/** Replaces showInputBox for one call sequence; fails on any prompt beyond `answers`. */
function stubInputBox(answers: string[]): { prompts: string[]; restore(): void } {
  const original = vscode.window.showInputBox;
  const prompts: string[] = [];
  (vscode.window as { showInputBox: unknown }).showInputBox = async (opts?: vscode.InputBoxOptions) => {
    prompts.push(opts?.title ?? '');
    if (!answers.length) throw new Error(`unexpected prompt: ${opts?.title}`);
    const a = answers.shift()!;
    const problem = await opts?.validateInput?.(a);
    if (problem) throw new Error(`the answer ${a} was refused: ${String(problem)}`);
    return a;
  };
  return { prompts, restore: () => ((vscode.window as { showInputBox: unknown }).showInputBox = original) };
}

/** Replaces showQuickPick and showSaveDialog for one export sequence; `picks` are the labels to choose, in order. Any prompt beyond them fails. */
function stubExportPrompts(picks: string[], targets: vscode.Uri[]): { quickPicks: { title?: string; labels: string[] }[]; saveDialogs: vscode.SaveDialogOptions[]; restore(): void } {
  const w = vscode.window as { showQuickPick: unknown; showSaveDialog: unknown };
  const original = { showQuickPick: w.showQuickPick, showSaveDialog: w.showSaveDialog };
  const quickPicks: { title?: string; labels: string[] }[] = [];
  const saveDialogs: vscode.SaveDialogOptions[] = [];
  w.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, opts?: vscode.QuickPickOptions) => {
    const list = await items;
    quickPicks.push({ title: opts?.title, labels: list.map((i) => i.label) });
    const want = picks.shift();
    if (want === undefined) throw new Error(`unexpected quick pick: ${opts?.title}`);
    const item = list.find((i) => i.label === want);
    if (!item) throw new Error(`no item ${want} in ${list.map((i) => i.label).join(', ')}`);
    return item;
  };
  w.showSaveDialog = async (opts?: vscode.SaveDialogOptions) => {
    saveDialogs.push(opts ?? {});
    const t = targets.shift();
    if (!t) throw new Error(`unexpected save dialog: ${opts?.title}`);
    return t;
  };
  return { quickPicks, saveDialogs, restore: () => Object.assign(w, original) };
}

async function sqlDoc(content: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Whether this extension host has required the Athena feature bundle (esbuild.mjs: dist/features-athena.js). */
const athenaBundleLoaded = () => Object.keys(require.cache).some((k) => k.endsWith(join('dist', 'features-athena.js')));

test('an Athena command run before the extension is active and before dist/features-athena.js is loaded waits for that bundle, then runs', async () => {
  assert.equal(extension().isActive, false, 'the suite starts before activation');
  assert.equal(athenaBundleLoaded(), false);
  await seedResults([['1']], [['one', 'integer']]);
  // Not a .sql document: opening one would activate the extension (onLanguage:sql) before the command.
  const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'SELECT 1 AS one;\n' });
  const running = vscode.commands.executeCommand<RunOutcome>('cloudMonitor.athena.runStatementAt', doc.uri, 0);
  assert.equal(athenaBundleLoaded(), false, 'the command was issued before the Athena bundle loaded');
  const outcome = (await running)!;
  assert.equal(outcome.state, 'SUCCEEDED');
  assert.equal((await outcome.loaded)?.path, 's3');
  assert.deepEqual(outcome.panel!.resultSet.getRows(0, 1), [['1']]);
  assert.equal(athenaBundleLoaded(), true);
});

test('a CodeLens "Run" above each statement, none for comments alone', async () => {
  await extensionCtx();
  const doc = await sqlDoc("-- header\nSELECT ';' AS a;\n\n/* only a comment; */\nSELECT 2\n  FROM t;\n-- trailing\n");
  const lenses = await waitFor(async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    return l.length ? l : undefined;
  }, 'code lenses');
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [[1, '$(play) Run'], [4, '$(play) Run']]);
});

test('running a statement with parameters: asks for each ?, shows every row, records history', async () => {
  const rows: (string | null)[][] = [];
  for (let i = 0; i < 2500; i++) rows.push([`app-${i % 3}`, String(i), i % 4 ? 'x' : null]);
  await seedResults(rows, [['appid', 'varchar'], ['n', 'bigint'], ['note', 'varchar']]);
  const doc = await sqlDoc("SELECT appid, n, note\nFROM events\nWHERE appid = ? AND n > ?;\n");
  const stub = stubInputBox(["'app-1'", '10']);
  let outcome: RunOutcome;
  try {
    outcome = (await vscode.commands.executeCommand<RunOutcome>('cloudMonitor.athena.runStatementAt', doc.uri, 5))!;
  } finally {
    stub.restore();
  }
  assert.equal(stub.prompts.length, 2);
  assert.equal(outcome.state, 'SUCCEEDED');
  const read = await outcome.loaded;
  // moto's CSV at the output location (the fast path).
  assert.equal(read?.path, 's3');
  assert.equal(outcome.panel!.resultSet.length, 2500);
  assert.deepEqual(outcome.panel!.resultSet.getRows(3, 2), [['app-0', '3', 'x'], ['app-1', '4', null]]);
  const ctx = await extensionCtx();
  const history = ctx.extension.globalState.get<HistoryEntry[]>('cloudMonitor.athena.history') ?? [];
  const entry = history.find((h) => h.id === outcome.id)!;
  assert.equal(entry.state, 'SUCCEEDED');
  assert.deepEqual(entry.parameters, ["'app-1'", '10']);
  await waitFor(() => (ctx.extension.globalState.get<HistoryEntry[]>('cloudMonitor.athena.history') ?? []).find((h) => h.id === outcome.id)?.rows === 2500, 'rows in history');
});

test('export streams the current view to the chosen file, CSV and JSON, NULL kept', async () => {
  const ctx = await extensionCtx();
  const entry = (ctx.extension.globalState.get<HistoryEntry[]>('cloudMonitor.athena.history') ?? []).find((h) => h.state === 'SUCCEEDED' && h.rows === 2500)!;
  const panel = (await vscode.commands.executeCommand<ResultsPanel>('cloudMonitor.athena.openResults', entry))!;
  await waitFor(() => panel.resultSet.status.phase === 'done', 'results loaded');
  await panel.resultSet.setView({ filter: { column: 0, text: '= app-2' } });
  const dir = mkdtempSync(join(tmpdir(), 'export-'));
  const stub = stubExportPrompts(['CSV (safe for spreadsheets)'], [vscode.Uri.file(join(dir, 'out.csv')), vscode.Uri.file(join(dir, 'out.json'))]);
  try {
    assert.equal((await panel.export('csv')).path, join(dir, 'out.csv'));
    assert.equal((await panel.export('json')).path, join(dir, 'out.json'));
  } finally {
    stub.restore();
  }
  assert.equal(stub.quickPicks.length, 1, 'JSON asks no safe/exact question');
  const csv = readFileSync(join(dir, 'out.csv'), 'utf8').split('\n');
  assert.equal(csv[0], '"appid","n","note"');
  assert.equal(csv.length, 833 + 2, 'header, 833 rows of app-2, final newline');
  assert.equal(csv[1], '"app-2","2","x"');
  const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { appid: string; n: number; note: string | null }[];
  assert.equal(json.length, 833);
  assert.deepEqual(json.find((r) => r.n === 14), { appid: 'app-2', n: 14, note: 'x' });
  assert.deepEqual(json.find((r) => r.n === 8), { appid: 'app-2', n: 8, note: null });
});

test('CSV export of FORMULA_CELLS: "safe for spreadsheets" is offered first and named in the save dialog, and prefixes them with \'; "exact values" keeps them; JSON is exact (moto writes its result CSV without doubling quotes: the test puts Athena\'s RFC 4180 CSV at the OutputLocation and reopens the results)', async () => {
  await seedResults(FORMULA_CELLS.map((c, i) => [c, String(-i)]), [['cell', 'varchar'], ['n', 'integer']]);
  const doc = await sqlDoc('SELECT cell, n FROM hostile_cells;\n');
  const outcome = (await vscode.commands.executeCommand<RunOutcome>('cloudMonitor.athena.runStatementAt', doc.uri, 0))!;
  assert.equal(outcome.state, 'SUCCEEDED');
  await outcome.loaded;
  const ctx = await extensionCtx();
  const entry = await waitFor(() => (ctx.extension.globalState.get<HistoryEntry[]>('cloudMonitor.athena.history') ?? []).find((h) => h.id === outcome.id && h.outputLocation), 'history entry');
  const { encodeRow } = await import('../../../src/webview/results/csv');
  const csv = [['cell', 'n'], ...FORMULA_CELLS.map((c, i) => [c, String(-i)])].map((r) => encodeRow(r)).join('');
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(entry.outputLocation!)!;
  const s3 = new S3Client({ endpoint: MOTO, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, forcePathStyle: true });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv, ContentType: 'text/csv' }));
  s3.destroy();
  const panel = (await vscode.commands.executeCommand<ResultsPanel>('cloudMonitor.athena.openResults', entry))!;
  await waitFor(() => panel.resultSet.status.phase === 'done' && panel.resultSet.length === FORMULA_CELLS.length, 'results loaded');
  // What the grid holds is the exact data (the export is what changes it, not the read).
  assert.deepEqual(panel.resultSet.getRows(0, 100).map((r) => r[0]), [...FORMULA_CELLS]);
  const dir = mkdtempSync(join(tmpdir(), 'export-formulas-'));
  const [safe, exact, json] = ['safe.csv', 'exact.csv', 'out.json'].map((f) => join(dir, f));
  const stub = stubExportPrompts(['CSV (safe for spreadsheets)', 'CSV (exact values)'], [safe, exact, json].map((f) => vscode.Uri.file(f)));
  try {
    await panel.export('csv');
    await panel.export('csv');
    await panel.export('json');
  } finally {
    stub.restore();
  }
  assert.deepEqual(stub.quickPicks[0].labels, ['CSV (safe for spreadsheets)', 'CSV (exact values)'], 'safe first: the default');
  assert.deepEqual(stub.saveDialogs.map((d) => d.title), ['Export results as CSV (safe for spreadsheets)', 'Export results as CSV (exact values)', 'Export results as JSON']);
  assert.deepEqual(stub.saveDialogs.map((d) => Object.keys(d.filters ?? {})), [['CSV (safe for spreadsheets)'], ['CSV (exact values)'], ['JSON']]);
  const { parseCsv } = await import('../../../src/webview/results/csv');
  const safeRows = parseCsv(readFileSync(safe, 'utf8'));
  assert.deepEqual(safeRows[0], ['cell', 'n']);
  assert.deepEqual(safeRows.slice(1).map((r) => r[0]), FORMULA_CELLS.map((c) => `'${c}`));
  assert.deepEqual(safeRows.slice(1).map((r) => r[1]), FORMULA_CELLS.map((_, i) => String(-i)), 'numbers stay numbers');
  assert.deepEqual(parseCsv(readFileSync(exact, 'utf8')).slice(1).map((r) => r[0]), [...FORMULA_CELLS]);
  assert.deepEqual((JSON.parse(readFileSync(json, 'utf8')) as { cell: string }[]).map((r) => r.cell), [...FORMULA_CELLS]);
});

test('a result past cloudMonitor.results.spillThresholdMb keeps its rows in a file under the extension\'s storage: the grid rows and the export are exact, and closing the results deletes the file (the CSV put at moto\'s OutputLocation)', async () => {
  const rows = Array.from({ length: 12_000 }, (_, i) => [`app-${i % 7}`, String(i), `${'ünï '.repeat(i % 40)}${FORMULA_CELLS[i % FORMULA_CELLS.length]}`]);
  await seedResults(rows.slice(0, 1), [['app', 'varchar'], ['n', 'integer'], ['note', 'varchar']]);
  const doc = await sqlDoc('SELECT app, n, note FROM big_events;\n');
  const outcome = (await vscode.commands.executeCommand<RunOutcome>('cloudMonitor.athena.runStatementAt', doc.uri, 0))!;
  await outcome.loaded;
  const ctx = await extensionCtx();
  const entry = await waitFor(() => (ctx.extension.globalState.get<HistoryEntry[]>('cloudMonitor.athena.history') ?? []).find((h) => h.id === outcome.id && h.outputLocation), 'history entry');
  const { encodeRow, parseCsv } = await import('../../../src/webview/results/csv');
  const csv = [['app', 'n', 'note'], ...rows].map((r) => encodeRow(r)).join('');
  assert.ok(csv.length > 1_100_000, 'more than the 1 MB threshold');
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(entry.outputLocation!)!;
  const s3 = new S3Client({ endpoint: MOTO, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, forcePathStyle: true });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv, ContentType: 'text/csv' }));
  s3.destroy();
  const settings = vscode.workspace.getConfiguration('cloudMonitor');
  await settings.update('results.spillThresholdMb', 1, vscode.ConfigurationTarget.Global);
  try {
    const panel = (await vscode.commands.executeCommand<ResultsPanel>('cloudMonitor.athena.openResults', entry))!;
    await waitFor(() => panel.resultSet.status.phase === 'done' && panel.resultSet.length === rows.length, 'results loaded');
    const store = panel.resultSet.store;
    assert.ok(store.spilled, 'the rows are in a file');
    assert.ok(store.tookBytes, "S3's size was past the threshold: the bytes went to the file as they came, never decoded");
    const storage = (ctx.extension.storageUri ?? ctx.extension.globalStorageUri).fsPath;
    assert.equal(join(store.spillPath!, '..'), join(storage, 'results-rows'));
    assert.match(store.spillPath!, /[0-9a-f-]{36}\.rows$/);
    assert.deepEqual(panel.resultSet.getRows(0, rows.length), rows);
    const target = join(mkdtempSync(join(tmpdir(), 'export-spilled-')), 'out.csv');
    const stub = stubExportPrompts(['CSV (exact values)'], [vscode.Uri.file(target)]);
    try {
      await panel.export('csv');
    } finally {
      stub.restore();
    }
    assert.deepEqual(parseCsv(readFileSync(target, 'utf8')), [['app', 'n', 'note'], ...rows]);
    const path = store.spillPath!;
    assert.ok(existsSync(path));
    panel.panel.dispose();
    await waitFor(() => !existsSync(path), 'the rows file deleted on close');
  } finally {
    await settings.update('results.spillThresholdMb', undefined, vscode.ConfigurationTarget.Global);
  }
});

test('Athena\'s error lands as a diagnostic at its line and column in the statement (the FAILED state comes from the loopback pager: moto never fails a query)', async () => {
  await fetch(`${PAGER}/__fail`, { method: 'POST', body: JSON.stringify({ match: 'nope_column', message: "COLUMN_NOT_FOUND: line 2:8: Column 'nope_column' cannot be resolved or requester is not authorized to access requested resources" }) });
  const doc = await sqlDoc('SELECT 1;\n  SELECT a,\n       nope_column\n  FROM t;\n');
  const outcome = await vscode.commands.executeCommand<RunOutcome>('cloudMonitor.athena.runStatementAt', doc.uri, 15);
  assert.equal(outcome?.state, 'FAILED');
  const diags = await waitFor(() => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Athena'), 'the diagnostic');
  assert.equal(diags.length, 1);
  const d = diags[0];
  assert.equal(doc.getText(d.range), 'nope_column');
  assert.deepEqual([d.range.start.line, d.range.start.character], [2, 7]);
  assert.match(d.message, /COLUMN_NOT_FOUND/);
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
});

test('completion offers the current database\'s tables and their columns, read after a run (Glue fallback: moto lacks ListTableMetadata)', async () => {
  // Glue holds the table; Athena (moto keeps its own list of databases) learns the database from DDL.
  const glue = async (target: string, body: unknown) => {
    const r = await fetch(MOTO, { method: 'POST', headers: { 'x-amz-target': `AWSGlue.${target}`, 'content-type': 'application/x-amz-json-1.1', authorization: 'AWS4-HMAC-SHA256 Credential=AKIASANDBOX000000000/20240101/us-east-1/glue/aws4_request, SignedHeaders=host, Signature=x' }, body: JSON.stringify(body) });
    assert.ok(r.ok, `${target}: ${r.status} ${await r.text()}`);
  };
  await glue('CreateDatabase', { DatabaseInput: { Name: 'pipeline' } });
  await glue('CreateTable', { DatabaseName: 'pipeline', TableInput: { Name: 'events', StorageDescriptor: { Columns: [{ Name: 'ts', Type: 'string' }, { Name: 'level', Type: 'string' }] }, PartitionKeys: [{ Name: 'appid', Type: 'string' }] } });
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.athena.selectDatabase', 'pipeline'), 'pipeline');
  const ddl = await sqlDoc('CREATE DATABASE pipeline;');
  await seedResults([], [['x', 'varchar']]);
  assert.equal((await vscode.commands.executeCommand<RunOutcome>('cloudMonitor.athena.runStatementAt', ddl.uri, 0))?.state, 'SUCCEEDED');
  const doc = await sqlDoc('SELECT e. FROM pipeline.events e;\nSELECT  FROM x;');
  // Our items only (not the editor's word suggestions): tables are Class, columns Field.
  const ours = async (line: number, ch: number, kind: vscode.CompletionItemKind) => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, ch), '.');
    return list.items.filter((i) => i.kind === kind).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  };
  await waitFor(async () => (await ours(1, 7, vscode.CompletionItemKind.Class)).includes('events'), 'table completion', 30_000);
  assert.deepEqual((await ours(0, 9, vscode.CompletionItemKind.Field)).sort(), ['appid', 'level', 'ts']);
});

test('history: reopen the results of a past query', async () => {
  const ctx = await extensionCtx();
  const entry = (ctx.extension.globalState.get<HistoryEntry[]>('cloudMonitor.athena.history') ?? []).find((h) => h.state === 'SUCCEEDED' && h.rows === 2500)!;
  assert.ok(entry, 'the earlier run is in the history');
  const panel = await vscode.commands.executeCommand<ResultsPanel>('cloudMonitor.athena.openResults', entry);
  await waitFor(() => panel?.resultSet.status.phase === 'done', 'results reopened');
  assert.equal(panel!.resultSet.length, 2500);
  assert.match(panel!.resultSet.source ?? '', /^S3 result file|^GetQueryResults paging/);
});

test('query library: a bundled query opens with its table filled in, ready to run', async () => {
  const uri = await vscode.commands.executeCommand<string>('cloudMonitor.athena.openLibrary', 'pipeline/busiest-apps.sql', { events_table: 'pipeline.events' });
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
  assert.equal(doc.languageId, 'sql');
  assert.match(doc.getText(), /FROM pipeline\.events\s+WHERE appid IN \(\?, \?, \?\)/);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
  assert.equal(lenses.length, 1);
});

test('workgroup, catalog and database switch from commands', async () => {
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.athena.selectWorkgroup', 'primary'), 'primary');
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.athena.selectCatalog', 'AwsDataCatalog'), 'AwsDataCatalog');
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.athena.selectDatabase', 'default'), 'default');
});

test('runner: a test\'s abort signal still reaches waitFor after awaited VS Code calls (so a timed-out test stops)', async (signal) => {
  assert.equal(currentSignal(), signal);
  await vscode.commands.executeCommand('cloudMonitor.athena.selectWorkgroup', 'primary');
  await sqlDoc('SELECT 1;');
  assert.equal(currentSignal(), signal, 'the signal survives the extension host\'s promises');
  await waitFor(() => currentSignal() === signal, 'the signal inside waitFor\'s check');
});

test('a Schema read whose disk-cache read outlasts a region switch files nothing under the old region (it reads again for the region in force)', async () => {
  const ctx = await extensionCtx();
  // A catalog that only us-east-1 has.
  const athena = new AthenaClient({ endpoint: MOTO, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  await athena.send(new CreateDataCatalogCommand({ Name: 'region_switch_catalog', Type: 'GLUE', Parameters: { 'catalog-id': '123456789012' } })).finally(() => athena.destroy());
  // The first disk-cache read answers only when let go, after the switch.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let reads = 0;
  const cache: Pick<Ctx['cache'], 'get' | 'set'> = {
    get: async (key, ttl) => { if (reads++ === 0) await gate; return ctx.cache.get(key, ttl); },
    set: (key, value) => ctx.cache.set(key, value),
  };
  const schema = new SchemaService(Object.assign(Object.create(ctx) as Ctx, { cache }));
  schema.refresh(); // what the disk holds from earlier tests is not used
  try {
    const during = schema.catalogs();
    await waitFor(() => reads === 1, 'the disk-cache read to start');
    await ctx.connection.setRegion('eu-west-1');
    release();
    assert.ok(!(await during).includes('region_switch_catalog'), 'the read answers for the region in force (eu-west-1)');
    await ctx.connection.setRegion('us-east-1');
    const back = await schema.catalogs();
    assert.ok(back.includes('region_switch_catalog'), `us-east-1's catalogs are its own: ${back.join(', ')}`);
  } finally {
    release();
    if (ctx.connection.region !== 'us-east-1') await ctx.connection.setRegion('us-east-1');
  }
});

export const run = runAll;
