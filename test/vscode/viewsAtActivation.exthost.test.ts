// Runs the views-at-activation extension-host suite inside code-server against moto_server (one log group).
import { after, before, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { buildLabel, extensionHostBuilds, reportSuiteResults, runExtensionHostSuite } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

const GROUP = '/app/first-rows';
let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });

for (const build of extensionHostBuilds()) {
  test(`extension host: views at activation (${buildLabel(build)})`, async (t) => {
    await moto.reset();
    await new CloudWatchLogsClient(moto.clientConfig()).send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    const results = await runExtensionHostSuite({
      suite: 'viewsAtActivation', build,
      env: { ...profile.env, CLOUD_MONITOR_TEST_LOG_GROUP: GROUP },
      settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' },
    });
    await reportSuiteResults(t, results);
  });
}
