// The large account for `npm run demo -- --large` and `npm run bench -- large-account`: 2,000 buckets,
// 5,000 active findings, 10,000 log groups, 500 alert keys and 300 CloudFormation stacks, on top of the
// normal sandbox, through the AWS APIs only. Each kind is seeded in parallel batches (moto_server serves
// about 400-470 calls/s whatever the concurrency, so a handful of requests in flight keeps it busy) and
// timed; the timings are returned so the demo and the bench can print them.
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { marshall } from '@aws-sdk/util-dynamodb';
import { findPipelineStacks } from '../../src/alerts/pipelineStack';
import { chunk, mapLimit } from '../../src/buckets/pool';
import { finding, SEVERITIES } from './seed/10-buckets-findings';
import type { SeedEnv } from './types';

export interface LargeCounts { buckets: number; findings: number; logGroups: number; alertKeys: number; stacks: number }

export const LARGE: LargeCounts = { buckets: 2_000, findings: 5_000, logGroups: 10_000, alertKeys: 500, stacks: 300 };

/** Requests in flight per kind: enough to keep moto_server's one core busy. */
const IN_FLIGHT = 8;

export const largeBucketName = (i: number) => `large-bucket-${String(i).padStart(5, '0')}`;
export const largeLogGroupName = (i: number) => `/large/service-${String(i).padStart(5, '0')}`;
export const largeStackName = (i: number) => `large-stack-${String(i).padStart(4, '0')}`;

async function timed(what: string, env: SeedEnv, timings: Record<string, number>, fn: () => Promise<number>): Promise<void> {
  const start = Date.now();
  const n = await fn();
  const ms = Date.now() - start;
  timings[`${what}_ms`] = ms;
  env.log(`${n.toLocaleString('en-US')} ${what.replace(/_/g, ' ')} in ${(ms / 1000).toFixed(1)} s (${Math.round(n / Math.max(ms / 1000, 0.001))}/s)`);
}

/** Seeds the large account; returns how long each kind took, in ms. Kinds run one after another, each in parallel batches. */
export async function seedLarge(env: SeedEnv, counts: LargeCounts = LARGE): Promise<Record<string, number>> {
  const c = env.clientConfig;
  const timings: Record<string, number> = {};
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  const s3 = new S3Client(c);
  await timed('buckets', env, timings, async () => {
    await mapLimit(range(counts.buckets), IN_FLIGHT, (i) => s3.send(new CreateBucketCommand({ Bucket: largeBucketName(i) })));
    return counts.buckets;
  });
  s3.destroy();

  const hub = new SecurityHubClient(c);
  await timed('findings', env, timings, async () => {
    // Spread over the large buckets (several findings per bucket) and every severity.
    const all = range(counts.findings).map((i) => finding(env, {
      id: `large/${i}`, severity: SEVERITIES[i % SEVERITIES.length], title: `Large-account check ${i % 40}`,
      description: `Finding ${i} of the large sandbox account.`, compliance: 'FAILED', daysAgo: 1 + (i % 20),
      resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${largeBucketName(i % Math.max(1, counts.buckets))}` },
    }));
    // BatchImportFindings takes up to 100 findings per call.
    await mapLimit(chunk(all, 100), 2, (Findings) => hub.send(new BatchImportFindingsCommand({ Findings })));
    return all.length;
  });
  hub.destroy();

  const logs = new CloudWatchLogsClient(c);
  await timed('log_groups', env, timings, async () => {
    await mapLimit(range(counts.logGroups), IN_FLIGHT, (i) => logs.send(new CreateLogGroupCommand({ logGroupName: largeLogGroupName(i) })));
    return counts.logGroups;
  });
  logs.destroy();

  const cfn = new CloudFormationClient(c);
  const ddb = new DynamoDBClient(c);
  await timed('alert_keys', env, timings, async () => {
    // Into the sandbox pipeline's alert-state table (test/sandbox/seed/50-logs-alerts.ts made it).
    const stack = (await findPipelineStacks(cfn)).find((s) => s.outputs.AlertStateTableName);
    if (!stack) throw new Error('no pipeline stack with an alert-state table: seed the normal sandbox first');
    const table = stack.outputs.AlertStateTableName!;
    const now = Date.now();
    const rows = range(counts.alertKeys).map((i) => ({
      alertKey: `large-app-${String(i).padStart(3, '0')}#error`, appId: `large-app-${String(i).padStart(3, '0')}`, alertType: 'error',
      state: i % 2 === 0 ? 'ALARM' : 'OK', severity: 'ERROR', updatedAt: now - i * 60_000, notifiedAt: now - i * 60_000,
      notifiedState: i % 2 === 0 ? 'ALARM' : 'OK', suppressed: i % 5, occurrences: 1 + (i % 9), summary: `error ${i} in the large account`,
    }));
    // BatchWriteItem takes up to 25 items per call.
    await mapLimit(chunk(rows, 25), IN_FLIGHT, (batch) => ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: batch.map((r) => ({ PutRequest: { Item: marshall(r) } })) } })));
    return rows.length;
  });
  ddb.destroy();

  await timed('stacks', env, timings, async () => {
    // Pipeline-tagged, so the Pipeline view lists every one; a one-resource template keeps moto quick.
    await mapLimit(range(counts.stacks), IN_FLIGHT, (i) => cfn.send(new CreateStackCommand({
      StackName: largeStackName(i),
      TemplateBody: JSON.stringify({ Resources: { Marker: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `${largeStackName(i)}-marker` } } } }),
      Tags: [{ Key: 'cloud-monitor:pipeline', Value: 'true' }],
    })));
    return counts.stacks;
  });
  cfn.destroy();
  timings.total_ms = Object.values(timings).reduce((a, b) => a + b, 0);
  return timings;
}
