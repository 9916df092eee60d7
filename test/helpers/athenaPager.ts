/**
 * A loopback Athena endpoint that pages GetQueryResults the way Athena does (1,000 rows a page,
 * the header row counted in the first page, NextToken), with no added latency. moto answers
 * GetQueryResults with every row at once, so paging tests and the paging baseline of the benchmark
 * point their Athena client here. Every other Athena call is passed through to moto unchanged.
 *
 * Rows come from moto's seeded results (fetched once per query and then paged), or, for big
 * benchmarks, from a registered generator: POST /__dataset {id, rows, columns} before reading.
 * moto never fails a query: POST /__fail {match, message} makes every query whose text contains
 * `match` end FAILED with `message` (as Athena reports it) in GetQueryExecution.
 * moto also answers SUCCEEDED on the first GetQueryExecution: POST /__hold {match, queued, running} makes
 * every query whose text contains `match` report QUEUED for `queued` polls, then RUNNING for `running`
 * polls, before the state moto (or a fail rule) gives.
 * Non-Athena requests (S3, Glue, STS) pass through too, so it can be a whole sandbox endpoint.
 *
 *   const pager = await startAthenaPager(moto.endpoint);  // in-process
 *   new AthenaClient({ ...moto.clientConfig(), endpoint: pager.endpoint })
 */
import type { IncomingMessage, Server } from 'node:http';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { benchColumnInfo, benchRow } from './athenaData';
import { STAND_IN_HEADER } from './contractRecorder';
import { forward, listenLoopback, loopbackServer, reply, type Forwarded } from './loopback';

interface Datum { VarCharValue?: string }
interface Row { Data: Datum[] }
interface Source { columnInfo: unknown[]; count: number; row(i: number): Row }

export interface AthenaPager {
  endpoint: string;
  /** GetQueryResults calls served (pages). */
  pages(): number;
  /** Serves `rows` generated rows (test/helpers/athenaData.ts) for query `id`, header first. */
  registerDataset(id: string, rows: number): Promise<void>;
  /** Queries whose text contains `match` end FAILED with `message`. */
  failQueries(match: string, message: string): Promise<void>;
  /** Queries whose text contains `match` report QUEUED for `queued` polls, then RUNNING for `running` polls. */
  holdQueries(match: string, polls: { queued: number; running: number }): Promise<void>;
  stop(): Promise<void>;
}

export function createPagerServer(motoEndpoint: string, pageSize = 1000): { server: Server; pages: () => number } {
  const sources = new Map<string, Source>();
  const failRules: { match: string; message: string }[] = [];
  const failing = new Map<string, string>();
  const holdRules: { match: string; queued: number; running: number }[] = [];
  /** Query id → the states its next polls report, first first. */
  const held = new Map<string, string[]>();
  let pages = 0;

  const passThrough = (req: IncomingMessage, body: Buffer) => forward(motoEndpoint, req, body);

  async function sourceFor(id: string, req: IncomingMessage, body: Buffer): Promise<Source | { error: Forwarded }> {
    const known = sources.get(id);
    if (known) return known;
    // Ask moto for the whole canned result once, then page it.
    const res = await passThrough(req, Buffer.from(JSON.stringify({ QueryExecutionId: id })));
    if (res.status !== 200) return { error: res };
    void body;
    const parsed = JSON.parse(res.body.toString('utf8')) as { ResultSet?: { Rows?: Row[]; ResultSetMetadata?: { ColumnInfo?: unknown[] } } };
    const rows = parsed.ResultSet?.Rows ?? [];
    const src: Source = { columnInfo: parsed.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [], count: rows.length, row: (i) => rows[i] };
    sources.set(id, src);
    return src;
  }

  const server = loopbackServer(async (req, res, body) => {
      if (req.url === '/__dataset') {
        const { id, rows } = JSON.parse(body.toString('utf8')) as { id: string; rows: number };
        const columnInfo = benchColumnInfo();
        const names = columnInfo.map((c) => c.Name);
        // Row 0 is the header, as Athena returns it for a SELECT.
        sources.set(id, { columnInfo, count: rows + 1, row: (i) => ({ Data: (i === 0 ? names : benchRow(i - 1)).map((v) => (v === null ? {} : { VarCharValue: v })) }) });
        res.writeHead(204).end();
        return;
      }
      if (req.url === '/__fail') {
        failRules.push(JSON.parse(body.toString('utf8')) as { match: string; message: string });
        res.writeHead(204).end();
        return;
      }
      if (req.url === '/__hold') {
        holdRules.push(JSON.parse(body.toString('utf8')) as { match: string; queued: number; running: number });
        res.writeHead(204).end();
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      // A stopped query ends now, however many held polls it had left.
      if (target === 'AmazonAthena.StopQueryExecution') held.delete((JSON.parse(body.toString('utf8') || '{}') as { QueryExecutionId?: string }).QueryExecutionId ?? '');
      if (target === 'AmazonAthena.StartQueryExecution' || target === 'AmazonAthena.GetQueryExecution') {
        const r = await passThrough(req, body);
        const input = JSON.parse(body.toString('utf8') || '{}') as { QueryString?: string; QueryExecutionId?: string };
        let out = r.body;
        if (r.status === 200 && target === 'AmazonAthena.StartQueryExecution') {
          const id = (JSON.parse(r.body.toString('utf8')) as { QueryExecutionId: string }).QueryExecutionId;
          const rule = failRules.find((f) => input.QueryString?.includes(f.match));
          if (rule) failing.set(id, rule.message);
          const hold = holdRules.find((h) => input.QueryString?.includes(h.match));
          if (hold) held.set(id, [...Array<string>(hold.queued).fill('QUEUED'), ...Array<string>(hold.running).fill('RUNNING')]);
        } else if (r.status === 200 && input.QueryExecutionId && held.get(input.QueryExecutionId)?.length) {
          const parsed = JSON.parse(r.body.toString('utf8')) as { QueryExecution: { Status: Record<string, unknown> } };
          const { CompletionDateTime: _done, ...status } = parsed.QueryExecution.Status;
          parsed.QueryExecution.Status = { ...status, State: held.get(input.QueryExecutionId)!.shift() };
          out = Buffer.from(JSON.stringify(parsed));
        } else if (r.status === 200 && input.QueryExecutionId && failing.has(input.QueryExecutionId)) {
          const parsed = JSON.parse(r.body.toString('utf8')) as { QueryExecution: { Status: Record<string, unknown> } };
          const message = failing.get(input.QueryExecutionId)!;
          parsed.QueryExecution.Status = { ...parsed.QueryExecution.Status, State: 'FAILED', StateChangeReason: message, AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false, ErrorMessage: message } };
          out = Buffer.from(JSON.stringify(parsed));
        }
        reply(res, { status: r.status, headers: out === r.body ? r.headers : { ...r.headers, [STAND_IN_HEADER]: '1' }, body: out });
        return;
      }
      if (target !== 'AmazonAthena.GetQueryResults') {
        reply(res, await passThrough(req, body));
        return;
      }
      const input = JSON.parse(body.toString('utf8') || '{}') as { QueryExecutionId: string; NextToken?: string; MaxResults?: number };
      // The Athena model: GetQueryResults MaxResults is 1 to 1000. Athena refuses more; it does not clamp.
      if (input.MaxResults !== undefined && !(Number.isInteger(input.MaxResults) && input.MaxResults >= 1 && input.MaxResults <= 1000)) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }).end(JSON.stringify({ __type: 'InvalidRequestException', Message: `1 validation error detected: Value '${input.MaxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000` }));
        return;
      }
      const src = await sourceFor(input.QueryExecutionId, req, body);
      if ('error' in src) {
        reply(res, src.error);
        return;
      }
      pages++;
      const size = Math.min(pageSize, input.MaxResults ?? pageSize);
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const end = Math.min(src.count, start + size);
      const rows: Row[] = [];
      for (let i = start; i < end; i++) rows.push(src.row(i));
      const out = { ResultSet: { Rows: rows, ResultSetMetadata: { ColumnInfo: src.columnInfo } }, UpdateCount: 0, NextToken: end < src.count ? String(end) : undefined };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }).end(JSON.stringify(out));
  }, (res, err) => {
    res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }).end(JSON.stringify({ __type: 'InternalServerException', message: String(err) }));
  });
  return { server, pages: () => pages };
}

/** The pager's test controls, over HTTP (the same for both ways of running it). */
function controls(endpoint: string): Pick<AthenaPager, 'registerDataset' | 'failQueries' | 'holdQueries'> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${endpoint}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`pager ${path}: HTTP ${res.status}`);
  };
  return {
    registerDataset: (id, rows) => post('/__dataset', { id, rows }),
    failQueries: (match, message) => post('/__fail', { match, message }),
    holdQueries: (match, polls) => post('/__hold', { match, ...polls }),
  };
}

/** In this process (tests). */
export async function startAthenaPager(motoEndpoint: string, pageSize = 1000): Promise<AthenaPager> {
  const { server, pages } = createPagerServer(motoEndpoint, pageSize);
  const { url: endpoint, close } = await listenLoopback(server);
  return { endpoint, pages, ...controls(endpoint), stop: close };
}

/** In a child process (out/test/helpers/athenaPagerServer.js), so a benchmark's client does not share its event loop with the server. */
export async function startAthenaPagerProcess(motoEndpoint: string): Promise<AthenaPager> {
  // This module is bundled into its callers, so __filename is theirs: name the server's own bundle.
  const entry = join(__dirname, '..', 'helpers', 'athenaPagerServer.js');
  const child: ChildProcess = fork(entry, [motoEndpoint], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`pager exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    pages: () => -1,
    ...controls(endpoint),
    stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill(); }),
  };
}
