// Runs the Logs/Alerts extension-host suite inside code-server against moto_server.
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

test('extension host: logs and alerts', async (t) => {
  const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
  const results = await runExtensionHostSuite({ suite: 'logsAlerts', env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint }, settings: { 'cloudMonitor.logs.pollIntervalSeconds': 1 } });
  if (!results.length) throw new Error('the suite ran no test');
  for (const r of results) {
    await t.test(r.name, () => {
      if (!r.ok) throw new Error(r.error);
    });
  }
});
