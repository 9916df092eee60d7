// Runs the tail extension-host suite (test/vscode/suite/logsTail.ts) inside code-server against
// moto_server. The suite serves Live Tail from a loopback stand-in (moto does not) and drives the
// extension's clock, so the idle stop is tested without waiting five minutes.
import { after, before, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExtensionHostSuite } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });

test('extension host: tail back-fill, Live Tail idle stop and resume (Live Tail stand-in)', async (t) => {
  const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
  const results = await runExtensionHostSuite({ suite: 'logsTail', env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint } });
  if (!results.length) throw new Error('the suite ran no test');
  for (const r of results) {
    await t.test(r.name, () => {
      if (!r.ok) throw new Error(r.error);
    });
  }
});
