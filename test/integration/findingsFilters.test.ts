// The Findings view's filters and bulk triage against real parts. Security Hub CSPM: moto_server for
// GetFindings (moto 5.2.1 ignores every GetFindings filter, so the filter's request shape is checked as
// sent, and the view's local filter is what leaves the right findings). BatchUpdateFindings (moto: 404)
// comes from the sandbox stand-in (test/sandbox/gaps.ts), which applies it to moto's findings. The 2025
// generation from the Security Hub V2 stand-in, which filters server-side and checks every request and
// answer against the botocore model. Each test name says which stands in.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { fetchFindings } from '../../src/findings/api';
import { fetchFindingsV2 } from '../../src/findings/apiV2';
import { groupFindings, type FilterSettings, type FindingSummary } from '../../src/findings/model';
import { triageFindings } from '../../src/findings/source';
import { loadAwsModel } from '../helpers/awsModel';
import { motoPerFile } from '../helpers/motoPerFile';
import { ocsfFinding, sandboxOcsfFindings } from '../helpers/securityHubV2Data';
import { startSecurityHubV2StandIn } from '../helpers/securityHubV2StandIn';
import { startSandboxGaps } from '../sandbox/gaps';
import { finding, importFindings, sandboxFindings } from '../sandbox/seed/10-buckets-findings';

const env = { region: 'us-east-1', accountId: '123456789012' };
const other = { region: 'us-east-1', accountId: '111122223333' };
const creds = { accessKeyId: 'x', secretAccessKey: 'y' };
const model = loadAwsModel('securityhub');
/** High and Critical, from Security Hub, on S3 buckets, in this account: the five dimensions at once. */
const FILTERED: FilterSettings = { severityFloor: 'INFORMATIONAL', productName: '', severities: ['CRITICAL', 'HIGH'], workflow: ['NEW', 'NOTIFIED'], products: ['Security Hub'], resourceTypes: ['AwsS3Bucket', 'AWS::S3::Bucket'], accounts: [env.accountId] };

const moto = motoPerFile();

/** Records each call's input and (without $metadata) its output. */
function record(hub: SecurityHubClient, command: string) {
  const calls: { input: Record<string, unknown>; output: Record<string, unknown> }[] = [];
  hub.middlewareStack.add((next, context) => async (args) => {
    const res = await next(args);
    if (context.commandName === command) {
      const { $metadata: _ignored, ...output } = res.output as unknown as Record<string, unknown>;
      calls.push({ input: args.input as Record<string, unknown>, output });
    }
    return res;
  }, { step: 'initialize' });
  return calls;
}

const ids = (fs: FindingSummary[]) => fs.map((f) => f.id).sort();

describe('filters (moto_server for GetFindings; Security Hub V2 stand-in for GetFindingsV2)', () => {
  test('CSPM: severity, workflow, product, resource type and account go out as ASFF filters; moto ignores them, the local filter leaves the right findings', async () => {
    const resolved = finding(env, { id: 's3-9/resolved', severity: 'HIGH', title: 'resolved bucket finding', description: 'd', resource: { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::demo-logs' } });
    resolved.Workflow = { Status: 'RESOLVED' };
    const elsewhere = finding(other, { id: 's3-2/other-account', severity: 'CRITICAL', title: 'other account', description: 'd', resource: { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::theirs' } });
    const seeded = [...sandboxFindings(env), resolved, elsewhere];
    await importFindings(moto.clientConfig(), seeded);
    const hub = new SecurityHubClient(moto.clientConfig());
    const calls = record(hub, 'GetFindingsCommand');

    const page = await fetchFindings(hub, FILTERED, { max: 1000 });
    const eq = (...v: string[]) => v.map((Value) => ({ Value, Comparison: 'EQUALS' }));
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].input.Filters, {
      RecordState: eq('ACTIVE'),
      SeverityLabel: eq('CRITICAL', 'HIGH'),
      WorkflowStatus: eq('NEW', 'NOTIFIED'),
      ProductName: eq('Security Hub'),
      ResourceType: eq('AwsS3Bucket', 'AWS::S3::Bucket'),
      AwsAccountId: eq(env.accountId),
    });
    assert.deepEqual(model.problems('GetFindingsRequest', calls[0].input), [], 'the request fits the model');
    // moto answered with every finding; the view keeps the three that match all five filters.
    assert.equal((calls[0].output.Findings as unknown[]).length, seeded.length, 'moto 5.2.1 ignores GetFindings filters');
    assert.deepEqual(ids(page.findings), ['markup/xss-check', 's3-2/demo-public-website', 's3-8/demo-public-website']);
    assert.deepEqual(groupFindings(page.findings).map((g) => [g.severity, g.count]), [['CRITICAL', 1], ['HIGH', 2]]);

    // Workflow alone: the resolved finding, and only it.
    const done = await fetchFindings(hub, { severityFloor: 'INFORMATIONAL', productName: '', workflow: ['RESOLVED'] }, { max: 1000 });
    assert.deepEqual(calls[1].input.Filters, { RecordState: eq('ACTIVE'), WorkflowStatus: eq('RESOLVED') });
    assert.deepEqual(ids(done.findings), ['s3-9/resolved']);
    // Account alone: the other account's finding.
    const theirs = await fetchFindings(hub, { severityFloor: 'INFORMATIONAL', productName: '', accounts: [other.accountId] }, { max: 1000 });
    assert.deepEqual(calls[2].input.Filters, { RecordState: eq('ACTIVE'), WorkflowStatus: eq('NEW', 'NOTIFIED'), AwsAccountId: eq(other.accountId) });
    assert.deepEqual(ids(theirs.findings), ['s3-2/other-account']);
    hub.destroy();
  });

  test('2025 generation: the same filters go out as OCSF composites and are applied server-side (Security Hub V2 stand-in)', async () => {
    const docs = [...sandboxOcsfFindings(env), ocsfFinding(other, { uid: 'S3.2/other-account', severity: 'Critical', title: 'other account', resource: { uid: 'arn:aws:s3:::theirs', type: 'AWS::S3::Bucket' } })];
    const standIn = await startSecurityHubV2StandIn({ findings: docs, cspm: false });
    const hub = new SecurityHubClient({ region: env.region, endpoint: standIn.endpoint, credentials: creds, maxAttempts: 1 });
    try {
      const page = await fetchFindingsV2(hub, FILTERED, { max: 1000 });
      const [req] = standIn.requests;
      assert.deepEqual((req.input.Filters as { CompositeFilters: unknown[] }).CompositeFilters, [
        { Operator: 'OR', NumberFilters: [{ FieldName: 'status_id', Filter: { Eq: 1 } }, { FieldName: 'status_id', Filter: { Eq: 2 } }] },
        { Operator: 'OR', NumberFilters: [5, 6, 4].map((Eq) => ({ FieldName: 'severity_id', Filter: { Eq } })) },
        { Operator: 'OR', StringFilters: [{ FieldName: 'metadata.product.name', Filter: { Value: 'Security Hub', Comparison: 'EQUALS' } }] },
        { Operator: 'OR', StringFilters: ['AwsS3Bucket', 'AWS::S3::Bucket'].map((Value) => ({ FieldName: 'resources.type', Filter: { Value, Comparison: 'EQUALS' } })) },
        { Operator: 'OR', StringFilters: [{ FieldName: 'cloud.account.uid', Filter: { Value: env.accountId, Comparison: 'EQUALS' } }] },
      ]);
      // Fewer findings fetched: the stand-in answered only the matching ones (Fatal GuardDuty and the EC2 one are not).
      assert.deepEqual(ids(page.findings), ['S3.2/v2-public-bucket', 'S3.8/v2-public-bucket', 'markup/ocsf-xss']);
      assert.equal(page.findings.length, 3);
      const suppressed = await fetchFindingsV2(hub, { severityFloor: 'INFORMATIONAL', productName: '', workflow: ['RESOLVED'], accounts: [env.accountId] }, { max: 1000 });
      assert.deepEqual(ids(suppressed.findings), ['closed/resolved']);
      assert.deepEqual(standIn.rejected, [], 'requests the model refuses');
      assert.deepEqual(standIn.answerProblems, [], 'stand-in answers that do not fit the model');
    } finally {
      hub.destroy();
      await standIn.close();
    }
  });
});

describe('bulk triage of 250 findings', () => {
  test('CSPM: 3 BatchUpdateFindings calls (100, 100, 50); the one unknown finding is reported with its error, the 249 others changed in moto (sandbox stand-in for BatchUpdateFindings: moto lacks it)', async () => {
    const many = Array.from({ length: 249 }, (_, i) => finding(env, { id: `bulk/${i}`, severity: 'MEDIUM', title: `bulk ${i}`, description: 'd', resource: { Type: 'Other', Id: `r${i % 7}` } }));
    await importFindings(moto.clientConfig(), many);
    const gaps = await startSandboxGaps(moto);
    const hub = new SecurityHubClient({ ...moto.clientConfig(), endpoint: gaps.endpoint });
    try {
      const loaded = await fetchFindings(hub, { severityFloor: 'INFORMATIONAL', productName: '' }, { max: 1000 });
      assert.equal(loaded.findings.length, 249);
      const ghost: FindingSummary = { ...loaded.findings[0], id: 'bulk/deleted-meanwhile' };
      const selection = [...loaded.findings.slice(0, 120), ghost, ...loaded.findings.slice(120)];
      const calls = record(hub, 'BatchUpdateFindingsCommand');
      const r = await triageFindings(hub, selection, 'SUPPRESSED', { text: 'accepted risk', updatedBy: 'arn:aws:iam::123456789012:user/me' });
      assert.deepEqual(calls.map((c) => (c.input.FindingIdentifiers as unknown[]).length), [100, 100, 50]);
      assert.equal(r.calls, 3);
      assert.deepEqual(r.failed.map((f) => [f.key.id, f.code, f.message]), [['bulk/deleted-meanwhile', 'FindingNotFound', 'No finding with this Id and ProductArn.']]);
      assert.equal(r.processed.length, 249, 'nothing silently dropped');
      for (const c of calls) {
        assert.deepEqual(model.problems('BatchUpdateFindingsRequest', c.input), []);
        assert.deepEqual(model.problems('BatchUpdateFindingsResponse', c.output), [], 'the stand-in answer fits the model');
      }
      const after = await hub.send(new GetFindingsCommand({ MaxResults: 100 }));
      assert.ok((after.Findings ?? []).every((f) => f.Workflow?.Status === 'SUPPRESSED' && f.Note?.Text === 'accepted risk'));
      const open = await fetchFindings(hub, { severityFloor: 'INFORMATIONAL', productName: '' }, { max: 1000 });
      assert.equal(open.findings.length, 0, 'suppressed findings leave the default filter');
    } finally {
      hub.destroy();
      await gaps.close();
    }
  });

  test('2025 generation: 3 BatchUpdateFindingsV2 calls (100, 100, 50); the one unknown finding is reported, 249 changed (Security Hub V2 stand-in)', async () => {
    const docs = Array.from({ length: 249 }, (_, i) => ocsfFinding(env, { uid: `bulk/${i}`, severity: 'Medium', title: `bulk ${i}`, resource: { uid: `r${i % 7}`, type: 'Other' }, minutesAgo: i }));
    const standIn = await startSecurityHubV2StandIn({ findings: docs, cspm: false });
    const hub = new SecurityHubClient({ region: env.region, endpoint: standIn.endpoint, credentials: creds, maxAttempts: 1 });
    try {
      const loaded = await fetchFindingsV2(hub, { severityFloor: 'INFORMATIONAL', productName: '' }, { max: 1000 });
      const ghost: FindingSummary = { ...loaded.findings[0], id: 'bulk/deleted-meanwhile' };
      const r = await triageFindings(hub, [...loaded.findings.slice(0, 200), ghost, ...loaded.findings.slice(200)], 'RESOLVED', { text: 'fixed in change 7', updatedBy: 'me' });
      const updates = standIn.requests.filter((q) => q.operation === 'BatchUpdateFindingsV2');
      assert.deepEqual(updates.map((q) => (q.input.FindingIdentifiers as unknown[]).length), [100, 100, 50]);
      assert.deepEqual(r.failed.map((f) => [f.key.id, f.code]), [['bulk/deleted-meanwhile', 'ResourceNotFoundException']]);
      assert.equal(r.processed.length, 249);
      assert.ok(standIn.findings.every((d) => d.status_id === 4 && d.comment === 'fixed in change 7'));
      assert.deepEqual(standIn.rejected, []);
      assert.deepEqual(standIn.answerProblems, []);
    } finally {
      hub.destroy();
      await standIn.close();
    }
  });
});
