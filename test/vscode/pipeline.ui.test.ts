// Deploy Pipeline in a real VS Code (code-server + Chromium) against moto_server: run it from the
// palette, answer the prompts, read the change set preview, confirm, and see the stack appear in the
// Pipeline view with its resources and live figures. Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

describe('Pipeline UI: deploy from the palette', () => {
  let vs: VsCodeSession;
  let moto: Moto;

  before(async () => {
    moto = await startMoto();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-pipeline-'));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  /** Waits for the quick input whose title contains `title`, optionally types a value, then accepts. */
  async function answer(title: string, value?: string, shot?: string) {
    const { page } = vs;
    await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
    const input = page.locator('.quick-input-widget input');
    if (value !== undefined) await input.fill(value);
    if (shot) await vs.screenshot(shot);
    await input.press('Enter');
  }

  const header = (name: string) => vs.page.locator('.sidebar .pane-header', { has: vs.page.locator('h3.title', { hasText: new RegExp(`^\\s*${name}\\s*$`, 'i') }) }).first();

  test('the Pipeline view starts empty, offering to deploy', async () => {
    await vs.openContainer();
    // Give the Pipeline view the sidebar: collapse every other view, and widen it so descriptions fit.
    await vs.page.locator('.sidebar .pane-header h3.title', { hasText: /^\s*Pipeline\s*$/i }).first().waitFor();
    const titles = (await vs.page.locator('.sidebar .pane-header h3.title').allInnerTexts()).map((t) => t.trim());
    for (const name of titles) {
      const h = header(name);
      const expanded = (await h.getAttribute('aria-expanded')) === 'true';
      if (expanded !== /^pipeline$/i.test(name)) await h.click();
    }
    const box = await vs.page.locator('.part.sidebar').boundingBox();
    if (box) {
      await vs.page.mouse.move(box.x + box.width + 1, box.y + 300);
      await vs.page.mouse.down();
      await vs.page.mouse.move(box.x + 640, box.y + 300, { steps: 8 });
      await vs.page.mouse.up();
    }
    const pane = vs.viewPane('Pipeline');
    await pane.locator('.monaco-list-row', { hasText: 'No pipeline stack in us-east-1' }).waitFor({ timeout: 60_000 });
    await vs.screenshot('pipeline-empty');
  });

  test('Deploy Pipeline asks for the stack name, region and parameters, then shows the change set for confirmation', async () => {
    const { page } = vs;
    await vs.runCommand('Cloud Monitor: Deploy Pipeline');
    await answer('stack name', 'ui-pipeline');
    // Then: use the defaults, or choose each setting (this test chooses each).
    await vs.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Deploy Pipeline: ui-pipeline' }).waitFor({ timeout: 30_000 });
    await vs.page.locator('.quick-input-widget input').fill('Choose Each');
    await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Choose Each Setting' }).first().waitFor();
    await vs.page.keyboard.press('Enter');
    await answer('region');
    await answer('AlertEmail', '');
    await answer('DebounceMinutes', '10', 'pipeline-deploy-prompt');
    for (const t of ['LogRetentionDays', 'TransitionToInfrequentAccessDays', 'TransitionToGlacierIrDays', 'ExpireDataAfterDays', 'BytesScannedCutoffPerQuery']) await answer(t);

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 120_000 });
    const message = (await dialog.locator('.dialog-message-text').textContent()) ?? '';
    assert.match(message, /Create pipeline stack "ui-pipeline" in us-east-1\?/);
    const detail = (await dialog.locator('.dialog-message-detail').textContent()) ?? '';
    assert.match(detail, /to add, 0 to modify, 0 to remove/);
    assert.match(detail, /\+ Add ConsumerFunction: AWS::Lambda::Function/);
    await vs.screenshot('pipeline-preview');
    await dialog.locator('.monaco-button', { hasText: 'Create Stack' }).click();

    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Pipeline stack ui-pipeline created in us-east-1' }).waitFor({ timeout: 120_000 });
    const cf = new CloudFormationClient(moto.clientConfig());
    const stack = (await cf.send(new DescribeStacksCommand({ StackName: 'ui-pipeline' }))).Stacks![0];
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack.Parameters?.find((p) => p.ParameterKey === 'DebounceMinutes')?.ParameterValue, '10');
    assert.ok(stack.Tags?.some((t) => t.Key === 'cloud-monitor:pipeline' && t.Value === 'true'));
  });

  test('the stack appears in the Pipeline view with its resources and live figures', async () => {
    const { page } = vs;
    // Close the preview editor so the view has room.
    await vs.runCommand('View: Close All Editors');
    const pane = vs.viewPane('Pipeline');
    const stackRow = pane.locator('.monaco-list-row', { hasText: 'ui-pipeline' });
    await stackRow.waitFor({ timeout: 60_000 });
    assert.match((await stackRow.textContent()) ?? '', /CREATE_COMPLETE/);
    await stackRow.click();
    await pane.locator('.monaco-list-row', { hasText: 'Resources' }).click();
    const ingest = pane.locator('.monaco-list-row', { hasText: 'IngestQueue' });
    await ingest.waitFor({ timeout: 60_000 });
    assert.match((await ingest.textContent()) ?? '', /0 waiting · 0 in flight/);
    assert.match((await pane.locator('.monaco-list-row', { hasText: 'DeadLetterQueue' }).textContent()) ?? '', /DLQ empty/);
    await pane.locator('.monaco-list-row', { hasText: 'ConsumerFunction' }).waitFor();
    await page.mouse.move(900, 880);
    await vs.screenshot('pipeline-view-resources');
  });

  test('Send Test Event from the stack\'s inline action; the ingest queue figure shows it; outputs are listed', async () => {
    const { page } = vs;
    const pane = vs.viewPane('Pipeline');
    const stackRow = pane.locator('.monaco-list-row', { hasText: 'ui-pipeline' });
    await stackRow.hover();
    await stackRow.locator('.action-label[aria-label="Send Test Event to Pipeline"]').click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Sent a sample event (1 event of test-app)' }).waitFor({ timeout: 60_000 });
    await pane.locator('.monaco-list-row', { hasText: 'IngestQueue' }).filter({ hasText: /1 waiting|1 in flight/ }).waitFor({ timeout: 30_000 });
    await pane.locator('.monaco-list-row', { hasText: 'Resources' }).click();
    await pane.locator('.monaco-list-row', { hasText: 'Outputs' }).click();
    await pane.locator('.monaco-list-row', { hasText: 'IngestQueueUrl' }).waitFor({ timeout: 30_000 });
    await pane.locator('.monaco-list-row', { hasText: 'ConsumerLogGroupName' }).waitFor();
    await vs.screenshot('pipeline-view-outputs');
  });
});
