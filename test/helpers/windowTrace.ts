// A window-side trace for benches that run an extension-host suite (runExtensionHostSuite's onPage): what the
// workbench (the renderer) received from and sent to the extension host and when, its long tasks, when a view's
// tree rows were drawn, and optionally a Chromium trace of the renderer for the same time. All times are epoch
// ms (performance.timeOrigin + now() in the page, the same clock as the extension host's), so they line up with
// a suite's own marks.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export type WindowMark = [epochMs: number, what: string];

/**
 * In the page, before the workbench loads: wraps WebSocket so that every message to or from the remote side
 * is marked with the RPC methods it carries (`$name` strings of VS Code's rpcProtocol, with the first quoted
 * argument of those in `detail`, e.g. a view id), marks long tasks, and, once a tree view of `viewPrefix`
 * has been registered, marks each of its views drawing its first list row.
 */
function pageProbe({ detail, viewPrefix }: { detail: string[]; viewPrefix: string }): void {
  const marks: [number, string][] = [];
  (window as unknown as { __windowMarks: typeof marks }).__windowMarks = marks;
  const now = () => performance.timeOrigin + performance.now();
  const mark = (what: string) => void marks.push([now(), what]);
  const decoder = new TextDecoder('latin1');
  const describe = (data: unknown): string | undefined => {
    if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) return undefined;
    const text = decoder.decode(data as ArrayBuffer);
    const counts = new Map<string, number>();
    const details: string[] = [];
    for (const m of text.matchAll(/\$[A-Za-z]{3,}/g)) {
      counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
      if (detail.includes(m[0]) && details.length < 6) details.push(`${m[0]}(${/"([^"]{1,60})"/.exec(text.slice(m.index, m.index + 200))?.[1] ?? ''})`);
    }
    const names = [...counts].map(([n, c]) => (c > 1 ? `${n}×${c}` : n)).join(' ');
    return `${(data as ArrayBuffer).byteLength} B${names ? ` ${names}` : ''}${details.length ? ` [${details.join(' ')}]` : ''}`;
  };
  let sockets = 0;
  let watching = false;
  const watchRows = () => {
    if (watching) return;
    watching = true;
    const drawn = new Set<string>();
    const look = () => {
      for (const pane of document.querySelectorAll<HTMLElement>('.pane')) {
        const id = [...pane.querySelectorAll<HTMLElement>('[id]')].map((e) => e.id).find((i) => i.startsWith(viewPrefix)) ?? pane.querySelector('.pane-header h3.title')?.textContent?.trim();
        if (!id || drawn.has(id) || !pane.querySelector('.pane-body .monaco-list-row')) continue;
        drawn.add(id);
        mark(`window drew rows: ${id}`);
      }
    };
    new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
  };
  const Real = window.WebSocket;
  class Traced extends Real {
    private readonly n = ++sockets;
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      mark(`ws${this.n} opened`);
      performance.mark(`ws${this.n} opened`);
      this.addEventListener('open', () => mark(`ws${this.n} connected${this.extensions ? ` (${this.extensions})` : ''}`));
      // The workbench reads each message as a Blob: the arrival is marked now, with what it carries once read.
      this.addEventListener('message', (e) => {
        const at = now();
        const seen = (data: unknown) => {
          const d = describe(data);
          if (d?.includes('$registerTreeViewDataProvider')) watchRows();
          if (d?.includes('$')) marks.push([at, `ws${this.n} in ${d}`]);
        };
        if (e.data instanceof Blob) void e.data.arrayBuffer().then(seen);
        else seen(e.data);
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const d = describe(data);
      if (d?.includes('$')) mark(`ws${this.n} out ${d}`);
      super.send(data);
    }
  }
  window.WebSocket = Traced;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) marks.push([performance.timeOrigin + e.startTime, `window long task ${e.duration.toFixed(0)} ms`]);
  }).observe({ type: 'longtask', buffered: true });
}

export interface WindowTrace {
  onPage(page: Page, browser: Browser): Promise<() => Promise<void>>;
  /** The marks of the last page, and the Chromium trace's renderer tasks (if tracing) as marks too. */
  marks(): WindowMark[];
}

/**
 * `chromiumTrace`: a file for a Chromium trace of the page (devtools timeline with JS call frames), whose
 * renderer main-thread tasks of at least `minTaskMs` are added to the marks with what ran in them.
 */
export function windowTrace(opts: { viewPrefix: string; detail?: string[]; chromiumTrace?: string; minTaskMs?: number }): WindowTrace {
  let marks: WindowMark[] = [];
  return {
    async onPage(page, browser) {
      marks = [];
      await page.addInitScript(pageProbe, { detail: opts.detail ?? ['$registerTreeViewDataProvider', '$getChildren', '$setVisible', '$activateByEvent', '$activate', '$executeCommand', '$refresh'], viewPrefix: opts.viewPrefix });
      if (opts.chromiumTrace) await browser.startTracing(page, { path: opts.chromiumTrace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'toplevel', 'v8.execute'] });
      return async () => {
        marks = await page.evaluate(() => (window as unknown as { __windowMarks: WindowMark[] }).__windowMarks ?? []);
        if (opts.chromiumTrace) {
          await browser.stopTracing();
          marks.push(...rendererTasks(opts.chromiumTrace, marks, opts.minTaskMs ?? 16));
          marks.sort((a, b) => a[0] - b[0]);
        }
      };
    },
    marks: () => marks,
  };
}

interface TraceEvent { name: string; cat: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number } } }

/**
 * The renderer main thread's tasks of at least `minMs` in a Chromium trace, as epoch marks (the trace's clock is
 * aligned through the `ws1 opened` user-timing mark): wall and CPU time, and the longest script calls in it.
 */
function rendererTasks(path: string, marks: WindowMark[], minMs: number): WindowMark[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const sync = events.find((e) => e.name === 'ws1 opened' && e.cat.includes('user_timing'));
  const syncEpoch = marks.find(([, w]) => w === 'ws1 opened')?.[0];
  if (!sync || syncEpoch === undefined) return [[marks[0]?.[0] ?? 0, 'chromium trace: no clock mark']];
  const toEpoch = (ts: number) => syncEpoch + (ts - sync.ts) / 1000;
  const main = `${sync.pid}:${sync.tid}`;
  const own = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined);
  const out: WindowMark[] = [];
  for (const task of own.filter((e) => e.name === 'RunTask' && e.dur! >= minMs * 1000)) {
    const end = task.ts + task.dur!;
    const inside = own.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end);
    const byKind = new Map<string, number>();
    for (const e of inside) if (['FunctionCall', 'EvaluateScript', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'MajorGC', 'MinorGC', 'V8.GC_SCAVENGER', 'ParseHTML', 'TimerFire', 'EventDispatch', 'FireAnimationFrame'].includes(e.name)) byKind.set(e.name, (byKind.get(e.name) ?? 0) + e.dur! / 1000);
    const calls = inside
      .filter((e) => e.name === 'FunctionCall')
      .sort((a, b) => b.dur! - a.dur!)
      .slice(0, 3)
      .map((e) => `${e.args?.data?.functionName || '(anon)'}@${(e.args?.data?.url ?? '').split('/').pop()}:${e.args?.data?.lineNumber ?? ''}:${e.args?.data?.columnNumber ?? ''} ${(e.dur! / 1000).toFixed(0)}`);
    const kinds = [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(', ');
    out.push([toEpoch(task.ts), `window task ${(task.dur! / 1000).toFixed(0)} ms (cpu ${((task.tdur ?? 0) / 1000).toFixed(0)}): ${kinds}${calls.length ? `; calls ${calls.join(', ')}` : ''}`]);
  }
  return out;
}
