// `npm run test:electron`: the same extension-host suites under desktop VS Code, downloaded by
// @vscode/test-electron. Needs internet (the build machines have none, hence code-server by default).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT } from '../helpers/codeServer';
import { startMoto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

async function main() {
  const moto = await startMoto();
  let failed = 0;
  try {
    const suites = readdirSync(join(ROOT, 'out', 'test', 'vscode', 'suite')).filter((f) => f.endsWith('.js') && !['runner.js', 'api.js', 'activation.js'].includes(f));
    for (const suite of suites) {
      await moto.reset();
      const tmp = mkdtempSync(join(tmpdir(), 'electron-'));
      const profile = writeSandboxProfile(join(tmp, 'aws'), moto.endpoint);
      try {
        await runTests({
          version: '1.100.3',
          extensionDevelopmentPath: ROOT,
          extensionTestsPath: join(ROOT, 'out', 'test', 'vscode', 'suite', suite),
          launchArgs: [join(tmp, 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
          extensionTestsEnv: { ...profile.env, CLOUD_MONITOR_TEST: '1', MOTO_ENDPOINT: moto.endpoint },
        });
        console.log(`✔ ${suite}`);
      } catch (err) {
        failed++;
        console.error(`✖ ${suite}: ${String(err)}`);
      }
    }
    console.log(`${suites.length - failed} passed, ${failed} failed`);
  } finally {
    await moto.stop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
