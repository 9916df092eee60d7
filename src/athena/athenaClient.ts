// Running an Athena query and reading its results. No vscode import: the SDK clients are passed in,
// so integration tests and the benchmark drive exactly this code against moto_server.
//
// Results take the fast path when they can: the result CSV at the query's OutputLocation, streamed
// from S3 and parsed incrementally, so the first rows show before the file is read. Otherwise
// (S3 access denied, a DDL result that is not a CSV, a missing object, results encrypted
// client-side) they page through GetQueryResults, 1,000 rows a page, and the stats say so.
import {
  GetQueryExecutionCommand, GetQueryResultsCommand, GetWorkGroupCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type AthenaClient, type ColumnInfo, type EncryptionOption, type GetQueryResultsCommandOutput, type QueryExecution, type ResultConfiguration, type Row,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError, errorCode } from '../aws/errors';
import type { Cell, Detail, ResultColumn } from '../webview/results/protocol';
import { ResultSet } from '../webview/results/resultSet';
import { ResultLimitError, type SpillOptions } from '../webview/results/spillFile';
import { formatBytes, formatUsd, queryCost, type QueryOutcome, type StatementType } from './cost';
import { athenaTypeToKind } from './types';
import { l10n } from '../util/l10n';
import { WorkgroupNotFoundError } from './contextCheck';

export interface QueryRequest {
  sql: string;
  workgroup: string;
  catalog?: string;
  database?: string;
  /** Used only when the workgroup has no result location of its own. */
  outputLocation?: string;
  /**
   * The caller's account: with `outputLocation`, Athena refuses to write results to a bucket another
   * account owns (ResultConfiguration.ExpectedBucketOwner), so a setting cannot send them elsewhere.
   */
  expectedBucketOwner?: string;
  /** Execution parameters, as SQL literals. */
  parameters?: string[];
}

export class QueryFailedError extends Error {
  override name = 'QueryFailed';
  constructor(message: string, readonly execution: QueryExecution) { super(message); }
}

export class QueryCancelledError extends Error {
  override name = 'QueryCancelled';
  constructor(readonly execution?: QueryExecution) { super('Query cancelled.'); }
}

/**
 * StartQueryExecution with the workgroup's settings. The workgroup's result configuration (location,
 * encryption, bucket owner, ACL) is sent as is, which changes nothing on Athena (an enforcing
 * workgroup ignores client settings anyway) but makes emulators record where results go. Without
 * one, `outputLocation` (the setting) is used; managed query results need neither.
 */
export async function startQuery(athena: AthenaClient, req: QueryRequest): Promise<string> {
  const wg = await athena.send(new GetWorkGroupCommand({ WorkGroup: req.workgroup }));
  // Athena answers InvalidRequestException for a missing workgroup; an emulator answers with none.
  if (!wg.WorkGroup) throw new WorkgroupNotFoundError(req.workgroup);
  const conf = wg.WorkGroup?.Configuration;
  let resultConfiguration: ResultConfiguration | undefined;
  if (conf?.ResultConfiguration?.OutputLocation) resultConfiguration = conf.ResultConfiguration;
  else if (req.outputLocation) resultConfiguration = { OutputLocation: req.outputLocation, ExpectedBucketOwner: req.expectedBucketOwner || undefined };
  else if (!conf?.ManagedQueryResultsConfiguration?.Enabled) {
    throw new Error(`Workgroup "${req.workgroup}" has no query result location. Set one on the workgroup, or set cloudMonitor.athena.outputLocation (an s3:// URI).`);
  }
  const res = await athena.send(new StartQueryExecutionCommand({
    QueryString: req.sql,
    WorkGroup: req.workgroup,
    QueryExecutionContext: req.database || req.catalog ? { Database: req.database || undefined, Catalog: req.catalog || undefined } : undefined,
    ResultConfiguration: resultConfiguration,
    ExecutionParameters: req.parameters?.length ? req.parameters : undefined,
  }));
  if (!res.QueryExecutionId) throw new Error('Athena returned no query execution id.');
  return res.QueryExecutionId;
}

export interface WaitOptions {
  signal?: AbortSignal;
  onState?: (state: string, elapsedMs: number) => void;
  /** First poll delay; grows ×1.5 up to maxPollMs. */
  pollMs?: number;
  maxPollMs?: number;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Polls GetQueryExecution until the query ends. Aborting the signal calls StopQueryExecution. */
export async function waitForQuery(athena: AthenaClient, id: string, opts: WaitOptions = {}): Promise<QueryExecution> {
  const started = Date.now();
  let delay = opts.pollMs ?? 200;
  for (;;) {
    if (opts.signal?.aborted) {
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      const stopped = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new QueryCancelledError(stopped?.QueryExecution);
    }
    const { QueryExecution: qe } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = qe?.Status?.State ?? 'UNKNOWN';
    opts.onState?.(state, Date.now() - started);
    if (qe && TERMINAL.has(state)) {
      if (state === 'FAILED') throw new QueryFailedError(qe.Status?.AthenaError?.ErrorMessage ?? qe.Status?.StateChangeReason ?? 'Query failed.', qe);
      if (state === 'CANCELLED') throw new QueryCancelledError(qe);
      return qe;
    }
    await sleep(delay, opts.signal);
    delay = Math.min(opts.maxPollMs ?? 2000, Math.round(delay * 1.5));
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function columnsOf(info: ColumnInfo[] | undefined): ResultColumn[] {
  return (info ?? []).map((c, i) => ({ name: c.Label || c.Name || `_col${i}`, type: c.Type, kind: athenaTypeToKind(c.Type) }));
}

/** A GetQueryResults row as cells: a missing VarCharValue is NULL. */
export function rowCells(row: Row, width: number): Cell[] {
  const out: Cell[] = new Array(width).fill(null);
  const data = row.Data ?? [];
  for (let i = 0; i < width && i < data.length; i++) out[i] = data[i].VarCharValue ?? null;
  return out;
}

/** s3://bucket/key → { bucket, key } */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

export type ResultPath = 's3' | 'paging';

export interface ReadOutcome {
  path: ResultPath;
  /** Why the S3 fast path was not used. */
  fallbackReason?: string;
  /** Reading stopped early (the result is larger than the cap or the free disk): why. The rows before stay. */
  stopped?: string;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Skip the fast path (tests, benchmarks of the baseline). */
  forcePaging?: boolean;
  /** Rows per GetQueryResults page (Athena's maximum is 1,000). */
  pageSize?: number;
  /** Where and when rows spill to a file, and the cap (the extension passes its storage and settings). */
  spill?: SpillOptions;
}

/**
 * Opens a finished query's results: first the column metadata (one small GetQueryResults call),
 * then the rows, streamed into the returned ResultSet. `done` settles when every row is in.
 */
export async function openResults(athena: AthenaClient, s3: S3Client | undefined, qe: QueryExecution, opts: ReadOptions = {}): Promise<{ resultSet: ResultSet; done: Promise<ReadOutcome> }> {
  const id = qe.QueryExecutionId!;
  // The result file is asked for while the column metadata is: the first rows come one round trip
  // sooner. Only once the workgroup is known not to encrypt results client-side: that file would be ciphertext.
  const problem = fastPathProblem(s3, qe, opts);
  const reason = problem ? Promise.resolve(problem) : clientSideEncryptionProblem(athena, qe);
  const object = reason.then((r) => (r ? undefined : getResultObject(s3!, qe.ResultConfiguration!.OutputLocation!, opts.signal)));
  object.catch(() => undefined); // handled in readRows
  let first: GetQueryResultsCommandOutput;
  try {
    first = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1 }));
  } catch (err) {
    void object.then((o) => (o?.Body as { destroy?: () => void } | undefined)?.destroy?.(), () => undefined);
    throw err;
  }
  const columns = columnsOf(first.ResultSet?.ResultSetMetadata?.ColumnInfo);
  const resultSet = new ResultSet(columns, { csvHeader: true, spill: opts.spill });
  const done = reason.then((r) => readRows(athena, object, r, qe, resultSet, opts)).then(
    async (outcome) => {
      await resultSet.finish(outcome.stopped);
      return outcome;
    },
    (err) => {
      resultSet.fail(err instanceof QueryCancelledError ? 'Reading the results was cancelled.' : `Could not read the results: ${classifyAwsError(err).message}`);
      throw err;
    },
  );
  return { resultSet, done };
}

/** Why the S3 fast path cannot be used for this execution, or undefined when it can. */
function fastPathProblem(s3: S3Client | undefined, qe: QueryExecution, opts: ReadOptions): string | undefined {
  const location = qe.ResultConfiguration?.OutputLocation;
  const statementType = qe.StatementType as StatementType | undefined;
  if (opts.forcePaging) return 'S3 fast path turned off';
  if (!s3) return 'no S3 client';
  if (!location) return 'the query has no output location';
  if (statementType === 'DDL' || !/\.csv$/i.test(location)) return `the result is not a CSV (${statementType ?? 'unknown'} statement)`;
  if (!parseS3Uri(location)) return `not an S3 URI: ${location}`;
  if (isClientSide(qe.ResultConfiguration?.EncryptionConfiguration?.EncryptionOption)) return CSE_REASON;
  return undefined;
}

const CSE_REASON = 'the results are encrypted client-side (CSE_KMS)';

/** CSE_KMS: Athena encrypts the result file with a KMS data key before S3 has it. SSE_S3 and SSE_KMS are decrypted by S3 on GetObject. */
function isClientSide(option: EncryptionOption | undefined): boolean {
  return option === 'CSE_KMS';
}

/**
 * The execution's own ResultConfiguration need not show its workgroup's encryption (a workgroup that
 * enforces its configuration overrides the client's), so the workgroup is asked too. If it cannot be
 * read, the execution's own configuration is all there is to go on.
 * https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html
 */
async function clientSideEncryptionProblem(athena: AthenaClient, qe: QueryExecution): Promise<string | undefined> {
  if (!qe.WorkGroup) return undefined;
  try {
    const wg = await athena.send(new GetWorkGroupCommand({ WorkGroup: qe.WorkGroup }));
    return isClientSide(wg.WorkGroup?.Configuration?.ResultConfiguration?.EncryptionConfiguration?.EncryptionOption) ? CSE_REASON : undefined;
  } catch {
    return undefined;
  }
}

function getResultObject(s3: S3Client, location: string, signal?: AbortSignal): Promise<GetObjectCommandOutput> {
  const target = parseS3Uri(location)!;
  return s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: target.key }), { abortSignal: signal });
}

async function readRows(athena: AthenaClient, object: Promise<GetObjectCommandOutput | undefined>, problem: string | undefined, qe: QueryExecution, rs: ResultSet, opts: ReadOptions): Promise<ReadOutcome> {
  let reason = problem;
  if (!problem) {
    try {
      await streamObject((await object)!, rs, opts.signal);
      return { path: 's3' };
    } catch (err) {
      if (err instanceof ResultLimitError) return { path: 's3', stopped: err.message };
      if (err instanceof QueryCancelledError) throw err;
      // Once rows are in, falling back would duplicate them: report the failure instead.
      if (rs.length > 0) throw err;
      const c = classifyAwsError(err);
      reason = c.kind === 'accessDenied' ? 'S3 access denied' : c.kind === 'notFound' ? 'the result file is not in S3' : `S3 read failed (${errorCode(err) ?? c.message})`;
    }
  }
  try {
    await pageQueryResults(athena, qe, rs, opts);
  } catch (err) {
    if (err instanceof ResultLimitError) return { path: 'paging', fallbackReason: reason, stopped: err.message };
    throw err;
  }
  return { path: 'paging', fallbackReason: reason };
}

/** GetObject on the result CSV, decoded and parsed chunk by chunk as it arrives. */
export async function streamCsvFromS3(s3: S3Client, location: string, rs: ResultSet, signal?: AbortSignal): Promise<void> {
  if (!parseS3Uri(location)) throw new Error(`Not an S3 URI: ${location}`);
  await streamObject(await getResultObject(s3, location, signal), rs, signal);
}

async function streamObject(obj: GetObjectCommandOutput, rs: ResultSet, signal?: AbortSignal): Promise<void> {
  const body = obj.Body as AsyncIterable<Uint8Array> | undefined;
  if (!body || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') throw new Error('S3 returned no readable body');
  const decoder = new TextDecoder('utf-8');
  let complete = false;
  let bytes = false;
  try {
    // A result known to be large goes to the spill file from its first row (bytes ≥ characters, close enough).
    if (obj.ContentLength) rs.expectChars(obj.ContentLength);
    // Rows that go to the spill file from the first one go as the bytes S3 sent.
    bytes = rs.takesBytes;
    for await (const chunk of body) {
      if (signal?.aborted) throw new QueryCancelledError();
      if (bytes) rs.pushCsvBytes(chunk);
      else rs.pushCsv(decoder.decode(chunk, { stream: true }));
    }
    complete = true;
  } finally {
    // Cancelled, or stopped at the cap: the rest of the object is not read.
    if (!complete) (body as unknown as { destroy?: () => void }).destroy?.();
  }
  if (bytes) {
    rs.endCsvBytes();
    return;
  }
  rs.pushCsv(decoder.decode());
  rs.endCsv();
}

/** The fallback: every page of GetQueryResults. For DML the first row of the first page is the header. */
export async function pageQueryResults(athena: AthenaClient, qe: QueryExecution, rs: ResultSet, opts: ReadOptions = {}): Promise<void> {
  const id = qe.QueryExecutionId!;
  const width = rs.columns.length;
  let token: string | undefined;
  let firstPage = true;
  do {
    if (opts.signal?.aborted) throw new QueryCancelledError();
    const page: GetQueryResultsCommandOutput = await athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: opts.pageSize ?? 1000 }),
      { abortSignal: opts.signal },
    );
    let rows = page.ResultSet?.Rows ?? [];
    if (firstPage && qe.StatementType !== 'DDL' && rows.length && isHeaderRow(rows[0], rs.columns)) rows = rows.slice(1);
    firstPage = false;
    rs.appendRows(rows.map((r) => rowCells(r, width)));
    token = page.NextToken;
  } while (token);
}

function isHeaderRow(row: Row, columns: ResultColumn[]): boolean {
  const data = row.Data ?? [];
  return data.length === columns.length && data.every((d, i) => d.VarCharValue === columns[i].name);
}

/** The Stats tab for an execution: state, data scanned, cost, times, and a warning above a threshold. */
export function executionDetails(qe: QueryExecution, opts: { warnBytes?: number; rows?: number } = {}): Detail[] {
  const stats = qe.Statistics ?? {};
  const state = (qe.Status?.State ?? 'UNKNOWN') as QueryOutcome;
  const scanned = stats.DataScannedInBytes ?? 0;
  // Reused results read nothing and are not charged.
  const cost = stats.ResultReuseInformation?.ReusedPreviousResult
    ? { billedBytes: 0, usd: 0, note: 'Reused results are not charged.' }
    : queryCost(scanned, state, (qe.StatementType ?? 'DML') as StatementType);
  const ms = (v?: number) => (v === undefined ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(2)} s`);
  const details: Detail[] = [
    { label: l10n.t('State'), value: state, tone: state === 'FAILED' ? 'error' : undefined, hint: qe.Status?.StateChangeReason },
    { label: l10n.t('Data scanned'), value: `${formatBytes(scanned)}${scanNote(qe, cost.billedBytes)}`, hint: `${scanned.toLocaleString('en-US')} bytes` },
    { label: l10n.t('Cost'), value: `${formatUsd(cost.usd)}${cost.usd && cost.billedBytes > scanned ? ` (billed: ${formatBytes(cost.billedBytes)})` : ''}`, hint: `${cost.note} Billed: ${formatBytes(cost.billedBytes)}.` },
    { label: l10n.t('Engine time'), value: ms(stats.EngineExecutionTimeInMillis) },
    { label: l10n.t('Queue time'), value: ms(stats.QueryQueueTimeInMillis) },
    { label: l10n.t('Total time'), value: ms(stats.TotalExecutionTimeInMillis) },
  ];
  if (opts.warnBytes && scanned > opts.warnBytes) {
    details.splice(2, 0, { label: l10n.t('Warning'), value: l10n.t('Scanned {0}, above your warning level of {1} (cloudMonitor.athena.warnScannedBytes).', formatBytes(scanned), formatBytes(opts.warnBytes)), tone: 'warning' });
  }
  if (opts.rows !== undefined) details.push({ label: l10n.t('Rows'), value: opts.rows.toLocaleString('en-US') });
  details.push(
    { label: l10n.t('Workgroup'), value: qe.WorkGroup ?? '—' },
    { label: l10n.t('Catalog · database'), value: `${qe.QueryExecutionContext?.Catalog ?? 'AwsDataCatalog'} · ${qe.QueryExecutionContext?.Database ?? '—'}` },
    { label: l10n.t('Statement type'), value: qe.StatementType ?? '—' },
    { label: l10n.t('Query id'), value: qe.QueryExecutionId ?? '—' },
  );
  if (qe.ResultConfiguration?.OutputLocation) details.push({ label: l10n.t('Output location'), value: qe.ResultConfiguration.OutputLocation });
  return details;
}

/**
 * Why a small "Data scanned" figure is what it is, shown beside it (a tooltip is easily missed):
 * a DDL statement scans nothing, reused results scan nothing, and Athena bills at least 10 MB.
 */
export function scanNote(qe: QueryExecution, billedBytes: number): string {
  const scanned = qe.Statistics?.DataScannedInBytes ?? 0;
  if (qe.StatementType === 'DDL') return ' · a DDL statement: it reads no data and is not charged';
  if (qe.Statistics?.ResultReuseInformation?.ReusedPreviousResult) return ' · results reused from an earlier run: nothing read';
  if (qe.Status?.State === 'FAILED') return ' · failed queries are not charged';
  if (billedBytes > scanned) return ` · billed as ${formatBytes(billedBytes)}, Athena's 10 MB minimum per query`;
  return '';
}

export function sourceLabel(outcome: ReadOutcome): string {
  return outcome.path === 's3' ? 'S3 result file (CSV stream)' : `GetQueryResults paging (fallback: ${outcome.fallbackReason ?? 'unknown'})`;
}
