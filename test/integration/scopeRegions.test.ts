// A scope of two accounts × two regions of an IAM Identity Center session, against moto_server serving both
// accounts in both regions with different data in each (test/helpers/motoScopeAccounts.ts), the SSO portal
// stand-in (test/helpers/ssoPortalStandIn.ts) and, for what moto cannot do per region, a recorded-answer proxy
// (test/helpers/regionFaults.ts): Security Hub not enabled and CloudWatch Logs denied in one account's
// eu-west-1 only. The same calls the Findings, Logs, Alerts and Pipeline views make for each account × region
// node (src/tree/accountGroup.ts): each place's clients sign in its own region, under the one limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ClientFactory } from '../../src/aws/clientFactory';
import { classifyAwsError } from '../../src/aws/errors';
import { readSharedFiles } from '../../src/aws/profiles';
import { Limiter, limitClient } from '../../src/aws/scope/limit';
import { ScopeMembers } from '../../src/aws/scope/members';
import { regionNodeId, scopeGrouping, type ScopeMember } from '../../src/aws/scope/scope';
import { readSsoToken, SsoPortal } from '../../src/aws/scope/ssoPortal';
import { loadFindings } from '../../src/findings/source';
import { fetchLogGroupPage } from '../../src/logs/logGroups';
import { fetchAlarms } from '../../src/alerts/alarms';
import { listPipelineStacks } from '../../src/pipeline/inspect';
import { startMotoAccounts, VIEWER_ROLE, type MotoAccounts } from '../helpers/motoScopeAccounts';
import { startSsoPortalStandIn, type SsoPortalStandIn } from '../helpers/ssoPortalStandIn';
import { startRegionFaultProxy, type RegionFaultProxy } from '../helpers/regionFaults';
import { SSOClient } from '@aws-sdk/client-sso';
import { ssoSessionSection, writeSsoToken } from '../helpers/ssoHome';

const PAYMENTS = '111111111111';
const DATA = '222222222222';
const TOKEN = 'sso-access-token-for-region-tests';
const SESSION = 'corp';
const REGIONS = ['us-east-1', 'eu-west-1'];
const VIEW = 'cloudMonitor.findings';

/** Each account's data per region: what its region node must show, and nothing else. */
const SEEDED = {
  [PAYMENTS]: {
    'us-east-1': { findings: ['Payments US bucket allows public read'], logGroups: ['/payments/us/api'], alarms: ['payments-us-5xx'], pipelineStacks: ['payments-us-pipeline'] },
    'eu-west-1': { findings: ['Payments EU bucket has no lifecycle'], logGroups: ['/payments/eu/api', '/payments/eu/worker'], alarms: ['payments-eu-latency'], pipelineStacks: ['payments-eu-pipeline'] },
  },
  [DATA]: {
    'us-east-1': { findings: ['Data US lake is not encrypted'], logGroups: ['/data/us/etl'], alarms: ['data-us-lag'], pipelineStacks: ['data-us-pipeline'] },
    // Security Hub is not enabled here and CloudWatch Logs is denied (the proxy); the seeds prove nothing leaks.
    'eu-west-1': { findings: ['Data EU finding nobody may read'], logGroups: ['/data/eu/hidden'], alarms: ['data-eu-backlog'], pipelineStacks: ['data-eu-pipeline'] },
  },
} as const;

let accounts: MotoAccounts;
let portal: SsoPortalStandIn;
let proxy: RegionFaultProxy;
const keyAccounts = new Map<string, string>();
const saved = { HOME: process.env.HOME, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };

before(async () => {
  const seed = (id: string) => {
    const { 'us-east-1': us, 'eu-west-1': eu } = SEEDED[id as keyof typeof SEEDED];
    return { id, buckets: [`${id}-bucket`], viewer: 'allowAll' as const, ...us, findings: [...us.findings], logGroups: [...us.logGroups], alarms: [...us.alarms], pipelineStacks: [...us.pipelineStacks], regions: { 'eu-west-1': { findings: [...eu.findings], logGroups: [...eu.logGroups], alarms: [...eu.alarms], pipelineStacks: [...eu.pipelineStacks] } } };
  };
  accounts = await startMotoAccounts([seed(PAYMENTS), seed(DATA)]);
  proxy = await startRegionFaultProxy(accounts.moto.endpoint, [
    { account: DATA, region: 'eu-west-1', service: 'securityhub' },
    { account: DATA, region: 'eu-west-1', service: 'logs' },
  ], keyAccounts);
  portal = await startSsoPortalStandIn({
    accessToken: TOKEN,
    accounts: [{ accountId: PAYMENTS, accountName: 'Payments Prod', roles: [VIEWER_ROLE] }, { accountId: DATA, accountName: 'Data Dev', roles: [VIEWER_ROLE] }],
    credentials: async (accountId, roleName) => {
      const c = await accounts.assume(accountId, roleName);
      keyAccounts.set(c.accessKeyId, accountId);
      return c;
    },
  });
  const home = mkdtempSync(join(tmpdir(), 'cm-regions-home-'));
  process.env.HOME = home;
  writeSsoToken(home, SESSION, { accessToken: TOKEN, expiresAt: new Date(Date.now() + 3600_000) });
  const config = join(home, 'config');
  writeFileSync(config, ssoSessionSection(SESSION));
  process.env.AWS_CONFIG_FILE = config;
});

after(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  await portal?.stop();
  await proxy?.close();
  await accounts?.moto.stop();
});

describe('every region of a scope (moto: 2 accounts × 2 regions; SSO portal stand-in; recorded Security Hub/Logs refusals for one region)', () => {
  test('each account × region node reads its own region\'s findings, log groups, alarms and stacks; the failing region stays alone; one limit bounds every request', async () => {
    let sso: SSOClient | undefined;
    const scope = new ScopeMembers({ kind: 'ssoSession', session: SESSION, roles: [PAYMENTS, DATA].map((accountId) => ({ accountId, roleName: VIEWER_ROLE })), regions: REGIONS }, {
      files: () => readSharedFiles(),
      // The portal's calls are free and unsigned; here an SSO client straight to the stand-in (accountScope.test covers the factory's).
      portal: (s) => new SsoPortal({ client: () => (sso ??= new SSOClient({ region: s.region, endpoint: portal.url })), token: () => readSsoToken(s.name) }),
    });
    const members = await scope.members();
    assert.deepEqual(scopeGrouping(members, REGIONS), { byAccount: true, byRegion: true });
    const files = await readSharedFiles();
    const factory = new ClientFactory(() => ({ files, profiles: [], env: { AWS_ENDPOINT_URL: proxy.endpoint } }));
    const limiter = new Limiter(() => 3);
    // As AccountScope.client: the member's credentials, the place's region, the one limiter.
    const client = <T extends { destroy(): void; config: { serviceId?: string } }>(m: ScopeMember, region: string, ctor: new (config: never) => T): T => {
      factory.provide(m.key, scope.credentials(m)!);
      return limitClient(factory.get(ctor as never, m.key, region, 'scope') as T, limiter);
    };
    const settings = { severityFloor: 'LOW' as const, productName: '' };
    /** What a region node shows, by its node id: its data, or the error it becomes. */
    const shown = new Map<string, { findings: string[] | string; logGroups: string[] | string; alarms: string[]; stacks: string[] }>();
    const place = async (m: ScopeMember, region: string) => {
      const settle = <T>(p: Promise<T>, map: (v: T) => string[]) => p.then(map, (e: unknown) => `error: ${classifyAwsError(e).kind}: ${classifyAwsError(e).message}`);
      const [findings, logGroups, alarms, stacks] = await Promise.all([
        loadFindings(client(m, region, SecurityHubClient), settings, { max: 100 }).then((l) => (l.notEnabled ? `not enabled: ${l.notEnabled.message}` : l.findings.map((f) => f.title).sort())),
        settle(fetchLogGroupPage(client(m, region, CloudWatchLogsClient), { limit: 50 }), (p) => p.groups.map((g) => g.name).sort()),
        fetchAlarms(client(m, region, CloudWatchClient)).then((a) => a.map((x) => x.name).sort()),
        listPipelineStacks(client(m, region, CloudFormationClient)).then((s) => s.map((x) => x.name).sort()),
      ]);
      shown.set(regionNodeId(VIEW, m.key, region), { findings, logGroups, alarms, stacks });
    };
    const byId = new Map(members.map((m) => [m.accountId!, m]));
    const payments = byId.get(PAYMENTS)!;
    const data = byId.get(DATA)!;

    // Expand Payments/us-east-1 alone: no other region or account is asked anything.
    await place(payments, 'us-east-1');
    assert.deepEqual([...proxy.seen.keys()].filter((k) => !k.startsWith(`${PAYMENTS}/us-east-1/`)), [], 'only the expanded account × region is asked');

    // Then every other account × region at once, the failing one among them.
    await Promise.all([place(payments, 'eu-west-1'), place(data, 'us-east-1'), place(data, 'eu-west-1')]);
    for (const [account, m] of [[PAYMENTS, payments], [DATA, data]] as const) {
      for (const region of REGIONS) {
        const got = shown.get(regionNodeId(VIEW, m.key, region))!;
        const want = SEEDED[account][region as keyof (typeof SEEDED)[typeof account]];
        assert.deepEqual(got.alarms, [...want.alarms].sort(), `${account} ${region} alarms`);
        assert.deepEqual(got.stacks, [...want.pipelineStacks].sort(), `${account} ${region} stacks`);
        if (account === DATA && region === 'eu-west-1') {
          assert.match(String(got.findings), /^not enabled: .*not subscribed to AWS Security Hub/, 'Security Hub off in this region is said under it');
          assert.match(String(got.logGroups), /^error: accessDenied: /, 'the refusal is an error under this region');
          continue;
        }
        assert.deepEqual(got.findings, [...want.findings].sort(), `${account} ${region} findings`);
        assert.deepEqual(got.logGroups, [...want.logGroups].sort(), `${account} ${region} log groups`);
      }
    }
    // Each region was asked in its own region (the signing scope), every call under the one limit.
    for (const account of [PAYMENTS, DATA]) for (const region of REGIONS) assert.ok((proxy.seen.get(`${account}/${region}/securityhub`) ?? 0) > 0, `${account}/${region}`);
    assert.ok(limiter.peak <= 3, `peak ${limiter.peak}`);
    assert.ok(limiter.peak >= 2, 'the places ran together');
    assert.equal(limiter.inFlight, 0);
    // Role credentials once per account, whatever the number of regions.
    assert.deepEqual(portal.requests.filter((r) => r.operation === 'GetRoleCredentials').map((r) => r.input.accountId).sort(), [PAYMENTS, DATA]);
    assert.deepEqual(portal.rejected, []);
    factory.clear();
  });
});
