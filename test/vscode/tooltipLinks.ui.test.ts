// Tooltips with outside text that GFM would autolink (a bucket named `www.…`, a log group holding
// `www.…`) show it as text in a real VS Code (code-server + Chromium): the hover has no `a` and no
// `data-href`. Before inertMarkdown, MarkdownString.appendText left `www.evil.example` a link.
// Screenshot: test-results/tooltip-links-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

const BUCKET = 'www.evil.example';
const LOG_GROUP = '/app/www.evil.example/x';

describe('tooltips show autolinkable outside text as text (moto_server, code-server)', () => {
  let vs: VsCodeSession;
  let moto: Moto;

  before(async () => {
    moto = await startMoto();
    await new S3Client({ ...moto.clientConfig(), forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: BUCKET }));
    await new CloudWatchLogsClient(moto.clientConfig()).send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
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

  for (const [view, rowText] of [['Buckets', BUCKET], ['Logs', LOG_GROUP]] as const) {
    test(`${view}: the tooltip shows ${rowText} as text, with no link`, async () => {
      const hover = await hoverOf(view, rowText, rowText);
      assert.ok(((await hover.innerText()) ?? '').includes(rowText), 'the text is shown');
      assert.equal(await hover.locator('a, [data-href]').count(), 0, `no link in: ${await hover.innerHTML()}`);
      await vs.screenshot(`tooltip-links-${view.toLowerCase()}`);
    });
  }
});
