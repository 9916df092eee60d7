// `npm test`: builds everything (with the tests), then runs every test file with node's test runner.
// Order: unit and integration (moto_server), two files at a time; then vscode (code-server + Chromium), one at a
// time; then the contract check. Output ends with the slowest files and the run's wall time.
// `npm run test:electron` (`--desktop`): only the extension-host test files (out/test/vscode/*.exthost.test.js),
// with the same set-up, their suites run in desktop VS Code downloaded by @vscode/test-electron (internet).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ensureSetup } from './setup.mjs';

const desktop = process.argv.includes('--desktop');
ensureSetup({ quiet: true, codeServer: !desktop });

const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

// `npm test -- unit` (or integration, vscode) runs one group.
const groups = ['unit', 'integration', 'vscode'];
const only = process.argv.slice(2).filter((a) => groups.includes(a));
const files = desktop
  ? testFiles(join('out', 'test', 'vscode')).filter((f) => f.endsWith('.exthost.test.js'))
  : (only.length ? only : groups).flatMap((g) => testFiles(join('out', 'test', g)));

// Which VS Code runs what (test/helpers/codeServer.ts; CLOUD_MONITOR_VSCODE=min|latest narrows it to one build).
const { extensionHostBuilds, uiBuild } = createRequire(import.meta.url)(resolve('out/test/helpers/codeServer.js'));
const describe = (b) => `VS Code ${b.vscode} (${desktop ? 'desktop' : `code-server ${b.codeServer}`})`;
if (files.some((f) => f.includes('.exthost.'))) console.log(`extension-host suites on ${extensionHostBuilds().map(describe).join(' and ')}`);
if (files.some((f) => f.includes('.ui.'))) console.log(`UI tests on ${describe(uiBuild())}`);

// The contract check: every node process of the run (test files, code-server and its extension host, the
// sandbox, stand-ins) records the AWS calls it sends into one fresh directory (test/helpers/contractPreload.ts,
// test/helpers/contractRecorder.ts); the check, run last, holds them to AWS's API models
// (test/zz-contract/contract.test.ts), in the last phase below, after every other file.
const contractDir = mkdtempSync(join(tmpdir(), 'cloud-monitor-contract-'));
const preload = resolve('out/test/helpers/contractPreload.js');
const nodeOptions = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(preload)}`].filter(Boolean).join(' ');

// Three phases, each with node's summary. Unit and integration files are independent (each starts its own
// moto_server and stand-ins on free ports and writes only to its own temporary folders) and run two at a time.
// The vscode files are independent in the same way (each starts its own moto_server, code-server on a free port
// with its own user-data folder, and Chromium) but timing-sensitive, and one keeps about one core busy (a fresh
// workbench's scripts in Chromium, code-server, the extension host): they run one at a time.
// CLOUD_MONITOR_VSCODE_CONCURRENCY=2 runs them two at a time, for machines with more cores: on 2 cores it passed
// every test but saved nothing (1,480 s against 1,488 s on 2026-12-04; a try at load 25-35 timed out on waits). The contract check must come after every other file, so
// it is a phase of its own. CLOUD_MONITOR_TEST_CONCURRENCY=1 runs the first phase one file at a time too.
const parallel = Number(process.env.CLOUD_MONITOR_TEST_CONCURRENCY ?? 2) || 1;
const vscodeParallel = desktop ? 1 : Number(process.env.CLOUD_MONITOR_VSCODE_CONCURRENCY ?? 1) || 1;
const isVsCode = (f) => f.startsWith(join('out', 'test', 'vscode'));
const phases = [
  { files: files.filter((f) => !isVsCode(f)), concurrency: parallel },
  { files: files.filter(isVsCode), concurrency: vscodeParallel },
  { files: [join('out', 'test', 'zz-contract', 'contract.test.js')], concurrency: 1 },
].filter((p) => p.files.length);

// Each phase also writes its files' durations (test/tools/fileTimes.mjs); the run ends with the slowest.
const timesDir = mkdtempSync(join(tmpdir(), 'cloud-monitor-times-'));
const started = Date.now();
let status = 0;
phases.forEach((phase, i) => {
  const times = join(timesDir, `phase-${i}.jsonl`);
  const res = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-force-exit', `--test-concurrency=${phase.concurrency}`, '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${resolve('test/tools/fileTimes.mjs')}`, '--test-reporter-destination=stdout', ...phase.files], {
    stdio: 'inherit',
    env: {
      ...process.env,
      FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR,
      CLOUD_MONITOR_CONTRACT_DIR: contractDir,
      CLOUD_MONITOR_TEST_TIMES: times,
      NODE_OPTIONS: nodeOptions,
      ...(desktop ? { CLOUD_MONITOR_VSCODE_HOST: 'desktop' } : {}),
      // The SDK prints a notice on Node < 22 that its releases after the first week of January 2027 will need
      // Node 22. It is printed whatever the installed version; ours are pinned to releases that run on Node 20,
      // which test/unit/sdkNodeSupport.test.ts checks, so the notice is silenced for test processes only.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  if (res.status !== 0) status = res.status ?? 1;
});

const lines = readdirSync(timesDir).flatMap((f) => readFileSync(join(timesDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
const count = (result) => lines.filter((l) => l.result === result).length;
const perFile = [...lines.filter((l) => l.file)
  .reduce((m, { file, ms }) => m.set(file, (m.get(file) ?? 0) + ms), new Map())]
  .map(([file, ms]) => ({ file, ms }))
  .sort((a, b) => b.ms - a.ms);
rmSync(timesDir, { recursive: true, force: true });
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(`\nSlowest test files (their tests' durations, hooks included; ${phases.map((p) => `${p.files.length} file(s) ${p.concurrency} at a time`).join(', then ')}):`);
for (const { file, ms } of perFile.slice(0, 12)) console.log(`  ${secs(ms).padStart(8)}  ${relative(process.cwd(), file)}`);
console.log(`npm test: ${secs(Date.now() - started)} wall, ${status === 0 ? 'passed' : `failed (exit ${status})`}`);
// The last line totals every phase (each printed node's own summary above).
console.log(`${count('pass')} passed, ${count('fail')} failed`);
if (status === 0) rmSync(contractDir, { recursive: true, force: true });
process.exit(status);
