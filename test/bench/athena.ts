// `npm run bench -- athena [rows]`: Athena results, measured in one run (default 1,000,000 rows):
//   Retrieval  time to the first row and to all rows, for 100k and `rows`, through the S3 fast path
//              (the result CSV in moto's S3, streamed and parsed incrementally) and through
//              GetQueryResults paging (a loopback endpoint in its own process that serves Athena's
//              JSON in pages of 1,000 rows with no added latency; moto answers in one response).
//              Both read the same rows (test/helpers/athenaData.ts) into the same ResultSet.
//   Parsing    CSV rows/s: splitting rows into the store, and splitting plus decoding every field.
//   Grid       headless Chromium, the results webview over 1M rows held by the real host binding:
//              first paint after the first window arrives, and the longest frame scrolling to the end.
//              Also the chart tab with 100,000 points.
//   Memory     peak RSS of a child process doing what the extension host does for a 1M-row read.
// Ends with one JSON line.
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { openResults } from '../../src/athena/athenaClient';
import { CsvRowScanner, decodeRow, type Cell } from '../../src/webview/results/csv';
import { ResultsBinding } from '../../src/webview/results/binding';
import type { ResultsSpec } from '../../src/webview/results/protocol';
import { ResultSet } from '../../src/webview/results/resultSet';
import { benchColumnInfo, benchCsv } from '../helpers/athenaData';
import { startAthenaPagerProcess } from '../helpers/athenaPager';
import { startMoto } from '../helpers/moto';
import { openWebviewPage } from '../helpers/webviewPage';
import { gridBench } from '../helpers/gridBench';

const BIG = Number(process.argv[2] ?? 1_000_000);
const SMALL = Math.min(100_000, BIG);
const BUCKET = 'bench-athena-results';
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const fmt = (n: number) => n.toLocaleString('en-US');
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Timing { firstRowMs: number; allRowsMs: number; rows: number; path: string }

/** Reads a finished query's results and times the first row and the last. */
async function timedRead(athena: AthenaClient, s3: S3Client, qe: QueryExecution, forcePaging: boolean): Promise<Timing & { rs: ResultSet }> {
  const t0 = performance.now();
  let firstRowMs = -1;
  const { resultSet, done } = await openResults(athena, s3, qe, { forcePaging });
  if (resultSet.length) firstRowMs = performance.now() - t0;
  resultSet.on((e) => { if (e.type === 'rows' && firstRowMs < 0) firstRowMs = performance.now() - t0; });
  const outcome = await done;
  return { firstRowMs, allRowsMs: performance.now() - t0, rows: resultSet.length, path: outcome.path, rs: resultSet };
}

/** A moto execution whose OutputLocation holds `rows` rows of CSV; moto's canned result gives the column metadata. */
async function prepareQuery(endpoint: string, athena: AthenaClient, s3: S3Client, rows: number, csv: string[]): Promise<QueryExecution> {
  const header = { Data: benchColumnInfo().map((c) => ({ VarCharValue: c.Name })) };
  const res = await fetch(`${endpoint}/moto-api/static/athena/query-results`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: '123456789012', region: 'us-east-1', results: [{ rows: [header], column_info: benchColumnInfo() }] }),
  });
  if (res.status !== 201) throw new Error(`seeding failed: ${res.status}`);
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: `SELECT * FROM bench LIMIT ${rows}`, WorkGroup: 'primary', ResultConfiguration: { OutputLocation: `s3://${BUCKET}/results/` } }));
  let qe: QueryExecution | undefined;
  for (let i = 0; i < 10 && qe?.Status?.State !== 'SUCCEEDED'; i++) qe = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution;
  const key = qe!.ResultConfiguration!.OutputLocation!.slice(`s3://${BUCKET}/`.length);
  // moto writes its own CSV of the canned rows when it hands them out; make it do so now, before ours.
  await athena.send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 1 }));
  // One buffer: a streamed body is not replayable, so an SDK retry would upload nothing.
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.concat(csv.map((c) => Buffer.from(c))) }));
  if (process.env.BENCH_DEBUG) {
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    console.log('after put', (await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength, key);
  }
  return qe!;
}

function parseBench(csv: string[], rows: number): { indexRowsPerS: number; parseRowsPerS: number } {
  // Warm up both paths on the first 10 MB, so the figures are the optimized code's, as in a long-lived host.
  const warm = new ResultSet(benchColumnInfo().map((c) => ({ name: c.Name, kind: 'text' as const })), { csvHeader: true });
  for (const c of csv.slice(0, 10)) warm.pushCsv(c);
  const warmScanner = new CsvRowScanner();
  for (const c of csv.slice(0, 10)) {
    const b = warmScanner.push(c);
    if (b) for (let i = 0; i < b.starts.length; i++) decodeRow(b.text, b.starts[i], i + 1 < b.starts.length ? b.starts[i + 1] : b.text.length);
  }
  // Splitting rows into the store: what the fast path does while reading.
  let t0 = performance.now();
  const rs = new ResultSet(benchColumnInfo().map((c) => ({ name: c.Name, kind: 'text' as const })), { csvHeader: true });
  for (const c of csv) rs.pushCsv(c);
  rs.endCsv();
  const indexMs = performance.now() - t0;
  if (rs.length !== rows) throw new Error(`indexed ${rs.length} rows, expected ${rows}`);
  // Splitting and decoding every field of every row into strings (what a parser that hands out rows does).
  t0 = performance.now();
  const scanner = new CsvRowScanner();
  const out: Cell[] = [];
  let decoded = 0;
  let fields = 0;
  const take = (b: ReturnType<CsvRowScanner['push']>) => {
    if (!b) return;
    for (let i = 0; i < b.starts.length; i++) {
      decodeRow(b.text, b.starts[i], i + 1 < b.starts.length ? b.starts[i + 1] : b.text.length, out);
      fields += out.length;
      decoded++;
    }
  };
  for (const c of csv) take(scanner.push(c));
  take(scanner.end());
  const parseMs = performance.now() - t0;
  if (decoded !== rows + 1 || fields !== (rows + 1) * 20) throw new Error(`decoded ${decoded} rows / ${fields} fields`);
  return { indexRowsPerS: rows / (indexMs / 1000), parseRowsPerS: rows / (parseMs / 1000) };
}

/** The chart tab over `rs` (time × one number: one point per row), timed from the click to the drawn chart. */
async function chartBench(rs: ResultSet): Promise<{ chartMs: number; longestTaskMs: number; points: number }> {
  const wv = await openWebviewPage<ResultsSpec>({
    bundle: 'results',
    initialState: { tab: 'grid', scrollTop: 0, scrollLeft: 0, view: {}, chart: { type: 'line', x: 0, ys: [5] } },
    onHostEndpoint: (ep) => new ResultsBinding(ep, { writeClipboard: async () => undefined, exportToFile: async () => ({}) }, { title: 'bench', resultSet: rs }),
  });
  try {
    const { page } = wv;
    await page.waitForFunction(() => performance.getEntriesByName('results:first-paint').length > 0);
    await page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration); }).observe({ type: 'longtask', buffered: false });
    });
    const t0 = Date.now();
    await page.locator('vscode-tab-header', { hasText: 'Chart' }).click();
    await page.waitForFunction(() => /[\d,]+ points/.test(document.body.textContent ?? '') && !!document.querySelector('.chart canvas'), undefined, { timeout: 120_000 });
    const chartMs = Date.now() - t0;
    const text = await page.locator('.status', { hasText: 'points' }).last().textContent();
    const points = Number(/([\d,]+) points/.exec(text ?? '')?.[1].replace(/,/g, '') ?? 0);
    await page.waitForTimeout(200);
    const longestTaskMs = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
    // Check the long-task observer works here: a deliberate 80 ms task must be seen.
    const observed = await page.evaluate(async () => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      setTimeout(() => { const t = performance.now(); while (performance.now() - t < 80) { /* busy */ } }, 0);
      await new Promise((r) => setTimeout(r, 300));
      return w.__longest;
    });
    if (observed < 80) throw new Error(`the long-task observer did not see an 80 ms task (saw ${observed} ms)`);
    return { chartMs, longestTaskMs, points };
  } finally {
    await wv.close();
  }
}

/** Peak memory of a process doing the host's part of a fast-path read of `rows` rows. */
function memoryChild(endpoint: string, qe: QueryExecution): Promise<{ peakRssMb: number; maxRssMb: number; baselineRssMb: number; rows: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--memory-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--enable-source-maps'] });
    child.once('message', (m) => resolve(m as { peakRssMb: number; maxRssMb: number; baselineRssMb: number; rows: number }));
    child.once('exit', (code) => { if (code) reject(new Error(`memory child exited with ${code}`)); });
    child.send({ endpoint, qe });
  });
}

async function runMemoryChild(): Promise<void> {
  const { endpoint, qe } = await new Promise<{ endpoint: string; qe: QueryExecution }>((r) => process.once('message', (m) => r(m as { endpoint: string; qe: QueryExecution })));
  const cfg = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true };
  const athena = new AthenaClient(cfg);
  const s3 = new S3Client(cfg);
  const baselineRssMb = process.memoryUsage().rss / 1_048_576;
  let peak = 0;
  const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  const { resultSet, done } = await openResults(athena, s3, qe);
  await done;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sample);
  process.send!({ peakRssMb: peak / 1_048_576, maxRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb, rows: resultSet.length }, () => process.exit(0));
}

async function main(): Promise<void> {
  const moto = await startMoto();
  const pager = await startAthenaPagerProcess(moto.endpoint);
  const athena = new AthenaClient(moto.clientConfig());
  const paged = new AthenaClient({ ...moto.clientConfig(), endpoint: pager.endpoint });
  const s3 = new S3Client(moto.clientConfig());
  const metrics: Record<string, number> = {};
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    console.log(`Athena results bench: ${fmt(SMALL)} and ${fmt(BIG)} rows × 20 columns (moto_server ${moto.endpoint})`);

    for (const rows of SMALL === BIG ? [BIG] : [SMALL, BIG]) {
      const tag = rows >= 1_000_000 ? `${rows / 1_000_000}m` : `${rows / 1000}k`;
      let t0 = performance.now();
      let csv: string[] | undefined = [...benchCsv(rows)];
      const bytes = csv.reduce((n, c) => n + c.length, 0);
      console.log(`\n${fmt(rows)} rows: ${(bytes / 1_048_576).toFixed(0)} MB of CSV generated in ${sec(performance.now() - t0)}`);
      t0 = performance.now();
      const qe = await prepareQuery(moto.endpoint, athena, s3, rows, csv);
      console.log(`  uploaded to ${qe.ResultConfiguration?.OutputLocation} in ${sec(performance.now() - t0)}`);
      if (rows === BIG) {
        const p = parseBench(csv, rows);
        metrics.csv_index_rows_per_s = Math.round(p.indexRowsPerS);
        metrics.csv_parse_rows_per_s = Math.round(p.parseRowsPerS);
        console.log(`  parse: split rows into the store ${fmt(Math.round(p.indexRowsPerS))} rows/s; split + decode every field ${fmt(Math.round(p.parseRowsPerS))} rows/s (goal ≥ 1,000,000)`);
      }
      csv = undefined;
      gc();

      await pager.registerDataset(qe.QueryExecutionId!, rows);
      const { rs, ...fast } = await timedRead(athena, s3, qe, false);
      let fastRs: ResultSet | undefined = rs;
      if (fast.path !== 's3' || fast.rows !== rows) {
        const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
        const key = qe.ResultConfiguration!.OutputLocation!.slice(`s3://${BUCKET}/`.length);
        const h = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
        throw new Error(`fast path read ${fast.rows} rows via ${fast.path}; object is ${h.ContentLength} bytes; status ${JSON.stringify(rs.status)}`);
      }
      console.log(`  S3 fast path:          first row ${fmt(Math.round(fast.firstRowMs))} ms, all rows ${sec(fast.allRowsMs)}`);
      metrics[`s3_first_row_ms_${tag}`] = Math.round(fast.firstRowMs);
      metrics[`s3_all_rows_ms_${tag}`] = Math.round(fast.allRowsMs);

      if (rows === BIG) {
        const grid = await gridBench(fastRs);
        metrics.grid_first_paint_ms = Math.round(grid.firstPaintMs);
        metrics.grid_load_to_first_paint_ms = Math.round(grid.loadToPaintMs);
        metrics.grid_longest_frame_ms = Math.round(grid.longestFrameMs);
        console.log(`  grid (Chromium, ${fmt(rows)} rows): first paint ${grid.firstPaintMs.toFixed(0)} ms after the first window (goal < 300; ${grid.loadToPaintMs.toFixed(0)} ms after page load);`);
        console.log(`    scrolling to the end in ${grid.frames} frames: longest frame ${grid.longestFrameMs.toFixed(1)} ms (goal < 50); last rows drawn ${grid.endShownMs.toFixed(0)} ms after arriving`);
      } else {
        const chart = await chartBench(fastRs);
        metrics.chart_points = chart.points;
        metrics.chart_render_ms = chart.chartMs;
        metrics.chart_longest_task_ms = Math.round(chart.longestTaskMs);
        console.log(`  chart tab: ${fmt(chart.points)} points drawn ${chart.chartMs} ms after the click; longest main-thread task ${chart.longestTaskMs.toFixed(0)} ms`);
      }
      fastRs = undefined;
      gc();

      const { rs: _slowRs, ...slow } = await timedRead(paged, s3, qe, true);
      if (slow.path !== 'paging' || slow.rows !== rows) throw new Error(`paging read ${slow.rows} rows via ${slow.path}`);
      console.log(`  GetQueryResults pages: first row ${fmt(Math.round(slow.firstRowMs))} ms, all rows ${sec(slow.allRowsMs)} (${Math.ceil((rows + 1) / 1000)} pages)`);
      metrics[`paging_first_row_ms_${tag}`] = Math.round(slow.firstRowMs);
      metrics[`paging_all_rows_ms_${tag}`] = Math.round(slow.allRowsMs);
      metrics[`speedup_all_rows_${tag}`] = Number((slow.allRowsMs / fast.allRowsMs).toFixed(1));
      console.log(`  fast path is ${(slow.allRowsMs / fast.allRowsMs).toFixed(1)}× faster to all rows${rows === BIG ? ' (goal ≥ 10× at 1M)' : ''}`);
      gc();

      if (rows === BIG) {
        const mem = await memoryChild(moto.endpoint, qe);
        if (mem.rows !== rows) throw new Error(`memory child read ${mem.rows} rows`);
        metrics.host_peak_rss_mb = Math.round(mem.peakRssMb);
        metrics.host_baseline_rss_mb = Math.round(mem.baselineRssMb);
        console.log(`  memory: peak RSS ${mem.peakRssMb.toFixed(0)} MB reading ${fmt(rows)} rows (baseline ${mem.baselineRssMb.toFixed(0)} MB, OS max ${mem.maxRssMb.toFixed(0)} MB; goal < 400 MB)`);
      }
    }
  } finally {
    athena.destroy();
    paged.destroy();
    s3.destroy();
    await pager.stop();
    await moto.stop();
  }
  metrics.load_average_1m = Number(loadavg()[0].toFixed(1));
  console.log(`\nload average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (other work on the machine slows every figure)`);
  console.log(JSON.stringify({ bench: 'athena', metrics }));
}

if (process.argv.includes('--memory-child')) {
  runMemoryChild().catch((err) => { console.error(err); process.exit(1); });
} else {
  main().catch((err) => { console.error(err); process.exit(1); });
}
