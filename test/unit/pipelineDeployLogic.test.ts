// The deploy/inspect command's pure parts: stack names, parameters, change set previews, stack phases,
// failure extraction, metric queries, endpoint fallback, the Athena query.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { artifactBucketPrefix, artifactKey, isArtifactBucketName, newArtifactBucketName, stackNameProblem } from '../../src/pipeline/names';
import { crossParamProblems, paramProblem, paramSpecs, PROMPTED, resolveParams } from '../../src/pipeline/params';
import { changeRows, isNoChangeFailure, previewLines, previewSummary } from '../../src/pipeline/changes';
import { firstFailure, stackPhase } from '../../src/pipeline/deploy';
import { describeConsumer, describeQueue, metricQueries, readMetricResults, resolveEndpoints, type PipelineStack } from '../../src/pipeline/inspect';
import { athenaQuery } from '../../src/pipeline/actions';
import { parseTemplate } from '../../src/pipeline/template';

const specs = paramSpecs(parseTemplate(readFileSync('templates/pipeline.yaml', 'utf8')));
const spec = (k: string) => specs.find((s) => s.key === k)!;

describe('stack names', () => {
  test('refused with the rule each name breaks', () => {
    assert.equal(stackNameProblem('cloud-monitor-pipeline'), undefined);
    assert.match(stackNameProblem('')!, /Enter a stack name/);
    assert.match(stackNameProblem('1pipeline')!, /must start with a letter/);
    assert.match(stackNameProblem('my_pipeline')!, /only letters, digits and hyphens: "_"/);
    assert.match(stackNameProblem('pipe line')!, /" " is not allowed/);
    assert.match(stackNameProblem(`p${'x'.repeat(64)}`)!, /at most 64 characters.*has 65/);
  });
  test('artifacts: the bucket name ends in a random tail nobody can guess, within S3\'s 63 characters; keys carry the content hash', () => {
    const a = newArtifactBucketName('123456789012', 'eu-west-1');
    const b = newArtifactBucketName('123456789012', 'eu-west-1');
    assert.match(a, /^cloud-monitor-artifacts-123456789012-eu-west-1-[a-z0-9]{10}$/);
    assert.notEqual(a, b, 'two new names differ');
    assert.ok(a.startsWith(artifactBucketPrefix('123456789012', 'eu-west-1')));
    assert.equal(newArtifactBucketName('1', 'r', Uint8Array.from([0, 1, 25, 26, 35, 36, 255, 2, 3, 4])), 'cloud-monitor-artifacts-1-r-abz09adcde');
    // The longest region names (ISO partitions) still fit.
    assert.ok(newArtifactBucketName('123456789012', 'us-isof-south-1').length <= 63);
    assert.ok(isArtifactBucketName(a, '123456789012', 'eu-west-1'));
    assert.ok(!isArtifactBucketName('cloud-monitor-artifacts-123456789012-eu-west-1', '123456789012', 'eu-west-1'), 'the old predictable name is not one of ours');
    assert.ok(!isArtifactBucketName(a, '123456789012', 'eu-west-2'));
    assert.ok(!isArtifactBucketName(`${a}x`, '123456789012', 'eu-west-1'));
    assert.equal(artifactKey('ab'.repeat(32)), `consumer/${'ab'.repeat(8)}.zip`);
  });
});

describe('template parameters', () => {
  test('every prompted parameter exists in the template; the code location is never asked', () => {
    for (const k of PROMPTED) assert.ok(spec(k), k);
    assert.ok(!specs.some((s) => ['ConsumerCodeBucket', 'ConsumerCodeKey', 'ConsumerCodeVersion'].includes(s.key)));
    assert.equal(spec('AlertEmail').optional, true);
    assert.ok(spec('LogRetentionDays').allowed?.includes('30'));
  });
  test('the function\'s code is pinned to the S3 version the deploy verified', () => {
    const code = (parseTemplate(readFileSync('templates/pipeline.yaml', 'utf8')).Resources.ConsumerFunction.Properties as { Code: Record<string, unknown> }).Code;
    assert.deepEqual(code, { S3Bucket: { Ref: 'ConsumerCodeBucket' }, S3Key: { Ref: 'ConsumerCodeKey' }, S3ObjectVersion: { Ref: 'ConsumerCodeVersion' } });
  });
  test('values are checked against the template\'s own constraints', () => {
    assert.equal(paramProblem(spec('AlertEmail'), ''), undefined);
    assert.equal(paramProblem(spec('AlertEmail'), 'ops@example.com'), undefined);
    assert.match(paramProblem(spec('AlertEmail'), 'not-an-address')!, /e-mail/);
    assert.match(paramProblem(spec('DebounceMinutes'), 'soon')!, /number/);
    assert.match(paramProblem(spec('DebounceMinutes'), '0')!, /At least 1/);
    assert.match(paramProblem(spec('TransitionToInfrequentAccessDays'), '7')!, /At least 30/);
    assert.match(paramProblem(spec('LogRetentionDays'), '31')!, /Choose one of/);
    assert.match(paramProblem(spec('BytesScannedCutoffPerQuery'), '1000')!, /At least 10485760/);
  });
  test('lifecycle rules across parameters', () => {
    assert.deepEqual(crossParamProblems({ TransitionToInfrequentAccessDays: '30', TransitionToGlacierIrDays: '90', ExpireDataAfterDays: '365' }), []);
    assert.deepEqual(crossParamProblems({ TransitionToInfrequentAccessDays: '60', TransitionToGlacierIrDays: '80', ExpireDataAfterDays: '120' }).map((p) => p.key), ['TransitionToGlacierIrDays', 'ExpireDataAfterDays']);
  });
  test('answers override remembered values, which override defaults; removed parameters are dropped', () => {
    const v = resolveParams(specs, { DebounceMinutes: '30', Gone: 'x' }, { AlertEmail: 'a@b.co' });
    assert.equal(v.DebounceMinutes, '30');
    assert.equal(v.AlertEmail, 'a@b.co');
    assert.equal(v.MaxReceiveCount, '5');
    assert.equal(v.Gone, undefined);
  });
});

describe('change set preview', () => {
  const rows = changeRows([
    { Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: 'InboxQueue', ResourceType: 'AWS::SQS::Queue' } },
    { Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'ConsumerFunction', ResourceType: 'AWS::Lambda::Function', Replacement: 'False', Details: [{ Target: { Attribute: 'Properties', Name: 'Environment' } }] } },
    { Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'IngestQueue', ResourceType: 'AWS::SQS::Queue', Replacement: 'True', Details: [{ Target: { Attribute: 'Properties', Name: 'QueueName' } }] } },
    { Type: 'Resource', ResourceChange: { Action: 'Remove', LogicalResourceId: 'OldAlarm', ResourceType: 'AWS::CloudWatch::Alarm' } },
  ]);
  test('one line per resource, removals and replacements first, replacement flagged', () => {
    assert.deepEqual(previewLines(rows), [
      '- Remove OldAlarm: AWS::CloudWatch::Alarm',
      '~ Modify IngestQueue: AWS::SQS::Queue [REPLACEMENT] (QueueName)',
      '~ Modify ConsumerFunction: AWS::Lambda::Function (Environment)',
      '+ Add InboxQueue: AWS::SQS::Queue',
    ]);
    assert.equal(previewSummary(rows), '1 to add, 2 to modify, 1 to remove, 1 replaced');
  });
  test('"nothing to change" is recognised, other failures are not', () => {
    assert.ok(isNoChangeFailure('FAILED', "The submitted information didn't contain changes. Submit different information to create a change set."));
    assert.ok(isNoChangeFailure('FAILED', 'No updates are to be performed.'));
    assert.ok(!isNoChangeFailure('FAILED', 'Parameters: [ConsumerCodeKey] must have values'));
    assert.ok(!isNoChangeFailure('CREATE_COMPLETE', undefined));
  });
});

describe('stack phases and failures', () => {
  test('what a deploy may do in each status', () => {
    assert.equal(stackPhase(undefined), 'absent');
    assert.equal(stackPhase('CREATE_COMPLETE'), 'updatable');
    assert.equal(stackPhase('UPDATE_ROLLBACK_COMPLETE'), 'updatable');
    assert.equal(stackPhase('UPDATE_IN_PROGRESS'), 'busy');
    assert.equal(stackPhase('REVIEW_IN_PROGRESS'), 'review');
    assert.equal(stackPhase('ROLLBACK_COMPLETE'), 'recreate');
    assert.equal(stackPhase('DELETE_FAILED'), 'stuck');
  });
  test('the first failing resource, not the cancellations that follow', () => {
    const ev = (t: number, id: string, status: string, reason?: string, type = 'AWS::SQS::Queue'): StackEvent => ({ Timestamp: new Date(t), LogicalResourceId: id, ResourceStatus: status as StackEvent['ResourceStatus'], ResourceStatusReason: reason, ResourceType: type, StackId: 'arn:stack/s/1', StackName: 's', EventId: `${t}` });
    const events = [
      ev(5, 's', 'ROLLBACK_COMPLETE', undefined, 'AWS::CloudFormation::Stack'),
      ev(4, 's', 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [DataBucket].', 'AWS::CloudFormation::Stack'),
      ev(3, 'IngestQueue', 'CREATE_FAILED', 'Resource creation cancelled'),
      ev(2, 'DataBucket', 'CREATE_FAILED', 'bucket name already exists', 'AWS::S3::Bucket'),
      ev(1, 's', 'CREATE_IN_PROGRESS', 'User Initiated', 'AWS::CloudFormation::Stack'),
    ];
    assert.deepEqual(firstFailure(events, 's'), { logicalId: 'DataBucket', type: 'AWS::S3::Bucket', status: 'CREATE_FAILED', reason: 'bucket name already exists' });
  });
});

describe('inspection', () => {
  test('one GetMetricData per stack: four consumer series and the ingest queue\'s oldest message', () => {
    const q = metricQueries('fn', 'p-ingest.fifo');
    assert.deepEqual(q.map((x) => [x.Id, x.MetricStat?.Metric?.MetricName, x.MetricStat?.Stat]), [
      ['invocations', 'Invocations', 'Sum'], ['errors', 'Errors', 'Sum'], ['throttles', 'Throttles', 'Sum'], ['p95', 'Duration', 'p95'], ['oldest', 'ApproximateAgeOfOldestMessage', 'Maximum'],
    ]);
    const f = readMetricResults([
      { Id: 'invocations', Values: [3, 4], Timestamps: [new Date(1), new Date(2)] },
      { Id: 'errors', Values: [], Timestamps: [] },
      { Id: 'p95', Values: [120, 80], Timestamps: [new Date(2), new Date(1)] },
      { Id: 'oldest', Values: [30, 95], Timestamps: [new Date(1), new Date(2)] },
    ]);
    assert.deepEqual(f, { invocations: 7, errors: 0, throttles: undefined, p95DurationMs: 120, oldestMessageAgeS: 95 });
    assert.equal(describeConsumer(f), '7 invocations · 0 errors · 0 throttles · p95 120 ms (1 h)');
    assert.equal(describeQueue('ingest', { visible: 3, inFlight: 1 }, f), '3 waiting · 1 in flight · oldest 2 min');
    assert.equal(describeQueue('dlq', { visible: 2, inFlight: 0 }), '2 in the DLQ');
  });
  test('endpoints come from outputs, else from the resources\' physical ids', () => {
    const stack: PipelineStack = { name: 'my-pipe', id: 'x', status: 'CREATE_COMPLETE', outputs: {}, parameters: {} };
    const ep = resolveEndpoints(stack, [
      { LogicalResourceId: 'IngestQueue', PhysicalResourceId: 'https://sqs.eu-west-1.amazonaws.com/111122223333/my-pipe-ingest.fifo', ResourceType: 'AWS::SQS::Queue', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
      { LogicalResourceId: 'ConsumerFunction', PhysicalResourceId: 'my-pipe-ConsumerFunction-X', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
    ], 'eu-west-1', '111122223333');
    assert.equal(ep.IngestQueueArn, 'arn:aws:sqs:eu-west-1:111122223333:my-pipe-ingest.fifo');
    assert.equal(ep.ConsumerFunctionName, 'my-pipe-ConsumerFunction-X');
    assert.equal(ep.GlueDatabaseName, 'cloud_monitor_my_pipe');
    assert.equal(ep.WorkGroupName, 'my-pipe');
    const withOutputs = resolveEndpoints({ ...stack, outputs: { IngestQueueUrl: 'https://q/1/from-output.fifo' } }, [], 'eu-west-1', '1');
    assert.equal(withOutputs.IngestQueueUrl, 'https://q/1/from-output.fifo');
  });
  test('the Athena query filters the injected appid and one UTC day, quoting safely', () => {
    const sql = athenaQuery('cloud_monitor_p', 'events', "o'brien", new Date(Date.UTC(2026, 0, 5, 23)));
    assert.match(sql, /FROM "cloud_monitor_p"\."events"/);
    assert.match(sql, /WHERE appid = 'o''brien' AND year = '2026' AND month = '01' AND day = '05'/);
  });
});
