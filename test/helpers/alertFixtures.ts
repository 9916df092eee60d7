// Integration fixtures built straight from the AWS APIs, shaped like the pipeline template's
// resources (issue 3): the alert-state table with its state GSI, the alert topic, and the editor
// inbox queue subscribed to it with raw message delivery. Used by tests, the bench and the sandbox.
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutMetricAlarmCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { alertKey, buildNotification, evaluateAlerts, type AlertEvaluation, type AlertNotification, type PublishRequest, type Severity } from '../../pipeline/consumer/alerts';
import { planBatch, runOf } from '../../pipeline/consumer/batch';
import { DEFAULTS } from '../../pipeline/consumer/config';
import { publish, type Clients } from '../../pipeline/consumer/aws';
import { applyRun, summarize, type AlertType } from '../../pipeline/consumer/status';
import { PIPELINE_TAG } from '../../src/pipeline/stack';

export async function createAlertStateTable(ddb: DynamoDBClient, table: string, index = `${table}-by-state`): Promise<{ table: string; index: string }> {
  await ddb.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    // As in templates/pipeline.yaml: key alertKey; GSI by state, sorted by updatedAt (epoch ms).
    AttributeDefinitions: [{ AttributeName: 'alertKey', AttributeType: 'S' }, { AttributeName: 'state', AttributeType: 'S' }, { AttributeName: 'updatedAt', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'alertKey', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: index, KeySchema: [{ AttributeName: 'state', KeyType: 'HASH' }, { AttributeName: 'updatedAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
  }));
  return { table, index };
}

export async function createInbox(sqs: SQSClient, sns: SNSClient, name: string): Promise<{ topicArn: string; queueUrl: string; queueArn: string }> {
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: `${name}-alerts` }))).TopicArn!;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-inbox`, Attributes: { MessageRetentionPeriod: '345600' } }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
  return { topicArn, queueUrl, queueArn };
}

export interface ConsumerAlert {
  appId: string;
  alertType: AlertType;
  /** What the consumer's rules put in the summary (for an error alert: the latest error's message). */
  summary: string;
  /** raise (ALARM, the default) or clear (a recovery, OK). */
  kind?: AlertEvaluation['kind'];
  severity?: Severity;
  /** Occurrences the debounce held back since the previous notification of this key. */
  suppressed?: number;
}

/**
 * Publishes an alert with the consumer's own code: pipeline/consumer/alerts.ts buildNotification
 * builds the message and pipeline/consumer/aws.ts publish sends it, so the inbox is tested on the
 * format the consumer really publishes. Returns the payload the inbox receives.
 */
export async function publishAlert(sns: SNSClient, topicArn: string, a: ConsumerAlert, now = Date.now()): Promise<AlertNotification> {
  const kind = a.kind ?? 'raise';
  const ev: AlertEvaluation = { appId: a.appId, alertType: a.alertType, kind, severity: a.severity ?? (kind === 'clear' ? 'INFO' : 'ERROR'), summary: a.summary };
  const old = a.suppressed ? { alertKey: alertKey(a.appId, a.alertType), suppressed: a.suppressed, notifiedAt: now - DEBOUNCE_MS } : undefined;
  const { payload, request } = buildNotification(ev, old, now, DEBOUNCE_MS);
  // publish() uses the clients' SNS client only.
  await publish({ sns } as Pick<Clients, 'sns'> as Clients, topicArn, request);
  return payload;
}

const DEBOUNCE_MS = 15 * 60_000;

/**
 * The inbox message body the consumer publishes for a run of log events (the `sqs` variant that raw
 * delivery hands to the inbox queue), built by the consumer's own pure code: planBatch → runOf →
 * summarize → applyRun → evaluateAlerts → buildNotification, as handler.ts runs them. The first
 * alert the rules raise is returned. For unit tests; the integration and UI tests run the handler.
 */
export function consumerInboxBody(events: Record<string, unknown>[], now = Date.now()): { body: string; payload: AlertNotification; request: PublishRequest } {
  const cfg = { errorAlerts: DEFAULTS.errorAlerts, errorRateThreshold: DEFAULTS.errorRateThreshold, errorWindowMs: DEFAULTS.errorWindowMinutes * 60_000, debounceMs: DEBOUNCE_MS, statusTtlDays: DEFAULTS.statusTtlDays };
  const records = events.map((e, i) => ({ messageId: `m-${i}`, body: JSON.stringify(e), attributes: { MessageGroupId: String(e.appId) } }));
  const [group] = planBatch(records);
  const run = group && runOf(group, new Set());
  if (!run) throw new Error(`the consumer rejects these events: ${JSON.stringify(group?.records.map((r) => r.parsed))}`);
  const summary = summarize(undefined, run);
  const next = applyRun(undefined, run, summary, now, cfg)!;
  const [ev] = evaluateAlerts(next, summary, now, cfg);
  if (!ev) throw new Error('these events raise no alert');
  const { payload, request } = buildNotification(ev, undefined, now, cfg.debounceMs);
  return { body: (JSON.parse(request.Message) as { sqs: string }).sqs, payload, request };
}

export async function createAlarm(cw: CloudWatchClient, name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason = `set to ${state}`): Promise<void> {
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible',
    Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
    Dimensions: [{ Name: 'QueueName', Value: 'pipeline-dlq' }],
  }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));
}

export interface FakePipeline {
  stackName: string;
  table: string;
  index: string;
  topicArn: string;
  queueUrl: string;
  logGroup: string;
}

/**
 * Until the pipeline template is deployable here, a stand-in: the alert-state table with its state
 * GSI, the topic, the inbox queue (raw delivery) and the consumer's log group, created directly,
 * plus a CloudFormation stack carrying the pipeline tag whose outputs name them, as the real
 * template's outputs do.
 */
export async function createFakePipeline(
  clients: { ddb: DynamoDBClient; sqs: SQSClient; sns: SNSClient; logs: import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient; cfn: import('@aws-sdk/client-cloudformation').CloudFormationClient },
  name = 'cm-pipeline',
): Promise<FakePipeline> {
  const { CreateLogGroupCommand, CreateLogStreamCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const { CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
  const { table, index } = await createAlertStateTable(clients.ddb, `${name}-alert-state`, 'by-state');
  const { topicArn, queueUrl } = await createInbox(clients.sqs, clients.sns, name);
  const logGroup = `/aws/lambda/${name}-consumer`;
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: 'consumer' }));
  const out = (v: string) => ({ Value: v });
  await clients.cfn.send(new CreateStackCommand({
    StackName: name,
    TemplateBody: JSON.stringify({
      Resources: { Marker: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `${name}-marker` } } },
      Outputs: {
        AlertStateTableName: out(table), AlertStateIndexName: out(index), AlertTopicArn: out(topicArn), InboxQueueUrl: out(queueUrl),
        ConsumerLogGroupName: out(logGroup), GlueDatabaseName: out(name.replace(/-/g, '_')), GlueTableName: out('events'),
      },
    }),
    Tags: [{ ...PIPELINE_TAG }],
  }));
  return { stackName: name, table, index, topicArn, queueUrl, logGroup };
}
