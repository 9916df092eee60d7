// `npm test`: builds everything (with the tests), then runs every test file with node's test runner.
// Order: unit, integration (moto_server), vscode (code-server + Chromium). Output ends with node's summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

const res = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-force-exit', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR },
});
process.exit(res.status ?? 1);
