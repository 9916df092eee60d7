// The billing ledger in a real VS Code (code-server + Chromium) against moto_server, in one session: with a
// daily budget of $0 the first priced call asks first, with its figure; after "Allow for Today" the views
// load, the connection status bar item's tooltip shows the spend line, and Show Spend Ledger lists the calls.
// Screenshots go to test-results/ (billing-budget-prompt, billing-spend-tooltip, billing-ledger).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { openVsCode, screenshotPath, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

describe('Spend ledger, spend line and daily budget (code-server)', () => {
  let vs: VsCodeSession;
  let moto: Moto;

  before(async () => {
    moto = await startMoto();
    const s3 = new S3Client(moto.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'ledger-demo-bucket' }));
    s3.destroy();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-billing-'));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({
      workspace, env: profile.env, viewport: { width: 1600, height: 1000 },
      settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1', 'cloudMonitor.billing.dailyBudgetUsd': 0 },
    });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  test('budget prompt, then the spend line in the connection tooltip, then the ledger document', async () => {
    const { page } = vs;
    await vs.openContainer();
    await vs.statusBarText('sandbox · us-east-1 · 123456789012', 60_000);

    // 1. The first priced call a view makes (S3 ListBuckets, CloudWatch DescribeAlarms, …) asks first.
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: /today's spend is \$0 of \$0/ });
    await dialog.waitFor({ timeout: 60_000 });
    const message = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(message, /This (S3|CloudWatch|SQS|DynamoDB) \w+ request costs \$0\.0\d+; today's spend is \$0 of \$0 \(cloudMonitor\.billing\.dailyBudgetUsd\)/);
    await vs.screenshot('billing-budget-prompt');
    await dialog.getByRole('button', { name: 'Allow for Today' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    // Allowed: the Buckets view lists the bucket (its calls were sent, and no second prompt came).
    await vs.viewPane('Buckets').locator('.monaco-list-row', { hasText: 'ledger-demo-bucket' }).first().waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'one question for the day');

    // 2. The spend line: the connection item's tooltip, redrawn from the ledger a second after calls are recorded.
    const item = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'sandbox · us-east-1' }).first();
    // \s: MarkdownString.appendText writes spaces as &nbsp;.
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /Cloud\sMonitor\sspend\stoday:\s\$0\.0\d+\sof\sthe\s\$0\sdaily\sbudget/ }).first();
    const deadline = Date.now() + 60_000;
    while (!(await hover.isVisible()) && Date.now() < deadline) {
      await page.mouse.move(900, 500);
      await item.hover();
      await hover.waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    if (!(await hover.isVisible())) assert.fail(`no spend line in the tooltip; hovers: ${JSON.stringify(await page.locator('.monaco-hover, .workbench-hover').allInnerTexts())}`);
    const tip = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(tip, /\bbuckets \$0\.0\d+/, 'by feature');
    assert.match(tip, /By account today: 123456789012 \$0\.0\d+/, 'by account');
    assert.match(tip, /This month: \$0\.0\d+/);
    // Not vs.screenshot(): it parks the mouse, which would close the tooltip.
    await page.screenshot({ path: screenshotPath('billing-spend-tooltip') });

    // 3. The ledger document: read-only, sums by feature, service and day, then the calls.
    await vs.runCommand('Cloud Monitor: Show Spend Ledger');
    const tab = page.locator('.tabs-container .tab.active');
    await tab.filter({ hasText: /spend ledger/i }).waitFor({ timeout: 30_000 });
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.filter({ hasText: 'Cloud Monitor spend ledger' }).waitFor({ timeout: 30_000 });
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /By feature, this month/);
    assert.match(text, /\| buckets \| \d+ \| \$0\.0\d+ \|/);
    assert.equal(await page.locator('.tabs-container .tab.active.dirty').count(), 0, 'never dirty');
    await vs.screenshot('billing-ledger');
  });
});
