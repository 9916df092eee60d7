// The results grid over a ResultSet in headless Chromium, with the real host binding: first paint after
// the first window arrives, and the longest frame scrolling from the top to the last row (the athena and
// athena-scale benches).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsBinding } from '../../src/webview/results/binding';
import type { ResultsSpec } from '../../src/webview/results/protocol';
import type { ResultSet } from '../../src/webview/results/resultSet';
import { openWebviewPage } from './webviewPage';

/** The results webview over `rs`, in headless Chromium with the real host binding. */
export async function gridBench(rs: ResultSet): Promise<{ firstPaintMs: number; loadToPaintMs: number; longestFrameMs: number; frames: number; endShownMs: number; longestTask: LongestTask }> {
  const wv = await openWebviewPage<ResultsSpec>({
    bundle: 'results',
    viewport: { width: 1400, height: 900 },
    onHostEndpoint: (ep) => new ResultsBinding(ep, { writeClipboard: async () => undefined, exportToFile: async () => ({}) }, { title: 'bench', resultSet: rs }),
  });
  try {
    const { page } = wv;
    await page.waitForFunction(() => performance.getEntriesByName('results:first-paint').length > 0, undefined, { timeout: 60_000 });
    const marks = await page.evaluate(() => ({
      window: performance.getEntriesByName('results:first-window')[0].startTime,
      paint: performance.getEntriesByName('results:first-paint')[0].startTime,
    }));
    // Scroll from the top to the last row in 240 frames, as a fast scrollbar drag does; time every frame.
    // This pass runs untraced: a devtools trace costs the renderer time in every frame and would be
    // counted as the grid's.
    const scroll = await page.evaluate(scrollToEnd, 240);
    // Then a Chromium trace of the same scroll from the top again (devtools timeline): the longest renderer
    // task's CPU time and its phases, which the machine's load does not inflate as it does the frames'
    // wall-clock times. GRID_TRACE=file.json keeps the trace; GRID_PROBE=1 records every thread (compositor,
    // raster, GPU/display, V8's GC) and each scroll frame's end as a `frameN` mark, to attribute long frames.
    await page.evaluate(() => { document.querySelector<HTMLElement>('.grid')!.scrollTop = 0; });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const traceDir = mkdtempSync(join(tmpdir(), 'grid-trace-'));
    const tracePath = process.env.GRID_TRACE ?? join(traceDir, 'trace.json');
    await wv.browser.startTracing(page, { path: tracePath, categories: process.env.GRID_PROBE ? ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing', 'toplevel', 'cc', 'viz', 'gpu', 'benchmark', 'v8.gc', 'v8', 'renderer.scheduler', 'blink', 'ipc', 'mojom', 'scheduler'] : ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const traced = await page.evaluate(scrollToEnd, 240);
    await wv.browser.stopTracing();
    if (process.env.BENCH_DEBUG) console.log('traced frame deltas', traced.deltas.map((d) => d.toFixed(0)).join(' '));
    const longestTask = longestRendererTask(tracePath);
    rmSync(traceDir, { recursive: true, force: true });
    if (process.env.BENCH_DEBUG) console.log('frame deltas', scroll.deltas.map((d) => d.toFixed(0)).join(' '));
    const lastRow = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.r')].filter((r) => !r.hidden).map((r) => Number(r.querySelector('.g')?.textContent)).reduce((a, b) => Math.max(a, b), 0));
    if (lastRow !== rs.length) throw new Error(`scrolled to row ${lastRow}, expected ${rs.length}`);
    return { firstPaintMs: marks.paint - marks.window, loadToPaintMs: marks.paint, longestFrameMs: scroll.longest, frames: scroll.frames, endShownMs: scroll.endShownMs, longestTask };
  } finally {
    await wv.close();
  }
}


/** In the page: scroll the grid from where it is to the last row in `steps` frames, timing every frame, then
 *  wait until the rows at the end are drawn with their data. */
async function scrollToEnd(steps: number): Promise<{ longest: number; frames: number; endShownMs: number; deltas: number[] }> {
  const grid = document.querySelector<HTMLElement>('.grid')!;
  const max = grid.scrollHeight - grid.clientHeight;
  const deltas: number[] = [];
  let last = await new Promise<number>((r) => requestAnimationFrame(r));
  for (let i = 1; i <= steps; i++) {
    grid.scrollTop = (max * i) / steps;
    const now = await new Promise<number>((r) => requestAnimationFrame(r));
    performance.mark(`frame${i}`);
    deltas.push(now - last);
    last = now;
  }
  const reached = performance.now();
  while (grid.querySelector('.r.loading:not([hidden])') && performance.now() - reached < 10_000) {
    await new Promise((r) => requestAnimationFrame(r));
  }
  return { longest: Math.max(...deltas), frames: deltas.length, endShownMs: performance.now() - reached, deltas };
}

export interface LongestTask {
  /** CPU time (thread time) of the renderer main thread's longest task, and its wall time. */
  cpuMs: number;
  wallMs: number;
  /** CPU ms of its phases: script, style, layout, paint (paint, pre-paint, layerize). */
  phases: { script: number; style: number; layout: number; paint: number };
}

interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } }

/** The longest task (by CPU) on the page's renderer main thread in a Chromium trace. */
function longestRendererTask(path: string): LongestTask {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const counts = new Map<string, number>();
  for (const e of events) if (mains.has(`${e.pid}:${e.tid}`)) counts.set(`${e.pid}:${e.tid}`, (counts.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const own = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined);
  const task = own.filter((e) => e.name === 'RunTask').sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0))[0];
  const phases = { script: 0, style: 0, layout: 0, paint: 0 };
  if (!task) return { cpuMs: 0, wallMs: 0, phases };
  const end = task.ts + task.dur!;
  const phaseOf: Record<string, keyof typeof phases> = { FunctionCall: 'script', UpdateLayoutTree: 'style', Layout: 'layout', Paint: 'paint', PrePaint: 'paint', Layerize: 'paint' };
  for (const e of own) {
    const phase = phaseOf[e.name];
    if (phase && e.ts >= task.ts && e.ts + e.dur! <= end) phases[phase] += (e.tdur ?? 0) / 1000;
  }
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { cpuMs: round((task.tdur ?? 0) / 1000), wallMs: round(task.dur! / 1000), phases: { script: round(phases.script), style: round(phases.style), layout: round(phases.layout), paint: round(phases.paint) } };
}
