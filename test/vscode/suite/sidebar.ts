// Bench probe, run inside code-server's extension host before the extension is active: the time from
// opening the Cloud Monitor side bar (which activates the extension, loads the features and connects) to
// the first data rows a view hands VS Code (a bucket or a log group; the Costs view asks nothing until
// allowed). The providers are wrapped as the extension creates them. Results go to $CLOUD_MONITOR_BENCH_OUT.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { extension } from './api';
import { watchTreeRows } from './probes';
import { runAll, test, waitFor } from './runner';

const DATA_ROW: Record<string, RegExp> = { 'cloudMonitor.buckets': /\/b\/[^/]+$/, 'cloudMonitor.logs': /^logs\/group\// };
let t0 = Number.NaN;
let firstRows: { view: string; ms: number } | undefined;

watchTreeRows(DATA_ROW, (view, rows) => {
  if (!firstRows && rows) firstRows = { view, ms: performance.now() - t0 };
});

test('side bar opened to first tree rows', async () => {
  assert.equal(extension().isActive, false, 'the extension was already active');
  t0 = performance.now();
  await vscode.commands.executeCommand('workbench.view.extension.cloudMonitor');
  const first = await waitFor(() => firstRows, 'the first tree rows', 60_000);
  const out = process.env.CLOUD_MONITOR_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify({ firstTreeRowsMs: first.ms, view: first.view }));
}, 90_000);

export const run = runAll;
