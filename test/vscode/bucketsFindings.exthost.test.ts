// Runs the Buckets/Findings extension-host suite inside code-server against moto_server, seeded by
// the sandbox seeder. A proxy in front of moto answers Security Hub BatchUpdateFindings with a
// recorded response (moto lacks it) that leaves one finding unprocessed; everything else goes to moto.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLabel, extensionHostBuilds, reportSuiteResults, runExtensionHostSuite } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { startFaultProxy, type FaultProxy } from '../helpers/s3FaultProxy';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { seed } from '../sandbox/seed/10-buckets-findings';

let moto: Moto;
let proxy: FaultProxy;
const calls: { FindingIdentifiers: { Id: string; ProductArn: string }[] }[] = [];

before(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint, {}, {
    intercept: ({ method, url, body }) => {
      if (method !== 'PATCH' || !url.startsWith('/findings/batchupdate')) return undefined;
      const input = JSON.parse(body) as (typeof calls)[number];
      calls.push(input);
      const bad = input.FindingIdentifiers.filter((f) => f.Id === 'ec2-19/sg-0abc');
      return {
        status: 200,
        body: JSON.stringify({
          ProcessedFindings: input.FindingIdentifiers.filter((f) => !bad.includes(f)),
          UnprocessedFindings: bad.map((f) => ({ FindingIdentifier: f, ErrorCode: 'FindingNotFound', ErrorMessage: 'The finding was not found' })),
        }),
      };
    },
  });
});
after(async () => {
  await proxy?.close();
  await moto?.stop();
});

for (const build of extensionHostBuilds()) {
  test(`extension host: buckets and findings (moto behind a proxy that answers BatchUpdateFindings with recorded responses: moto lacks it) (${buildLabel(build)})`, async (t) => {
    // Each build's run starts from a freshly seeded moto and no recorded triage.
    await moto.reset();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-'));
    await seed({ endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace, root: process.cwd(), log: () => undefined });
    calls.length = 0;
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), proxy.endpoint);
    const results = await runExtensionHostSuite({ suite: 'bucketsFindings', build, env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint } });
    await reportSuiteResults(t, results);
    await t.test('the triage went out as one BatchUpdateFindings call with the three findings (seen by the recorded-response proxy)', () => {
      assert.equal(calls.length, 1);
      assert.equal(calls[0].FindingIdentifiers.length, 3);
    });
  });
}
