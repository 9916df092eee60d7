// The athena-scale benchmark's measurement inside the real extension host (code-server): for each
// size in $ATHENA_SCALE_ROWS, read the result CSV through the S3 fast path (openResults, the shipped
// code) from the loopback stand-in at $ATHENA_SCALE_ENDPOINT into a store that spills past 64 MB, then
// sort it by one column and export it; sample the host's RSS all along. Results go to $ATHENA_SCALE_OUT.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, type QueryExecution } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { openResults } from '../../../src/athena/athenaClient';
import { exportTo } from '../../../src/webview/results/export';
import { runAll, test } from './runner';

export interface ScaleResult {
  rows: number;
  baselineRssMb: number;
  /** Seconds waited for the host to be at rest before the baseline was taken. */
  settledS: number;
  peakRssOverBaselineMb: number;
  /** The peak in each phase: reading, sorting, exporting. */
  phasePeaksMb: { read: number; sort: number; export: number };
  /** At each phase's RSS peak, MB over the baseline's: V8's heap (total) and memory outside it (external, of which ArrayBuffers). */
  phaseMemoryMb: Record<'read' | 'sort' | 'export', { heap: number; external: number; arrayBuffers: number }>;
  firstRowsMs: number;
  /** When each step before the first rows ended (ms after the start): the two requests' answers, openResults' return. */
  firstRowsSteps: Record<string, number>;
  allRowsS: number;
  spilled: boolean;
  spillMb: number;
  sortS: number;
  sortLongestGapMs: number;
  exportS: number;
  exportMb: number;
}

const endpoint = process.env.ATHENA_SCALE_ENDPOINT ?? '';
const sizes = (process.env.ATHENA_SCALE_ROWS ?? '1000000').split(',').map(Number);
const results: ScaleResult[] = [];
/** ATHENA_SCALE_READ_ONLY=1: read only (no sort, no export), for iterating on the first rows and the read's memory. */
const readOnly = process.env.ATHENA_SCALE_READ_ONLY === '1';

/**
 * Waits until the host is at rest: its V8 heap and its memory outside it both within 1 MB of where they
 * were for 8 s in a row (at most 60 s). The bench's settings turn off code-server's port finder, which
 * reads every process's /proc files every few seconds in a remote extension host (desktop VS Code's
 * local host does not): its garbage came and went by tens of MB, in the baseline or at the peak by
 * chance. Returns the seconds waited.
 */
async function settle(): Promise<number> {
  const t0 = performance.now();
  let last = process.memoryUsage();
  let still = 0;
  while (still < 8 && performance.now() - t0 < 60_000) {
    await new Promise((r) => setTimeout(r, 1000));
    const m = process.memoryUsage();
    const moved = Math.abs(m.heapUsed - last.heapUsed) > 1_048_576 || Math.abs(m.external - last.external) > 1_048_576;
    still = moved ? 0 : still + 1;
    last = m;
  }
  return Number(((performance.now() - t0) / 1000).toFixed(1));
}

for (const rows of sizes) {
  test(`athena-scale ${rows} rows`, async () => {
    const cfg = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, forcePathStyle: true, maxAttempts: 1 };
    const athena = new AthenaClient(cfg);
    const s3 = new S3Client(cfg);
    const dir = mkdtempSync(join(tmpdir(), 'athena-scale-'));
    const settledS = await settle();
    const base = process.memoryUsage();
    const baseline = base.rss;
    let peak = baseline;
    let atPeak = base;
    const sample = () => {
      const m = process.memoryUsage();
      if (m.rss >= peak) { peak = m.rss; atPeak = m; }
    };
    const sampler = setInterval(sample, 20);
    try {
      const qe: QueryExecution = {
        QueryExecutionId: `scale-${rows}`, StatementType: 'DML', Status: { State: 'SUCCEEDED' },
        ResultConfiguration: { OutputLocation: `s3://scale-results/results/${rows}.csv` },
      };
      const t0 = performance.now();
      let firstRowsMs = -1;
      const steps: Record<string, number> = {};
      const at = (name: string) => { if (!(name in steps)) steps[name] = Math.round(performance.now() - t0); };
      athena.middlewareStack.add((next) => async (args) => { const r = await next(args); at('athena_answered'); return r; }, { step: 'deserialize', name: 'scaleTiming' });
      s3.middlewareStack.add((next) => async (args) => { const r = await next(args); at('s3_answered'); return r; }, { step: 'deserialize', name: 'scaleTiming' });
      const { resultSet, done } = await openResults(athena, s3, qe, { spill: { dir, thresholdChars: 64 * 1_048_576, maxBytes: 64 * 1024 * 1_048_576 } });
      at('opened');
      resultSet.on((e) => { if (e.type === 'rows' && firstRowsMs < 0) firstRowsMs = performance.now() - t0; });
      const outcome = await done;
      const allRowsS = (performance.now() - t0) / 1000;
      const MB = (n: number) => Math.round(n / 1_048_576);
      const parts: Partial<ScaleResult['phaseMemoryMb']> = {};
      const phase = (name: keyof ScaleResult['phaseMemoryMb']) => {
        sample();
        parts[name] = { heap: MB(atPeak.heapTotal - base.heapTotal), external: MB(atPeak.external - base.external), arrayBuffers: MB(atPeak.arrayBuffers - base.arrayBuffers) };
        const over = MB(peak - baseline);
        peak = baseline;
        return over;
      };
      const readPeak = phase('read');
      if (outcome.path !== 's3' || resultSet.length !== rows) throw new Error(`read ${resultSet.length} rows via ${outcome.path} (${outcome.stopped ?? ''})`);
      const common = {
        rows, baselineRssMb: Math.round(baseline / 1_048_576), settledS, firstRowsMs: Math.round(firstRowsMs), firstRowsSteps: steps, allRowsS: Number(allRowsS.toFixed(1)),
        spilled: resultSet.store.spilled, spillMb: Math.round(resultSet.store.spilledBytes / 1_048_576),
      };
      if (readOnly) {
        const none = { heap: 0, external: 0, arrayBuffers: 0 };
        results.push({ ...common, peakRssOverBaselineMb: readPeak, phasePeaksMb: { read: readPeak, sort: 0, export: 0 }, phaseMemoryMb: { read: parts.read!, sort: none, export: none }, sortS: 0, sortLongestGapMs: 0, exportS: 0, exportMb: 0 });
        resultSet.dispose();
        return;
      }
      // Sort by a number column (latency_ms), timing the longest gap between event-loop turns.
      let longest = 0;
      let last = performance.now();
      const ticker = setInterval(() => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; }, 5);
      const s0 = performance.now();
      const view = await resultSet.setView({ sort: { column: 5, descending: true } });
      const sortS = (performance.now() - s0) / 1000;
      clearInterval(ticker);
      if (view.total !== rows) throw new Error(`sorted view has ${view.total} rows`);
      const sortPeak = phase('sort');
      // Export the sorted view as exact CSV, streamed to a file.
      const target = join(dir, 'export.csv');
      const e0 = performance.now();
      const file = await open(target, 'w');
      let bytes = 0;
      try {
        bytes = await exportTo(resultSet, 'csv-exact', (chunk) => file.writeFile(chunk), { chunkBytes: 1 << 20 });
      } finally {
        await file.close();
      }
      const exportS = (performance.now() - e0) / 1000;
      const exportPeak = phase('export');
      results.push({
        ...common, peakRssOverBaselineMb: Math.max(readPeak, sortPeak, exportPeak),
        phasePeaksMb: { read: readPeak, sort: sortPeak, export: exportPeak },
        phaseMemoryMb: parts as ScaleResult['phaseMemoryMb'],
        sortS: Number(sortS.toFixed(1)), sortLongestGapMs: Math.round(longest),
        exportS: Number(exportS.toFixed(1)), exportMb: Math.round(bytes / 1_048_576),
      });
      resultSet.dispose();
    } finally {
      clearInterval(sampler);
      athena.destroy();
      s3.destroy();
      rmSync(dir, { recursive: true, force: true });
      writeFileSync(process.env.ATHENA_SCALE_OUT!, JSON.stringify(results));
    }
  }, 3_600_000);
}

export const run = runAll;
