// Sandbox seed for the Logs and Alerts views: log groups with events, alert states in ALARM and OK,
// one CloudWatch alarm in ALARM, and a .cwlogs query in the workspace. If the pipeline seeder
// (issue 3) deployed a real pipeline stack, its table, topic and consumer log group are used;
// otherwise a stand-in with the same outputs is created. afterStart publishes an alert a few
// seconds after code-server starts (it waits in the inbox until the extension polls, then shows),
// and keeps appending consumer log lines for a while so a tail has something to follow.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogStreamCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { findPipelineStacks, type PipelineOutputs } from '../../../src/alerts/pipelineStack';
import { createAlarm, createFakePipeline, publishAlert, type ConsumerAlert } from '../../helpers/alertFixtures';
import { createLogGroup, jsonLine, putEvents } from '../../helpers/logFixtures';
import type { SeedEnv } from '../types';

const APPS = ['checkout', 'payments', 'search'];

function clientsFor(env: SeedEnv) {
  const c = env.clientConfig;
  return { ddb: new DynamoDBClient(c), sqs: new SQSClient(c), sns: new SNSClient(c), logs: new CloudWatchLogsClient(c), cfn: new CloudFormationClient(c), cw: new CloudWatchClient(c) };
}

/** The pipeline's outputs: the deployed stack's, or a stand-in's. */
async function pipelineOutputs(env: SeedEnv, clients: ReturnType<typeof clientsFor>): Promise<PipelineOutputs> {
  const existing = (await findPipelineStacks(clients.cfn)).find((s) => s.outputs.InboxQueueUrl && s.outputs.AlertStateTableName);
  if (existing) return existing.outputs;
  env.log('no pipeline stack yet: creating a stand-in with the same outputs');
  const p = await createFakePipeline(clients, 'cm-sandbox');
  return { AlertStateTableName: p.table, AlertStateIndexName: p.index, AlertTopicArn: p.topicArn, InboxQueueUrl: p.queueUrl, ConsumerLogGroupName: p.logGroup };
}

async function ensureGroup(clients: ReturnType<typeof clientsFor>, name: string, stream: string, retentionDays?: number): Promise<void> {
  const found = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  if (!found.logGroups?.some((g) => g.logGroupName === name)) return createLogGroup(clients.logs, name, { retentionDays, stream });
  // The pipeline's own group exists already: add our stream (it may exist too).
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: stream })).catch(() => undefined);
}

function consumerLine(i: number, now: number): { message: string; timestamp: number } {
  const app = APPS[i % APPS.length];
  const level = i % 17 === 0 ? 'ERROR' : i % 7 === 0 ? 'WARN' : 'INFO';
  const msg = level === 'ERROR' ? `payment provider timed out after 3000 ms (order ${1000 + i})` : level === 'WARN' ? `slow batch: ${200 + (i % 50)} ms` : `processed batch of ${1 + (i % 10)} events`;
  return { message: jsonLine(level, app, msg, { requestId: `req-${i}` }), timestamp: now - (300 - i) * 1000 };
}

export async function seed(env: SeedEnv): Promise<void> {
  const clients = clientsFor(env);
  const out = await pipelineOutputs(env, clients);
  const consumer = out.ConsumerLogGroupName ?? '/aws/lambda/cm-sandbox-consumer';
  const now = Date.now();
  await ensureGroup(clients, consumer, 'sandbox');
  await putEvents(clients.logs, consumer, Array.from({ length: 300 }, (_, i) => consumerLine(i, now)), 'sandbox');
  for (const app of APPS) {
    const group = `/app/${app}`;
    await ensureGroup(clients, group, 'web-1', app === 'search' ? undefined : 30);
    await putEvents(clients.logs, group, Array.from({ length: 120 }, (_, i) => ({
      message: `${i % 20 === 0 ? 'ERROR' : 'INFO'} ${app} handled GET /api/${app}/${i} in ${20 + (i % 80)} ms`,
      timestamp: now - (3600 - i * 30) * 1000,
    })), 'web-1');
  }
  if (out.AlertStateTableName) {
    const rows = [
      { alertKey: 'checkout#error', appId: 'checkout', alertType: 'error', state: 'ALARM', severity: 'ERROR', updatedAt: now - 12 * 60_000, notifiedAt: now - 12 * 60_000, notifiedState: 'ALARM', suppressed: 7, occurrences: 8, summary: 'payment provider timed out after 3000 ms' },
      { alertKey: 'payments#errorRate', appId: 'payments', alertType: 'errorRate', state: 'ALARM', severity: 'WARN', updatedAt: now - 40 * 60_000, notifiedAt: now - 40 * 60_000, notifiedState: 'ALARM', suppressed: 0, occurrences: 1, summary: '14 errors in 5 minutes (threshold 10)' },
      { alertKey: 'search#error', appId: 'search', alertType: 'error', state: 'OK', severity: 'INFO', updatedAt: now - 3 * 3_600_000, notifiedAt: now - 3 * 3_600_000, notifiedState: 'OK', suppressed: 0, occurrences: 3, summary: 'recovered' },
    ];
    for (const r of rows) await clients.ddb.send(new PutItemCommand({ TableName: out.AlertStateTableName, Item: marshall(r) }));
  }
  await createAlarm(clients.cw, 'cm-sandbox-dlq-depth', 'ALARM', 'Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0).');
  await createAlarm(clients.cw, 'cm-sandbox-consumer-errors', 'OK', 'Threshold not crossed');
  writeFileSync(join(env.workspace, 'errors-by-app.cwlogs'), [
    `# groups: ${consumer}`,
    '# range: 1h',
    'fields @timestamp, @message',
    '| filter @message like /ERROR/',
    '| sort @timestamp desc',
    '| limit 50',
    '',
  ].join('\n'));
  env.log(`log groups ${consumer}, /app/{${APPS.join(',')}}; 2 alert states in ALARM, 1 OK; alarm cm-sandbox-dlq-depth in ALARM`);
}

/** Publishes one alert on the pipeline's topic, built by the consumer's own code. The demo calls it after start. */
export async function publishDemoAlert(env: SeedEnv, alert: ConsumerAlert = { appId: 'checkout', alertType: 'error', summary: '1 error event(s); latest ERROR: payment provider timed out after 3000 ms (order 4711)' }): Promise<void> {
  const clients = clientsFor(env);
  const out = await pipelineOutputs(env, clients);
  if (!out.AlertTopicArn) throw new Error('no alert topic');
  await publishAlert(clients.sns, out.AlertTopicArn, alert);
}

export async function afterStart(env: SeedEnv): Promise<void> {
  await new Promise((r) => setTimeout(r, 5_000));
  await publishDemoAlert(env);
  env.log('published a demo alert for checkout: it shows once the Cloud Monitor view is opened');
  // A live feed for tails: one consumer line every 2 s for 10 minutes, then stop.
  const clients = clientsFor(env);
  const consumer = (await pipelineOutputs(env, clients)).ConsumerLogGroupName ?? '/aws/lambda/cm-sandbox-consumer';
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 2_000));
    const line = consumerLine(1000 + i, Date.now() + 300_000);
    await putEvents(clients.logs, consumer, [{ message: line.message }], 'sandbox').catch(() => undefined);
  }
}
