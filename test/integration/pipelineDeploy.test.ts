// templates/pipeline.yaml deployed into moto_server through a change set; every output resolves to a
// real resource. moto gaps (outputs after a change set, resource types it only records) are filled by
// test/helpers/motoCfnGaps.ts and named in the tests that depend on them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetDatabaseCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { AthenaClient, GetWorkGroupCommand } from '@aws-sdk/client-athena';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { startMoto, type Moto } from '../helpers/moto';
import { deployPipelineStack, type DeployedPipeline } from '../helpers/pipelineStack';
import { hasPipelineTag, OUTPUT_KEYS } from '../../src/pipeline/stack';

let moto: Moto;
let stack: DeployedPipeline;

before(async () => {
  moto = await startMoto();
  stack = await deployPipelineStack(moto.clientConfig(), { stackName: 'it-pipeline', parameters: { MaxReceiveCount: '4', LogRetentionDays: '14' } });
});
after(async () => moto?.stop());

describe('pipeline template in moto_server', () => {
  test('deploys through a change set: CREATE_COMPLETE, tagged, every output present', async () => {
    const cf = new CloudFormationClient(moto.clientConfig());
    const s = (await cf.send(new DescribeStacksCommand({ StackName: 'it-pipeline' }))).Stacks![0];
    assert.match(s.StackStatus!, /^(CREATE|UPDATE)_COMPLETE$/);
    assert.ok(hasPipelineTag(s.Tags));
    for (const k of OUTPUT_KEYS) assert.ok(stack.outputs[k], `output ${k} is empty`);
    assert.equal(stack.parameters.MaxReceiveCount, '4');
  });

  test('queue outputs: FIFO ingest with content-based dedup and redrive to the DLQ', async () => {
    const sqs = new SQSClient(moto.clientConfig());
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.outputs.IngestQueueUrl, AttributeNames: ['All'] }))).Attributes!;
    assert.equal(a.FifoQueue, 'true');
    assert.equal(a.ContentBasedDeduplication, 'true');
    assert.equal(a.QueueArn, stack.outputs.IngestQueueArn);
    const redrive = JSON.parse(a.RedrivePolicy!);
    assert.equal(redrive.deadLetterTargetArn, stack.outputs.DeadLetterQueueArn);
    assert.equal(Number(redrive.maxReceiveCount), 4);
    const dlq = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.outputs.DeadLetterQueueUrl, AttributeNames: ['FifoQueue'] }))).Attributes!;
    assert.equal(dlq.FifoQueue, 'true');
    const inbox = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.outputs.InboxQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!;
    assert.ok(inbox.QueueArn);
  });

  test('bucket outputs: encrypted, public access blocked and lifecycle rules (moto ignores the last two properties: applied by the shim)', async () => {
    const s3 = new S3Client(moto.clientConfig());
    for (const b of [stack.outputs.DataBucketName, stack.outputs.ResultsBucketName]) {
      const enc = await s3.send(new GetBucketEncryptionCommand({ Bucket: b }));
      assert.equal(enc.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
      const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket: b }));
      assert.equal(pab.PublicAccessBlockConfiguration?.RestrictPublicBuckets, true);
      const lc = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b }));
      assert.ok(lc.Rules?.length);
      if (b === stack.outputs.DataBucketName) assert.deepEqual(lc.Rules?.[0].Transitions?.map((t) => t.StorageClass), ['STANDARD_IA', 'GLACIER_IR']);
    }
  });

  test('table outputs: TTL on both (moto ignores TimeToLiveSpecification: applied by the shim), the alert-state GSI named by AlertStateIndexName', async () => {
    const ddb = new DynamoDBClient(moto.clientConfig());
    for (const t of [stack.outputs.StatusTableName, stack.outputs.AlertStateTableName]) {
      const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: t }));
      assert.equal(ttl.TimeToLiveDescription?.TimeToLiveStatus, 'ENABLED');
      assert.equal(ttl.TimeToLiveDescription?.AttributeName, 'expiresAt');
    }
    const d = await ddb.send(new DescribeTableCommand({ TableName: stack.outputs.AlertStateTableName }));
    assert.deepEqual(d.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName), [stack.outputs.AlertStateIndexName]);
  });

  test('topic, log group and function outputs resolve; the function reads the stack\'s names', async () => {
    const sns = new SNSClient(moto.clientConfig());
    assert.ok((await sns.send(new GetTopicAttributesCommand({ TopicArn: stack.outputs.AlertTopicArn }))).Attributes);
    const logs = new CloudWatchLogsClient(moto.clientConfig());
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: stack.outputs.ConsumerLogGroupName }));
    assert.equal(groups.logGroups?.[0]?.retentionInDays, 14);
    const lambda = new LambdaClient(moto.clientConfig());
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: stack.outputs.ConsumerFunctionName }));
    assert.match(fn.Runtime ?? '', /^nodejs\d+\.x$/);
    assert.equal(fn.Environment?.Variables?.DATA_BUCKET, stack.outputs.DataBucketName);
    assert.equal(fn.Environment?.Variables?.DLQ_URL, stack.outputs.DeadLetterQueueUrl);
    const esm = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: stack.outputs.ConsumerFunctionName }));
    assert.equal(esm.EventSourceMappings?.[0]?.EventSourceArn, stack.outputs.IngestQueueArn);
  });

  test('inbox subscription with raw delivery, Glue table, workgroup and alarms (moto only records these types: created by the shim from the template)', async () => {
    const sns = new SNSClient(moto.clientConfig());
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: stack.outputs.AlertTopicArn }));
    const inbox = subs.Subscriptions?.find((s) => s.Protocol === 'sqs');
    assert.ok(inbox?.SubscriptionArn);
    const attrs = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: inbox.SubscriptionArn }));
    assert.equal(attrs.Attributes?.RawMessageDelivery, 'true');
    assert.ok(!subs.Subscriptions?.some((s) => s.Protocol === 'email'), 'no e-mail subscription without AlertEmail');

    const glue = new GlueClient(moto.clientConfig());
    assert.equal((await glue.send(new GetDatabaseCommand({ Name: stack.outputs.GlueDatabaseName }))).Database?.Name, 'cloud_monitor_it_pipeline');
    const table = (await glue.send(new GetTableCommand({ DatabaseName: stack.outputs.GlueDatabaseName, Name: stack.outputs.GlueTableName }))).Table;
    assert.equal(table?.Parameters?.['storage.location.template'], `s3://${stack.outputs.DataBucketName}/events/year=\${year}/month=\${month}/day=\${day}/appid=\${appid}/`);
    const wg = await new AthenaClient(moto.clientConfig()).send(new GetWorkGroupCommand({ WorkGroup: stack.outputs.WorkGroupName }));
    assert.equal(wg.WorkGroup?.Configuration?.ResultConfiguration?.OutputLocation, `s3://${stack.outputs.ResultsBucketName}/results/`);
    const alarms = await new CloudWatchClient(moto.clientConfig()).send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'it-pipeline-' }));
    assert.equal(alarms.MetricAlarms?.length, 3);
    for (const a of alarms.MetricAlarms ?? []) assert.deepEqual(a.AlarmActions, [stack.outputs.AlertTopicArn]);
  });
});
