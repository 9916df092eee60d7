// Runs the relative-times extension-host suite (test/vscode/suite/alertsTimes.ts) inside code-server
// against moto_server. The suite drives the extension's clock: no test waits for the timer.
import { after, before, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLabel, extensionHostBuilds, reportSuiteResults, runExtensionHostSuite } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });

for (const build of extensionHostBuilds()) {
  test(`extension host: relative times in the Alerts and Pipeline views (${buildLabel(build)})`, async (t) => {
    await moto.reset();
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    const results = await runExtensionHostSuite({ suite: 'alertsTimes', build, env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint } });
    await reportSuiteResults(t, results);
  });
}
