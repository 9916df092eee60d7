// Stack drift of a deployed pipeline (src/pipeline/drift.ts). moto_server 5.2.1 does not serve drift
// detection at all, so every test here runs against the drift stand-in (test/helpers/cfnDriftStandIn.ts)
// in front of moto: it compares the stack's resources in moto with the template and answers the three
// drift actions as the botocore model shapes them (checked per answer; and by the contract check).
// The drift itself is made through moto's own APIs (a queue attribute changed, a queue deleted).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeleteQueueCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { detectStackDrift, differenceLines, DriftTimeout, formatResourceDrift, resourceDrifts } from '../../src/pipeline/drift';
import { listPipelineStacks } from '../../src/pipeline/inspect';
import { startMoto, type Moto } from '../helpers/moto';
import { deployPipelineStack, type DeployedPipeline } from '../helpers/pipelineStack';
import { startCfnDriftStandIn, type CfnDriftStandInOptions } from '../helpers/cfnDriftStandIn';
import { startSandboxGaps } from '../sandbox/gaps';

const STACK = 'drift-pipe';
let moto: Moto;
let stack: DeployedPipeline;
let standIn: Awaited<ReturnType<typeof startCfnDriftStandIn>>;
let opts: CfnDriftStandInOptions;
let cf: CloudFormationClient;

before(async () => {
  moto = await startMoto();
  stack = await deployPipelineStack(moto.clientConfig(), { stackName: STACK });
  opts = { moto: moto.clientConfig() };
  standIn = await startCfnDriftStandIn(moto.endpoint, opts);
  cf = new CloudFormationClient({ ...moto.clientConfig(), endpoint: standIn.endpoint });
});
after(async () => {
  cf?.destroy();
  await standIn?.stop();
  await moto?.stop();
});

describe('Stack drift (drift stand-in in front of moto_server: moto lacks DetectStackDrift and friends)', () => {
  test('right after the deploy the stack is IN_SYNC; the detection is polled until it completes', async () => {
    const before = standIn.requests.length;
    const r = await detectStackDrift(cf, STACK, { pollMs: 20 });
    assert.equal(r.kind, 'complete');
    assert.equal(r.drift?.status, 'IN_SYNC');
    assert.equal(r.drift?.driftedCount, 0);
    assert.ok(r.drift?.checkedAt instanceof Date);
    assert.deepEqual(r.drifts, []);
    const actions = standIn.requests.slice(before).map((x) => x.action);
    assert.deepEqual(actions, ['DetectStackDrift', 'DescribeStackDriftDetectionStatus', 'DescribeStackDriftDetectionStatus', 'DescribeStackResourceDrifts'], 'in progress once, then complete, then the drifted resources');
    assert.deepEqual(standIn.requests.at(-1)?.input, { StackName: STACK, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], MaxResults: 100 });
  });

  test('a queue attribute changed and a queue deleted outside CloudFormation: DRIFTED, with each resource, its status and expected vs actual', async () => {
    const sqs = new SQSClient(moto.clientConfig());
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: stack.outputs.IngestQueueUrl, Attributes: { VisibilityTimeout: '30' } }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: stack.outputs.DeadLetterQueueUrl, Attributes: { MessageRetentionPeriod: '345600' } }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: stack.outputs.InboxQueueUrl }));
    sqs.destroy();

    const r = await detectStackDrift(cf, STACK, { pollMs: 20 });
    assert.equal(r.kind, 'complete');
    assert.equal(r.drift?.status, 'DRIFTED');
    assert.equal(r.drift?.driftedCount, 3);
    assert.deepEqual(r.drifts.map((d) => [d.LogicalResourceId, d.ResourceType, d.StackResourceDriftStatus]), [
      ['DeadLetterQueue', 'AWS::SQS::Queue', 'MODIFIED'],
      ['InboxQueue', 'AWS::SQS::Queue', 'DELETED'],
      ['IngestQueue', 'AWS::SQS::Queue', 'MODIFIED'],
    ]);
    const [dlq, inbox, ingest] = r.drifts;
    assert.deepEqual(differenceLines(ingest), ['VisibilityTimeout: expected 360, actual 30']);
    assert.deepEqual(differenceLines(dlq), ['MessageRetentionPeriod: expected 1209600, actual 345600']);
    assert.deepEqual(differenceLines(inbox), ['The resource no longer exists.']);
    const doc = formatResourceDrift(STACK, ingest);
    assert.match(doc, /^# IngestQueue \(AWS::SQS::Queue\) of drift-pipe: MODIFIED/);
    assert.match(doc, /Expected properties:\n\{\n[^}]*"VisibilityTimeout": 360/);
    assert.match(doc, /Actual properties:\n\{\n[^}]*"VisibilityTimeout": 30\b/);
    // The view reads them again on expand: the same list.
    assert.deepEqual((await resourceDrifts(cf, STACK)).map((d) => d.LogicalResourceId), ['DeadLetterQueue', 'InboxQueue', 'IngestQueue']);
    // The stack is still listed (DescribeStacks goes to moto, which reports no DriftInformation).
    assert.ok((await listPipelineStacks(cf)).some((s) => s.name === STACK));
  });

  test('bounded and cancellable: a detection that never finishes times out with DriftTimeout; a cancel stops waiting', async () => {
    opts.pollsInProgress = 1_000_000;
    try {
      const started = Date.now();
      await assert.rejects(detectStackDrift(cf, STACK, { pollMs: 20, timeoutMs: 300 }), (err: Error) => err instanceof DriftTimeout && /did not finish within/.test(err.message));
      assert.ok(Date.now() - started < 5000, 'gave up near the bound');
      let polls = 0;
      const r = await detectStackDrift(cf, STACK, { pollMs: 20, timeoutMs: 60_000, isCancelled: () => polls > 0, onStatus: () => polls++ });
      assert.equal(r.kind, 'cancelled');
      assert.ok(r.detectionId);
    } finally {
      opts.pollsInProgress = undefined;
    }
  });

  test('DETECTION_FAILED: the result still counts, with the reason', async () => {
    opts.failDetection = 'Failed to detect drift on resource [ConsumerRole]: access denied';
    try {
      const r = await detectStackDrift(cf, STACK, { pollMs: 20 });
      assert.equal(r.kind, 'failed');
      assert.match(r.reason ?? '', /ConsumerRole/);
      assert.equal(r.drift?.status, 'DRIFTED');
    } finally {
      opts.failDetection = undefined;
    }
  });

  test('the sandbox (npm run demo) answers drift through its stand-in endpoint (test/sandbox/gaps.ts): the same drifted resources', async () => {
    const gaps = await startSandboxGaps(moto);
    const viaSandbox = new CloudFormationClient({ ...moto.clientConfig(), endpoint: gaps.endpoint });
    try {
      const r = await detectStackDrift(viaSandbox, STACK, { pollMs: 20 });
      assert.equal(r.drift?.status, 'DRIFTED');
      assert.deepEqual(r.drifts.map((d) => `${d.LogicalResourceId} ${d.StackResourceDriftStatus}`), ['DeadLetterQueue MODIFIED', 'InboxQueue DELETED', 'IngestQueue MODIFIED']);
    } finally {
      viaSandbox.destroy();
      await gaps.close();
    }
  });

  test('the stand-in refused nothing and every answer fit the model', () => {
    assert.deepEqual(standIn.rejected, []);
    assert.deepEqual(standIn.answerProblems, []);
  });
});
