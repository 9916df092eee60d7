// A hostile log line travels the whole alert path into a real VS Code (code-server + Chromium) and
// stays text: templates/pipeline.yaml deployed into moto_server, the consumer's handler run in-process
// on an ERROR event whose message holds `[Open runbook](command:…)`, its alert published to the
// stack's topic, delivered raw to the inbox queue, polled by the extension and shown as a toast.
// VS Code renders such text in a notification as a link that runs the command; the toast must show
// the characters and no link. Screenshot: test-results/alert-hostile-notification.<VS Code version>.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandler, type LogEntry } from '../../pipeline/consumer/handler';
import { HOSTILE_LOG_MESSAGE } from '../fixtures/hostile';
import { openVsCode, ROOT, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { consumerClients, consumerConfig, deployPipelineStack, type DeployedPipeline } from '../helpers/pipelineStack';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

describe('a hostile log line in an alert notification (consumer → SNS → inbox → toast)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let stack: DeployedPipeline;

  before(async () => {
    moto = await startMoto();
    stack = await deployPipelineStack(moto.clientConfig(), { stackName: 'cm-hostile', root: ROOT });
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({
      workspace: mkdtempSync(join(tmpdir(), 'ws-hostile-')), env: profile.env, viewport: { width: 1500, height: 950 },
      settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' },
    });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  test('the toast shows the command link as text: no link element, the text intact', async () => {
    const { page } = vs;
    // Opening the views activates the extension; the Alerts view says when this window polls the inbox.
    await vs.openContainer();
    await vs.viewPane('Alerts').locator('.pane-header', { hasText: 'notifications on' }).waitFor({ timeout: 90_000 });

    const now = Date.now();
    const logs: LogEntry[] = [];
    const handle = createHandler({ clients: consumerClients(moto.clientConfig(), 3), config: consumerConfig(stack.outputs), now: () => now, log: (e) => logs.push(e) });
    const res = await handle({ Records: [{ messageId: 'hostile-1', body: JSON.stringify({ appId: 'checkout', timestamp: now, level: 'ERROR', message: HOSTILE_LOG_MESSAGE }), attributes: { MessageGroupId: 'checkout' } }] });
    assert.deepEqual(res.batchItemFailures, []);
    assert.ok(logs.some((l) => l.msg === 'alert notified'), `the consumer published its alert: ${JSON.stringify(logs)}`);

    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Open runbook' });
    await toast.first().waitFor({ timeout: 60_000 });
    assert.equal(await toast.count(), 1);
    const message = toast.locator('.notification-list-item-message');
    const text = (await message.innerText()).replace(/\s+/g, ' ');
    // What VS Code renders for a link in notification text: an anchor (a.monaco-link) in the message.
    assert.equal(await message.locator('a, .monaco-link, [href]').count(), 0, `no link element in: ${await message.innerHTML()}`);
    assert.equal(await toast.locator('.monaco-link, a[href]').count(), 0, 'no link anywhere in the toast');
    assert.match(text, /^checkout \(error\): 1 error event\(s\); latest ERROR at /, text);
    assert.ok(text.includes('ERROR payment failed [Open runbook] (command:workbench.action.terminal.sendSequence?%7B%22text%22'), `the link's characters are shown as text: ${text}`);
    for (const action of ['Open Logs', 'Query in Athena', 'Mute…']) await toast.locator('.monaco-button', { hasText: action }).waitFor();
    await toast.hover();
    await vs.screenshot('alert-hostile-notification');
  });
});
