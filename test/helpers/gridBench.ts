// The results grid over a ResultSet in headless Chromium, with the real host binding: first paint after
// the first window arrives, and the longest frame scrolling from the top to the last row (the athena and
// athena-scale benches).
import { ResultsBinding } from '../../src/webview/results/binding';
import type { ResultsSpec } from '../../src/webview/results/protocol';
import type { ResultSet } from '../../src/webview/results/resultSet';
import { openWebviewPage } from './webviewPage';

/** The results webview over `rs`, in headless Chromium with the real host binding. */
export async function gridBench(rs: ResultSet): Promise<{ firstPaintMs: number; loadToPaintMs: number; longestFrameMs: number; frames: number; endShownMs: number }> {
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
    const scroll = await page.evaluate(async () => {
      const grid = document.querySelector<HTMLElement>('.grid')!;
      const max = grid.scrollHeight - grid.clientHeight;
      const deltas: number[] = [];
      let last = await new Promise<number>((r) => requestAnimationFrame(r));
      const steps = 240;
      for (let i = 1; i <= steps; i++) {
        grid.scrollTop = (max * i) / steps;
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        deltas.push(now - last);
        last = now;
      }
      const reached = performance.now();
      // Wait until the rows at the end are drawn with their data.
      while (grid.querySelector('.r.loading:not([hidden])') && performance.now() - reached < 10_000) {
        await new Promise((r) => requestAnimationFrame(r));
      }
      return { longest: Math.max(...deltas), frames: deltas.length, endShownMs: performance.now() - reached, deltas };
    });
    if (process.env.BENCH_DEBUG) console.log('frame deltas', scroll.deltas.map((d) => d.toFixed(0)).join(' '));
    const lastRow = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.r')].filter((r) => !r.hidden).map((r) => Number(r.querySelector('.g')?.textContent)).reduce((a, b) => Math.max(a, b), 0));
    if (lastRow !== rs.length) throw new Error(`scrolled to row ${lastRow}, expected ${rs.length}`);
    return { firstPaintMs: marks.paint - marks.window, loadToPaintMs: marks.paint, longestFrameMs: scroll.longest, frames: scroll.frames, endShownMs: scroll.endShownMs };
  } finally {
    await wv.close();
  }
}

