// Deploy, update, inspect, test event, redrive and delete of the pipeline stack against moto_server,
// through the same core the commands use (src/pipeline/deploy.ts, inspect.ts, actions.ts). Where moto
// lacks a behaviour (UPDATE change set diffs, message move tasks, IAM, failed stacks, expiring
// credentials), the test says so in its name and uses aws-sdk-client-mock on that one client.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListStackResourcesCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, GetBucketEncryptionCommand, GetPublicAccessBlockCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListMessageMoveTasksCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { classifyAwsError } from '../../src/aws/errors';
import { deleteStackAndWait, deployPipeline, DeployInterrupted, DeployRefused, type ChangeSetPreview, type DeployClients, type DeployRequest, type DeployUi } from '../../src/pipeline/deploy';
import { consumerFigures, listPipelineStacks, listResources, queueFigures, recentEvents, resolveEndpoints } from '../../src/pipeline/inspect';
import { emptyBuckets, listApps, redriveDlq, sampleEvent, sendTestEvent, stackBuckets } from '../../src/pipeline/actions';
import { transientBucketMemory } from '../../src/pipeline/artifacts';
import { isArtifactBucketName } from '../../src/pipeline/names';
import { paramSpecs, resolveParams } from '../../src/pipeline/params';
import { parseTemplate } from '../../src/pipeline/template';
import { startMoto, type Moto } from '../helpers/moto';
import { liftTlsOnlyPolicyForMoto } from '../helpers/motoAccounts';
import { SQL_INJECTION_APP_IDS } from '../fixtures/hostile';

const templateBody = readFileSync('templates/pipeline.yaml', 'utf8');
const zip = readFileSync('dist/pipeline/consumer.zip');
const defaults = resolveParams(paramSpecs(parseTemplate(templateBody)));
const ACCOUNT = '123456789012';
const STACK = 'cmd-pipe';

let moto: Moto;
let clients: DeployClients;
let sqs: SQSClient;

before(async () => {
  moto = await startMoto();
  clients = { cf: new CloudFormationClient(moto.clientConfig()), s3: new S3Client(moto.clientConfig()), ddb: new DynamoDBClient(moto.clientConfig()) };
  sqs = new SQSClient(moto.clientConfig());
});
after(async () => moto?.stop());

const bucketMemory = transientBucketMemory();
// Each deploy ends by putting the TLS-only policy on the artifact bucket; moto then refuses the next
// deploy's object requests (test/helpers/motoAccounts.ts). pipelineArtifacts.test.ts asserts the policy.
beforeEach(async () => liftTlsOnlyPolicyForMoto(clients.s3, bucketMemory.get(ACCOUNT, 'us-east-1')));

const request = (over: Partial<DeployRequest> = {}): DeployRequest => ({ stackName: STACK, region: 'us-east-1', accountId: ACCOUNT, templateBody, zip, parameters: { ...defaults }, bucketMemory, ...over });
function recordingUi(over: Partial<DeployUi> = {}) {
  const steps: string[] = [];
  const events: StackEvent[] = [];
  const previews: ChangeSetPreview[] = [];
  const ui: DeployUi = {
    step: (m) => steps.push(m),
    isCancelled: () => false,
    confirmRecreate: async () => true,
    confirmChanges: async (p) => (previews.push(p), true),
    onEvent: (e) => events.push(e),
    pollMs: 20,
    ...over,
  };
  return { ui, steps, events, previews };
}
const stackEvent = (id: string, status: string, reason?: string, type = 'AWS::SQS::Queue'): StackEvent => ({
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/x/1', StackName: 'x', EventId: `${id}-${status}-${Math.random()}`, LogicalResourceId: id, ResourceType: type,
  ResourceStatus: status as StackEvent['ResourceStatus'], ResourceStatusReason: reason, Timestamp: new Date(),
});
const notFound = () => Object.assign(new Error(`Stack with id ${STACK} does not exist`), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } });

async function endpoints() {
  const [stack] = (await listPipelineStacks(clients.cf)).filter((s) => s.name === STACK);
  return resolveEndpoints(stack, await listResources(clients.cf, STACK), 'us-east-1', ACCOUNT);
}

describe('pipeline commands against moto_server', () => {
  test('deploy: encrypted private artifact bucket, CREATE change set previewed then executed, stack tagged and listed', async () => {
    const { ui, steps, previews, events } = recordingUi();
    const outcome = await deployPipeline(clients, request(), ui);
    assert.equal(outcome.kind, 'deployed');
    assert.equal(previews.length, 1);
    assert.equal(previews[0].type, 'CREATE');
    const added = previews[0].rows.filter((r) => r.action === 'Add').map((r) => r.logicalId);
    for (const id of ['IngestQueue', 'DeadLetterQueue', 'ConsumerFunction', 'StatusTable', 'AlertStateTable', 'AlertTopic', 'DataBucket']) assert.ok(added.includes(id), `${id} in the preview`);
    assert.ok(steps.includes('Uploading consumer.zip') && steps.includes('Creating the change set'), steps.join(' | '));
    assert.ok(events.some((e) => e.ResourceStatus === 'CREATE_COMPLETE'), 'stack events streamed');

    const bucket = bucketMemory.get(ACCOUNT, 'us-east-1')!;
    assert.ok(isArtifactBucketName(bucket, ACCOUNT, 'us-east-1'), bucket);
    const enc = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    assert.equal(enc.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
    assert.equal((await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration?.BlockPublicPolicy, true);
    const keys = (await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key);
    assert.deepEqual(keys?.length, 1);
    assert.match(keys![0]!, /^consumer\/[0-9a-f]{16}\.zip$/);

    const listed = await listPipelineStacks(clients.cf);
    assert.deepEqual(listed.map((s) => [s.name, s.status]), [[STACK, 'CREATE_COMPLETE']]);
  });

  test('update with one changed parameter runs an UPDATE change set and the stack takes the new value (moto: its UPDATE change sets list no resource changes, see the recorded preview test)', async () => {
    const { ui, previews } = recordingUi();
    const outcome = await deployPipeline(clients, request({ parameters: { ...defaults, DebounceMinutes: '20' } }), ui);
    assert.equal(outcome.kind, 'deployed');
    assert.equal(previews[0].type, 'UPDATE');
    const s = (await clients.cf.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0];
    assert.equal(s.Parameters?.find((p) => p.ParameterKey === 'DebounceMinutes')?.ParameterValue, '20');
  });

  test('update preview lists exactly the changed resources (aws-sdk-client-mock: moto\'s UPDATE change sets list no resource changes)', async () => {
    const cf = new CloudFormationClient(moto.clientConfig());
    const m = mockClient(cf);
    m.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: STACK, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    m.on(CreateChangeSetCommand).resolves({ Id: 'arn:cs/1' });
    // What CloudFormation answers when only DebounceMinutes changes: the function's environment, in place.
    m.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'ConsumerFunction', ResourceType: 'AWS::Lambda::Function', Replacement: 'False', Scope: ['Properties'], Details: [{ Target: { Attribute: 'Properties', Name: 'Environment', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'ParameterReference', CausingEntity: 'DebounceMinutes' }] } }],
    });
    m.on(DeleteChangeSetCommand).resolves({});
    const { ui, previews } = recordingUi({ confirmChanges: async (p) => (previews.push(p), false) });
    const outcome = await deployPipeline({ ...clients, cf }, request({ parameters: { ...defaults, DebounceMinutes: '25' } }), ui);
    assert.deepEqual(outcome, { kind: 'cancelled', stage: 'preview' });
    assert.deepEqual(previews[0].rows, [{ action: 'Modify', logicalId: 'ConsumerFunction', type: 'AWS::Lambda::Function', replacement: 'False', properties: ['Environment'] }]);
    const create = m.commandCalls(CreateChangeSetCommand)[0].args[0].input;
    assert.equal(create.ChangeSetType, 'UPDATE');
    assert.equal(create.Parameters?.find((p) => p.ParameterKey === 'DebounceMinutes')?.ParameterValue, '25');
    assert.equal(m.commandCalls(DeleteChangeSetCommand).length, 1, 'declined change set deleted');
    assert.equal(m.commandCalls(DeleteStackCommand).length, 0, 'an UPDATE never deletes the stack');
  });

  test('a change set with no changes is a normal outcome, reported as such (aws-sdk-client-mock: moto accepts a change set that changes nothing)', async () => {
    const cf = new CloudFormationClient(moto.clientConfig());
    const m = mockClient(cf);
    m.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: STACK, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    m.on(CreateChangeSetCommand).resolves({ Id: 'arn:cs/0' });
    m.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." });
    m.on(DeleteChangeSetCommand).resolves({});
    const { ui, previews } = recordingUi();
    const outcome = await deployPipeline({ ...clients, cf }, request({ parameters: { ...defaults, DebounceMinutes: '20' } }), ui);
    assert.deepEqual(outcome, { kind: 'noChanges' });
    assert.equal(previews.length, 0, 'nothing to confirm');
    assert.equal(m.commandCalls(DeleteChangeSetCommand).length, 1, 'the empty change set is cleaned up');
    assert.equal(m.commandCalls(ExecuteChangeSetCommand).length, 0);
  });

  test('inspect: resources, outputs (or their fallback from resources), queue depths, consumer metrics, last events (moto cannot compute percentiles: the p95 series is dropped and retried without)', async () => {
    const ep = await endpoints();
    for (const k of ['IngestQueueUrl', 'DeadLetterQueueUrl', 'InboxQueueUrl', 'DataBucketName', 'StatusTableName', 'AlertStateTableName', 'ConsumerFunctionName', 'ConsumerLogGroupName'] as const) assert.ok(ep[k], k);
    const resources = await listResources(clients.cf, STACK);
    assert.ok(resources.some((r) => r.LogicalResourceId === 'ConsumerFunction' && r.ResourceType === 'AWS::Lambda::Function'));
    assert.deepEqual(await queueFigures(sqs, ep.DeadLetterQueueUrl!), { visible: 0, inFlight: 0 });

    // moto only serves metrics someone put: the consumer's as Lambda would publish them.
    const cw = new CloudWatchClient({ ...moto.clientConfig(), disableRequestCompression: true });
    const dims = [{ Name: 'FunctionName', Value: ep.ConsumerFunctionName! }];
    const t = new Date(Date.now() - 10 * 60_000);
    await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [
      { MetricName: 'Invocations', Dimensions: dims, Timestamp: t, Value: 12 },
      { MetricName: 'Errors', Dimensions: dims, Timestamp: t, Value: 1 },
      { MetricName: 'Throttles', Dimensions: dims, Timestamp: t, Value: 0 },
      ...[40, 60, 80, 250].map((v) => ({ MetricName: 'Duration', Dimensions: dims, Timestamp: t, Value: v })),
    ] }));
    const figures = await consumerFigures(cw, ep);
    assert.equal(figures.invocations, 12);
    assert.equal(figures.errors, 1);
    assert.equal(figures.throttles, 0);
    assert.equal(figures.p95DurationMs, undefined, 'moto answers HTTP 500 to a p95 query');
    const events = await recentEvents(clients.cf, STACK);
    assert.ok(events.length > 0);
  });

  test('consumer metrics: one GetMetricData call per stack with the p95 duration (aws-sdk-client-mock: moto cannot compute percentiles)', async () => {
    const cw = new CloudWatchClient(moto.clientConfig());
    const m = mockClient(cw);
    const at = (min: number) => new Date(Date.now() - min * 60_000);
    m.on(GetMetricDataCommand).resolves({ MetricDataResults: [
      { Id: 'invocations', Values: [40], Timestamps: [at(30)] }, { Id: 'errors', Values: [2], Timestamps: [at(30)] }, { Id: 'throttles', Values: [0], Timestamps: [at(30)] },
      { Id: 'p95', Values: [812.5], Timestamps: [at(30)] }, { Id: 'oldest', Values: [4, 65], Timestamps: [at(10), at(5)] },
    ] });
    const figures = await consumerFigures(cw, { ConsumerFunctionName: 'fn', IngestQueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/p-ingest.fifo' });
    assert.deepEqual(figures, { invocations: 40, errors: 2, throttles: 0, p95DurationMs: 812.5, oldestMessageAgeS: 65 });
    assert.equal(m.commandCalls(GetMetricDataCommand).length, 1);
    assert.equal(m.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries?.length, 5);
  });

  test('send a test event (validated first) and see it in the ingest queue', async () => {
    const ep = await endpoints();
    await sqs.send(new PurgeQueueCommand({ QueueUrl: ep.IngestQueueUrl! }));
    const body = JSON.stringify(sampleEvent());
    const sent = await sendTestEvent(sqs, ep.IngestQueueUrl!, body);
    assert.equal(sent.appId, 'test-app');
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: ep.IngestQueueUrl!, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }));
    const msg = got.Messages?.find((x) => x.MessageId === sent.messageId);
    assert.equal(msg?.Body, body);
    assert.equal(msg?.Attributes?.MessageGroupId, 'test-app');
    await assert.rejects(sendTestEvent(sqs, ep.IngestQueueUrl!, '{"appId":"x","level":"INFO"}'), /Not a valid pipeline event: event\.timestamp is missing/);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: ep.IngestQueueUrl! }));
  });

  test('redrive (moto lacks StartMessageMoveTask: the receive-and-resend fallback) moves every DLQ message back, keeping its group', async () => {
    const ep = await endpoints();
    const bodies = ['{"appId":"a"', '{"appId":"b"', '{"appId":"c"'];
    for (const [i, b] of bodies.entries()) await sqs.send(new SendMessageCommand({ QueueUrl: ep.DeadLetterQueueUrl!, MessageBody: b, MessageGroupId: `g${i}` }));
    const progress: number[] = [];
    const r = await redriveDlq(sqs, { dlqUrl: ep.DeadLetterQueueUrl!, dlqArn: ep.DeadLetterQueueArn!, targetUrl: ep.IngestQueueUrl!, targetArn: ep.IngestQueueArn! }, { onProgress: (n) => progress.push(n) });
    assert.equal(r.method, 'receive-and-resend');
    assert.equal(r.moved, 3);
    assert.ok(r.fallbackReason);
    assert.deepEqual(await queueFigures(sqs, ep.DeadLetterQueueUrl!), { visible: 0, inFlight: 0 });
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: ep.IngestQueueUrl!, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }));
    assert.deepEqual(got.Messages?.map((m) => [m.Body, m.Attributes?.MessageGroupId]).sort(), bodies.map((b, i) => [b, `g${i}`]));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: ep.IngestQueueUrl! }));
  });

  test('redrive with StartMessageMoveTask waits for the task and reports its count (aws-sdk-client-mock: moto answers HTTP 500)', async () => {
    const client = new SQSClient(moto.clientConfig());
    const m = mockClient(client);
    m.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'h' });
    m.on(ListMessageMoveTasksCommand)
      .resolvesOnce({ Results: [{ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 2 }] })
      .resolves({ Results: [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 5 }] });
    const r = await redriveDlq(client, { dlqUrl: 'u', dlqArn: 'arn:dlq', targetUrl: 'u2', targetArn: 'arn:in' }, { pollMs: 5 });
    assert.deepEqual(r, { moved: 5, method: 'StartMessageMoveTask' });
    assert.deepEqual(m.commandCalls(StartMessageMoveTaskCommand)[0].args[0].input, { SourceArn: 'arn:dlq', DestinationArn: 'arn:in' });
  });

  test('delete: empties the stack\'s own buckets, deletes the stack and waits until it is gone', async () => {
    const ep = await endpoints();
    for (let i = 0; i < 3; i++) await clients.s3.send(new PutObjectCommand({ Bucket: ep.DataBucketName!, Key: `events/year=2026/month=11/day=2${i}/appid=a/x.json.gz`, Body: 'x' }));
    const buckets = await stackBuckets(clients.cf, STACK);
    assert.deepEqual(buckets.sort(), [ep.DataBucketName!, ep.ResultsBucketName!].sort());
    const deleted = await emptyBuckets(clients.s3, buckets);
    assert.equal(deleted, 3);
    const tables = [ep.StatusTableName!, ep.AlertStateTableName!];
    for (const TableName of tables) assert.equal((await clients.ddb.send(new DescribeTableCommand({ TableName }))).Table?.DeletionProtectionEnabled, true, `${TableName} is protected by the template`);
    const steps: string[] = [];
    const status = await deleteStackAndWait(clients, STACK, { step: (s) => steps.push(s), pollMs: 20 });
    assert.equal(status, 'DELETE_COMPLETE');
    assert.deepEqual(await listPipelineStacks(clients.cf), []);
    assert.deepEqual(steps.filter((s) => s.startsWith('Turning off deletion protection')).sort(), tables.map((t) => `Turning off deletion protection on table ${t}`).sort());
  });

  test('delete empties only the stack\'s AWS::S3::Bucket resources: a bucket its Outputs name but it does not own keeps every object', async () => {
    const cf = clients.cf;
    const stackName = 'outputs-lie';
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'someone-elses-data' }));
    await clients.s3.send(new PutObjectCommand({ Bucket: 'someone-elses-data', Key: 'precious.json', Body: '{}' }));
    // A stack whose outputs name another bucket, the way DataBucketName/ResultsBucketName name its own.
    const template = {
      Resources: { DataBucket: { Type: 'AWS::S3::Bucket' }, Topic: { Type: 'AWS::SNS::Topic' } },
      Outputs: { DataBucketName: { Value: 'someone-elses-data' }, ResultsBucketName: { Value: 'someone-elses-data' } },
    };
    await cf.send(new CreateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(template) }));
    const stack = (await cf.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0];
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack.Outputs?.find((o) => o.OutputKey === 'DataBucketName')?.OutputValue, 'someone-elses-data', 'the outputs do name the other bucket');
    const own = (await listResources(cf, stackName)).find((r) => r.LogicalResourceId === 'DataBucket')!.PhysicalResourceId!;
    await clients.s3.send(new PutObjectCommand({ Bucket: own, Key: 'events/a.json', Body: '{}' }));

    const buckets = await stackBuckets(cf, stackName);
    assert.deepEqual(buckets, [own]);
    assert.equal(await emptyBuckets(clients.s3, buckets), 1);
    const left = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: 'someone-elses-data' }));
    assert.deepEqual(left.Versions?.map((v) => v.Key), ['precious.json']);
    assert.equal((await clients.s3.send(new ListObjectVersionsCommand({ Bucket: own }))).Versions, undefined);
    await cf.send(new DeleteStackCommand({ StackName: stackName }));
  });

  describe('bad input and bad states', () => {
    test('an invalid stack name is refused with the rule it breaks, before anything is created', async () => {
      await assert.rejects(deployPipeline(clients, request({ stackName: 'my_pipeline' }), recordingUi().ui), (err: unknown) => err instanceof DeployRefused && err.reason === 'invalidName' && /"_" is not allowed/.test(err.message));
    });

    test('a missing permission names the denied IAM action (aws-sdk-client-mock: moto does not enforce IAM)', async () => {
      const cf = new CloudFormationClient(moto.clientConfig());
      const m = mockClient(cf);
      m.on(DescribeStacksCommand).rejects(notFound());
      m.on(CreateChangeSetCommand).rejects(Object.assign(new Error('User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cloudformation:CreateChangeSet on resource: arn:aws:cloudformation:us-east-1:123456789012:stack/cmd-pipe/*'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
      const err = await deployPipeline({ ...clients, cf }, request(), recordingUi().ui).then(() => undefined, (e: unknown) => e);
      const c = classifyAwsError(err);
      assert.equal(c.kind, 'accessDenied');
      assert.equal(c.deniedAction, 'cloudformation:CreateChangeSet');
      assert.match(c.message, /cloudformation:CreateChangeSet/);
    });

    test('a stack in ROLLBACK_COMPLETE: offers to delete and recreate, and does so when accepted (aws-sdk-client-mock: moto never leaves a stack in ROLLBACK_COMPLETE)', async () => {
      const cf = new CloudFormationClient(moto.clientConfig());
      const m = mockClient(cf);
      const id = 'arn:aws:cloudformation:us-east-1:123456789012:stack/cmd-pipe/old';
      m.on(DescribeStacksCommand, { StackName: STACK }).resolves({ Stacks: [{ StackName: STACK, StackId: id, StackStatus: 'ROLLBACK_COMPLETE', CreationTime: new Date() }] });
      m.on(DescribeStacksCommand, { StackName: id }).resolves({ Stacks: [{ StackName: STACK, StackId: id, StackStatus: 'DELETE_COMPLETE', CreationTime: new Date() }] });
      m.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
      m.on(DeleteStackCommand).resolves({});
      m.on(CreateChangeSetCommand).resolves({ Id: 'arn:cs/2' });
      m.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
      m.on(DeleteChangeSetCommand).resolves({});
      // The failed stack kept a protected table (the template protects both): the recreate lifts it, or
      // CloudFormation could not delete the stack.
      const TableName = 'cmd-pipe-old-status';
      await clients.ddb.send(new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true, AttributeDefinitions: [{ AttributeName: 'appId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'appId', KeyType: 'HASH' }] }));
      m.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: 'StatusTable', PhysicalResourceId: TableName, ResourceType: 'AWS::DynamoDB::Table', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }] });

      const asked: string[] = [];
      const declined = recordingUi({ confirmRecreate: async (s) => (asked.push(s), false) });
      assert.deepEqual(await deployPipeline({ ...clients, cf }, request(), declined.ui), { kind: 'cancelled', stage: 'recreate' });
      assert.equal(m.commandCalls(DeleteStackCommand).length, 0, 'nothing deleted without consent');
      assert.equal((await clients.ddb.send(new DescribeTableCommand({ TableName }))).Table?.DeletionProtectionEnabled, true, 'protection stays without consent');

      const accepted = recordingUi({ confirmRecreate: async (s) => (asked.push(s), true), confirmChanges: async () => false });
      await deployPipeline({ ...clients, cf }, request(), accepted.ui);
      assert.deepEqual(asked, ['ROLLBACK_COMPLETE', 'ROLLBACK_COMPLETE']);
      assert.equal(m.commandCalls(DeleteStackCommand)[0].args[0].input.StackName, STACK);
      assert.equal(m.commandCalls(CreateChangeSetCommand)[0].args[0].input.ChangeSetType, 'CREATE', 'recreated from scratch');
      assert.equal((await clients.ddb.send(new DescribeTableCommand({ TableName }))).Table?.DeletionProtectionEnabled, false, 'the failed stack\'s table lost its protection before the delete');
    });

    test('a second deploy of a stack already being deployed is refused', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let reachedPreview!: () => void;
      const atPreview = new Promise<void>((r) => (reachedPreview = r));
      const first = deployPipeline(clients, request({ stackName: 'busy-pipe' }), recordingUi({ confirmChanges: async () => (reachedPreview(), await gate, false) }).ui);
      await atPreview;
      await assert.rejects(deployPipeline(clients, request({ stackName: 'busy-pipe' }), recordingUi().ui), (err: unknown) => err instanceof DeployRefused && err.reason === 'inProgress' && /already being deployed/.test(err.message));
      release();
      assert.deepEqual(await first, { kind: 'cancelled', stage: 'preview' });
      assert.deepEqual((await listPipelineStacks(clients.cf)).map((s) => s.name), [], 'the declined CREATE left no stack behind');
    });

    test('a stack CloudFormation is already working on is refused (aws-sdk-client-mock: moto completes stack operations at once)', async () => {
      const cf = new CloudFormationClient(moto.clientConfig());
      mockClient(cf).on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: STACK, StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date() }] });
      await assert.rejects(deployPipeline({ ...clients, cf }, request(), recordingUi().ui), (err: unknown) => err instanceof DeployRefused && /UPDATE_IN_PROGRESS/.test(err.message));
    });

    test('expired credentials in the middle of a deploy: a clear message, and the stack left as CloudFormation left it (aws-sdk-client-mock: moto cannot expire credentials)', async () => {
      const cf = new CloudFormationClient(moto.clientConfig());
      const m = mockClient(cf);
      m.on(DescribeStacksCommand).rejects(notFound());
      m.on(CreateChangeSetCommand).resolves({ Id: 'arn:cs/3' });
      m.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
      m.on(ExecuteChangeSetCommand).resolves({});
      m.on(DescribeStackEventsCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken', $metadata: { httpStatusCode: 403 } }));
      const err = await deployPipeline({ ...clients, cf }, request(), recordingUi().ui).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof DeployInterrupted, String(err));
      assert.match(err.message, /credentials have expired/);
      assert.match(err.message, /left as it leaves it/);
      assert.equal(m.commandCalls(DeleteStackCommand).length, 0, 'no DeleteStack');
      assert.equal(m.commandCalls(DeleteChangeSetCommand).length, 0, 'no DeleteChangeSet');
      assert.equal(m.commandCalls(CancelUpdateStackCommand).length, 0, 'no CancelUpdateStack');
    });

    test('a failed deploy names the first failing resource and its reason (aws-sdk-client-mock: moto does not roll back)', async () => {
      const cf = new CloudFormationClient(moto.clientConfig());
      const m = mockClient(cf);
      m.on(DescribeStacksCommand).rejectsOnce(notFound()).resolves({ Stacks: [{ StackName: STACK, StackStatus: 'ROLLBACK_COMPLETE', CreationTime: new Date() }] });
      m.on(CreateChangeSetCommand).resolves({ Id: 'arn:cs/4' });
      m.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', Changes: [] });
      m.on(ExecuteChangeSetCommand).resolves({});
      m.on(DescribeStackEventsCommand).resolves({
        StackEvents: [
          stackEvent(STACK, 'ROLLBACK_COMPLETE', undefined, 'AWS::CloudFormation::Stack'),
          stackEvent('IngestQueue', 'CREATE_FAILED', 'Resource creation cancelled'),
          stackEvent('ConsumerFunction', 'CREATE_FAILED', 'Resource handler returned message: "Error occurred while GetObject. S3 Error Code: NoSuchKey"', 'AWS::Lambda::Function'),
        ],
      });
      const outcome = await deployPipeline({ ...clients, cf }, request(), recordingUi().ui);
      assert.equal(outcome.kind, 'failed');
      assert.ok(outcome.kind === 'failed' && outcome.failure);
      assert.equal(outcome.failure.logicalId, 'ConsumerFunction');
      assert.match(outcome.failure.reason, /NoSuchKey/);
    });
  });
});

test('the app list Scans the status table: app ids sorted, without ids the consumer refuses (moto_server)', async () => {
  const TableName = 'cmd-pipe-status-apps';
  await clients.ddb.send(new CreateTableCommand({ TableName, KeySchema: [{ AttributeName: 'appId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'appId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  const ids = ['zeta', 'alpha', 'mid-app.v2', ...SQL_INJECTION_APP_IDS];
  for (const id of ids) await clients.ddb.send(new PutItemCommand({ TableName, Item: { appId: { S: id }, status: { S: 'ok' } } }));
  assert.deepEqual(await listApps(clients.ddb, TableName), ['alpha', 'mid-app.v2', 'zeta']);
});
