// templates/*.yaml: cfn-lint clean, and the security and hygiene rules of the pipeline checked on the
// parsed template (no AWS needed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT_KEYS } from '../../src/pipeline/stack';
import { ALERT_TTL_ATTRIBUTE } from '../../src/alerts/alertState';
import { parseTemplate, type CfnTemplate } from '../../src/pipeline/template';
import { buildNotification, type AlertEvaluation } from '../../pipeline/consumer/alerts';

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
    // Inline policies plus the AWS::IAM::Policy resources attached to the role.
    const attached = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify((p.Properties as { Roles: unknown }).Roles) === JSON.stringify([{ Ref: 'ConsumerRole' }]));
    assert.ok(attached.length > 0, 'the publish policy is attached to the consumer role');
    const statements = [...role.Policies, ...attached.map(([, p]) => p.Properties)].flatMap((p: any) => p.PolicyDocument.Statement); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.ok(statements.length > 0);
    assert.ok(statements.some((st) => st.Action === 'sns:Publish' && JSON.stringify(st.Resource) === JSON.stringify({ Ref: 'AlertTopic' })), 'publishes to its own topic only');
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
    // The Alerts view leaves out items whose TTL passed (DynamoDB deletes them only eventually): same attribute.
    assert.equal(props('AlertStateTable').TimeToLiveSpecification.AttributeName, ALERT_TTL_ATTRIBUTE);
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

  // ---------- The alert topic: who may publish (issue 12.8) ----------
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Statement = { Sid?: string; Effect: string; Principal: any; Action: string | string[]; Resource: unknown; Condition?: any };
  const statementsOf = (doc: { Statement: Statement[] }) => doc.Statement;
  const actions = (st: Statement) => [st.Action].flat().sort();
  const role = { 'Fn::GetAtt': ['ConsumerRole', 'Arn'] };
  const alarmArns = { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*' };

  test('alert topic: encrypted with a customer-managed key that rotates; key policy = account admin (AWS default), CloudWatch alarms of this account and the consumer role through SNS, kms:GenerateDataKey*/kms:Decrypt only', () => {
    assert.deepEqual(props('AlertTopic').KmsMasterKeyId, { Ref: 'AlertTopicKey' });
    const key = props('AlertTopicKey');
    assert.equal(t.Resources.AlertTopicKey.Type, 'AWS::KMS::Key');
    assert.equal(key.EnableKeyRotation, true);
    const sts = statementsOf(key.KeyPolicy);
    assert.deepEqual(sts.map((st) => st.Effect), ['Allow', 'Allow', 'Allow'], 'three grants, nothing else');

    const admin = sts.filter((st) => actions(st).includes('kms:*'));
    assert.equal(admin.length, 1, 'only the account statement administers the key');
    assert.deepEqual(admin[0].Principal, { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } });

    const users = sts.filter((st) => st !== admin[0]);
    for (const st of users) {
      assert.deepEqual(actions(st), ['kms:Decrypt', 'kms:GenerateDataKey*'], `${st.Sid}: least privilege`);
      assert.ok(st.Condition && Object.keys(st.Condition).length > 0, `${st.Sid} has conditions`);
      assert.notEqual(JSON.stringify(st.Principal), '"*"');
    }
    const cw = users.find((st) => st.Principal.Service === 'cloudwatch.amazonaws.com');
    assert.deepEqual(cw?.Condition, { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': alarmArns } });
    const consumer = users.find((st) => JSON.stringify(st.Principal) === JSON.stringify({ AWS: role }));
    assert.deepEqual(consumer?.Condition, { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'sns.${AWS::Region}.amazonaws.com' } } });
  });

  test('alert topic policy: sns:Publish only from the consumer role and CloudWatch alarms (aws:SourceAccount); TLS-only deny', () => {
    const policies = ofType('AWS::SNS::TopicPolicy');
    assert.equal(policies.length, 1);
    const p = policies[0][1].Properties as { Topics: unknown; PolicyDocument: { Statement: Statement[] } };
    assert.deepEqual(p.Topics, [{ Ref: 'AlertTopic' }]);
    const sts = statementsOf(p.PolicyDocument);
    const allows = sts.filter((st) => st.Effect === 'Allow');
    assert.equal(allows.length, 2);
    for (const st of allows) {
      assert.deepEqual(actions(st), ['sns:Publish']);
      assert.deepEqual(st.Resource, { Ref: 'AlertTopic' });
    }
    assert.deepEqual(allows.map((st) => st.Principal).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ AWS: role }, { Service: 'cloudwatch.amazonaws.com' }]);
    const cw = allows.find((st) => st.Principal.Service)!;
    assert.deepEqual(cw.Condition.StringEquals, { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    assert.deepEqual(cw.Condition.ArnLike, { 'aws:SourceArn': alarmArns });
    const deny = sts.filter((st) => st.Effect === 'Deny');
    assert.equal(deny.length, 1);
    assert.equal(deny[0].Principal, '*');
    assert.deepEqual(actions(deny[0]), ['sns:Publish']);
    assert.deepEqual(deny[0].Condition, { Bool: { 'aws:SecureTransport': 'false' } });
  });

  test('subscriptions: both redrive to a standard queue SNS may write to; the inbox stays on SSE-SQS so the editor reads it with no KMS permission', () => {
    const subs = ofType('AWS::SNS::Subscription');
    assert.equal(subs.length, 2);
    for (const [id, sub] of subs) assert.deepEqual((sub.Properties as { RedrivePolicy: unknown }).RedrivePolicy, { deadLetterTargetArn: { 'Fn::GetAtt': ['AlertDeliveryDlq', 'Arn'] } }, id);
    const dlq = props('AlertDeliveryDlq');
    assert.equal(dlq.FifoQueue, undefined, 'a standard topic redrives to a standard queue');
    for (const q of [dlq, props('InboxQueue')]) {
      assert.equal(q.SqsManagedSseEnabled, true);
      assert.equal(q.KmsMasterKeyId, undefined);
    }
    const qp = props('InboxQueuePolicy');
    assert.deepEqual(qp.Queues, [{ Ref: 'InboxQueue' }, { Ref: 'AlertDeliveryDlq' }]);
    const allow = statementsOf(qp.PolicyDocument).find((st) => st.Effect === 'Allow')!;
    assert.deepEqual(allow.Principal, { Service: 'sns.amazonaws.com' });
    assert.deepEqual(actions(allow), ['sqs:SendMessage']);
    assert.deepEqual(allow.Resource, [{ 'Fn::GetAtt': ['InboxQueue', 'Arn'] }, { 'Fn::GetAtt': ['AlertDeliveryDlq', 'Arn'] }]);
    assert.deepEqual(allow.Condition, { ArnEquals: { 'aws:SourceArn': { Ref: 'AlertTopic' } } });
  });

  test('e-mail filter policy: passes the consumer\'s ERROR and FATAL alarms and CloudWatch alarms, not recoveries (attributes from the consumer\'s own buildNotification)', () => {
    const policy = props('AlertEmailSubscription').FilterPolicy as Record<string, unknown>;
    assert.ok(policy && Object.keys(policy).length > 0);
    const attrsOf = (ev: AlertEvaluation) => Object.fromEntries(Object.entries(buildNotification(ev, undefined, 0, 900_000).request.MessageAttributes).map(([k, v]) => [k, v.StringValue]));
    const raise = (alertType: AlertEvaluation['alertType'], severity: AlertEvaluation['severity']): AlertEvaluation => ({ appId: 'shop', alertType, kind: 'raise', severity, summary: 's' });
    const clear = (alertType: AlertEvaluation['alertType']): AlertEvaluation => ({ appId: 'shop', alertType, kind: 'clear', severity: 'INFO', summary: 's' });
    const cases: [string, Record<string, string>, boolean][] = [
      ['error alarm, ERROR', attrsOf(raise('error', 'ERROR')), true],
      ['error alarm, FATAL', attrsOf(raise('error', 'FATAL')), true],
      ['error-rate alarm', attrsOf(raise('errorRate', 'ERROR')), true],
      ['error recovery', attrsOf(clear('error')), false],
      ['error-rate recovery', attrsOf(clear('errorRate')), false],
      // A CloudWatch alarm notification carries no message attributes.
      ['CloudWatch alarm', {}, true],
    ];
    for (const [name, attrs, expected] of cases) assert.equal(snsFilterMatches(policy, attrs), expected, name);
  });

  test('tables: point-in-time recovery and deletion protection on both', () => {
    for (const id of ['StatusTable', 'AlertStateTable']) {
      assert.deepEqual(props(id).PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true }, id);
      assert.equal(props(id).DeletionProtectionEnabled, true, id);
    }
  });

  test('event source mapping: MaximumConcurrency caps the consumer (2-1000), and it starts only once the consumer may publish', () => {
    const esm = props('ConsumerEventSource');
    const max = Number(esm.ScalingConfig?.MaximumConcurrency);
    assert.ok(max >= 2 && max <= 1000, `MaximumConcurrency ${esm.ScalingConfig?.MaximumConcurrency}`);
    assert.deepEqual([t.Resources.ConsumerEventSource.DependsOn].flat(), ['ConsumerPublishPolicy']);
  });
});

/**
 * SNS filter-policy matching on message attributes, for the operators the template uses (exact
 * strings, `exists`, `$or`); anything else fails the test rather than passing unchecked.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
 */
function snsFilterMatches(policy: Record<string, unknown>, attrs: Record<string, string | undefined>): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    if (key === '$or') return (rule as Record<string, unknown>[]).some((p) => snsFilterMatches(p, attrs));
    assert.ok(Array.isArray(rule), `rule for ${key} is a list`);
    return rule.some((v) => {
      if (typeof v === 'string') return attrs[key] === v;
      if (v && typeof v === 'object' && Object.keys(v).length === 1 && typeof (v as { exists?: unknown }).exists === 'boolean') return (attrs[key] !== undefined) === (v as { exists: boolean }).exists;
      throw new Error(`filter operator ${JSON.stringify(v)} is not modelled by this test`);
    });
  });
}
