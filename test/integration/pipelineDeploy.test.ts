// templates/pipeline.yaml deployed into moto_server through a change set; every output resolves to a
// real resource. moto gaps (outputs after a change set, resource types it only records) are filled by
// test/helpers/motoCfnGaps.ts and named in the tests that depend on them.
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketPolicyCommand, GetPublicAccessBlockCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetDatabaseCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { AthenaClient, GetWorkGroupCommand } from '@aws-sdk/client-athena';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { startMoto, type Moto } from '../helpers/moto';
import { consumerClients, deployPipelineStack, type DeployedPipeline } from '../helpers/pipelineStack';
import { applyBucketPolicies } from '../helpers/motoCfnGaps';
import { drainQueue } from '../helpers/pipelineData';
import { hasPipelineTag, OUTPUT_KEYS } from '../../src/pipeline/stack';
import { parseTemplate } from '../../src/pipeline/template';
import { buildNotification, type AlertEvaluation } from '../../pipeline/consumer/alerts';
import { publish } from '../../pipeline/consumer/aws';

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

  // ---------- Issue 12.8: the alert topic and the tables, as deployed ----------

  test('alert topic: encrypted with the stack\'s rotating KMS key whose policy moto keeps (KMS read through raw JSON requests: @aws-sdk/client-kms is not a dependency); topic policy allows only the consumer role and CloudWatch (moto only records AWS::SNS::TopicPolicy: applied by the shim)', async () => {
    const sns = new SNSClient(moto.clientConfig());
    const topic = (await sns.send(new GetTopicAttributesCommand({ TopicArn: stack.outputs.AlertTopicArn }))).Attributes!;
    assert.ok(topic.KmsMasterKeyId, 'the topic is encrypted');
    // The stack's own key (a customer-managed key): moto 5.2.1 answers DescribeKey on a key made by CloudFormation with HTTP 500.
    const resources = (await new CloudFormationClient(moto.clientConfig()).send(new ListStackResourcesCommand({ StackName: 'it-pipeline' }))).StackResourceSummaries ?? [];
    const keyId = resources.find((r) => r.LogicalResourceId === 'AlertTopicKey')?.PhysicalResourceId;
    assert.ok(keyId);
    assert.equal(topic.KmsMasterKeyId, keyId);
    assert.equal((await kms('GetKeyRotationStatus', { KeyId: keyId })).KeyRotationEnabled, true);
    // moto returns the policy of a key made by CloudFormation as an object where KMS returns JSON text.
    const rawPolicy = (await kms('GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' })).Policy;
    const keyPolicy = typeof rawPolicy === 'string' ? JSON.parse(rawPolicy) : rawPolicy;
    const roleArn = (await new LambdaClient(moto.clientConfig()).send(new GetFunctionConfigurationCommand({ FunctionName: stack.outputs.ConsumerFunctionName }))).Role!;
    const keyUsers = keyPolicy.Statement.filter((st: { Action: unknown }) => JSON.stringify(st.Action) !== '"kms:*"');
    assert.deepEqual(keyUsers.map((st: { Principal: unknown }) => st.Principal).sort((a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ AWS: roleArn }, { Service: 'cloudwatch.amazonaws.com' }]);

    const policy = JSON.parse(topic.Policy!);
    const allowed = policy.Statement.filter((st: { Effect: string }) => st.Effect === 'Allow');
    assert.deepEqual(allowed.map((st: { Principal: unknown }) => st.Principal).sort((a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ AWS: roleArn }, { Service: 'cloudwatch.amazonaws.com' }]);
    const cw = allowed.find((st: { Principal: { Service?: string } }) => st.Principal.Service);
    assert.deepEqual(cw.Condition.StringEquals, { 'aws:SourceAccount': '123456789012' });
    const deny = policy.Statement.find((st: { Effect: string }) => st.Effect === 'Deny');
    assert.deepEqual(deny.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
    for (const st of policy.Statement) assert.equal(st.Resource, stack.outputs.AlertTopicArn);
  });

  test('subscriptions redrive to the delivery DLQ (created by the shim from the template); tables keep point-in-time recovery (moto ignores it: applied by the shim) and deletion protection; the event source caps concurrency', async () => {
    const sns = new SNSClient(moto.clientConfig());
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: stack.outputs.AlertTopicArn }))).Subscriptions ?? [];
    const inbox = subs.find((x) => x.Protocol === 'sqs')!;
    const redrive = JSON.parse((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: inbox.SubscriptionArn }))).Attributes!.RedrivePolicy!);
    assert.match(redrive.deadLetterTargetArn, /^arn:aws:sqs:us-east-1:123456789012:it-pipeline-AlertDeliveryDlq-/);
    assert.notEqual(redrive.deadLetterTargetArn, stack.outputs.DeadLetterQueueArn, 'not the ingest DLQ');

    const ddb = new DynamoDBClient(moto.clientConfig());
    for (const t of [stack.outputs.StatusTableName, stack.outputs.AlertStateTableName]) {
      const backups = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: t }));
      assert.equal(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED', t);
      assert.equal((await ddb.send(new DescribeTableCommand({ TableName: t }))).Table?.DeletionProtectionEnabled, true, t);
    }
    const esm = await new LambdaClient(moto.clientConfig()).send(new ListEventSourceMappingsCommand({ FunctionName: stack.outputs.ConsumerFunctionName }));
    assert.equal(Number(esm.EventSourceMappings?.[0]?.ScalingConfig?.MaximumConcurrency), 10);
  });

  test('e-mail filter policy as deployed, applied by moto\'s SNS to a probe queue (moto cannot observe e-mail): the consumer\'s ERROR/FATAL alarms and attribute-less CloudWatch alarms pass, recoveries do not', async () => {
    const secure = await secureStack();
    const sns = new SNSClient(moto.clientConfig());
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: secure.outputs.AlertTopicArn }))).Subscriptions ?? [];
    const email = subs.find((x) => x.Protocol === 'email');
    assert.ok(email?.SubscriptionArn, 'the e-mail subscription exists with AlertEmail set');
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: email.SubscriptionArn }))).Attributes!;
    assert.ok(attrs.FilterPolicy, 'the e-mail subscription has a filter policy');
    assert.ok(JSON.parse(attrs.RedrivePolicy!).deadLetterTargetArn);

    const sqs = new SQSClient(moto.clientConfig());
    const probeUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'email-filter-probe' }))).QueueUrl!;
    const probeArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: probeUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    await sns.send(new SubscribeCommand({ TopicArn: secure.outputs.AlertTopicArn, Protocol: 'sqs', Endpoint: probeArn, Attributes: { RawMessageDelivery: 'true', FilterPolicy: attrs.FilterPolicy } }));

    const clients = consumerClients(moto.clientConfig());
    const send = (ev: AlertEvaluation) => publish(clients, secure.outputs.AlertTopicArn, buildNotification(ev, undefined, Date.UTC(2026, 10, 21), 900_000).request);
    await send({ appId: 'shop', alertType: 'error', kind: 'raise', severity: 'ERROR', summary: 'error alarm' });
    await send({ appId: 'shop', alertType: 'error', kind: 'raise', severity: 'FATAL', summary: 'fatal alarm' });
    await send({ appId: 'shop', alertType: 'errorRate', kind: 'raise', severity: 'ERROR', summary: 'rate alarm' });
    await send({ appId: 'shop', alertType: 'error', kind: 'clear', severity: 'INFO', summary: 'error recovery' });
    await send({ appId: 'shop', alertType: 'errorRate', kind: 'clear', severity: 'INFO', summary: 'rate recovery' });
    // What a CloudWatch alarm action publishes: JSON text, no message attributes.
    await clients.sns.send(new PublishCommand({ TopicArn: secure.outputs.AlertTopicArn, Message: JSON.stringify({ AlarmName: 'dlq', NewStateValue: 'ALARM' }) }));

    const got = (await drainQueue(sqs, probeUrl)).map((m) => m.Body!);
    const summaries = got.filter((b) => b.startsWith('{"source"')).map((b) => JSON.parse(b).summary).sort();
    assert.deepEqual(summaries, ['error alarm', 'fatal alarm', 'rate alarm']);
    assert.equal(got.filter((b) => b.includes('"AlarmName"')).length, 1, 'the CloudWatch alarm passes');
    assert.equal(got.length, 4);
  });

  // ---------- Issue 19.9: the TLS-only bucket policies, really deployed ----------

  test('TLS-only bucket policies deployed (the shim skips them elsewhere: moto enforces them over plain HTTP): GetBucketPolicy holds the deny, a plain-HTTP PutObject is refused', async () => {
    const secure = await secureStack();
    const template = parseTemplate(readFileSync('templates/pipeline.yaml', 'utf8'));
    const applied = await applyBucketPolicies(moto.clientConfig(), secure.stackName, template, secure.parameters, '123456789012');
    const buckets = [secure.outputs.DataBucketName, secure.outputs.ResultsBucketName];
    assert.deepEqual([...applied.keys()].sort(), [...buckets].sort(), 'each bucket of the template has its policy');

    const s3 = new S3Client(moto.clientConfig());
    for (const bucket of buckets) {
      const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
      const deny = policy.Statement.find((st: { Effect: string; Condition?: { Bool?: Record<string, string> } }) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false');
      assert.ok(deny, `${bucket}: no TLS-only statement in ${JSON.stringify(policy)}`);
      assert.equal(deny.Principal, '*');
      assert.equal(deny.Action, 's3:*');
      assert.deepEqual([deny.Resource].flat().sort(), [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]);
      assert.ok(moto.endpoint.startsWith('http://'), 'moto is reached over plain HTTP');
      await assert.rejects(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'events/x.json.gz', Body: 'x' })),
        (err: Error & { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 403,
        `${bucket}: a plain-HTTP write is denied`,
      );
    }
  });
});

let secure: Promise<DeployedPipeline> | undefined;
/** A second stack, with AlertEmail set, for the tests that change or add to what the first one has. */
function secureStack(): Promise<DeployedPipeline> {
  secure ??= deployPipelineStack(moto.clientConfig(), { stackName: 'it-secure', parameters: { AlertEmail: 'ops@example.com' } });
  return secure;
}

/** One KMS API call to moto (JSON 1.1 protocol; moto does not check the signature). */
async function kms(action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `TrentService.${action}`,
      Authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261121/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`KMS ${action}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
