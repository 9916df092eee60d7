// Tooltips with outside text that GFM would autolink (a bucket named `www.…`, a log group holding
// `www.…`) show it as text in a real VS Code (code-server + Chromium): the hover has no `a` and no
// `data-href`. Before inertMarkdown, MarkdownString.appendText left `www.evil.example` a link.
// Screenshot: test-results/tooltip-links-*.<VS Code version>.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createAlarm } from '../helpers/alertFixtures';
import { finding, importFindings } from '../sandbox/seed/10-buckets-findings';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

const BUCKET = 'www.evil.example';
const LOG_GROUP = '/app/www.evil.example/x';
const ALARM = 'www.evil.example-queue-depth';
const ALARM_REASON = 'Runbook: https://evil.example/runbook?a=1 or mail oncall@evil.example';
const FINDING_TITLE = 'Bucket policy allows https://evil.example/x';
const FINDING_TEXT = 'Report to security@evil.example or see www.evil.example/help';

describe('tooltips show autolinkable outside text as text (moto_server, code-server)', () => {
  let vs: VsCodeSession;
  let moto: Moto;

  before(async () => {
    moto = await startMoto();
    await new S3Client({ ...moto.clientConfig(), forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: BUCKET }));
    await new CloudWatchLogsClient(moto.clientConfig()).send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
    await createAlarm(new CloudWatchClient(moto.clientConfig()), ALARM, 'ALARM', ALARM_REASON);
    const env = { region: 'us-east-1', accountId: '123456789012' };
    await importFindings(moto.clientConfig(), [finding(env, { id: 'tooltip/links', severity: 'CRITICAL', title: FINDING_TITLE, description: FINDING_TEXT, resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${BUCKET}` }, compliance: 'FAILED' })]);
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({ workspace: mkdtempSync(join(tmpdir(), 'ws-tips-')), env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' } });
    await vs.openContainer();
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  async function hoverOf(view: string, rowText: string, tipText: string) {
    const row = vs.viewPane(view).locator('.monaco-list-row', { hasText: rowText }).first();
    await row.waitFor({ timeout: 90_000 });
    const hover = vs.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: tipText }).first();
    for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
      await vs.page.mouse.move(5, 5);
      await row.hover();
      await hover.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await hover.waitFor({ timeout: 5_000 });
    return hover;
  }

  const cases = [
    ['Buckets', BUCKET, BUCKET],
    ['Logs', LOG_GROUP, LOG_GROUP],
    ['Alerts', ALARM, ALARM_REASON],
    ['Findings', FINDING_TITLE, FINDING_TEXT],
  ] as const;
  for (const [view, rowText, tipText] of cases) {
    test(`${view}: the tooltip shows "${tipText}" as text, with no link`, async () => {
      const hover = await hoverOf(view, rowText, tipText);
      assert.ok(((await hover.innerText()) ?? '').replace(/\s+/g, ' ').includes(tipText), 'the text is shown');
      assert.equal(await hover.locator('a, [data-href]').count(), 0, `no link in: ${await hover.innerHTML()}`);
      await vs.screenshot(`tooltip-links-${view.toLowerCase()}`);
    });
  }
});
