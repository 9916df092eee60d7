// Runs the Athena extension-host suite (test/vscode/suite/athena.ts) inside code-server, with the
// sandbox profile's endpoint at the loopback Athena pager in front of moto_server.
import { after, before, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { buildLabel, extensionHostBuilds, reportSuiteResults, runExtensionHostSuite } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { startAthenaPager, type AthenaPager } from '../helpers/athenaPager';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

let moto: Moto;
let pager: AthenaPager;
before(async () => {
  moto = await startMoto();
  pager = await startAthenaPager(moto.endpoint);
});
/** Each build's run starts from an empty moto with the results bucket: the suite creates Glue databases. */
async function freshMoto() {
  await moto.reset();
  const s3 = new S3Client(moto.clientConfig());
  await s3.send(new CreateBucketCommand({ Bucket: 'exthost-athena-results' }));
  s3.destroy();
}
after(async () => {
  await pager?.stop();
  await moto?.stop();
});

for (const build of extensionHostBuilds()) {
  test(`extension host: Athena (moto behind the loopback Athena pager: Athena's pages, failed queries on demand) (${buildLabel(build)})`, async (t) => {
    await freshMoto();
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), pager.endpoint);
    const results = await runExtensionHostSuite({
      suite: 'athena',
      build,
      env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint, ATHENA_PAGER: pager.endpoint },
      settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1', 'cloudMonitor.athena.outputLocation': 's3://exthost-athena-results/results/' },
    });
    await reportSuiteResults(t, results);
  });
}
