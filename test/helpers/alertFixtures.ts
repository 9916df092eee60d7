// Integration fixtures built straight from the AWS APIs, shaped like the pipeline template's
// resources (issue 3): the alert-state table with its state GSI, the alert topic, and the editor
// inbox queue subscribed to it with raw message delivery. Used by tests, the bench and the sandbox.
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutMetricAlarmCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, PublishCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';

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

/** Publishes an alert the way the consumer does: JSON body plus appId/severity/alertType attributes. */
export async function publishAlert(sns: SNSClient, topicArn: string, a: { appId: string; alertType: string; message: string; severity?: string; state?: string }): Promise<void> {
  const severity = a.severity ?? (a.state === 'OK' ? 'INFO' : 'ERROR');
  await sns.send(new PublishCommand({
    TopicArn: topicArn,
    Message: JSON.stringify({ appId: a.appId, alertType: a.alertType, state: a.state ?? 'ALARM', severity, message: a.message, timestamp: new Date().toISOString() }),
    MessageAttributes: {
      appId: { DataType: 'String', StringValue: a.appId },
      severity: { DataType: 'String', StringValue: severity },
      alertType: { DataType: 'String', StringValue: a.alertType },
    },
  }));
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
    Tags: [{ Key: 'cloud-monitor:pipeline', Value: name }],
  }));
  return { stackName: name, table, index, topicArn, queueUrl, logGroup };
}
