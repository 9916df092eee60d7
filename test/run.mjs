// `npm test`: builds everything (with the tests), then runs every test file with node's test runner.
// Order: unit, integration (moto_server), vscode (code-server + Chromium). Output ends with node's summary.
// `npm run test:electron` (`--desktop`): only the extension-host test files (out/test/vscode/*.exthost.test.js),
// with the same set-up, their suites run in desktop VS Code downloaded by @vscode/test-electron (internet).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
// (test/zz-contract/contract.test.ts). Its output comes before node's summary, which still ends the run:
// node's runner sorts the files it is given, and zz- sorts after the groups.
const contractDir = mkdtempSync(join(tmpdir(), 'cloud-monitor-contract-'));
const preload = resolve('out/test/helpers/contractPreload.js');
const nodeOptions = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(preload)}`].filter(Boolean).join(' ');

const res = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-force-exit', '--test-concurrency=1', '--test-reporter=spec', ...files, join('out', 'test', 'zz-contract', 'contract.test.js')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR,
    CLOUD_MONITOR_CONTRACT_DIR: contractDir,
    NODE_OPTIONS: nodeOptions,
    ...(desktop ? { CLOUD_MONITOR_VSCODE_HOST: 'desktop' } : {}),
    // The SDK prints a notice on Node < 22 that its releases after the first week of January 2027 will need
    // Node 22. It is printed whatever the installed version; ours are pinned to releases that run on Node 20,
    // which test/unit/sdkNodeSupport.test.ts checks, so the notice is silenced for test processes only.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  },
});
if (res.status === 0) rmSync(contractDir, { recursive: true, force: true });
process.exit(res.status ?? 1);
