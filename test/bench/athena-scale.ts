// `npm run bench -- athena-scale [rows,rows]` (default 1,000,000 and 10,000,000 rows × 20 columns):
// Athena results of any size, measured in the real extension host (code-server). A loopback stand-in
// (not moto: moto_server would need the whole CSV uploaded and serves it at a fraction of S3's speed)
// answers GetQueryResults with the column metadata and GetObject with generated CSV: the first
// POOL_ROWS rows of test/helpers/athenaData.ts, made once before anything is timed, repeated to the
// size asked for (so rows repeat every POOL_ROWS; making each row afresh ran at about 13,000 rows/s on
// this loaded machine and would have been what the bench measured). Inside the host (test/vscode/suite/athenaScale.ts)
// the shipped openResults reads it through the S3 fast path into a store that spills past 64 MB; then a
// sort by one number column and an exact-CSV export of the sorted view; the host's RSS is sampled
// throughout. The grid figures come from the results webview in headless Chromium over the largest
// result read the same way in this process (the webview is the same; its host end here is the bench,
// not code-server). Ends with one JSON line.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { openResults } from '../../src/athena/athenaClient';
import { STAND_IN_HEADER } from '../helpers/contractRecorder';
import { benchColumnInfo, benchCsv } from '../helpers/athenaData';
import { runExtensionHostSuite } from '../helpers/codeServer';
import { gridBench } from '../helpers/gridBench';
import type { ScaleResult } from '../vscode/suite/athenaScale';

const SIZES = (process.argv[2] ?? '1000000,10000000').split(',').map(Number);
/** `--grid-only`: skip the extension-host part (for iterating on the grid). */
const GRID_ONLY = process.argv.includes('--grid-only');
/** `--read-only`: the extension host only reads (no sort, export or grid), for iterating on the first rows and the read's memory. */
const READ_ONLY = process.argv.includes('--read-only');
const fmt = (n: number) => n.toLocaleString('en-US');
const POOL_ROWS = 50_000;

/** The header, and POOL_ROWS rows of CSV as bytes (one buffer). */
function makePool(): { header: Buffer; rows: Buffer; starts: number[] } {
  const text = [...benchCsv(POOL_ROWS)].join('');
  const headerEnd = text.indexOf('\n') + 1;
  const rows = Buffer.from(text.slice(headerEnd));
  // Row boundaries (no field of these rows holds a newline), for a partial last repeat.
  const starts: number[] = [0];
  for (let i = rows.indexOf(10); i >= 0 && starts.length < POOL_ROWS; i = rows.indexOf(10, i + 1)) starts.push(i + 1);
  return { header: Buffer.from(text.slice(0, headerEnd)), rows, starts };
}

/** GetQueryResults (the header row and column metadata) and GetObject of `/scale-results/results/<rows>.csv`. */
function startStandIn(): Promise<{ server: Server; endpoint: string }> {
  const pool = makePool();
  const server = createServer((req, res) => {
    res.setHeader(STAND_IN_HEADER, '1');
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method === 'POST' && target.endsWith('.GetQueryResults')) {
      req.resume();
      const info = benchColumnInfo();
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ ResultSet: { Rows: [{ Data: info.map((c) => ({ VarCharValue: c.Name })) }], ResultSetMetadata: { ColumnInfo: info } }, UpdateCount: 0 }));
      return;
    }
    const m = /^\/scale-results\/results\/(\d+)\.csv/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/xml');
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>not served</Message></Error>');
      return;
    }
    res.setHeader('content-type', 'text/csv');
    const total = Number(m[1]);
    // S3 always sends the object's size; the reader spills from the first row when it passes the threshold.
    const rest = total % POOL_ROWS;
    res.setHeader('content-length', pool.header.length + Math.floor(total / POOL_ROWS) * pool.rows.length + (rest ? pool.starts[rest] : 0));
    let sent = 0;
    let closed = false;
    res.on('close', () => { closed = true; });
    res.write(pool.header);
    const pump = () => {
      while (!closed && sent < total) {
        const n = Math.min(POOL_ROWS, total - sent);
        sent += n;
        const piece = n === POOL_ROWS ? pool.rows : pool.rows.subarray(0, pool.starts[n]);
        if (!res.write(piece)) { res.once('drain', pump); return; }
      }
      if (!closed) res.end();
    };
    pump();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as { port: number };
    resolve({ server, endpoint: `http://127.0.0.1:${addr.port}` });
  }));
}

async function main(): Promise<void> {
  const { server, endpoint } = await startStandIn();
  const tmp = mkdtempSync(join(tmpdir(), 'athena-scale-'));
  const out = join(tmp, 'results.json');
  const metrics: Record<string, number> = { rows: Math.max(...SIZES) };
  try {
    console.log(`athena-scale: ${SIZES.map(fmt).join(' and ')} rows × 20 columns, S3 fast path from a loopback stand-in, in code-server's extension host`);
    const suite = GRID_ONLY ? [] : await runExtensionHostSuite({ suite: 'athenaScale', env: { ATHENA_SCALE_ENDPOINT: endpoint, ATHENA_SCALE_ROWS: SIZES.join(','), ATHENA_SCALE_OUT: out, ATHENA_SCALE_READ_ONLY: READ_ONLY ? '1' : ''}, settings: { 'remote.autoForwardPorts': false }, timeoutMs: 3_600_000 });
    const results = GRID_ONLY ? [] : JSON.parse(readFileSync(out, 'utf8')) as ScaleResult[];
    for (const r of results) {
      const tag = r.rows >= 1_000_000 ? `${r.rows / 1_000_000}m` : `${r.rows / 1000}k`;
      console.log(`\n${fmt(r.rows)} rows (${r.spilled ? `spilled, ${fmt(r.spillMb)} MB file` : 'in memory'}):`);
      console.log(`  host RSS over baseline (peak, read + sort + export): ${r.peakRssOverBaselineMb} MB (baseline ${r.baselineRssMb} MB, taken after ${r.settledS} s at rest; goal ≤ 150); by phase: read ${r.phasePeaksMb.read}, sort ${r.phasePeaksMb.sort}, export ${r.phasePeaksMb.export} MB`);
      const parts = (Object.entries(r.phaseMemoryMb) as [string, ScaleResult['phaseMemoryMb']['read']][]).map(([k, m]) => `${k} ${m.heap}/${m.external}/${m.arrayBuffers}`);
      console.log(`    at each phase's peak, MB over the baseline's: V8 heap/external/of which ArrayBuffers: ${parts.join(', ')}`);
      console.log(`  first rows ${fmt(r.firstRowsMs)} ms (goal < 1000; steps before them, ms: ${JSON.stringify(r.firstRowsSteps)}); all rows ${r.allRowsS} s`);
      console.log(`  sort by latency_ms: ${r.sortS} s (goal < 60 at 10M); longest gap between event-loop turns ${r.sortLongestGapMs} ms`);
      console.log(`  export (exact CSV of the sorted view, ${fmt(r.exportMb)} MB): ${r.exportS} s`);
      metrics[`host_rss_over_baseline_mb_${tag}`] = r.peakRssOverBaselineMb;
      metrics[`first_rows_ms_${tag}`] = r.firstRowsMs;
      metrics[`all_rows_s_${tag}`] = r.allRowsS;
      metrics[`sort_s_${tag}`] = r.sortS;
      metrics[`sort_longest_gap_ms_${tag}`] = r.sortLongestGapMs;
      metrics[`export_s_${tag}`] = r.exportS;
    }
    const failed = suite.filter((r) => !r.ok);
    if (failed.length) throw new Error(failed.map((f) => `${f.name}: ${f.error}`).join('\n'));

    if (!READ_ONLY) {
      // The grid over the largest result, read the same way into a spilled store in this process.
      const rows = Math.max(...SIZES);
      const tag = rows >= 1_000_000 ? `${rows / 1_000_000}m` : `${rows / 1000}k`;
      const cfg = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, forcePathStyle: true, maxAttempts: 1 };
      const athena = new AthenaClient(cfg);
      const s3 = new S3Client(cfg);
      const { resultSet, done } = await openResults(athena, s3, { QueryExecutionId: 'grid', StatementType: 'DML', ResultConfiguration: { OutputLocation: `s3://scale-results/results/${rows}.csv` } },
        { spill: { dir: join(tmp, 'grid'), thresholdChars: 64 * 1_048_576, maxBytes: 64 * 1024 * 1_048_576 } });
      await done;
      const grid = await gridBench(resultSet);
      resultSet.dispose();
      athena.destroy();
      s3.destroy();
      metrics[`grid_first_paint_ms_${tag}`] = Math.round(grid.firstPaintMs);
      metrics[`grid_longest_frame_ms_${tag}`] = Math.round(grid.longestFrameMs);
      metrics[`grid_longest_task_cpu_ms_${tag}`] = Math.round(grid.longestTask.cpuMs);
      console.log(`\ngrid over ${fmt(rows)} spilled rows (headless Chromium, host binding in this process): first paint ${grid.firstPaintMs.toFixed(0)} ms after the first window (goal < 300); longest frame scrolling to the end ${grid.longestFrameMs.toFixed(1)} ms in ${grid.frames} frames (goal < 50); the renderer's longest task ${grid.longestTask.cpuMs} ms of CPU (${grid.longestTask.wallMs} ms wall; script ${grid.longestTask.phases.script}, style ${grid.longestTask.phases.style}, layout ${grid.longestTask.phases.layout}, paint ${grid.longestTask.phases.paint} ms)`);
    }
  } finally {
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  metrics.load_average_1m = Number(loadavg()[0].toFixed(1));
  console.log(`\nload average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores (other work on the machine slows every figure)`);
  console.log(JSON.stringify({ bench: 'athena-scale', metrics }));
}

main().catch((err) => { console.error(err); process.exit(1); });
