// `npm test`: builds everything (with the tests), then runs every test file with node's test runner.
// Order: unit, integration (moto_server), vscode (code-server + Chromium). Output ends with node's summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureSetup } from './setup.mjs';

ensureSetup({ quiet: true });

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
const files = (only.length ? only : groups).flatMap((g) => testFiles(join('out', 'test', g)));

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
  env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR, CLOUD_MONITOR_CONTRACT_DIR: contractDir, NODE_OPTIONS: nodeOptions },
});
if (res.status === 0) rmSync(contractDir, { recursive: true, force: true });
process.exit(res.status ?? 1);
