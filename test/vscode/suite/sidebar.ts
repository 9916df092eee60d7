// Bench probe, run inside code-server's extension host before the extension is active: the time from
// opening the Cloud Monitor side bar (which activates the extension, loads the features and connects) to
// the first data rows a view hands VS Code (a bucket or a log group; the Costs view asks nothing until
// allowed). The providers are wrapped as the extension creates them. Results go to $CLOUD_MONITOR_BENCH_OUT,
// with a trace of where the time went (ms from the command): the entry and each bundle required,
// activate() called and returned, each tree view created, each root asked for and answered, each HTTP request.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import Module from 'node:module';
import { Socket } from 'node:net';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { extension } from './api';
import { watchTreeRows } from './probes';
import { runAll, test, waitFor } from './runner';

const DATA_ROW: Record<string, RegExp> = { 'cloudMonitor.buckets': /\/b\/[^/]+$/, 'cloudMonitor.logs': /^logs\/group\// };
let t0 = Number.NaN;
let firstRows: { view: string; ms: number } | undefined;
const marks: [number, string][] = [];
const mark = (what: string) => void marks.push([performance.now(), what]);

watchTreeRows(DATA_ROW, (view, rows) => {
  if (!firstRows && rows) firstRows = { view, ms: performance.now() - t0 };
  mark(`${view}: ${rows} data rows`);
});
traceExtension();

test('side bar opened to first tree rows', async () => {
  assert.equal(extension().isActive, false, 'the extension was already active');
  t0 = performance.now();
  mark('executeCommand');
  await vscode.commands.executeCommand('workbench.view.extension.cloudMonitor');
  mark('executeCommand resolved');
  const trace = () => marks.map(([at, what]) => [+(at - t0).toFixed(1), what] as const);
  const first = await waitFor(() => firstRows, 'the first tree rows', 60_000).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; trace: ${JSON.stringify(trace())}`);
  });
  const out = process.env.CLOUD_MONITOR_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify({ firstTreeRowsMs: first.ms, view: first.view, trace: trace(), t0EpochMs: performance.timeOrigin + t0 }));
}, 90_000);

/** Marks the entry's and bundles' requires, activate(), tree views created, their roots asked and answered, and HTTP requests. */
function traceExtension(): void {
  const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const load = loader._load;
  const seen = new Set<string>();
  loader._load = function (request: string, ...rest: unknown[]) {
    const name = /[\\/]dist[\\/](extension|features[\w-]*)(\.js)?$/.exec(request)?.[1];
    if (!name || seen.has(name)) return load.call(this, request, ...rest);
    seen.add(name);
    mark(`require ${name}`);
    const exports = load.call(this, request, ...rest) as Record<string, unknown>;
    mark(`required ${name}`);
    if (name !== 'extension') return exports;
    const activate = exports.activate as (...a: unknown[]) => unknown;
    return {
      ...exports,
      activate: (...a: unknown[]) => {
        mark('activate()');
        try {
          return activate(...a);
        } finally {
          mark('activate() returned');
        }
      },
    };
  };
  const win = vscode.window as unknown as { createTreeView: (id: string, opts: { treeDataProvider: vscode.TreeDataProvider<unknown> }) => unknown };
  const create = win.createTreeView.bind(vscode.window);
  win.createTreeView = (id, opts) => {
    mark(`createTreeView ${id}`);
    const provider = opts.treeDataProvider;
    const getChildren = provider.getChildren.bind(provider);
    provider.getChildren = (node) => {
      if (node) return getChildren(node);
      mark(`${id}: root asked`);
      const r = getChildren(node);
      void Promise.resolve(r).then((nodes) => mark(`${id}: root answered (${(nodes ?? []).length})`), () => undefined);
      return r;
    };
    return create(id, opts);
  };
  if (process.env.CLOUD_MONITOR_BENCH_SOCKETS) traceConnection();
  subscribe('http.client.request.start', (m) => {
    const req = (m as { request: { method: string; path: string; host: string } }).request;
    mark(`http ${req.method} ${req.host}${req.path.slice(0, 40)}`);
  });
  subscribe('http.client.response.finish', (m) => {
    const req = (m as { request: { method: string; path: string } }).request;
    mark(`http answered ${req.method} ${req.path.slice(0, 40)}`);
  });
}


/**
 * With CLOUD_MONITOR_BENCH_SOCKETS=1, the extension host's side of the window's connection while the test runs:
 * each chunk read from a socket, each message through the connection's permessage-deflate streams (inflated from
 * the window, deflated to it) with the RPC methods it carries, and each time the host's event loop was busy.
 */
function traceConnection(): void {
  const names = (b: Buffer) => [...new Set(b.toString('latin1').match(/\$[A-Za-z]{3,}/g) ?? [])].join(' ');
  const on = () => !Number.isNaN(t0) && !firstRows;
  type Emit = (this: NodeJS.EventEmitter, event: string | symbol, ...args: unknown[]) => boolean;
  const wrapEmit = (proto: { emit: Emit }, what: string) => {
    const emit = proto.emit;
    proto.emit = function (event, ...args) {
      if (event === 'data' && on() && Buffer.isBuffer(args[0])) mark(`${what} ${args[0].length} B ${names(args[0])}`);
      return emit.call(this, event, ...args);
    };
  };
  wrapEmit(Socket.prototype as unknown as { emit: Emit }, 'socket read');
  wrapEmit(zlib.InflateRaw.prototype as unknown as { emit: Emit }, 'inflated (from the window)');
  const deflate = zlib.DeflateRaw.prototype as unknown as { write(chunk: unknown, ...rest: unknown[]): boolean };
  const write = deflate.write;
  deflate.write = function (chunk, ...rest) {
    if (on() && Buffer.isBuffer(chunk)) mark(`deflate (to the window) ${chunk.length} B ${names(chunk)}`);
    return write.call(this, chunk, ...rest);
  };
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 25 && on()) marks.push([last, `host loop blocked ${(now - last).toFixed(0)} ms`]);
    last = now;
  }, 5).unref();
}

export const run = runAll;
