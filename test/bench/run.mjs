// `npm run bench -- NAME`: builds, then runs out/test/bench/NAME.js. Each bench prints its figures
// and ends with one JSON line {"bench":NAME,"metrics":{...}}.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const name = process.argv[2];
const available = existsSync('test/bench') ? readdirSync('test/bench').filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)) : [];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (one of: ${available.join(', ') || 'none yet'})`);
  process.exit(2);
}
const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const res = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', `out/test/bench/${name}.js`, ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(res.status ?? 1);
