// Runs the Costs relative-times extension-host suite (test/vscode/suite/costsTimes.ts) inside code-server.
// Cost Explorer is the stand-in in front of moto_server (test/helpers/ceEndpoint.ts, answers computed from
// test/helpers/costData.ts): moto 5.2.1 lacks the forecast and answers GetCostAndUsage from seeded results.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utcToday } from '../../src/costs/dates';
import { runExtensionHostSuite } from '../helpers/codeServer';
import { startCeEndpoint, type CeEndpoint } from '../helpers/ceEndpoint';
import { costExplorerAnswers } from '../helpers/costData';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

let moto: Moto;
let ce: CeEndpoint;
const today = () => utcToday(Date.now());
before(async () => {
  moto = await startMoto();
  ce = await startCeEndpoint(moto.endpoint, costExplorerAnswers(today));
});
after(async () => {
  await ce?.close();
  await moto?.stop();
});

test('extension host: relative times in the Costs view (Cost Explorer stand-in in front of moto_server)', async (t) => {
  const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), ce.url);
  const results = await runExtensionHostSuite({ suite: 'costsTimes', env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint } });
  if (!results.length) throw new Error('the suite ran no test');
  for (const r of results) {
    await t.test(r.name, () => {
      if (!r.ok) throw new Error(r.error);
    });
  }
  assert.ok(ce.count('GetCostAndUsage') >= 1, 'the view asked the stand-in');
});
