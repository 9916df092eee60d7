// Two VS Code windows on one code-server (two extension hosts sharing globalStorageUri) watch the
// same inbox: every alert is shown once in total, by the window holding the lease, and the queue is
// emptied. Each window runs test/vscode/suite/alertsWindow.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Page } from 'playwright-core';
import { buildLabel, extensionHostBuilds, GOTO_WORKBENCH, launchChromium, onDesktop, ROOT, startCodeServer, testPayload, WORKBENCH_PAGE, workbenchUrl, type CodeServer } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { createFakePipeline, publishAlert } from '../helpers/alertFixtures';

let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });

async function until<T>(check: () => T | Promise<T>, what: string, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

for (const build of extensionHostBuilds()) {
  test(`two windows: each alert is shown once in total, and the queue is emptied (${buildLabel(build)})`, { skip: onDesktop() && 'two browser windows on one code-server; not run in desktop VS Code' }, async () => {
    await moto.reset();
    const c = moto.clientConfig();
    const clients = { ddb: new DynamoDBClient(c), sqs: new SQSClient(c), sns: new SNSClient(c), logs: new CloudWatchLogsClient(c), cfn: new CloudFormationClient(c) };
    const pipeline = await createFakePipeline(clients, 'cm-two-windows');
    const dir = mkdtempSync(join(tmpdir(), 'two-windows-'));
    const workspace = mkdtempSync(join(tmpdir(), 'ws-two-'));
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    let server: CodeServer | undefined;
    const browser = await launchChromium();
    try {
      server = await startCodeServer({
        workspace,
        env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint, ALERT_WINDOWS_DIR: dir },
        settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' },
        build,
        args: build.payloadArgs,
      });
      const url = workbenchUrl(server, workspace, testPayload(server, join(ROOT, 'out', 'test', 'vscode', 'suite', 'alertsWindow.js')));
      const exits: Promise<number>[] = [];
      const pages: Page[] = [];
      for (let i = 0; i < 2; i++) {
        // A context per window, so neither is a background tab.
        const page = await (await browser.newContext(WORKBENCH_PAGE)).newPage();
        exits.push(new Promise<number>((done) => void page.exposeFunction('codeAutomationExit', (code: number) => done(code))));
        await page.goto(url, GOTO_WORKBENCH);
        pages.push(page);
      }
      const files = () => readdirSync(dir).filter((f) => f.startsWith('shown-'));
      const read = () => files().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { status: string; shown: string[] });
      await until(() => files().length === 2, 'both windows to start watching').catch(async (err: Error) => {
        for (const [i, p] of pages.entries()) await p.screenshot({ path: join(dir, `window-${i}.png`) }).catch(() => undefined);
        throw new Error(`${err.message}; files: ${readdirSync(dir).join(', ')} (screenshots in ${dir})`);
      });
      await until(() => read().some((w) => w.status === 'polling'), 'one window to take the lease');

      for (const app of ['alpha', 'beta', 'gamma']) await publishAlert(clients.sns, pipeline.topicArn, { appId: app, alertType: 'error', summary: `two-window ${app}` });
      await until(() => read().reduce((n, w) => n + w.shown.length, 0) >= 3, 'three notifications');
      const depth = async () => {
        const a = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: pipeline.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
        return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible);
      };
      await until(async () => (await depth()) === 0, 'the queue to be empty', 30_000);
      await new Promise((r) => setTimeout(r, 4_000)); // a further long-poll round in both windows

      const windows = read();
      const total = windows.flatMap((w) => w.shown);
      assert.equal(total.length, 3, JSON.stringify(windows));
      assert.deepEqual(total.map((m) => m.split(' ')[0]).sort(), ['alpha', 'beta', 'gamma']);
      assert.deepEqual(windows.map((w) => w.status).sort(), ['polling', 'waiting']);
      assert.equal(windows.find((w) => w.status === 'waiting')?.shown.length, 0, 'the waiting window showed nothing');
      writeFileSync(join(dir, 'done'), '');
      const codes = await Promise.race([Promise.all(exits), new Promise<number[]>((_, rej) => setTimeout(() => rej(new Error('windows did not finish')), 60_000))]);
      assert.deepEqual(codes, [0, 0]);
      assert.ok(existsSync(join(dir, 'done')));
    } finally {
      await browser.close().catch(() => undefined);
      await server?.stop();
      for (const cl of Object.values(clients)) cl.destroy();
    }
  });
}
