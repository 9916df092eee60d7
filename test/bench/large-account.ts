// `npm run bench -- large-account`: the large sandbox account (test/sandbox/large.ts: 2,000 buckets, 5,000
// active findings, 10,000 log groups, 500 alert keys, 300 CloudFormation stacks) seeded into moto_server in
// parallel batches (timed), then code-server's real extension host opens the Cloud Monitor side bar against
// it (test/vscode/suite/largeAccount.ts): time to each view's first rows, and the longest extension-host
// task while the views load. Goals: every first_rows_ms_* < 1000, host_longest_task_ms < 100.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExtensionHostSuite } from '../helpers/codeServer';
import { startMoto } from '../helpers/moto';
import { seedSandbox } from '../sandbox/seedAll';

interface Probe { firstRowsMs: Record<string, number>; rowsShown: Record<string, number>; hostLongestTaskMs: number; eventLoopDelayMaxMs: number; driftMaxMs: number; longestTaskCpuMs: number }

/** `--keep FILE`: seed, write the sandbox profile's environment to FILE and stay up (Ctrl-C stops);
 *  `--against FILE`: measure against a sandbox kept that way, without seeding again. */
function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function measure(env: Record<string, string>, workspace: string, dir: string): Promise<Probe> {
  const out = join(dir, 'out.json');
  const results = await runExtensionHostSuite({
    suite: 'largeAccount', workspace, timeoutMs: 400_000,
    env: { ...env, CLOUD_MONITOR_BENCH_OUT: out, ...(process.env.CLOUD_MONITOR_BENCH_PROFILE ? { CLOUD_MONITOR_BENCH_PROFILE: process.env.CLOUD_MONITOR_BENCH_PROFILE } : {}) },
    settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' },
  });
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(failed.map((f) => f.error).join('\n'));
  return JSON.parse(readFileSync(out, 'utf8')) as Probe;
}

function report(p: Probe, seedTimings: Record<string, number>): void {
  console.log('view       first rows   rows handed to VS Code (largest page)');
  for (const [view, ms] of Object.entries(p.firstRowsMs)) console.log(`${view.padEnd(10)} ${`${ms} ms`.padStart(10)}   ${p.rowsShown[view]}`);
  console.log(`longest extension-host task while the views load: ${p.hostLongestTaskMs} ms (event-loop delay max ${p.eventLoopDelayMaxMs} ms at 10 ms resolution, timer drift max ${p.driftMaxMs} ms); goal < 100 ms; of the longest gap, at most ${p.longestTaskCpuMs} ms was the host's own CPU time (the rest: waiting for a core)`);
  const seed = Object.fromEntries(Object.entries(seedTimings).map(([k, v]) => [`seed_${k}`, v]));
  console.log(JSON.stringify({
    bench: 'large-account',
    metrics: {
      first_rows_ms_buckets: p.firstRowsMs.buckets, first_rows_ms_findings: p.firstRowsMs.findings, first_rows_ms_logs: p.firstRowsMs.logs,
      first_rows_ms_alerts: p.firstRowsMs.alerts, first_rows_ms_pipeline: p.firstRowsMs.pipeline, host_longest_task_ms: p.hostLongestTaskMs,
      host_longest_task_cpu_ms: p.longestTaskCpuMs,
      ...Object.fromEntries(Object.entries(p.rowsShown).map(([k, v]) => [`rows_first_page_${k}`, v])),
      ...seed,
    },
  }));
}

async function main() {
  const against = flag('--against');
  if (against) {
    const { env, workspace } = JSON.parse(readFileSync(against, 'utf8')) as { env: Record<string, string>; workspace: string };
    const dir = mkdtempSync(join(tmpdir(), 'bench-large-'));
    report(await measure(env, workspace, dir), {});
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-large-'));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const moto = await startMoto();
  try {
    const started = Date.now();
    const sandbox = await seedSandbox(moto, dir, workspace, (m) => console.log(`  ${m}`), { large: true });
    console.log(`sandbox seeded in ${((Date.now() - started) / 1000).toFixed(1)} s (large account: ${((sandbox.largeTimings?.total_ms ?? 0) / 1000).toFixed(1)} s)`);
    try {
      const keep = flag('--keep');
      if (keep) {
        writeFileSync(keep, JSON.stringify({ env: sandbox.profile.env, workspace }));
        console.log(`sandbox kept: npm run bench -- large-account --against ${keep}   (Ctrl-C stops it)`);
        await new Promise<void>((done) => process.once('SIGINT', () => done()));
      } else report(await measure(sandbox.profile.env, workspace, dir), sandbox.largeTimings ?? {});
    } finally {
      await sandbox.close();
    }
  } finally {
    await moto.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
