// A finding of another account of a multi-account scope: which console region opens it, and how a selection is
// split by account for triage and the bulk confirmation (src/findings/consoleUrl.ts, src/findings/triageScope.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleRegion, findingConsoleUrl } from '../../src/findings/consoleUrl';
import { callsFor, sharesByAccount, triagePlan } from '../../src/findings/triageScope';
import type { FindingSummary } from '../../src/findings/model';

const finding = (id: string, over: Partial<FindingSummary> = {}): FindingSummary => ({
  id, productArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub', title: id, description: '', severity: 'HIGH',
  resourceType: 'AwsS3Bucket', resourceId: 'arn:aws:s3:::b', resourceCount: 1, workflowStatus: 'NEW', types: [], ...over,
});

describe('findings of several accounts', () => {
  test('Open in Console uses the finding\'s own region and so its partition, not the connection\'s; a malformed Region is not used', () => {
    assert.equal(consoleRegion(finding('a', { region: 'eu-west-1' }), 'us-east-1'), 'eu-west-1');
    const cn = findingConsoleUrl(finding('a'), consoleRegion(finding('a', { region: 'cn-north-1' }), 'us-east-1'));
    assert.equal(new URL(cn!).origin, 'https://console.amazonaws.cn');
    assert.equal(new URL(cn!).searchParams.get('region'), 'cn-north-1');
    assert.equal(consoleRegion(finding('a', { region: 'evil.example/x' }), 'us-east-1'), 'us-east-1');
    assert.equal(consoleRegion(finding('a'), 'ap-south-1'), 'ap-south-1');
  });

  test('a selection is split by account in the order each first appears; each account\'s calls are counted per generation, 100 a call', () => {
    const sel = [finding('p1', { member: 'sso:corp/1/R' }), finding('d1', { member: 'sso:corp/2/R' }), finding('p2', { member: 'sso:corp/1/R' }), finding('own')];
    assert.deepEqual(sharesByAccount(sel).map((s) => [s.member, s.findings.map((f) => f.id)]), [['sso:corp/1/R', ['p1', 'p2']], ['sso:corp/2/R', ['d1']], [undefined, ['own']]]);
    const many = Array.from({ length: 150 }, (_, i) => finding(`c${i}`)).concat([finding('v', { source: 'v2' })]);
    assert.equal(callsFor(many), 3);
    assert.equal(callsFor([]), 0);
  });

  test('the bulk confirmation counts the calls triage makes: one account\'s findings in two regions are two calls (one per region\'s Security Hub), not one', () => {
    const region = new Map<string, string>();
    const at = (id: string, member: string | undefined, r: string) => { const f = finding(id, { member }); region.set(id, r); return f; };
    const sel = [at('p-us', 'sso:corp/1/R', 'us-east-1'), at('p-eu', 'sso:corp/1/R', 'eu-west-1'), at('d-us', 'sso:corp/2/R', 'us-east-1'), at('p-us2', 'sso:corp/1/R', 'us-east-1')];
    const regionOf = (f: FindingSummary) => region.get(f.id);
    const plan = triagePlan(sel, regionOf);
    assert.deepEqual(plan.accounts, [
      { member: 'sso:corp/1/R', findings: 3, regions: 2, calls: 2 },
      { member: 'sso:corp/2/R', findings: 1, regions: 1, calls: 1 },
    ]);
    // The total is the number of shares triageAcrossAccounts sends, each in calls of 100.
    assert.equal(plan.calls, sharesByAccount(sel, regionOf).reduce((n, s) => n + callsFor(s.findings), 0));
    assert.equal(plan.calls, 3);
    // One region (no region level): one call per account, as before.
    assert.equal(triagePlan(sel).calls, 2);
  });
});
