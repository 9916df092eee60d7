// Peek at DLQ messages and Detect Drift in a real VS Code (code-server + Chromium), one session: a pipeline
// stack deployed into moto_server, hostile messages moved to its FIFO DLQ by the real consumer (and one by
// SQS after maxReceiveCount), two queue attributes changed and a queue deleted by hand. The profile points at
// the drift stand-in in front of moto (test/helpers/cfnDriftStandIn.ts: moto lacks drift detection; all other
// requests go to moto). Screenshots: test-results/pipeline-dlq-peek.*.png, pipeline-drift.*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ChangeMessageVisibilityCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createHandler } from '../../pipeline/consumer/handler';
import { openVsCode, ROOT, screenshotPath, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { consumerClients, consumerConfig, deployPipelineStack, type DeployedPipeline } from '../helpers/pipelineStack';
import { sendBodies } from '../helpers/pipelineData';
import { SqsPoller } from '../helpers/sqsPoller';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { startCfnDriftStandIn } from '../helpers/cfnDriftStandIn';
import { HOSTILE_DLQ_BODIES } from '../fixtures/hostile';

const STACK = 'ui-ops';

describe('Pipeline UI: peek at the DLQ and detect drift (drift from the stand-in: moto lacks drift detection)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let sqs: SQSClient;
  let stack: DeployedPipeline;
  let standIn: Awaited<ReturnType<typeof startCfnDriftStandIn>>;

  before(async () => {
    moto = await startMoto();
    stack = await deployPipelineStack(moto.clientConfig(), { stackName: STACK, root: ROOT, parameters: { MaxReceiveCount: '2' } });
    const { outputs } = stack;
    sqs = new SQSClient(moto.clientConfig());
    // Hostile malformed messages: the real consumer moves them to the DLQ with its reason.
    await sendBodies(sqs, outputs.IngestQueueUrl, HOSTILE_DLQ_BODIES.map((body) => ({ body, groupId: 'dlq-app' })));
    const handle = createHandler({ clients: consumerClients(moto.clientConfig()), config: consumerConfig(outputs), now: () => Date.parse('2026-12-03T20:00:00Z'), log: () => undefined });
    await new SqsPoller(sqs, outputs.IngestQueueUrl, outputs.IngestQueueArn, 'us-east-1').drain(handle);
    // A valid event never processed: received MaxReceiveCount (2) times, then SQS moves it.
    await sendBodies(sqs, outputs.IngestQueueUrl, [{ body: JSON.stringify({ appId: 'slow-app', timestamp: '2026-12-03T19:30:00Z', level: 'INFO', message: 'timed out twice' }), groupId: 'slow-app' }]);
    for (let i = 0; i < 3; i++) {
      for (const m of (await sqs.send(new ReceiveMessageCommand({ QueueUrl: outputs.IngestQueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? []) {
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: outputs.IngestQueueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
      }
    }
    // Drift, made by hand outside CloudFormation.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: outputs.IngestQueueUrl, Attributes: { VisibilityTimeout: '30' } }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: outputs.DeadLetterQueueUrl, Attributes: { MessageRetentionPeriod: '345600' } }));
    const cf = new CloudFormationClient(moto.clientConfig());
    const alertDlq = (await cf.send(new ListStackResourcesCommand({ StackName: STACK }))).StackResourceSummaries?.find((r) => r.LogicalResourceId === 'AlertDeliveryDlq')?.PhysicalResourceId;
    cf.destroy();
    assert.ok(alertDlq, 'the stack has its alert delivery DLQ');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: alertDlq }));

    standIn = await startCfnDriftStandIn(moto.endpoint, { moto: moto.clientConfig(), root: ROOT });
    const workspace = mkdtempSync(join(tmpdir(), 'ws-pipeline-ops-'));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), standIn.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    sqs?.destroy();
    await standIn?.stop();
    await moto?.stop();
  });

  const header = (name: string) => vs.page.locator('.sidebar .pane-header', { has: vs.page.locator('h3.title', { hasText: new RegExp(`^\\s*${name}\\s*$`, 'i') }) }).first();
  /**
   * The visible text of the active editor, lines in screen order, every run of white space (line breaks
   * and word-wrap breaks included) as one space: assertions compare flattened text.
   */
  const editorText = async () => {
    const lines = await vs.page.locator('.editor-instance .view-lines').first().locator('.view-line').evaluateAll((els) =>
      els.map((e) => ({ top: parseFloat((e as HTMLElement).style.top) || 0, text: e.textContent ?? '' })).sort((a, b) => a.top - b.top).map((l) => l.text),
    );
    return lines.join(' ').replace(/\s+/g, ' ');
  };
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  const dlqDepth = async () => {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.outputs.DeadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};
    return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
  };

  test('Peek at DLQ Messages from the DLQ node: a read-only text document with bodies, reasons and receive counts, no link; "Peek First" in the redrive dialog; nothing deleted', () => shotOnFailure('pipeline-dlq-peek-failed', async () => {
    const { page } = vs;
    await vs.openContainer();
    await vs.statusBarText('sandbox · us-east-1 · 123456789012', 60_000);
    // Give the Pipeline view the side bar, wide enough for descriptions.
    await header('Pipeline').waitFor();
    for (const name of (await page.locator('.sidebar .pane-header h3.title').allInnerTexts()).map((t) => t.trim())) {
      const expanded = (await header(name).getAttribute('aria-expanded')) === 'true';
      if (expanded !== /^pipeline$/i.test(name)) await header(name).click();
    }
    const bar = await page.locator('.part.sidebar').boundingBox();
    if (bar) {
      await page.mouse.move(bar.x + bar.width + 1, bar.y + 300);
      await page.mouse.down();
      await page.mouse.move(bar.x + 560, bar.y + 300, { steps: 8 });
      await page.mouse.up();
    }
    const pane = vs.viewPane('Pipeline');
    await pane.locator('.monaco-list-row', { hasText: STACK }).first().click({ timeout: 60_000 });
    await pane.locator('.monaco-list-row', { hasText: 'Resources' }).click();
    const dlqRow = pane.locator('.monaco-list-row', { hasText: 'DeadLetterQueue' }).filter({ hasText: '4 in the DLQ' });
    await dlqRow.waitFor({ timeout: 60_000 });
    await dlqRow.hover();
    // Its tooltip names the queue by URL: as text, not a link.
    const dlqHover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Physical id:' }).first();
    await dlqHover.waitFor({ timeout: 15_000 });
    assert.equal(await dlqHover.locator('a').count(), 0, 'the queue URL in the resource tooltip is text, not a link');
    assert.ok(((await dlqHover.innerText()) ?? '').includes('/123456789012/ui-ops-dlq.fifo'));
    await dlqRow.locator('.action-label[aria-label="Peek at Pipeline DLQ Messages"]').click();

    await page.locator('.tab', { hasText: `${STACK}-peek.txt` }).waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: 'A peek is a receive' }).first().waitFor({ timeout: 30_000 });
    const text = await editorText();
    assert.match(text, /4 messages peeked \(about 4 in the queue\)/);
    assert.match(text, /Every peeked message was handed back at once \(visibility 0\): nothing was deleted/);
    assert.ok(text.includes(flat('Failure reason:   rejected by the consumer: MALFORMED_JSON')), text);
    assert.ok(text.includes(flat('Receive count:    1 (ApproximateReceiveCount, this peek included)')));
    assert.ok(text.includes(flat('Message group:    dlq-app')));
    assert.ok(text.includes('not json: [Open runbook](command:workbench.action.terminal.sendSequence'), 'the command link is shown as text');
    assert.ok(text.includes('<img src=x onerror="alert(1)"> https://evil.example/phish'), 'markup and URL as text');
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Cloud Monitor Outside Text' }).waitFor({ timeout: 10_000 });
    // Nothing in the document is a link or markup: link detection is off for its language. Links are
    // detected a moment after a document opens, so a control proves the moment has passed: the same
    // document split to the right, then a plain-text file with a URL opened there, whose link appears.
    await vs.runCommand('View: Split Editor Right');
    await page.locator('.editor-group-container').nth(1).locator('.view-lines', { hasText: 'A peek is a receive' }).waitFor({ timeout: 15_000 });
    await vs.runCommand('File: New Untitled Text File');
    await page.keyboard.type('control https://example.com/control');
    await page.locator('.editor-group-container').nth(1).locator('.detected-link', { hasText: 'example.com' }).waitFor({ timeout: 30_000 });
    const peekEditor = page.locator('.editor-group-container').nth(0).locator('.editor-instance');
    assert.equal(await peekEditor.locator('.detected-link, .detected-link-active, a[href]').count(), 0, 'no detected link in the peek document');
    assert.equal(await peekEditor.locator('img, script').count(), 0);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await vs.runCommand('View: Close Editor Group');
    await page.locator('.editor-group-container').nth(1).waitFor({ state: 'detached', timeout: 15_000 });
    assert.deepEqual(await dlqDepth(), { visible: 4, inFlight: 0 }, 'after the peek: all four visible, none in flight');
    await vs.screenshot('pipeline-dlq-peek');

    // The redrive confirmation offers "Peek First": it peeks again (receive counts up by one) and redrives nothing.
    await vs.runCommand('Cloud Monitor: Redrive Pipeline DLQ');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const buttons = (await dialog.locator('.monaco-button').allTextContents()).map((t) => t.trim());
    assert.ok(buttons.includes('Redrive') && buttons.includes('Peek First'), `buttons: ${buttons.join(' | ')}`);
    await dialog.locator('.monaco-button', { hasText: 'Peek First' }).click();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `Peeked at 4 messages of the DLQ of "${STACK}". Redrive about 4` });
    await toast.waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: 'Receive count:    2' }).first().waitFor({ timeout: 30_000 });
    assert.deepEqual(await dlqDepth(), { visible: 4, inFlight: 0 }, 'Peek First moved and deleted nothing');
    await toast.hover();
    await toast.locator('.codicon-notifications-clear').click();
    await vs.runCommand('View: Close All Editors');
  }));

  test('Detect Drift: the Drift node shows DRIFTED and when, the drifted resources as children with expected vs actual; a click opens the details', () => shotOnFailure('pipeline-drift-failed', async () => {
    const { page } = vs;
    const pane = vs.viewPane('Pipeline');
    // Fold the resources away, so the drifted ones have room.
    await pane.locator('.monaco-list-row[aria-expanded="true"]', { hasText: 'Resources' }).click();
    const driftRow = pane.locator('.monaco-list-row', { hasText: 'Drift' }).filter({ hasText: /not checked/ });
    await driftRow.waitFor({ timeout: 30_000 });
    await driftRow.click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: `Stack ${STACK} has drifted: 3 resources modified or deleted` }).waitFor({ timeout: 60_000 });
    await pane.locator('.monaco-list-row', { hasText: 'Drift' }).filter({ hasText: /DRIFTED · 3 resources · checked just now/ }).waitFor({ timeout: 30_000 });
    const ingest = pane.locator('.monaco-list-row', { hasText: 'IngestQueue' }).filter({ hasText: 'MODIFIED · SQS::Queue' });
    await ingest.waitFor({ timeout: 30_000 });
    await pane.locator('.monaco-list-row', { hasText: 'DeadLetterQueue' }).filter({ hasText: 'MODIFIED · SQS::Queue' }).waitFor();
    await pane.locator('.monaco-list-row', { hasText: 'AlertDeliveryDlq' }).filter({ hasText: 'DELETED · SQS::Queue' }).waitFor();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'VisibilityTimeout: expected 360, actual 30' });
    // A redraw of the rows (the "checked just now" timer) can cancel a pending hover: move away and back.
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(5, 5);
      await ingest.hover();
      if (await hover.first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
      if (attempt === 3) {
        await hover.first().waitFor({ timeout: 15_000 });
        break;
      }
    }
    assert.equal(await hover.first().locator('a').count(), 0, 'the queue URL in the tooltip is text, not a link');
    assert.ok(((await hover.first().innerText()) ?? '').includes('/123456789012/ui-ops-ingest.fifo'), 'the physical id is in the tooltip');
    await page.screenshot({ path: screenshotPath('pipeline-drift-tooltip') });
    await ingest.click();
    await page.locator('.editor-instance .view-lines', { hasText: 'IngestQueue (AWS::SQS::Queue) of ui-ops: MODIFIED' }).first().waitFor({ timeout: 30_000 });
    const text = await editorText();
    assert.ok(text.includes('VisibilityTimeout: expected 360, actual 30'), text);
    assert.ok(text.includes('Expected properties:'));
    assert.ok(text.includes('"VisibilityTimeout": 360'));
    await vs.screenshot('pipeline-drift');
    assert.deepEqual(standIn.rejected, []);
    assert.deepEqual(standIn.answerProblems, []);
  }));

  async function shotOnFailure(name: string, body: () => Promise<void>) {
    try {
      await body();
    } catch (err) {
      await vs.screenshot(name).catch(() => undefined);
      throw err;
    }
  }
});
