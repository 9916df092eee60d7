// templates/*.yaml: cfn-lint clean, and the security and hygiene rules of the pipeline checked on the
// parsed template (no AWS needed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT_KEYS } from '../../src/pipeline/stack';
import { parseTemplate, type CfnTemplate } from '../../src/pipeline/template';

const templates = readdirSync('templates').filter((f) => f.endsWith('.yaml')).map((f) => join('templates', f));
const text = readFileSync('templates/pipeline.yaml', 'utf8');
const t: CfnTemplate = parseTemplate(text);
const ofType = (type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const props = (id: string) => t.Resources[id].Properties as any;

describe('templates', () => {
  test('cfn-lint reports no errors and no warnings on every template', () => {
    assert.ok(templates.length > 0);
    const r = spawnSync('cfn-lint', ['--format', 'parseable', ...templates], { encoding: 'utf8' });
    assert.equal(r.error, undefined, `cfn-lint could not run: ${r.error?.message}`);
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '', 'cfn-lint findings');
    assert.equal(r.status, 0);
  });

  test('every cfn-lint suppression carries a justifying comment on the line before it', () => {
    for (const file of templates) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/ignore_checks|cfn-lint:\s*disable/.test(line)) assert.match(lines[i - 1] ?? '', /^\s*#\s*\S.{10,}/, `${file}:${i + 1} suppression without a comment`);
      });
    }
  });
});

describe('pipeline template', () => {
  test('every parameter has a default except the code location the extension fills in', () => {
    const noDefault = Object.entries(t.Parameters ?? {}).filter(([, p]) => p.Default === undefined).map(([k]) => k);
    assert.deepEqual(noDefault.sort(), ['ConsumerCodeBucket', 'ConsumerCodeKey', 'ConsumerCodeVersion']);
    for (const [k, p] of Object.entries(t.Parameters ?? {})) assert.ok(p.Description, `${k} has no description`);
  });

  test('outputs are exactly the keys the extension reads', () => {
    assert.deepEqual(Object.keys(t.Outputs ?? {}).sort(), [...OUTPUT_KEYS].sort());
  });

  test('ingest: FIFO with content-based dedup, a DLQ with maxReceiveCount from a parameter, partial batch responses', () => {
    const q = props('IngestQueue');
    assert.equal(q.FifoQueue, true);
    assert.equal(q.ContentBasedDeduplication, true);
    assert.deepEqual(q.RedrivePolicy.maxReceiveCount, { Ref: 'MaxReceiveCount' });
    assert.deepEqual(q.RedrivePolicy.deadLetterTargetArn, { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] });
    const [[, esm]] = ofType('AWS::Lambda::EventSourceMapping');
    assert.deepEqual(esm.Properties?.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.ok(Number(esm.Properties?.BatchSize) <= 10, 'FIFO sources take at most 10 per batch');
  });

  test('the consumer runs on nodejs20.x or newer with the stack\'s names in its environment', () => {
    const f = props('ConsumerFunction');
    assert.match(f.Runtime, /^nodejs(\d+)\.x$/);
    assert.ok(Number(/^nodejs(\d+)/.exec(f.Runtime)![1]) >= 20);
    assert.deepEqual(Object.keys(f.Environment.Variables).sort(), ['ALERT_TABLE', 'DATA_BUCKET', 'DEBOUNCE_MINUTES', 'DLQ_URL', 'ERROR_ALERTS', 'ERROR_RATE_THRESHOLD', 'ERROR_WINDOW_MINUTES', 'STATUS_TABLE', 'STATUS_TTL_DAYS', 'TOPIC_ARN']);
  });

  test('the consumer role is least privilege: no wildcard action, every resource one of the stack\'s own', () => {
    const role = props('ConsumerRole');
    const statements = role.Policies.flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement);
    assert.ok(statements.length > 0);
    for (const s of statements) {
      for (const a of [s.Action].flat()) assert.ok(!a.includes('*'), `wildcard action ${a}`);
      for (const r of [s.Resource].flat()) {
        const refs = JSON.stringify(r).match(/"(?:Ref|Fn::GetAtt)":\s*\[?"(\w+)"|\$\{(\w+)[.}]/g) ?? [];
        assert.ok(refs.length > 0, `resource ${JSON.stringify(r)} is not scoped to a stack resource`);
        assert.ok(!/^"?\*"?$/.test(JSON.stringify(r)));
      }
    }
  });

  test('every bucket: SSE, Block Public Access, TLS-only policy, lifecycle', () => {
    const buckets = ofType('AWS::S3::Bucket');
    assert.equal(buckets.length, 2);
    for (const [id, b] of buckets) {
      const p = b.Properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.ok(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm, `${id} SSE`);
      assert.deepEqual(p.PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      const policy = ofType('AWS::S3::BucketPolicy').find(([, bp]) => JSON.stringify(bp.Properties?.Bucket) === JSON.stringify({ Ref: id }));
      assert.ok(policy, `${id} has no bucket policy`);
      const deny = (policy[1].Properties as any).PolicyDocument.Statement.find((s: any) => s.Effect === 'Deny'); // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(deny.Condition.Bool['aws:SecureTransport'], 'false');
      assert.ok(p.LifecycleConfiguration.Rules.length > 0, `${id} lifecycle`);
    }
    const data = props('DataBucket').LifecycleConfiguration.Rules[0];
    assert.deepEqual(data.Transitions.map((x: { StorageClass: string }) => x.StorageClass), ['STANDARD_IA', 'GLACIER_IR']);
    assert.deepEqual(data.ExpirationInDays, { Ref: 'ExpireDataAfterDays' });
  });

  test('tables have TTL; the alert-state table has a GSI on state', () => {
    for (const id of ['StatusTable', 'AlertStateTable']) assert.equal(props(id).TimeToLiveSpecification.Enabled, true);
    const gsi = props('AlertStateTable').GlobalSecondaryIndexes[0];
    assert.equal(gsi.KeySchema[0].AttributeName, 'state');
    assert.equal(gsi.IndexName, (t.Outputs!.AlertStateIndexName.Value as string));
  });

  test('SNS: optional e-mail subscription, inbox queue with raw delivery; alarms publish to the topic', () => {
    const subs = ofType('AWS::SNS::Subscription');
    const email = subs.find(([, s]) => s.Properties?.Protocol === 'email');
    assert.equal(email?.[1].Condition, 'HasAlertEmail');
    const inbox = subs.find(([, s]) => s.Properties?.Protocol === 'sqs');
    assert.equal(inbox?.[1].Properties?.RawMessageDelivery, true);
    const alarms = ofType('AWS::CloudWatch::Alarm');
    assert.deepEqual(alarms.map(([, a]) => (a.Properties as { MetricName: string }).MetricName).sort(), ['ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible', 'Errors']);
    for (const [, a] of alarms) assert.deepEqual((a.Properties as { AlarmActions: unknown }).AlarmActions, [{ Ref: 'AlertTopic' }]);
  });

  test('Glue table uses partition projection over the Hive layout; workgroup has a cutoff and encrypted results', () => {
    const ti = props('EventsTable').TableInput;
    assert.equal(ti.Parameters['projection.enabled'], 'true');
    assert.equal(ti.Parameters['projection.appid.type'], 'injected');
    assert.deepEqual(ti.PartitionKeys.map((k: { Name: string }) => k.Name), ['year', 'month', 'day', 'appid']);
    assert.match(JSON.stringify(ti.Parameters['storage.location.template']), /events\/year=\$\{!year\}\/month=\$\{!month\}\/day=\$\{!day\}\/appid=\$\{!appid\}\//);
    const wg = props('WorkGroup').WorkGroupConfiguration;
    assert.deepEqual(wg.BytesScannedCutoffPerQuery, { Ref: 'BytesScannedCutoffPerQuery' });
    assert.equal(wg.ResultConfiguration.EncryptionConfiguration.EncryptionOption, 'SSE_S3');
    assert.ok(props('ConsumerLogGroup').RetentionInDays);
  });
});
