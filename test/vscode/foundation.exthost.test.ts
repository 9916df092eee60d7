// Runs the foundation's extension-host suite inside code-server against moto_server.
import { after, before, test } from 'node:test';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
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
  test(`extension host: foundation (${buildLabel(build)})`, async (t) => {
    await moto.reset();
    // A log group for the Logs view's first rows.
    await new CloudWatchLogsClient(moto.clientConfig()).send(new CreateLogGroupCommand({ logGroupName: '/foundation/app' }));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    // The sandbox profile from the user's settings (as the demo has it): connected as the side bar first opens.
    const results = await runExtensionHostSuite({ suite: 'foundation', build, env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint }, settings: { 'cloudMonitor.profile': 'sandbox' } });
    await reportSuiteResults(t, results);
  });
}
