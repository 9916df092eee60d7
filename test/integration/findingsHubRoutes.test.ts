// Findings of a scope read where Security Hub gathers them (src/findings/hubRoutes.ts, placeReads.ts): moto_server
// serving four accounts × two regions (test/helpers/motoScopeAccounts.ts) with an organization whose delegated
// Security Hub administrator moto knows (EnableOrganizationAdminAccount; moto answers GetAdministratorAccount from
// it), and the Security Hub org stand-in (test/helpers/securityHubOrgStandIn.ts) in front for what moto lacks:
// ListFindingAggregators and GetFindingAggregator, and GetFindings answering linked regions in an aggregation
// region and members' findings to their administrator. Each place's findings come through the same PlaceReads the
// Findings view's account × region nodes use, with each account's own role credentials, under one limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EnableOrganizationAdminAccountCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ClientFactory } from '../../src/aws/clientFactory';
import { Limiter, limitClient } from '../../src/aws/scope/limit';
import type { ScopeMember } from '../../src/aws/scope/scope';
import { PlaceReads, type PlaceLoad } from '../../src/findings/placeReads';
import { loadFindings } from '../../src/findings/source';
import { finding, importFindings } from '../sandbox/seed/10-buckets-findings';
import { startMotoAccounts, VIEWER_ROLE, type MotoAccounts } from '../helpers/motoScopeAccounts';
import { startSecurityHubOrgStandIn, type SecurityHubOrgStandIn } from '../helpers/securityHubOrgStandIn';
import { startSecurityHubV2StandIn } from '../helpers/securityHubV2StandIn';
import { sandboxOcsfFindings } from '../helpers/securityHubV2Data';

const PAYMENTS = '111111111111'; // the organization's management account
const DATA = '222222222222'; // outside the organization; has a cross-region aggregator in us-east-1
const REGIONS = ['us-east-1', 'eu-west-1'];
const SETTINGS = { severityFloor: 'INFORMATIONAL', productName: '' };

let accounts: MotoAccounts;
let standIn: SecurityHubOrgStandIn;
let factory: ClientFactory;
/** The organization's members (moto's ids): the delegated administrator, and two application accounts it administers. */
let ADMIN: string;
let APP: string;
/** A member with more findings than a page (seeded by the test that needs them), listed before APP in the administrator's answer. */
let BIG: string;

const member = (accountId: string, label: string): ScopeMember => ({ key: `sso:corp/${accountId}/${VIEWER_ROLE}`, label, accountId, roleName: VIEWER_ROLE, ssoSession: 'corp' });
const title = (accountId: string, region: string) => `${accountId} ${region} finding`;

before(async () => {
  accounts = await startMotoAccounts([PAYMENTS, DATA].map((id) => ({
    id, buckets: [`${id}-bucket`], viewer: 'allowAll' as const, findings: [title(id, 'us-east-1')], regions: { 'eu-west-1': { findings: [title(id, 'eu-west-1')] } },
  })), { organization: { management: PAYMENTS, members: 3 } });
  [ADMIN, APP, BIG] = accounts.organizationMembers;
  for (const id of [ADMIN, APP]) {
    for (const region of REGIONS) {
      await importFindings(await accounts.clientConfigIn(id, region), [finding({ region, accountId: id }, { id: `org/${id}/${region}`, title: title(id, region), description: 'seeded', severity: 'HIGH', resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${id}-bucket` } })]);
    }
  }
  // The management account names the delegated administrator (moto then answers GetAdministratorAccount to the members).
  const mgmt = new SecurityHubClient(await accounts.clientConfigIn(PAYMENTS));
  await mgmt.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));
  mgmt.destroy();
  standIn = await startSecurityHubOrgStandIn(accounts, { accountIds: [PAYMENTS, DATA, ADMIN, BIG, APP], regions: REGIONS, aggregators: { [DATA]: { region: 'us-east-1', mode: 'ALL_REGIONS' } } });
  factory = new ClientFactory(() => ({ files: { configFile: {}, credentialsFile: {} }, profiles: [], env: { AWS_ENDPOINT_URL: standIn.endpoint } }));
});

after(async () => {
  factory?.clear();
  await standIn?.close();
  await accounts?.moto.stop();
});

/** The Findings view's reads for a scope, as AccountFindings makes them: each member's role, the place's region, one limit. */
function readsFor(members: ScopeMember[], log: string[] = [], maxResults = 100): PlaceReads {
  const limiter = new Limiter(() => 4);
  const reads = new PlaceReads({
    hub: (m, region) => {
      factory.provide(m.key, async () => {
        const c = await accounts.assume(m.accountId!, VIEWER_ROLE);
        return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
      });
      return limitClient(factory.get(SecurityHubClient, m.key, region, 'findings'), limiter);
    },
    settings: () => SETTINGS, maxResults: () => maxResults, log: (m) => log.push(m),
  });
  reads.setScope(members, REGIONS);
  return reads;
}

/** Expands every account × region node: what each shows (titles) and where it says it read them. */
async function expandAll(reads: PlaceReads, members: ScopeMember[]) {
  const shown: Record<string, { titles: string[]; regions: string[]; via: string }> = {};
  await Promise.all(members.flatMap((m) => REGIONS.map(async (region) => {
    const l = await reads.load(m, region);
    const mine = reads.placeFindings(l, m, region);
    shown[`${m.accountId} ${region}`] = {
      titles: mine.map((f) => f.title).sort(),
      regions: [...new Set(mine.map((f) => f.region ?? '(none)'))],
      via: [l.route.via.administrator ? `administrator ${l.route.via.administrator.accountId}` : '', l.route.via.aggregator ? `aggregator ${l.route.via.aggregator}` : ''].filter(Boolean).join(', ') || 'own',
    };
  })));
  return shown;
}

/** The AwsAccountId filter of each GetFindings in `accountId` since the calls were cleared ('-': none sent), sorted. */
const accountFilters = (accountId: string) => standIn.calls.filter((c) => c.operation === 'GetFindings' && c.accountId === accountId).map((c) => c.accounts?.join(',') ?? '-').sort();
const getFindingsBy = (accountId: string) => standIn.calls.filter((c) => c.operation === 'GetFindings' && c.accountId === accountId).map((c) => c.region).sort();

describe('findings across accounts through an aggregator or an administrator (moto: 4 accounts × 2 regions, organization with a delegated administrator; ListFindingAggregators, GetFindingAggregator and aggregated GetFindings from the Security Hub org stand-in: moto lacks them)', () => {
  test('(a) an account with a cross-region aggregator: one GetFindings in its aggregation region instead of one per region; each region node still shows its own region\'s findings and says "via aggregator"', async () => {
    standIn.calls.length = 0;
    const members = [member(PAYMENTS, 'Payments Prod'), member(DATA, 'Data Dev')];
    const shown = await expandAll(readsFor(members), members);
    assert.deepEqual(getFindingsBy(DATA), ['us-east-1'], 'one read for both regions, in the aggregation region');
    assert.deepEqual(getFindingsBy(PAYMENTS), ['eu-west-1', 'us-east-1'], 'no aggregator: one read per region, as today');
    assert.deepEqual(shown[`${DATA} us-east-1`], { titles: [title(DATA, 'us-east-1')], regions: ['us-east-1'], via: 'aggregator us-east-1' });
    assert.deepEqual(shown[`${DATA} eu-west-1`], { titles: [title(DATA, 'eu-west-1')], regions: ['eu-west-1'], via: 'aggregator us-east-1' });
    assert.deepEqual(shown[`${PAYMENTS} eu-west-1`], { titles: [title(PAYMENTS, 'eu-west-1')], regions: ['eu-west-1'], via: 'own' });
    // Detection: the aggregator once per account (any region answers it); the administrator per account and region.
    const detections = (accountId: string, op: string) => standIn.calls.filter((c) => c.accountId === accountId && c.operation === op).length;
    assert.deepEqual([detections(DATA, 'ListFindingAggregators'), detections(DATA, 'GetFindingAggregator'), detections(DATA, 'GetAdministratorAccount')], [1, 1, 2]);
    assert.deepEqual(standIn.problems, []);
  });

  test('(b) members whose delegated administrator is in the scope: zero GetFindings in the members, one per member and region in the administrator (that member\'s AwsAccountId), each member\'s findings under its own account', async () => {
    standIn.calls.length = 0;
    const members = [member(PAYMENTS, 'Payments Prod'), member(ADMIN, 'Security Tooling'), member(APP, 'App Prod')];
    const shown = await expandAll(readsFor(members), members);
    assert.deepEqual(getFindingsBy(APP), [], 'the member account is never asked for findings');
    // The administrator: its own node's read and the member's read, per region.
    assert.deepEqual(getFindingsBy(ADMIN), ['eu-west-1', 'eu-west-1', 'us-east-1', 'us-east-1']);
    assert.deepEqual(accountFilters(ADMIN), [ADMIN, ADMIN, APP, APP].sort(), 'the members\' reads filtered to that member, its own to itself');
    for (const region of REGIONS) {
      assert.deepEqual(shown[`${APP} ${region}`], { titles: [title(APP, region)], regions: [region], via: `administrator ${ADMIN}` });
      // The administrator's own read asks for its own findings: its members' stay under the member's node.
      assert.deepEqual(shown[`${ADMIN} ${region}`], { titles: [title(ADMIN, region)], regions: [region], via: 'own' });
      assert.deepEqual(shown[`${PAYMENTS} ${region}`], { titles: [title(PAYMENTS, region)], regions: [region], via: 'own' });
    }
    assert.deepEqual(standIn.problems, []);
  });

  test('(b) a member whose administrator is not in the scope keeps today\'s read in its own account', async () => {
    standIn.calls.length = 0;
    const members = [member(PAYMENTS, 'Payments Prod'), member(APP, 'App Prod')];
    const shown = await expandAll(readsFor(members), members);
    assert.deepEqual(getFindingsBy(APP), ['eu-west-1', 'us-east-1']);
    assert.deepEqual(getFindingsBy(ADMIN), []);
    assert.deepEqual(shown[`${APP} us-east-1`], { titles: [title(APP, 'us-east-1')], regions: ['us-east-1'], via: 'own' });
  });

  test('(c) AccessDenied on the detection calls: today\'s read per account and region, the same findings, logged and never thrown', async () => {
    standIn.calls.length = 0;
    for (const id of [DATA, APP]) standIn.deny.add(id);
    try {
      const members = [member(DATA, 'Data Dev'), member(ADMIN, 'Security Tooling'), member(APP, 'App Prod')];
      const log: string[] = [];
      const shown = await expandAll(readsFor(members, log), members);
      assert.deepEqual(getFindingsBy(DATA), ['eu-west-1', 'us-east-1']);
      assert.deepEqual(getFindingsBy(APP), ['eu-west-1', 'us-east-1']);
      for (const id of [DATA, APP]) {
        for (const region of REGIONS) assert.deepEqual(shown[`${id} ${region}`], { titles: [title(id, region)], regions: [region], via: 'own' });
      }
      const denied = standIn.calls.filter((c) => c.accountId === DATA || c.accountId === APP).map((c) => c.operation).filter((op) => op !== 'GetFindings' && op !== 'DescribeSecurityHubV2');
      assert.ok(denied.includes('ListFindingAggregators') && denied.includes('GetAdministratorAccount'), denied.join());
      assert.ok(log.some((l) => /Data Dev \(222222222222\) could not be checked \(AccessDeniedException/.test(l)), log.join('\n'));
      assert.ok(log.some((l) => /administrator \(.*\) in App Prod .*AccessDeniedException/.test(l)), log.join('\n'));
    } finally {
      standIn.deny.clear();
    }
  });
  test('(d) a large organization through its administrator: each member\'s node has its own first page (one member\'s many findings crowd out no other), past 20 accounts too; Load more per member', async () => {
    const US = 'us-east-1';
    await importFindings(await accounts.clientConfigIn(BIG, US), Array.from({ length: 5 }, (_, i) => finding({ region: US, accountId: BIG }, { id: `org/${BIG}/big-${i}`, title: `${BIG} big ${i}`, description: 'seeded', severity: 'HIGH', resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${BIG}-bucket` } })));
    standIn.calls.length = 0;
    // 23 accounts: past the 20 values GetFindings takes in its AwsAccountId filter. The others are never expanded.
    const others = Array.from({ length: 20 }, (_, i): ScopeMember => ({ key: `other/${i}`, label: `Other ${i}`, accountId: String(900000000000 + i) }));
    const [admin, big, app] = [member(ADMIN, 'Security Tooling'), member(BIG, 'Big Prod'), member(APP, 'App Prod')];
    const reads = readsFor([admin, big, app, ...others], [], 3);
    const shown = (l: PlaceLoad, m: ScopeMember) => reads.placeFindings(l, m, US).map((f) => f.title).sort();
    const appLoad = await reads.load(app, US);
    const bigLoad = await reads.load(big, US);
    assert.deepEqual(shown(appLoad, app), [title(APP, US)], 'App Prod\'s finding is on its own first page, not crowded out by Big Prod\'s');
    assert.equal(shown(bigLoad, big).length, 3, 'Big Prod: a full first page (findings.maxResults = 3)');
    assert.deepEqual([reads.hasMore(bigLoad, big, US), reads.hasMore(appLoad, app, US)], [true, false]);
    // Load more on Big Prod: its next findings; App Prod's node is as it was.
    await reads.more(bigLoad, big, US);
    assert.deepEqual(shown(bigLoad, big), Array.from({ length: 5 }, (_, i) => `${BIG} big ${i}`));
    assert.equal(reads.hasMore(bigLoad, big, US), false);
    assert.deepEqual(shown(appLoad, app), [title(APP, US)]);
    // Every GetFindings in the administrator, each with one member's account id (never more than 20 values).
    assert.deepEqual(standIn.calls.filter((c) => c.operation === 'GetFindings').length, 3);
    assert.deepEqual(accountFilters(ADMIN), [APP, BIG, BIG].sort());
    assert.deepEqual(standIn.problems, []);
  });

  test('(e) Load more on a region node of an aggregated read loads that region\'s findings only (narrowed to its Region, in the aggregation region); the other region\'s node is unchanged', async () => {
    const [US, EU] = REGIONS;
    await importFindings(await accounts.clientConfigIn(DATA, US), Array.from({ length: 3 }, (_, i) => finding({ region: US, accountId: DATA }, { id: `data/more-${i}`, title: `${DATA} ${US} more ${i}`, description: 'seeded', severity: 'HIGH', resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${DATA}-bucket` } })));
    standIn.calls.length = 0;
    const data = member(DATA, 'Data Dev');
    const reads = readsFor([data], [], 2);
    const us = await reads.load(data, US);
    const eu = await reads.load(data, EU);
    assert.equal(us.route.key, eu.route.key, 'one read for both region nodes');
    const shown = (l: PlaceLoad, region: string) => reads.placeFindings(l, data, region).map((f) => f.title).sort();
    // The shared first page (2) holds us-east-1's newest only: eu-west-1's node shows none yet, and may have more.
    const usBefore = shown(us, US);
    assert.deepEqual([usBefore.length, shown(eu, EU)], [2, []]);
    assert.ok(reads.hasMore(eu, data, EU));
    await reads.more(eu, data, EU);
    assert.deepEqual(shown(eu, EU), [title(DATA, EU)], 'eu-west-1\'s Load more brings eu-west-1\'s finding');
    assert.deepEqual(shown(us, US), usBefore, 'us-east-1\'s node is unchanged');
    assert.equal(reads.hasMore(eu, data, EU), false);
    const last = standIn.calls.filter((c) => c.operation === 'GetFindings').at(-1)!;
    assert.deepEqual([last.accountId, last.region, last.regions], [DATA, US, [EU]]);
    // us-east-1's own Load more: the rest of its findings.
    await reads.more(us, data, US);
    assert.deepEqual(shown(us, US), [title(DATA, US), ...Array.from({ length: 3 }, (_, i) => `${DATA} ${US} more ${i}`)].sort());
    assert.equal(reads.hasMore(us, data, US), false);
    assert.deepEqual(shown(eu, EU), [title(DATA, EU)]);
    assert.deepEqual(standIn.problems, []);
  });
  test('(f) the administrator\'s own node: its first page holds its own account\'s findings (AwsAccountId EQUALS its id), however many newer findings its members have; Load more brings the rest of its own', async () => {
    const US = 'us-east-1';
    const seed = (id: string, name: string, n: number) => Array.from({ length: n }, (_, i) => finding({ region: US, accountId: id }, { id: `org/${id}/${name}-${i}`, title: `${id} ${name} ${i}`, description: 'seeded', severity: 'HIGH', resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${id}-bucket` } }));
    await importFindings(await accounts.clientConfigIn(ADMIN, US), seed(ADMIN, 'own', 3));
    // Newer than every finding of the administrator's own: first in its unfiltered GetFindings (newest first by UpdatedAt).
    await new Promise((r) => setTimeout(r, 20));
    await importFindings(await accounts.clientConfigIn(BIG, US), seed(BIG, 'crowd', 3));
    standIn.calls.length = 0;
    const [admin, big, app] = [member(ADMIN, 'Security Tooling'), member(BIG, 'Big Prod'), member(APP, 'App Prod')];
    const reads = readsFor([admin, big, app], [], 3);
    const l = await reads.load(admin, US);
    const shown = () => reads.placeFindings(l, admin, US).map((f) => f.title).sort();
    assert.deepEqual(shown(), Array.from({ length: 3 }, (_, i) => `${ADMIN} own ${i}`), 'a full first page of its own findings, none crowded out by Big Prod\'s newer ones');
    assert.deepEqual(accountFilters(ADMIN), [ADMIN], 'its read asks for its own account');
    assert.equal(reads.hasMore(l, admin, US), true);
    await reads.more(l, admin, US);
    assert.deepEqual(shown(), [...Array.from({ length: 3 }, (_, i) => `${ADMIN} own ${i}`), title(ADMIN, US)].sort());
    assert.equal(reads.hasMore(l, admin, US), false);
    assert.deepEqual(accountFilters(ADMIN), [ADMIN, ADMIN], 'Load more too');
    // The members' nodes are unchanged: each its own read through the administrator.
    assert.deepEqual(reads.placeFindings(await reads.load(app, US), app, US).map((f) => f.title), [title(APP, US)]);
    assert.deepEqual(standIn.problems, []);
  });
  test('(g) DescribeSecurityHubV2 once per account and region for the connection\'s life: a filter change reads findings again without it; an explicit Refresh (detectAgain) or another scope asks again', async () => {
    const members = [member(PAYMENTS, 'Payments Prod'), member(DATA, 'Data Dev')];
    const reads = readsFor(members);
    const checks = () => standIn.calls.filter((c) => c.operation === 'DescribeSecurityHubV2').map((c) => `${c.accountId} ${c.region}`).sort();
    const getFindings = () => standIn.calls.filter((c) => c.operation === 'GetFindings').length;
    // Data Dev reads both regions in its aggregation region (us-east-1): one place it is read from.
    const places = [`${PAYMENTS} eu-west-1`, `${PAYMENTS} us-east-1`, `${DATA} us-east-1`];
    standIn.calls.length = 0;
    await expandAll(reads, members);
    assert.deepEqual(checks(), places);
    const first = getFindings();
    // A filter change (or a redraw): every place reads again, the generation is known.
    reads.reset();
    await expandAll(reads, members);
    assert.deepEqual(checks(), places, 'no second DescribeSecurityHubV2');
    assert.equal(getFindings(), 2 * first, 'the findings themselves were read again');
    // An explicit Refresh: asked again, once per place.
    reads.detectAgain();
    reads.reset();
    await expandAll(reads, members);
    assert.deepEqual(checks(), [...places, ...places].sort());
    // Another scope or connection.
    reads.forget();
    await expandAll(reads, members);
    assert.deepEqual(checks(), [...places, ...places, ...places].sort());
    assert.deepEqual(standIn.problems, []);
  });
});

describe('the 2025 generation across accounts (moto: 2 accounts; GetFindingsV2 from the V2 stand-in, answering per signing account and region: moto lacks it)', () => {
  test('each account reads only its own OCSF findings of its region', async () => {
    const v2 = await startSecurityHubV2StandIn({
      findings: [...sandboxOcsfFindings({ region: 'us-east-1', accountId: PAYMENTS }), ...sandboxOcsfFindings({ region: 'us-east-1', accountId: DATA }), ...sandboxOcsfFindings({ region: 'eu-west-1', accountId: DATA })],
      accountOf: (k) => accounts.accountOfKey(k), upstream: accounts.moto.endpoint,
    });
    const f = new ClientFactory(() => ({ files: { configFile: {}, credentialsFile: {} }, profiles: [], env: { AWS_ENDPOINT_URL: v2.endpoint } }));
    try {
      const seen = async (accountId: string, region: string) => {
        const key = `v2/${accountId}`;
        f.provide(key, async () => {
          const c = await accounts.assume(accountId, VIEWER_ROLE);
          return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
        });
        const l = await loadFindings(f.get(SecurityHubClient, key, region, 'findings'), SETTINGS, { max: 100 });
        assert.equal(l.generation.kind, 'v2');
        return [...new Set(l.findings.map((x) => `${x.accountId} ${x.region}`))];
      };
      assert.deepEqual(await seen(PAYMENTS, 'us-east-1'), [`${PAYMENTS} us-east-1`]);
      assert.deepEqual(await seen(DATA, 'us-east-1'), [`${DATA} us-east-1`]);
      assert.deepEqual(await seen(DATA, 'eu-west-1'), [`${DATA} eu-west-1`]);
      assert.deepEqual(v2.answerProblems, []);
      assert.deepEqual(v2.rejected, []);
    } finally {
      f.clear();
      await v2.close();
    }
  });
});
