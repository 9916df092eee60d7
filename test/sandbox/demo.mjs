// `npm run demo`: set up, build, package the extension, then run out/test/sandbox/demo.js, which starts
// moto_server, seeds the sandbox account and serves code-server with the extension installed.
import { spawnSync } from 'node:child_process';
import { ensureSetup } from '../setup.mjs';

ensureSetup();
// `npm run package` builds the production bundles and the .vsix; --tests adds the seeders and helpers.
for (const [cmd, args] of [['npm', ['run', 'package']], [process.execPath, ['esbuild.mjs', '--tests', '--production']]]) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(process.execPath, ['--enable-source-maps', 'out/test/sandbox/demo.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 0);
