// Measuring probes shared by the bench suites that run inside code-server's extension host.
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';

/**
 * Wraps the tree data provider of every tree view created from now on (load this before the extension
 * activates): `onRows(viewId, rows)` gets the number of data rows (ids matching the view's pattern, Load
 * more rows left out) in each getChildren answer, as VS Code receives it.
 */
export function watchTreeRows(patterns: Record<string, RegExp>, onRows: (viewId: string, rows: number) => void): void {
  const win = vscode.window as unknown as { createTreeView: (id: string, opts: { treeDataProvider: vscode.TreeDataProvider<{ id?: string }> }) => unknown };
  const realCreate = win.createTreeView.bind(vscode.window);
  win.createTreeView = (id, opts) => {
    const provider = opts.treeDataProvider;
    const pattern = patterns[id];
    if (pattern) {
      const getChildren = provider.getChildren.bind(provider);
      provider.getChildren = (node) => {
        const r = getChildren(node);
        void Promise.resolve(r).then((nodes) => onRows(id, (nodes ?? []).filter((n) => pattern.test(n.id ?? '') && !(n.id ?? '').endsWith('/more')).length), () => undefined);
        return r;
      };
    }
    return realCreate(id, opts);
  };
}

/** One gap between two ticks of the sampler: when (process.hrtime, µs, the clock of a V8 CPU profile), how long, and its CPU. */
export interface TaskGap { startUs: number; endUs: number; gapMs: number; cpuMs: number }

/**
 * The longest the event loop was blocked, from a `periodMs` timer's drift (a synchronous task delays the next
 * tick by its length), and how much of that longest gap at most was the process's own CPU time (on a loaded
 * machine a gap can be waiting for a core). stop() ends sampling and returns both in ms, and the `keep` gaps
 * with the most CPU (to find them in a CPU profile of the same window).
 */
export function sampleLongestTask(periodMs: number, keep = 5): { stop(): { longestMs: number; longestCpuMs: number; topCpuGaps: TaskGap[] } } {
  let longestMs = 0;
  let longestCpuMs = 0;
  let last = performance.now();
  let lastHr = process.hrtime.bigint();
  let lastCpu = process.cpuUsage();
  const top: TaskGap[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const hr = process.hrtime.bigint();
    const cpu = process.cpuUsage(lastCpu);
    const gap = now - last - periodMs;
    const cpuMs = Math.min(gap, (cpu.user + cpu.system) / 1000);
    longestMs = Math.max(longestMs, gap);
    longestCpuMs = Math.max(longestCpuMs, cpuMs);
    if (top.length < keep || cpuMs > top[top.length - 1].cpuMs) {
      top.push({ startUs: Number(lastHr / 1000n), endUs: Number(hr / 1000n), gapMs: Math.round(gap), cpuMs: Math.round(cpuMs) });
      top.sort((a, b) => b.cpuMs - a.cpuMs);
      top.length = Math.min(top.length, keep);
    }
    last = now;
    lastHr = hr;
    lastCpu = process.cpuUsage();
  }, periodMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { longestMs, longestCpuMs, topCpuGaps: top };
    },
  };
}
