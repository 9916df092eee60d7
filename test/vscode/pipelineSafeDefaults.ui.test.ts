// The pipeline's dialogs in a real VS Code (code-server + Chromium) against moto_server: Deploy
// Pipeline offers the defaults right after the stack name; its preview lists the IAM changes apart and
// its button acknowledges them; Delete Pipeline's default button (Enter) keeps the stored events and
// the destructive one counts what it would destroy. Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { openVsCode, ROOT, screenshotOnFailure, shotName, type VsCodeSession } from '../helpers/codeServer';
import { extensionLogTail, notificationTexts } from '../helpers/notifications';
import { deployPipelineStack } from '../helpers/pipelineStack';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

const STACK = 'ui-safe';

describe('Pipeline UI: safe defaults', () => {
  let vs: VsCodeSession;
  let moto: Moto;

  before(async () => {
    moto = await startMoto();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-pipeline-safe-'));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  // A failing test leaves a screenshot in test-results/ (pipeline-safe-failed-…).
  const step = (name: string, fn: () => Promise<void>) => test(name, () => screenshotOnFailure(() => vs, shotName('pipeline-safe-failed', name), fn));

  /** The stack as moto reports it, the window's notifications and the extension's log: why no outcome showed. */
  async function deleteDiagnosis(cf: CloudFormationClient, stackId: string): Promise<string> {
    const byName = await cf.send(new DescribeStacksCommand({ StackName: STACK })).then((r) => r.Stacks?.map((s) => s.StackStatus).join(', ') ?? 'none', (err: Error) => `${err.name}: ${err.message}`);
    const byId = await cf.send(new DescribeStacksCommand({ StackName: stackId })).then((r) => r.Stacks?.map((s) => `${s.StackStatus}${s.StackStatusReason ? ` (${s.StackStatusReason})` : ''}`).join(', ') ?? 'none', (err: Error) => `${err.name}: ${err.message}`);
    const listed = await cf.send(new ListStacksCommand({})).then((r) => (r.StackSummaries ?? []).filter((s) => s.StackName === STACK).map((s) => `${s.StackStatus}${s.DeletionTime ? ` deleted ${s.DeletionTime.toISOString()}` : ''}`).join(', ') || 'none', (err: Error) => `${err.name}: ${err.message}`);
    const { toasts, centre } = await notificationTexts(vs);
    return [
      `moto: DescribeStacks ${STACK}: ${byName}; by id: ${byId}; ListStacks (deleted too): ${listed}`,
      `toasts: ${JSON.stringify(toasts)}`,
      `notification centre: ${JSON.stringify(centre)}`,
      `extension log (tail): ${extensionLogTail(vs)}`,
    ].join('\n');
  }

  step('Deploy Pipeline offers "Use Defaults" after the stack name; the preview lists IAM changes apart and its button acknowledges them', async () => {
    const { page } = vs;
    await vs.openContainer();
    await vs.statusBarText('sandbox · us-east-1 · 123456789012', 60_000);
    await vs.runCommand('Cloud Monitor: Deploy Pipeline');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'stack name' }).waitFor({ timeout: 30_000 });
    await page.locator('.quick-input-widget input').fill(STACK);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: `Deploy Pipeline: ${STACK}` }).waitFor({ timeout: 30_000 });
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    assert.match((await rows.first().textContent()) ?? '', /Use Defaults.*region us-east-1.*DebounceMinutes/s, 'the defaults come first and say what they are');
    assert.match((await rows.nth(1).textContent()) ?? '', /Choose Each Setting/);
    await vs.screenshot('pipeline-deploy-use-defaults');
    await page.keyboard.press('Enter');

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 120_000 });
    const detail = (await dialog.locator('.dialog-message-detail').textContent()) ?? '';
    const iamAt = detail.indexOf('IAM changes to acknowledge (2):');
    const otherAt = detail.indexOf('Other changes (');
    assert.ok(iamAt >= 0 && otherAt > iamAt, `IAM changes are listed apart, first: ${detail}`);
    const iamPart = detail.slice(iamAt, otherAt);
    assert.match(iamPart, /\+ Add ConsumerRole: AWS::IAM::Role/);
    assert.match(iamPart, /\+ Add ConsumerPublishPolicy: AWS::IAM::Policy/);
    assert.doesNotMatch(detail.slice(otherAt), /AWS::IAM::/);
    const buttons = (await dialog.locator('.monaco-button').allTextContents()).map((t) => t.trim());
    assert.ok(buttons.includes('Acknowledge 2 IAM Changes and Create Stack'), `buttons: ${buttons.join(' | ')}`);
    await vs.screenshot('pipeline-deploy-iam-acknowledge');
    await dialog.locator('.monaco-button', { hasText: 'Acknowledge 2 IAM Changes and Create Stack' }).click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: `Pipeline stack ${STACK} created in us-east-1` }).waitFor({ timeout: 180_000 });
    const cf = new CloudFormationClient(moto.clientConfig());
    const stack = (await cf.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0];
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack.Parameters?.find((p) => p.ParameterKey === 'DebounceMinutes')?.ParameterValue, '15', "the template's default");
    cf.destroy();
  });

  step('Delete Pipeline: Enter keeps the stored events; the destructive button says how many objects and versions it deletes', async () => {
    const { page } = vs;
    const cf = new CloudFormationClient(moto.clientConfig());
    // Independent of the test before: deploy the stack here if that one did not.
    const exists = await cf.send(new DescribeStacksCommand({ StackName: STACK })).then((r) => r.Stacks?.[0]?.StackStatus === 'CREATE_COMPLETE', () => false);
    if (!exists) {
      await page.keyboard.press('Escape');
      await deployPipelineStack(moto.clientConfig(), { stackName: STACK, root: ROOT });
    }
    // VS Code drops the toast of a notification added within 800 ms of 3 others (NotificationsToasts' SPAM_PROTECTION):
    // it goes to the notification centre alone. The test before adds two (the Deploying progress and its outcome) and
    // this one two (the Deleting progress and its outcome); moto deletes in well under a second. Without this pause
    // the outcome was the fourth within 800 ms in 1 of 20 local runs (its toast never showed; the centre held it) and
    // in 1 of 7 CI runs. Let that window pass first.
    await new Promise((r) => setTimeout(r, 1_000));
    const stackId = (await cf.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0].StackId!;
    const resources = (await cf.send(new ListStackResourcesCommand({ StackName: STACK }))).StackResourceSummaries ?? [];
    const bucket = resources.find((r) => r.LogicalResourceId === 'DataBucket')!.PhysicalResourceId!;
    const s3 = new S3Client(moto.clientConfig());
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    // Two stored objects, one of them written twice: 2 objects, 3 versions.
    for (const key of ['events/a.json.gz', 'events/a.json.gz', 'events/b.json.gz']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));

    await vs.runCommand('Cloud Monitor: Delete Pipeline');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const buttons = (await dialog.locator('.monaco-button').allTextContents()).map((t) => t.trim());
    assert.ok(buttons.includes('Delete 2 objects (3 versions) and the Stack'), `the destructive button counts: ${buttons.join(' | ')}`);
    assert.ok(buttons.includes('Delete Stack, Keep Stored Events'), `buttons: ${buttons.join(' | ')}`);
    await vs.screenshot('pipeline-delete-safe-default');
    // Enter takes the default button.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    const outcome = new RegExp(`Pipeline stack ${STACK} deleted|Deleting ${STACK} ended in`);
    const shown = await page.locator('.notifications-toasts .notification-toast', { hasText: outcome }).waitFor({ timeout: 180_000 }).then(() => undefined, (err: Error) => err);
    if (shown) {
      // Say what moto, the window (toasts, notification centre) and the extension's log knew.
      await vs.screenshot('pipeline-delete-no-outcome').catch(() => undefined);
      assert.fail(`no toast matching ${outcome} (${shown.message.split('\n')[0]})\n${await deleteDiagnosis(cf, stackId)}`);
    }
    const left = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    assert.equal(left.Versions?.length ?? 0, 3, 'every stored version is still there');
    await vs.screenshot('pipeline-delete-kept');
    s3.destroy();
    cf.destroy();
  });
});
