// `npm run bench -- activation`: time from "extension not active" to "activated" in code-server's
// extension host (ext.activate(): loading dist/extension.js plus activate()), over several fresh
// extension hosts, and the size of the minified dist/extension.js. Goal: under 100 ms.
// Two designs in the same run: the thin entry we ship (activate registers command stubs and schedules
// dist/features.js), and eager activation, whose cost is the time until the features are loaded and
// registered (the same work done inside activate()).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runExtensionHostSuite } from '../helpers/codeServer';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

async function main() {
  const runs = Number(process.argv[2] ?? 5);
  // Measure what ships: the minified production bundle.
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('production build failed');
  const bundleBytes = statSync(join(ROOT, 'dist', 'extension.js')).size;
  const featuresBytes = statSync(join(ROOT, 'dist', 'features.js')).size;

  const times: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-act-'));
    const out = join(dir, 'out.json');
    // A profile pointing nowhere: activation must not call AWS, so nothing should notice.
    const profile = writeSandboxProfile(join(dir, 'aws'), 'http://127.0.0.1:9');
    const results = await runExtensionHostSuite({ suite: 'activation', env: { ...profile.env, CLOUD_MONITOR_BENCH_OUT: out }, settings: { 'cloudMonitor.profile': 'sandbox' } });
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(failed.map((f) => f.error).join('\n'));
    const { activationMs, readyMs } = JSON.parse(readFileSync(out, 'utf8')) as { activationMs: number; readyMs: number };
    times.push(activationMs);
    ready.push(readyMs);
    console.log(`run ${i + 1}: activation ${activationMs.toFixed(1)} ms, features loaded and registered ${readyMs.toFixed(1)} ms`);
  }
  times.sort((a, b) => a - b);
  ready.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const readyMedian = ready[Math.floor(ready.length / 2)];
  console.log(`activation (not active → activated), median of ${runs} fresh extension hosts: ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}); goal < 100 ms`);
  console.log(`eager design (features loaded inside activate): ${readyMedian.toFixed(1)} ms median; ${(readyMedian / median).toFixed(1)}× the thin entry`);
  console.log(`dist/extension.js (minified): ${(bundleBytes / 1024).toFixed(1)} KiB; dist/features.js (minified): ${(featuresBytes / 1024).toFixed(0)} KiB`);
  // Leave a development build behind, as `npm run build` would.
  spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
  console.log(JSON.stringify({ bench: 'activation', metrics: { activation_ms_median: +median.toFixed(1), activation_ms_min: +times[0].toFixed(1), activation_ms_max: +times[times.length - 1].toFixed(1), eager_activation_ms_median: +readyMedian.toFixed(1), eager_vs_thin_ratio: +(readyMedian / median).toFixed(1), runs, extension_js_bytes: bundleBytes, features_js_bytes: featuresBytes } }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
