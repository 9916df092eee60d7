// Where a scope's place is read (src/findings/hubRoutes.ts): the aggregator's linked regions, each place's
// share of a shared read, and the route chosen from what detection answered. Clients here are the SDK's own,
// answering through a test handler that checks each call is the one AWS's model names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ScopeMember } from '../../src/aws/scope/scope';
import { HubRoutes, linkedRegions, ownRoute, pickPlace } from '../../src/findings/hubRoutes';

const m = (accountId: string): ScopeMember => ({ key: `k${accountId}`, label: `L${accountId}`, accountId });
const A = m('111111111111');
const B = m('222222222222');

test('linkedRegions: each linking mode, the home region always linked, an unknown mode links only home', () => {
  const scope = ['us-east-1', 'eu-west-1', 'ap-south-1'];
  assert.deepEqual(linkedRegions({ region: 'us-east-1', mode: 'ALL_REGIONS', regions: [] }, scope), scope);
  assert.deepEqual(linkedRegions({ region: 'us-east-1', mode: 'ALL_REGIONS_EXCEPT_SPECIFIED', regions: ['eu-west-1'] }, scope), ['us-east-1', 'ap-south-1']);
  assert.deepEqual(linkedRegions({ region: 'us-east-1', mode: 'SPECIFIED_REGIONS', regions: ['ap-south-1'] }, scope), ['us-east-1', 'ap-south-1']);
  assert.deepEqual(linkedRegions({ region: 'us-west-2', mode: 'SPECIFIED_REGIONS', regions: ['eu-west-1'] }, scope), ['eu-west-1']);
  assert.deepEqual(linkedRegions({ region: 'us-east-1', mode: 'SOMETHING_NEW', regions: [] }, scope), ['us-east-1']);
});

test('pickPlace: an administrator\'s read by AwsAccountId, an aggregated read by Region, an own read leaves other scope accounts\' findings out', () => {
  const fs = [
    { accountId: A.accountId, region: 'us-east-1' }, { accountId: B.accountId, region: 'us-east-1' },
    { accountId: B.accountId, region: 'eu-west-1' }, { accountId: '999999999999', region: 'us-east-1' },
  ];
  const scope = new Set([A.accountId!, B.accountId!]);
  const admin = { key: 'x', source: A, region: 'us-east-1', accounts: [...scope], regions: ['us-east-1', 'eu-west-1'], via: { administrator: A, aggregator: 'us-east-1' } };
  assert.deepEqual(pickPlace(fs, admin, B.accountId, 'eu-west-1', scope), [fs[2]]);
  assert.deepEqual(pickPlace(fs, ownRoute(A, 'us-east-1'), A.accountId, 'us-east-1', scope), [fs[0], fs[3]], 'outside the scope: stays, as today');
  assert.deepEqual(pickPlace(fs, ownRoute(B, 'us-east-1', true), B.accountId, 'us-east-1', scope), [fs[1], fs[3]], 'several regions: its own region only');
  // Several accounts: its own read asks for its own account's findings, and keeps only those (also when an emulator or a view filter answers more).
  const narrowed = ownRoute(A, 'us-east-1', false, true);
  assert.deepEqual([narrowed.accounts, narrowed.key], [[A.accountId], `own\n${A.key}\nus-east-1\n${A.accountId}`]);
  assert.deepEqual(pickPlace(fs, narrowed, A.accountId, 'us-east-1', scope), [fs[0]], 'outside the scope: left out too');
});

/** A Security Hub client whose answers come from `answer(operation path)`; every request is kept. */
function hubAnswering(answer: (path: string) => { status: number; body: unknown }, seen: string[]): SecurityHubClient {
  return new SecurityHubClient({
    region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestHandler: {
      handle: async (req: { method: string; path: string }) => {
        seen.push(`${req.method} ${req.path}`);
        const a = answer(req.path);
        const { Readable } = await import('node:stream');
        return { response: { statusCode: a.status, headers: { 'content-type': 'application/json', ...(a.status >= 400 ? { 'x-amzn-errortype': (a.body as { Code: string }).Code } : {}) }, body: Readable.from([Buffer.from(JSON.stringify(a.body))]) } };
      },
    } as never,
  });
}

test('HubRoutes.route: the administrator in the scope and its aggregator give a member one read of its own findings there (also past 20 accounts); denied detection is today\'s read, logged once; detection cached', async () => {
  const seen: string[] = [];
  const log: string[] = [];
  const routes = new HubRoutes({
    hub: (member) => hubAnswering((path) => {
      if (member === B && path === '/administrator') return { status: 200, body: { Administrator: { AccountId: A.accountId, MemberStatus: 'Enabled' } } };
      if (path === '/administrator') return { status: 200, body: {} };
      if (member === A && path === '/findingAggregator/list') return { status: 200, body: { FindingAggregators: [{ FindingAggregatorArn: 'arn:aws:securityhub:us-east-1:111111111111:finding-aggregator/x' }] } };
      if (member === A && path.startsWith('/findingAggregator/get/')) return { status: 200, body: { FindingAggregationRegion: 'us-east-1', RegionLinkingMode: 'ALL_REGIONS' } };
      if (path === '/findingAggregator/list') return { status: 403, body: { Code: 'AccessDeniedException', Message: 'not authorized to perform: securityhub:ListFindingAggregators' } };
      return { status: 404, body: { Code: 'ResourceNotFoundException', Message: path } };
    }, seen),
    log: (x) => log.push(x),
  });
  const regions = ['us-east-1', 'eu-west-1'];
  const rB = await routes.route(B, 'eu-west-1', [A, B], regions);
  // B's own read through the administrator: B's findings alone (a first page and a Load more of its own).
  assert.deepEqual({ key: rB.key, source: rB.source, region: rB.region, accounts: rB.accounts, regions: rB.regions, via: rB.via }, {
    key: `admin\n${A.key}\nus-east-1\n${B.accountId}`, source: A, region: 'us-east-1', accounts: [B.accountId], regions, via: { aggregator: 'us-east-1', administrator: A },
  });
  // A scope past 20 accounts (GetFindings takes at most 20 values per filter attribute): still B's alone.
  const many = [A, B, ...Array.from({ length: 23 }, (_, i) => m(String(900000000000 + i)))];
  const rMany = await routes.route(B, 'us-east-1', many, regions);
  assert.deepEqual([rMany.key, rMany.accounts], [rB.key, [B.accountId]]);
  // A itself: no administrator; its aggregator is known already (no second ListFindingAggregators).
  const rA = await routes.route(A, 'us-east-1', [A, B], regions);
  assert.deepEqual([rA.key, rA.accounts], [`agg\n${A.key}\nus-east-1\n${A.accountId}`, [A.accountId]], 'beside B: A\'s own findings only');
  assert.equal(seen.filter((s) => s.includes('/findingAggregator/list')).length, 1);
  // B on its own (its administrator outside the scope), and its aggregator check denied: today's read, logged.
  const own = await routes.route(B, 'us-east-1', [B, m('333333333333')], regions);
  assert.deepEqual(own, ownRoute(B, 'us-east-1', true, true));
  assert.equal(log.length, 1);
  assert.match(log[0], /aggregator in L222222222222 \(222222222222\) could not be checked \(AccessDeniedException/);
  // One region: no aggregator asked.
  seen.length = 0;
  await routes.route(m('444444444444'), 'us-east-1', [A], ['us-east-1']);
  assert.deepEqual(seen, ['GET /administrator']);
});
