// Runs the long-lists extension-host suite inside code-server against moto_server seeded with more rows
// than a page (test/sandbox/large.ts with small counts): 130 buckets, 130 findings of one severity on
// 130 resources, 220 alert keys in a fake pipeline's alert-state table, 110 pipeline-tagged stacks.
import { after, before, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchImportFindingsCommand, EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { runExtensionHostSuite } from '../helpers/codeServer';
import { createFakePipeline } from '../helpers/alertFixtures';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { finding } from '../sandbox/seed/10-buckets-findings';
import { seedLarge } from '../sandbox/large';

let moto: Moto;

before(async () => {
  moto = await startMoto();
  const c = moto.clientConfig();
  const env = { endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: c, workspace: mkdtempSync(join(tmpdir(), 'ws-')), root: process.cwd(), log: () => undefined };
  const clients = { ddb: new DynamoDBClient(c), sqs: new SQSClient(c), sns: new SNSClient(c), logs: new CloudWatchLogsClient(c), cfn: new CloudFormationClient(c) };
  await createFakePipeline(clients, 'cm-lists');
  Object.values(clients).forEach((x) => x.destroy());
  await seedLarge(env, { buckets: 130, findings: 0, logGroups: 0, alertKeys: 220, stacks: 110 });
  const hub = new SecurityHubClient(c);
  await hub.send(new EnableSecurityHubCommand({}));
  const findings = Array.from({ length: 130 }, (_, i) => finding(env, {
    id: `lists/${i}`, severity: 'CRITICAL', title: `Critical check ${i}`, description: 'one of many', compliance: 'FAILED',
    resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::lists-${String(i).padStart(3, '0')}` },
  }));
  for (let i = 0; i < findings.length; i += 100) await hub.send(new BatchImportFindingsCommand({ Findings: findings.slice(i, i + 100) }));
  hub.destroy();
});
after(async () => {
  await moto?.stop();
});

test('extension host: long lists show a page of rows and Load more (moto_server)', async (t) => {
  const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
  const results = await runExtensionHostSuite({ suite: 'largeLists', env: { ...profile.env, MOTO_ENDPOINT: moto.endpoint } });
  if (!results.length) throw new Error('the suite ran no test');
  for (const r of results) {
    await t.test(r.name, () => {
      if (!r.ok) throw new Error(r.error);
    });
  }
});
