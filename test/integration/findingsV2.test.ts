// Findings from Security Hub's 2025 generation (OCSF): DescribeSecurityHubV2, GetFindingsV2 and
// BatchUpdateFindingsV2. moto 5.2.1 has none of them, so they come from the Security Hub V2 stand-in
// (test/helpers/securityHubV2StandIn.ts), which checks every request and answer against the botocore
// model; each test name says so. Where Security Hub CSPM is involved, moto_server serves it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFindingsV2Command, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { classifyAwsError } from '../../src/aws/errors';
import { fetchFindingsV2, updateWorkflowStatusV2 } from '../../src/findings/apiV2';
import { countsByBucket, groupFindings, type FindingSummary } from '../../src/findings/model';
import { fetchOne, loadFindings, triageFindings } from '../../src/findings/source';
import { motoPerFile } from '../helpers/motoPerFile';
import { ocsfFinding, sandboxOcsfFindings, V2_HOSTILE_TITLE } from '../helpers/securityHubV2Data';
import { STAND_IN_HEADER, startSecurityHubV2StandIn, type SecurityHubV2StandInOptions } from '../helpers/securityHubV2StandIn';
import { startSandboxGaps } from '../sandbox/gaps';
import { importFindings, sandboxFindings } from '../sandbox/seed/10-buckets-findings';

const env = { region: 'us-east-1', accountId: '123456789012' };
const ALL = { severityFloor: 'INFORMATIONAL', productName: '' };
const creds = { accessKeyId: 'x', secretAccessKey: 'y' };

const moto = motoPerFile();

type StandIn = Awaited<ReturnType<typeof startSecurityHubV2StandIn>>;
const open: { standIn: StandIn; hub: SecurityHubClient }[] = [];

/** A stand-in (in front of moto) and a client on it; closed after each describe. */
async function account(opts: Partial<SecurityHubV2StandInOptions> = {}): Promise<{ standIn: StandIn; hub: SecurityHubClient }> {
  const standIn = await startSecurityHubV2StandIn({ findings: sandboxOcsfFindings(env), upstream: moto.endpoint, ...opts });
  const hub = new SecurityHubClient({ region: env.region, endpoint: standIn.endpoint, credentials: creds, maxAttempts: 1 });
  open.push({ standIn, hub });
  return { standIn, hub };
}

/** Every request the stand-in got fitted the model, and so did every answer it gave. */
function assertContract(standIn: StandIn): void {
  assert.deepEqual(standIn.rejected, [], 'requests the model refuses');
  assert.deepEqual(standIn.answerProblems, [], 'stand-in answers that do not fit the model');
}

async function closeAll(): Promise<void> {
  for (const { standIn, hub } of open.splice(0)) {
    hub.destroy();
    await standIn.close();
  }
}

describe('Security Hub 2025 generation (Security Hub V2 stand-in: moto lacks DescribeSecurityHubV2, GetFindingsV2, BatchUpdateFindingsV2)', () => {
  after(closeAll);

  test('a V2-only account is detected and lists its OCSF findings by severity; filters go to GetFindingsV2 (Security Hub V2 stand-in)', async () => {
    const { standIn, hub } = await account({ cspm: false });
    const loaded = await loadFindings(hub, ALL, { max: 1000 });
    assert.equal(loaded.notEnabled, undefined, 'not "Security Hub is not enabled"');
    assert.equal(loaded.generation.kind, 'v2');
    assert.equal(loaded.nextToken, undefined);
    const groups = groupFindings(loaded.findings);
    assert.deepEqual(groups.map((g) => [g.severity, g.count]), [['CRITICAL', 2], ['HIGH', 3], ['MEDIUM', 2], ['LOW', 2], ['INFORMATIONAL', 1]], 'Fatal counts as Critical; Resolved and Archived are left out');
    assert.deepEqual(countsByBucket(loaded.findings), { 'v2-public-bucket': 3, 'v2-logs': 2, 'v2-data-lake': 1 });
    assert.deepEqual(standIn.requests.map((r) => r.operation), ['DescribeSecurityHubV2', 'GetFindingsV2']);
    assert.equal(standIn.requests.filter((r) => r.operation === 'GetFindingsV2').length, 1, 'no CSPM call, no second page');

    const s32 = loaded.findings.find((f) => f.id === 'S3.2/v2-public-bucket')!;
    assert.equal(s32.source, 'v2');
    assert.equal(s32.title, 'V2: S3 general purpose buckets should block public read access');
    assert.equal(s32.accountId, env.accountId);
    assert.equal(s32.region, env.region);
    assert.equal(s32.productArn, 'arn:aws:securityhub:us-east-1::productv2/aws/securityhub');
    assert.equal(s32.productName, 'Security Hub');
    assert.equal(s32.resourceType, 'AWS::S3::Bucket');
    assert.equal(s32.complianceStatus, 'Fail');
    assert.equal(s32.remediationUrl, 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2');
    assert.equal(s32.workflowStatus, 'NEW');
    assert.equal(s32.statusText, 'New');
    assert.match(s32.lastObservedAt ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.equal(loaded.findings.find((f) => f.id === 'IAM.1/admin')?.statusText, 'In Progress');
    // Newest first, as asked with SortCriteria.
    assert.equal(loaded.findings[0].id, 'S3.2/v2-public-bucket');
    // Outside text arrives unchanged: rendering must treat it as text.
    assert.equal(loaded.findings.find((f) => f.id === 'markup/ocsf-xss')?.title, V2_HOSTILE_TITLE);

    const floor = await loadFindings(hub, { severityFloor: 'HIGH', productName: '' }, { max: 1000 });
    assert.deepEqual(groupFindings(floor.findings).map((g) => [g.severity, g.count]), [['CRITICAL', 2], ['HIGH', 3]]);
    const gd = await loadFindings(hub, { severityFloor: 'INFORMATIONAL', productName: 'GuardDuty' }, { max: 1000 });
    assert.deepEqual(gd.findings.map((f) => f.id), ['guardduty/exfil-1']);
    // The severity floor and product were filtered by the stand-in on the request's filters, not only locally.
    const sent = standIn.requests.filter((r) => r.operation === 'GetFindingsV2').map((r) => JSON.stringify(r.input.Filters));
    assert.match(sent[1], /"FieldName":"severity_id","Filter":\{"Gte":4,"Lte":6\}/);
    assert.match(sent[2], /"FieldName":"metadata.product.name","Filter":\{"Value":"GuardDuty","Comparison":"EQUALS"\}/);
    assertContract(standIn);
  });

  test('triage sticks: BatchUpdateFindingsV2 sets StatusId and Comment; reloaded, Resolved is gone and In Progress stays (Security Hub V2 stand-in)', async () => {
    const { standIn, hub } = await account({ cspm: false });
    const before = await loadFindings(hub, ALL, { max: 1000 });
    const pick = (id: string) => before.findings.find((f) => f.id === id)!;
    const resolved = await triageFindings(hub, [pick('S3.2/v2-public-bucket')], 'RESOLVED', { text: 'Bucket made private in change 42', updatedBy: 'arn:aws:iam::123456789012:user/me' });
    assert.deepEqual(resolved.failed, []);
    assert.equal(resolved.processed.length, 1);
    const inProgress = await triageFindings(hub, [pick('S3.13/v2-logs')], 'NOTIFIED', undefined);
    assert.deepEqual(inProgress.failed, []);
    const calls = standIn.requests.filter((r) => r.operation === 'BatchUpdateFindingsV2').map((r) => r.input);
    assert.deepEqual(calls[0], {
      FindingIdentifiers: [{ CloudAccountUid: env.accountId, FindingInfoUid: 'S3.2/v2-public-bucket', MetadataProductUid: 'arn:aws:securityhub:us-east-1::productv2/aws/securityhub' }],
      StatusId: 4,
      Comment: 'Bucket made private in change 42',
    });
    assert.deepEqual(calls[1], { FindingIdentifiers: [{ CloudAccountUid: env.accountId, FindingInfoUid: 'S3.13/v2-logs', MetadataProductUid: 'arn:aws:securityhub:us-east-1::productv2/aws/securityhub' }], StatusId: 2 });
    // The stored finding changed, and its modified time did not (the API reference says so).
    const stored = standIn.findings.find((d) => d.finding_info.uid === 'S3.2/v2-public-bucket')!;
    assert.equal(stored.status_id, 4);
    assert.equal(stored.status, 'Resolved');
    assert.equal(stored.finding_info.modified_time_dt, pick('S3.2/v2-public-bucket').updatedAt);

    const after = await loadFindings(hub, ALL, { max: 1000 });
    assert.equal(after.findings.some((f) => f.id === 'S3.2/v2-public-bucket'), false, 'Resolved leaves the default filter');
    assert.deepEqual(groupFindings(after.findings).map((g) => [g.severity, g.count]), [['CRITICAL', 1], ['HIGH', 3], ['MEDIUM', 2], ['LOW', 2], ['INFORMATIONAL', 1]]);
    const logs = after.findings.find((f) => f.id === 'S3.13/v2-logs')!;
    assert.equal(logs.statusText, 'In Progress');
    assert.equal(logs.workflowStatus, 'NOTIFIED');
    // A restored detail panel fetches the finding by its key: the comment is its note.
    const again = await fetchOne(hub, { source: 'v2', id: 'S3.2/v2-public-bucket', productArn: 'arn:aws:securityhub:us-east-1::productv2/aws/securityhub', accountId: env.accountId });
    assert.equal(again?.statusText, 'Resolved');
    assert.equal(again?.note?.text, 'Bucket made private in change 42');
    assertContract(standIn);
  });

  test('paging: pages of 100, maxResults stops and the token continues; 250 updates go out as 100, 100, 50; MaxResults 101 and a foreign token are refused (Security Hub V2 stand-in)', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ocsfFinding(env, { uid: `bulk/${i}`, severity: 'Medium', title: `bulk ${i}`, resource: { uid: `r${i % 7}`, type: 'Other' }, minutesAgo: i }));
    const { standIn, hub } = await account({ cspm: false, findings: many });
    const all = await fetchFindingsV2(hub, ALL, { max: 1000 });
    assert.equal(all.findings.length, 250);
    assert.equal(all.nextToken, undefined);
    assert.deepEqual(standIn.requests.map((r) => r.input.MaxResults), [100, 100, 100]);
    assert.equal(new Set(all.findings.map((f) => f.id)).size, 250);
    assert.deepEqual(all.findings.slice(0, 3).map((f) => f.id), ['bulk/0', 'bulk/1', 'bulk/2'], 'newest first across pages');

    const first = await fetchFindingsV2(hub, ALL, { max: 150 });
    assert.equal(first.findings.length, 150);
    assert.ok(first.nextToken);
    assert.deepEqual(standIn.requests.slice(3).map((r) => r.input.MaxResults), [100, 50], 'never more than asked for');
    const rest = await fetchFindingsV2(hub, ALL, { max: 150, nextToken: first.nextToken });
    assert.equal(rest.findings.length, 100);
    assert.equal(new Set([...first.findings, ...rest.findings].map((f) => f.id)).size, 250);

    const r = await updateWorkflowStatusV2(hub, all.findings, 'SUPPRESSED', 'accepted risk');
    assert.deepEqual(standIn.requests.filter((x) => x.operation === 'BatchUpdateFindingsV2').map((x) => (x.input.FindingIdentifiers as unknown[]).length), [100, 100, 50]);
    assert.equal(r.processed.length, 250);
    assert.ok(standIn.findings.every((d) => d.status_id === 3 && d.comment === 'accepted risk'));
    assertContract(standIn);

    // What AWS refuses, the stand-in refuses: MaxResults over the model's 100, a token from another query.
    const tooMany = await hub.send(new GetFindingsV2Command({ MaxResults: 101 })).then(() => undefined, (e: unknown) => e);
    assert.equal(classifyAwsError(tooMany).code, 'ValidationException');
    assert.match(classifyAwsError(tooMany).message, /MaxResults: 101 is above MaxResults's maximum 100/);
    const page = await hub.send(new GetFindingsV2Command({ MaxResults: 10 }));
    assert.ok(page.NextToken);
    const foreign = await hub.send(new GetFindingsV2Command({ MaxResults: 10, NextToken: page.NextToken, Filters: { CompositeFilters: [{ NumberFilters: [{ FieldName: 'severity_id', Filter: { Eq: 3 } }] }] } })).then(() => undefined, (e: unknown) => e);
    assert.equal(classifyAwsError(foreign).code, 'ValidationException');
    assert.equal(standIn.rejected.length, 1, 'only the MaxResults request broke the model');
    assert.deepEqual(standIn.answerProblems, []);
  });

  test('errors: V2 not enabled and CSPM not enabled is "not enabled"; V2 denied says it could not be checked; throttled and denied calls are errors, per finding for triage (Security Hub V2 stand-in)', async () => {
    const neither = await account({ v2: false, cspm: false });
    const off = await loadFindings(neither.hub, ALL, { max: 100 });
    assert.equal(off.notEnabled?.kind, 'notEnabled');
    assert.match(off.notEnabled?.message ?? '', /not subscribed to AWS Security Hub$/);
    assert.deepEqual(neither.standIn.requests.map((r) => r.operation), ['DescribeSecurityHubV2']);
    assertContract(neither.standIn);

    const denied = await account({ cspm: false, fault: (op) => (op === 'DescribeSecurityHubV2' ? { status: 403, code: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/me is not authorized to perform: securityhub:DescribeSecurityHubV2' } : undefined) });
    const unchecked = await loadFindings(denied.hub, ALL, { max: 100 });
    assert.equal(unchecked.generation.kind, 'cspm');
    assert.match(unchecked.notEnabled?.message ?? '', /not subscribed to AWS Security Hub\. The 2025 generation could not be checked: Access denied: your identity may not call securityhub:DescribeSecurityHubV2\./);

    const throttled = await account({ cspm: false, fault: (op) => (op === 'GetFindingsV2' ? { status: 429, code: 'ThrottlingException', message: 'Rate exceeded' } : undefined) });
    const err = await loadFindings(throttled.hub, ALL, { max: 100 }).then(() => undefined, (e: unknown) => e);
    assert.equal(classifyAwsError(err).kind, 'throttled', 'an error for the view, not "not enabled"');

    const triageDenied = await account({ cspm: false, fault: (op, input) => (op === 'BatchUpdateFindingsV2' && input.StatusId === 3 ? { status: 403, code: 'AccessDeniedException', message: 'User is not authorized to perform: securityhub:BatchUpdateFindings' } : undefined) });
    const loaded = await loadFindings(triageDenied.hub, ALL, { max: 100 });
    const two = loaded.findings.slice(0, 2);
    const r = await triageFindings(triageDenied.hub, two, 'SUPPRESSED', undefined);
    assert.deepEqual(r.failed.map((f) => [f.key.id, f.code]), two.map((f) => [f.id, 'AccessDeniedException']));
    assert.ok(r.failed.every((f) => /securityhub:BatchUpdateFindings/.test(f.message)));
    // A finding Security Hub no longer has is reported unprocessed, on its own; the rest are processed.
    const gone: FindingSummary = { ...two[0], id: 'deleted/finding' };
    const mixed = await triageFindings(triageDenied.hub, [gone, two[1]], 'RESOLVED', undefined);
    assert.deepEqual(mixed.failed.map((f) => [f.key.id, f.code]), [['deleted/finding', 'ResourceNotFoundException']]);
    assert.deepEqual(mixed.processed.map((k) => k.id), [two[1].id]);
    assertContract(triageDenied.standIn);

    // Every answer is marked as the stand-in's (for the suite-wide contract check).
    const raw = await fetch(`${neither.standIn.endpoint}/hubv2`);
    assert.equal(raw.headers.get(STAND_IN_HEADER), '1');
  });

  test('both generations enabled: the 2025 one is read (its findings include CSPM controls); V2 off: CSPM findings from moto_server (Security Hub V2 stand-in in front of moto_server)', async () => {
    await importFindings(moto.clientConfig(), sandboxFindings(env));
    const both = await account({});
    const v2 = await loadFindings(both.hub, ALL, { max: 1000 });
    assert.equal(v2.generation.kind, 'v2');
    assert.ok(v2.findings.length === 10 && v2.findings.every((f) => f.source === 'v2' && f.title.startsWith('V2:') || f.id === 'markup/ocsf-xss'));

    const cspmOnly = await account({ v2: false });
    const cspm = await loadFindings(cspmOnly.hub, ALL, { max: 1000 });
    assert.equal(cspm.generation.kind, 'cspm');
    assert.equal(cspm.notEnabled, undefined);
    assert.equal(cspm.findings.length, sandboxFindings(env).length);
    assert.ok(cspm.findings.every((f) => f.source !== 'v2'));
    assertContract(both.standIn);
    assertContract(cspmOnly.standIn);
  });

  test('the demo sandbox: CSPM only by default (DescribeSecurityHubV2 answers ResourceNotFoundException); DEMO_SECURITYHUB=v2 gives a V2 account (sandbox stand-in, test/sandbox/gaps.ts)', async () => {
    await importFindings(moto.clientConfig(), sandboxFindings(env));
    const read = async () => {
      const gaps = await startSandboxGaps(moto);
      const hub = new SecurityHubClient({ region: env.region, endpoint: gaps.endpoint, credentials: creds, maxAttempts: 1 });
      try {
        return await loadFindings(hub, ALL, { max: 1000 });
      } finally {
        hub.destroy();
        await gaps.close();
      }
    };
    const cspm = await read();
    assert.deepEqual(cspm.generation, { kind: 'cspm' }, 'ResourceNotFoundException: plainly not enabled, nothing left unchecked');
    assert.equal(cspm.findings.length, sandboxFindings(env).length);
    const saved = process.env.DEMO_SECURITYHUB;
    process.env.DEMO_SECURITYHUB = 'v2';
    try {
      const v2 = await read();
      assert.equal(v2.generation.kind, 'v2');
      assert.equal(v2.findings.length, 10);
    } finally {
      if (saved === undefined) delete process.env.DEMO_SECURITYHUB;
      else process.env.DEMO_SECURITYHUB = saved;
    }
  });
});
