// `npm run bench -- activation`: time from "extension not active" to "activated" in code-server's
// extension host (ext.activate(): loading dist/extension.js plus activate()), over several fresh
// extension hosts, and the size of the minified dist/extension.js. Goal: under 100 ms.
// Two designs in the same run: the thin entry we ship (activate registers command stubs and schedules
// dist/features.js, then each feature bundle dist/features-<name>.js in its own macrotask), and eager
// activation, whose cost is the time until every bundle is loaded and registered (the same work done inside
// activate()). Also the bundles' sizes: the longest task while they load is mostly compiling the largest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runExtensionHostSuite } from '../helpers/codeServer';
import { startMoto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { windowTrace } from '../helpers/windowTrace';
import { seed as seedFoundation } from '../sandbox/seed/00-foundation';

async function main() {
  const runs = Number(process.argv[2] ?? 5);
  // Measure what ships: the minified production bundle.
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('production build failed');
  const bundleBytes = statSync(join(ROOT, 'dist', 'extension.js')).size;
  const featuresBytes = statSync(join(ROOT, 'dist', 'features.js')).size;
  // The core and the feature bundles (esbuild.mjs), by file.
  const bundles = Object.fromEntries(readdirSync(join(ROOT, 'dist')).filter((f) => /^features(-[\w-]+)?\.js$/.test(f)).map((f) => [f, statSync(join(ROOT, 'dist', f)).size]));
  const largest = Object.entries(bundles).sort((a, b) => b[1] - a[1])[0];

  const times: number[] = [];
  const ready: number[] = [];
  const longestTasks: number[] = [];
  const longestCpu: number[] = [];
  // ACTIVATION_ROWS_ONLY=1: only the side bar's first rows (to study them; the JSON line then lacks the rest).
  const rowsOnly = !!process.env.ACTIVATION_ROWS_ONLY;
  for (let i = 0; i < (rowsOnly ? 0 : runs); i++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-act-'));
    const out = join(dir, 'out.json');
    // A profile pointing nowhere: activation must not call AWS, so nothing should notice.
    const profile = writeSandboxProfile(join(dir, 'aws'), 'http://127.0.0.1:9');
    const results = await runExtensionHostSuite({ suite: 'activation', env: { ...profile.env, CLOUD_MONITOR_BENCH_OUT: out }, settings: { 'cloudMonitor.profile': 'sandbox' } });
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(failed.map((f) => f.error).join('\n'));
    const { activationMs, readyMs, featuresLoadLongestTaskMs, featuresLoadLongestTaskCpuMs } = JSON.parse(readFileSync(out, 'utf8')) as { activationMs: number; readyMs: number; featuresLoadLongestTaskMs: number; featuresLoadLongestTaskCpuMs: number };
    times.push(activationMs);
    ready.push(readyMs);
    longestTasks.push(featuresLoadLongestTaskMs);
    longestCpu.push(featuresLoadLongestTaskCpuMs);
    console.log(`run ${i + 1}: activation ${activationMs.toFixed(1)} ms, features loaded and registered ${readyMs.toFixed(1)} ms, longest extension-host task meanwhile ${featuresLoadLongestTaskMs.toFixed(1)} ms (of which at most ${featuresLoadLongestTaskCpuMs.toFixed(1)} ms its own CPU)`);
  }

  // What a user sees: opening the Cloud Monitor side bar (activation, features, connection) to the first
  // tree rows, against a local endpoint (moto_server with the sandbox's foundation: 2 buckets, 2 log groups).
  const moto = await startMoto();
  const firstRows: number[] = [];
  // Where the time went in each run (test/vscode/suite/sidebar.ts's trace): VS Code's part before activate() is
  // called, then until the first view is created, until the window asks a view for its rows, and the rows.
  const phases: { activate: number; view: number; asked: number; rows: number; trace: [number, string][] }[] = [];
  const againstPhases: typeof phases = [];
  try {
    const dir = mkdtempSync(join(tmpdir(), 'bench-act-rows-'));
    await seedFoundation({ endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace: dir, root: ROOT, log: () => undefined });
    const profile = writeSandboxProfile(join(dir, 'aws'), moto.endpoint);
    // ACTIVATION_TRACE=dir: each run's merged trace (extension host and window) goes to dir/trace-N.json, and with
    // ACTIVATION_CHROMIUM_TRACE=1 a Chromium trace of the window to dir/chromium-N.json, its long tasks in the trace.
    const traceDir = process.env.ACTIVATION_TRACE;
    if (traceDir) mkdirSync(traceDir, { recursive: true });
    // ACTIVATION_AGAINST=dir: the runs alternate with the same suite against the extension in dir (another
    // checkout with its production build and tests built), after one run that is not counted, and both medians are
    // printed: a comparison at the same load.
    const against = process.env.ACTIVATION_AGAINST;
    for (let k = 0; k < (against ? 2 * runs + 1 : runs); k++) {
      const which = !against ? 'this' : k === 0 ? 'warm-up' : k % 2 === 1 ? 'this' : 'against';
      const i = against ? Math.max(0, Math.ceil(k / 2) - 1) : k;
      const out = join(dir, `rows-${k}.json`);
      const window = traceDir ? windowTrace({ viewPrefix: 'cloudMonitor.', chromiumTrace: process.env.ACTIVATION_CHROMIUM_TRACE ? join(traceDir, `chromium-${i + 1}.json`) : undefined }) : undefined;
      const results = await runExtensionHostSuite({ suite: 'sidebar', env: { ...profile.env, CLOUD_MONITOR_BENCH_OUT: out, ...(traceDir ? { CLOUD_MONITOR_BENCH_SOCKETS: '1' } : {}) }, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, onPage: window?.onPage, extensionPath: which === 'against' ? against : undefined });
      const failed = results.filter((r) => !r.ok);
      if (failed.length) throw new Error(failed.map((f) => f.error).join('\n'));
      const { firstTreeRowsMs, view, trace: hostTrace, t0EpochMs } = JSON.parse(readFileSync(out, 'utf8')) as { firstTreeRowsMs: number; view: string; trace: [number, string][]; t0EpochMs: number };
      // With ACTIVATION_TRACE: the window's side (test/helpers/windowTrace.ts) merged into the host's trace, in ms from opening.
      const trace = window ? [...hostTrace, ...window.marks().map(([at, what]) => [+(at - t0EpochMs).toFixed(1), what] as [number, string]).filter(([ms]) => ms >= -50)].sort((a, b) => a[0] - b[0]) : hostTrace;
      if (traceDir) writeFileSync(join(traceDir, `trace-${k + 1}${which === 'this' ? '' : `-${which}`}.json`), JSON.stringify({ firstTreeRowsMs, load: loadavg(), trace }, null, 1));
      const at = (what: RegExp) => trace.find(([, w]) => what.test(w))?.[0] ?? Number.NaN;
      const p = { activate: at(/^activate\(\)$/), view: at(/^createTreeView /), asked: at(/: root asked$/), rows: firstTreeRowsMs, trace };
      if (which === 'this') {
        firstRows.push(firstTreeRowsMs);
        phases.push(p);
      } else if (which === 'against') againstPhases.push(p);
      console.log(`${against ? `${which} ` : ''}run ${i + 1}: side bar opened → first tree rows (${view}) ${firstTreeRowsMs.toFixed(0)} ms (activate() called at ${p.activate.toFixed(0)}, first view created ${p.view.toFixed(0)}, first rows asked ${p.asked.toFixed(0)}) at load ${loadavg()[0].toFixed(1)}`);
    }
  } finally {
    await moto.stop();
  }
  firstRows.sort((a, b) => a - b);
  const medianOf = (k: 'activate' | 'view' | 'asked') => phases.map((p) => p[k]).sort((a, b) => a - b)[Math.floor(phases.length / 2)];
  const medianRun = [...phases].sort((a, b) => a.rows - b.rows)[Math.floor(phases.length / 2)];
  longestTasks.sort((a, b) => a - b);
  longestCpu.sort((a, b) => a - b);
  const longestCpuMedian = longestCpu[Math.floor(longestCpu.length / 2)];
  const firstRowsMedian = firstRows[Math.floor(firstRows.length / 2)];
  const longestMedian = longestTasks[Math.floor(longestTasks.length / 2)];
  times.sort((a, b) => a - b);
  ready.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const readyMedian = ready[Math.floor(ready.length / 2)];
  console.log(`side bar opened → first tree rows (local endpoint), median of ${runs}: ${firstRowsMedian.toFixed(0)} ms; goal < 500 ms`);
  if (againstPhases.length) {
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0);
    for (const [name, ps] of [['this build', phases], [process.env.ACTIVATION_AGAINST, againstPhases]] as const) {
      console.log(`  ${name}: first rows median ${mid(ps.map((p) => p.rows))} ms (${ps.map((p) => p.rows.toFixed(0)).join(', ')}); from activate() to first rows ${mid(ps.map((p) => p.rows - p.activate))}; from the first view created to its rows asked ${mid(ps.map((p) => p.asked - p.view))}`);
    }
  }
  console.log(`  medians: activate() called ${medianOf('activate').toFixed(0)} ms after the side bar was opened (VS Code's part: opening the container, reading the extension's state from the window), the first view created at ${medianOf('view').toFixed(0)}, its rows asked at ${medianOf('asked').toFixed(0)}; the median run's trace (ms from opening):`);
  for (const [ms, what] of medianRun.trace.filter(([ms, w]) => ms <= medianRun.rows + 1 && !/^http answered/.test(w))) console.log(`    ${ms.toFixed(0).padStart(6)}  ${what}`);
  if (rowsOnly) {
    spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
    console.log(JSON.stringify({ bench: 'activation', metrics: { runs, first_tree_rows_ms: +firstRowsMedian.toFixed(0), first_tree_rows_ms_max: +firstRows[firstRows.length - 1].toFixed(0), first_tree_rows_activate_called_ms: +medianOf('activate').toFixed(0), first_tree_rows_view_created_ms: +medianOf('view').toFixed(0), first_tree_rows_asked_ms: +medianOf('asked').toFixed(0), load_average_1m: +loadavg()[0].toFixed(1) } }));
    return;
  }
  console.log(`activation (not active → activated), median of ${runs} fresh extension hosts: ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}); goal < 100 ms`);
  console.log(`eager design (features loaded inside activate): ${readyMedian.toFixed(1)} ms median; ${(readyMedian / median).toFixed(1)}× the thin entry`);
  console.log(`longest extension-host task while features.js loads, median of ${runs}: ${longestMedian.toFixed(0)} ms (max ${longestTasks[longestTasks.length - 1].toFixed(0)}); goal < 100 ms`);
  console.log(`  of which the extension host's own CPU time, median: ${longestCpuMedian.toFixed(0)} ms (the rest is waiting for a core at load ${loadavg()[0].toFixed(1)})`);
  console.log(`dist/extension.js (minified): ${(bundleBytes / 1024).toFixed(1)} KiB; ${Object.entries(bundles).map(([f, b]) => `dist/${f} ${(b / 1024).toFixed(0)} KiB`).join(', ')} (minified); the largest: ${largest[0]}`);
  // Leave a development build behind, as `npm run build` would.
  spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
  console.log(JSON.stringify({ bench: 'activation', metrics: { activation_ms_median: +median.toFixed(1), activation_ms_min: +times[0].toFixed(1), activation_ms_max: +times[times.length - 1].toFixed(1), eager_activation_ms_median: +readyMedian.toFixed(1), eager_vs_thin_ratio: +(readyMedian / median).toFixed(1), runs, extension_js_bytes: bundleBytes, features_js_bytes: featuresBytes, first_tree_rows_ms: +firstRowsMedian.toFixed(0), first_tree_rows_ms_max: +firstRows[firstRows.length - 1].toFixed(0), first_tree_rows_activate_called_ms: +medianOf('activate').toFixed(0), first_tree_rows_view_created_ms: +medianOf('view').toFixed(0), first_tree_rows_asked_ms: +medianOf('asked').toFixed(0), features_load_longest_task_ms: +longestMedian.toFixed(0), features_load_longest_task_ms_max: +longestTasks[longestTasks.length - 1].toFixed(0), features_load_longest_task_cpu_ms: +longestCpuMedian.toFixed(0), feature_bundles: Object.keys(bundles).length, largest_features_bundle_bytes: largest[1], ...Object.fromEntries(Object.entries(bundles).map(([f, b]) => [`${f.replace(/\.js$/, '').replace(/-/g, '_')}_js_bytes`, b])), load_average_1m: +loadavg()[0].toFixed(1) } }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
