// Costs across the accounts of an IAM Identity Center scope (src/costs/accounts.ts), against moto_server serving
// three accounts (test/helpers/motoScopeAccounts.ts: role credentials from AssumeRole land in each account), the
// SSO portal stand-in (test/helpers/ssoPortalStandIn.ts) and the Cost Explorer stand-in in front of moto
// (test/helpers/ceEndpoint.ts + costData.ts, held to botocore's ce model: moto's GetCostAndUsage hands out
// seeded results in first-asked order and knows no organization). The stand-in answers as an AWS Organization
// does: the management (payer) account sees every account's costs, a member account only its own, told apart by
// the signer's access key. Through the client factory with each member's role credentials and the billing
// ledger, as the extension builds them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOClient } from '@aws-sdk/client-sso';
import { ClientFactory, type ClientCtor, type SdkClient } from '../../src/aws/clientFactory';
import { readSharedFiles } from '../../src/aws/profiles';
import { ScopeMembers } from '../../src/aws/scope/members';
import type { ScopeMember } from '../../src/aws/scope/scope';
import { readSsoToken, SsoPortal } from '../../src/aws/scope/ssoPortal';
import { BillingLedger } from '../../src/billing/ledger';
import { DiskCache } from '../../src/cache/diskCache';
import { ScopeCosts, type KnownPayers } from '../../src/costs/accounts';
import { sdkCeApi } from '../../src/costs/api';
import { monthToDate } from '../../src/costs/dates';
import { parsePages, total, totalsBy } from '../../src/costs/math';
import { CostStore } from '../../src/costs/store';
import { CostService, OutsideScopeError, type DashboardParams } from '../../src/costs/service';
import { answerCostAndUsage, answerForecast, costExplorerAnswers, EC2 } from '../helpers/costData';
import { ceModelProblems, startCeEndpoint, type CeEndpoint } from '../helpers/ceEndpoint';
import { startMotoAccounts, VIEWER_ROLE, type MotoAccounts } from '../helpers/motoScopeAccounts';
import { startSsoPortalStandIn, type SsoPortalStandIn } from '../helpers/ssoPortalStandIn';
import { ssoSessionSection, writeSsoToken } from '../helpers/ssoHome';

const TODAY = '2024-03-15';
const NOW = Date.parse(`${TODAY}T10:00:00Z`);
// The accounts of test/helpers/costData.ts: prod (the organization's payer here) and dev; a third with no costs.
const PAYER = '111111111111';
const DEV = '222222222222';
const EMPTY = '333333333333';
const TOKEN = 'sso-access-token-for-cost-tests';
const SESSION = 'org';

let accounts: MotoAccounts;
let portal: SsoPortalStandIn;
let ce: CeEndpoint;
const keyAccount = new Map<string, string>();
const saved = { HOME: process.env.HOME, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };

before(async () => {
  // An AWS Organization in moto: PAYER its management account, two members made by CreateAccount (moto's ids);
  // DEV and EMPTY are in no organization.
  accounts = await startMotoAccounts([PAYER, DEV, EMPTY].map((id) => ({ id, buckets: [], viewer: 'allowAll' as const })), { organization: { management: PAYER, members: 2 } });
  const [member1, member2] = accounts.organizationMembers;
  portal = await startSsoPortalStandIn({
    accessToken: TOKEN,
    // Sorted by name, the payer is not first: finding it from Cost Explorer's answers is part of the test.
    accounts: [
      { accountId: PAYER, accountName: 'Org Management', roles: [VIEWER_ROLE] },
      { accountId: DEV, accountName: 'Dev', roles: [VIEWER_ROLE] },
      { accountId: EMPTY, accountName: 'Sandbox', roles: [VIEWER_ROLE] },
      // Members of PAYER's organization: by name before the payer.
      { accountId: member1, accountName: 'Analytics', roles: [VIEWER_ROLE] },
      { accountId: member2, accountName: 'Billing Tools', roles: [VIEWER_ROLE] },
    ],
    credentials: async (accountId, roleName) => {
      const c = await accounts.assume(accountId, roleName);
      keyAccount.set(c.accessKeyId, accountId);
      return c;
    },
  });
  ce = await startCeEndpoint(accounts.moto.endpoint, costExplorerAnswers(() => TODAY, { organization: { payer: PAYER, accountOf: (k) => (k ? keyAccount.get(k) : undefined) } }));
  const home = mkdtempSync(join(tmpdir(), 'cm-costs-accounts-'));
  process.env.HOME = home;
  writeFileSync(join(home, 'config'), ssoSessionSection(SESSION, { startUrl: 'https://org.awsapps.com/start', scopes: false }));
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  writeSsoToken(home, SESSION, { accessToken: TOKEN, expiresAt: new Date(Date.now() + 3_600_000), startUrl: 'https://org.awsapps.com/start' });
});

after(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  await ce?.close();
  await portal?.stop();
  await accounts?.moto.stop();
});

/** One VS Code window's worth: the scope's members, a client factory recording into a billing ledger, a cache. */
async function window(ids: string[], payers: KnownPayers, opts: { organizations?: boolean; unreadableAccount?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cm-costs-accounts-window-'));
  const ledger = new BillingLedger(join(dir, 'billing.jsonl'), () => NOW);
  const files = await readSharedFiles();
  const accountOfKey = new Map<string, string>();
  // As AwsConnection.clientAs does: the member's credentials and account id, every call into the ledger.
  // Organizations goes to moto itself: moto checks signatures under IAM enforcement, and the stand-in's
  // forward re-hosts a request (a signature made for the stand-in's host does not match at moto's).
  const factory = new ClientFactory(() => ({ files, profiles: [], env: { AWS_ENDPOINT_URL: ce.url, AWS_ENDPOINT_URL_SSO: portal.url, AWS_ENDPOINT_URL_ORGANIZATIONS: accounts.moto.endpoint } }));
  factory.billing = { sink: { ledger }, account: (key) => accountOfKey.get(key) ?? '' };
  const scope = new ScopeMembers({ kind: 'ssoSession', session: SESSION, roles: ids.map((accountId) => ({ accountId, roleName: VIEWER_ROLE })), regions: ['us-east-1'] }, {
    files: () => readSharedFiles(),
    portal: (s) => new SsoPortal({ client: () => factory.signIn(SSOClient, `sso-session:${s.name}`, s.region), token: () => readSsoToken(s.name) }),
  });
  const clientOf = <T extends SdkClient>(m: ScopeMember, ctor: ClientCtor<T>) => {
    factory.provide(m.key, scope.credentials(m)!);
    accountOfKey.set(m.key, m.accountId!);
    return factory.get(ctor, m.key, 'us-east-1', 'costs');
  };
  const cache = new DiskCache(join(dir, 'cache'), () => NOW);
  const stores = new Map<string, CostStore>();
  const storeFor = (m: ScopeMember) => {
    let s = stores.get(m.key);
    if (!s) {
      const client = () => clientOf(m, CostExplorerClient);
      stores.set(m.key, (s = new CostStore({ cache, api: () => sdkCeApi(client), scope: () => `account:${m.key}|${ce.url}`, ttlMs: () => 6 * 3_600_000, lockDir: join(dir, 'locks'), now: () => NOW })));
    }
    return s;
  };
  // `unreadableAccount`: that member comes without its account id, and reading it fails (as STS can for a profile).
  const members = async () => (await scope.members()).map((m) => (m.accountId === opts.unreadableAccount ? { ...m, accountId: undefined } : m));
  const costs = new ScopeCosts({
    members,
    storeFor,
    payers,
    accountOf: async (m) => { if (!m.accountId) throw new Error('ExpiredToken: the security token included in the request is expired'); return m.accountId; },
    // As src/costs/accountsView.ts asks it: DescribeOrganization with the member's own credentials.
    ...(opts.organizations ? { managementAccountOf: async (m: ScopeMember) => (await clientOf(m, OrganizationsClient).send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId } : {}),
    today: () => TODAY,
  });
  const linesOf = async (service: string) => { await ledger.flush(); return (await ledger.lines()).filter((l) => l.service === service); };
  return { costs, stores, storeFor, members: () => scope.members(), ceLines: () => linesOf('ce'), linesOf, close: () => factory.clear() };
}

function memoryPayers(): KnownPayers & { list: string[] } {
  const list: string[] = [];
  return { list, ids: () => list, remember: (id) => { if (!list.includes(id)) list.push(id); } };
}

/** What Cost Explorer answers the account itself: its month to date and top service, straight from the stand-in's line items. */
function ownFigures(account: string) {
  const page = answerCostAndUsage({ TimePeriod: { Start: '2024-03-01', End: '2024-03-16' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] }, TODAY, Infinity, { viewer: account });
  const rows = parsePages([page]).rows;
  return { mtd: total(rows, 'UnblendedCost', monthToDate(TODAY)), services: totalsBy(rows, 0, 'UnblendedCost', monthToDate(TODAY)) };
}

const close = (a: number, b: number) => Math.abs(a - b) < 0.01;

describe('costs across accounts (moto 3 accounts, SSO portal stand-in, Cost Explorer stand-in answering as an organization)', () => {
  test('payer in the scope: found from its own answer, then ONE GetCostAndUsage per window serves every account, paid by the payer', async () => {
    const payers = memoryPayers();
    const first = await window([PAYER, DEV, EMPTY], payers);
    ce.requests.length = 0;
    // Nothing known yet: the price shown before asking is one request per account, the most this load makes.
    const before = await first.costs.estimate('all', false);
    assert.equal(before.plan.kind, 'perAccount');
    assert.equal(before.requests, 3);
    const found = await first.costs.load('UnblendedCost', 'all', 'auto');
    assert.equal(found.plan.kind, 'payer');
    assert.deepEqual(payers.list, [PAYER], 'the account whose answer lists other accounts is the payer');
    // Dev (first by name) answered for itself, then the payer's answer ended the asking.
    assert.deepEqual(ce.requests.map((r) => [r.op, keyAccount.get(r.accessKeyId!)]), [['GetCostAndUsage', DEV], ['GetCostAndUsage', PAYER]]);
    assert.ok(ce.count() <= before.requests);
    first.close();

    // Another window, nothing cached: the payer known, one request per window of months.
    const second = await window([PAYER, DEV, EMPTY], payers);
    ce.requests.length = 0;
    const priced = await second.costs.estimate('all', false);
    assert.equal(priced.plan.kind, 'payer');
    assert.equal(priced.requests, 1);
    const view = await second.costs.load('UnblendedCost', 'all', 'auto');
    assert.equal(ce.count('GetCostAndUsage'), 1, 'one request for every account');
    assert.equal(ce.count(), priced.requests, 'exactly what was priced');
    assert.equal(keyAccount.get(ce.requests[0].accessKeyId!), PAYER, 'signed by the payer');
    assert.deepEqual(ce.requests[0].body.GroupBy, [{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }]);
    const byId = new Map(view.accounts.map((a) => [a.accountId, a]));
    for (const id of [PAYER, DEV]) {
      const want = ownFigures(id);
      const got = byId.get(id)!;
      assert.ok(close(got.monthToDate, want.mtd), `${id}: ${got.monthToDate} from the payer's answer = ${want.mtd} from its own`);
      assert.ok(got.monthToDate > 0);
      assert.equal(got.servedBy, 'payer');
      assert.ok(close(got.services[0].amount, Math.max(...want.services.values())));
    }
    assert.equal(byId.get(PAYER)!.services[0].name, EC2);
    assert.equal(byId.get(EMPTY)!.monthToDate, 0);
    assert.equal(byId.get(EMPTY)!.absentFromPayer, true, 'an account the payer\'s answer does not list says so');
    assert.ok(!close(byId.get(PAYER)!.monthToDate, byId.get(DEV)!.monthToDate), 'each account has its own figures');

    // A manual refresh: the open month again, still one request, again the payer's.
    ce.requests.length = 0;
    const refresh = await second.costs.estimate('all', true);
    for (const s of second.stores.values()) s.markStale();
    await second.costs.load('UnblendedCost', 'all', 'auto');
    assert.equal(refresh.requests, 1);
    assert.equal(ce.count(), 1);
    const lines = await second.ceLines();
    assert.deepEqual([...new Set(lines.map((l) => l.account))], [PAYER], 'the ledger records the payer as the account that paid');
    assert.equal(lines.reduce((s, l) => s + l.n, 0), 2);
    second.close();
  });

  test('payer absent: the price shown before asking (one request per account) is what is then asked; each account pays its own', async () => {
    const payers = memoryPayers();
    const w = await window([DEV, EMPTY], payers);
    ce.requests.length = 0;
    const priced = await w.costs.estimate('all', false);
    assert.equal(priced.plan.kind, 'perAccount');
    assert.equal(priced.requests, 2);
    assert.equal(ce.count(), 0, 'pricing asks nothing');
    const view = await w.costs.load('UnblendedCost', 'all', 'auto');
    assert.equal(ce.count(), priced.requests);
    assert.deepEqual(payers.list, [], 'no member answered for another account');
    assert.ok(close(view.accounts.find((a) => a.accountId === DEV)!.monthToDate, ownFigures(DEV).mtd));
    assert.equal(view.accounts.find((a) => a.accountId === DEV)!.servedBy, 'own');
    const lines = await w.ceLines();
    assert.deepEqual(lines.map((l) => [l.account, l.n]).sort(), [[DEV, 1], [EMPTY, 1]], 'each account paid for its own request');

    // A refresh: priced, then asked, the same number.
    ce.requests.length = 0;
    const again = await w.costs.estimate('all', true);
    for (const s of w.stores.values()) s.markStale();
    await w.costs.load('UnblendedCost', 'all', 'auto');
    assert.equal(again.requests, 2);
    assert.equal(ce.count(), again.requests);
    w.close();
  });

  test('payer named by Organizations (moto: an organization, its management account and two members): the FIRST load is ONE GetCostAndUsage, signed by the payer; DescribeOrganization asked once per member, free, in the ledger', async () => {
    const payers = memoryPayers();
    const [member1, member2] = accounts.organizationMembers;
    const w = await window([member1, PAYER, member2], payers, { organizations: true });
    ce.requests.length = 0;
    const view = await w.costs.load('UnblendedCost', 'all', 'auto');
    assert.deepEqual(ce.requests.map((r) => [r.op, keyAccount.get(r.accessKeyId!)]), [['GetCostAndUsage', PAYER]], 'one request on the first load, from the payer');
    assert.equal(view.plan.kind, 'payer');
    assert.deepEqual(payers.list, [PAYER], 'the management account DescribeOrganization names, in the scope');
    assert.equal(view.accounts.length, 3);
    for (const a of view.accounts) assert.equal(a.servedBy, 'payer');
    const org = await w.linesOf('organizations');
    assert.deepEqual(org.map((l) => l.op), org.map(() => 'DescribeOrganization'));
    assert.deepEqual(org.map((l) => l.account).sort(), [member1, PAYER, member2].sort(), 'each member asked with its own credentials, once (cached across estimate and load)');
    assert.equal(org.reduce((n, l) => n + l.n, 0), 3);
    assert.equal(org.reduce((n, l) => n + l.failed, 0), 0);
    assert.equal(org.reduce((n, l) => n + l.usd, 0), 0, 'free');
    w.close();

    // Another window, nothing known or cached: the price shown before asking is already the payer's one request.
    const fresh = memoryPayers();
    const other = await window([member1, PAYER, member2], fresh, { organizations: true });
    ce.requests.length = 0;
    const priced = await other.costs.estimate('all', false);
    assert.equal(priced.plan.kind, 'payer');
    assert.equal(priced.requests, 1);
    assert.equal(ce.count(), 0, 'pricing asks Cost Explorer nothing');
    other.close();
  });

  test('accounts in no organization (moto: AWSOrganizationsNotInUseException): the costs are learnt as before, one request per account; Organizations is not asked again', async () => {
    const payers = memoryPayers();
    const w = await window([DEV, EMPTY], payers, { organizations: true });
    ce.requests.length = 0;
    const priced = await w.costs.estimate('all', false);
    assert.equal(priced.plan.kind, 'perAccount');
    assert.equal(priced.requests, 2);
    await w.costs.load('UnblendedCost', 'all', 'auto');
    assert.equal(ce.count(), 2);
    assert.deepEqual(payers.list, []);
    await w.costs.load('UnblendedCost', 'all', 'auto');
    const org = await w.linesOf('organizations');
    assert.equal(org.reduce((n, l) => n + l.n, 0), 2, 'once per account, though the plan was made three times');
    assert.equal(org.reduce((n, l) => n + l.failed, 0), 2, 'both answered AWSOrganizationsNotInUseException');
    w.close();
  });
});

/** The dashboard's defaults, grouped by account. */
const BY_ACCOUNT: DashboardParams = { rangeDays: 30, granularity: 'DAILY', dimension: 'LINKED_ACCOUNT', metric: 'UnblendedCost', excludeCreditsRefundsTax: false };

/** What the scope's dashboard asks (src/costs/feature.ts dashboardSource): the payer's store, filtered to the scope's accounts. */
async function scopeDashboard(w: Awaited<ReturnType<typeof window>>, params: DashboardParams) {
  const scope = await w.costs.dashboardScope();
  assert.equal(scope.plan.kind, 'payer');
  const store = scope.store!;
  const priced = await store.estimate((dry) => new CostService(dry, scope.accountIds).dashboard(params, '', 6, 'auto'));
  const data = await new CostService(store, scope.accountIds).dashboard(params, '', 6, 'auto');
  return { scope, priced, data };
}

/** The month-end forecast Cost Explorer makes for one account itself (its own answer, from the stand-in's line items). */
function ownForecastMonthEnd(account: string): number {
  const f = answerForecast({ TimePeriod: { Start: TODAY, End: '2024-04-01' }, Metric: 'UNBLENDED_COST' }, TODAY, { viewer: account });
  return Number(f.Total.Amount);
}

describe('the cost dashboard and its forecast across a scope\'s accounts (moto 3 accounts, Cost Explorer stand-in answering as an organization, held to botocore\'s ce model)', () => {
  test('payer in the scope: the same Cost Explorer requests as one account\'s dashboard, all signed by the payer and recorded under it, each filtered to the scope\'s LINKED_ACCOUNTs; each account\'s figures are its own', async () => {
    // One account's dashboard, as today: DEV alone, its own store, nothing cached.
    const one = await window([DEV], memoryPayers());
    const alone = await one.costs.dashboardScope();
    assert.equal(alone.plan.kind, 'perAccount', 'one account that is no payer');
    ce.requests.length = 0;
    await new CostService(one.storeFor((await one.members())[0])).dashboard(BY_ACCOUNT, '', 6, 'auto');
    const oneAccount = ce.requests.map((r) => r.op);
    assert.ok(oneAccount.includes('GetCostForecast') && oneAccount.includes('GetCostAndUsage'));
    for (const r of ce.requests) assert.equal(r.body.Filter, undefined, 'one account: no filter, as before');
    one.close();

    const payers = memoryPayers();
    payers.remember(PAYER, 'costExplorer');
    const w = await window([PAYER, DEV, EMPTY], payers);
    ce.requests.length = 0;
    const { scope, priced, data } = await scopeDashboard(w, BY_ACCOUNT);
    assert.deepEqual(scope.accountIds.slice().sort(), [PAYER, DEV, EMPTY].sort());
    assert.deepEqual(ce.requests.map((r) => r.op), oneAccount, 'the same requests as one account\'s dashboard');
    assert.equal(ce.count(), priced, 'exactly what was priced before asking');
    assert.deepEqual([...new Set(ce.requests.map((r) => keyAccount.get(r.accessKeyId!)))], [PAYER], 'every request signed by the payer');
    const scopeFilter = { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PAYER, DEV, EMPTY].sort() } };
    for (const r of ce.requests.filter((x) => x.op === 'GetCostAndUsage' || x.op === 'GetCostForecast')) {
      assert.deepEqual(r.body.Filter, scopeFilter, `${r.op} filtered to the scope's accounts`);
      assert.deepEqual(ceModelProblems(r.op, r.body, { ok: undefined }).input, [], `${r.op}'s request fits botocore's ce model`);
    }
    const lines = await w.ceLines();
    assert.deepEqual([...new Set(lines.map((l) => l.account))], [PAYER], 'the ledger records the payer as the account that paid');
    assert.equal(lines.reduce((s, l) => s + l.n, 0), priced);

    // Each account's figures: the payer's answer split by account equals what each account answers for itself.
    const mover = new Map(data.movers.map((m) => [m.key, m]));
    for (const id of [PAYER, DEV]) {
      assert.ok(mover.get(id), `${id} is in the dashboard`);
      assert.ok(close(mover.get(id)!.current, ownFigures(id).mtd), `${id}: ${mover.get(id)!.current} = its own ${ownFigures(id).mtd}`);
    }
    assert.match(mover.get(PAYER)!.label, /^prod \(111111111111\)$/, 'named from the payer\'s answer');
    assert.ok(close(data.monthToDate, ownFigures(PAYER).mtd + ownFigures(DEV).mtd), 'the month to date is every account\'s');
    assert.ok(data.forecast.monthEnd, 'the forecast covers the scope');
    w.close();
  });

  test('the Costs view and the dashboard under a payer share one request: the view asks the payer for the scope\'s LINKED_ACCOUNTs (the dashboard\'s very filter), so the dashboard then asks only what differs (no DAILY GetCostAndUsage); each account\'s figures unchanged', async () => {
    const payers = memoryPayers();
    payers.remember(PAYER, 'costExplorer');
    const w = await window([PAYER, DEV, EMPTY], payers);
    ce.requests.length = 0;
    const view = await w.costs.load('UnblendedCost', 'all', 'auto');
    assert.equal(view.plan.kind, 'payer');
    assert.deepEqual(ce.requests.map((r) => [r.op, r.body.Granularity, keyAccount.get(r.accessKeyId!)]), [['GetCostAndUsage', 'DAILY', PAYER]], 'the view: one request, the payer\'s');
    const scopeFilter = { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PAYER, DEV, EMPTY].sort() } };
    assert.deepEqual(ce.requests[0].body.Filter, scopeFilter, 'narrowed to the scope\'s accounts, as the dashboard asks');
    for (const id of [PAYER, DEV]) assert.ok(close(view.accounts.find((a) => a.accountId === id)!.monthToDate, ownFigures(id).mtd), `${id}: its own figures`);
    // The dashboard by account over the last 30 days (the view's months): its daily data is the view's answer.
    ce.requests.length = 0;
    const { priced, data } = await scopeDashboard(w, BY_ACCOUNT);
    const asked = ce.requests.map((r) => `${r.op}${r.body.Granularity ? ` ${String(r.body.Granularity)}` : ''}`);
    assert.ok(!asked.includes('GetCostAndUsage DAILY'), `no second daily request: ${asked.join(', ')}`);
    assert.ok(asked.some((a) => a.startsWith('GetCostForecast')), `the forecast (a request of its own) is still asked: ${asked.join(', ')}`);
    assert.equal(ce.count(), priced, 'exactly what was priced');
    assert.ok(close(data.monthToDate, ownFigures(PAYER).mtd + ownFigures(DEV).mtd), 'the month to date is every account\'s');
    w.close();
  });

  test('the filter keeps the dashboard inside the scope: an organization account outside it is not shown or forecast; the user\'s filter goes under And; a filter on an account outside the scope is refused before any request', async () => {
    const payers = memoryPayers();
    payers.remember(PAYER, 'costExplorer');
    // DEV is in the payer's organization (the payer's answer lists it) but not in this scope.
    const w = await window([PAYER, EMPTY], payers);
    ce.requests.length = 0;
    const { data } = await scopeDashboard(w, BY_ACCOUNT);
    assert.deepEqual(data.stacked.series.map((s) => s.key), [PAYER], 'only the scope\'s accounts');
    assert.ok(close(data.monthToDate, ownFigures(PAYER).mtd));
    const ahead = data.forecast.monthEnd!;
    // Month end = this month's actual so far + the forecast from today: the payer's forecast alone, not DEV's too.
    const forecastFromToday = ahead.monthEnd - data.forecast.actual.reduce<number>((s, v, i) => s + (data.forecast.days[i] < TODAY ? v ?? 0 : 0), 0);
    assert.ok(Math.abs(forecastFromToday - ownForecastMonthEnd(PAYER)) < 0.05, `forecast ${forecastFromToday} is the payer's own ${ownForecastMonthEnd(PAYER)}, not with dev's ${ownForecastMonthEnd(DEV)}`);

    // The user's filter (a service, credits excluded), with the scope's, under And: one operator per level.
    ce.requests.length = 0;
    await scopeDashboard(w, { ...BY_ACCOUNT, excludeCreditsRefundsTax: true, filter: { dimension: 'SERVICE', value: EC2 } });
    const first = ce.requests.find((r) => r.op === 'GetCostAndUsage')!;
    assert.deepEqual(first.body.Filter, { And: [
      { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } },
      { Dimensions: { Key: 'SERVICE', Values: [EC2] } },
      { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PAYER, EMPTY].sort() } },
    ] });
    for (const r of ce.requests) assert.deepEqual(ceModelProblems(r.op, r.body, { ok: undefined }).input, [], `${r.op} fits botocore's ce model`);

    // An account of the scope: under And with the scope's accounts.
    ce.requests.length = 0;
    const only = await scopeDashboard(w, { ...BY_ACCOUNT, filter: { dimension: 'LINKED_ACCOUNT', value: PAYER } });
    assert.deepEqual(ce.requests.find((r) => r.op === 'GetCostAndUsage')!.body.Filter, { And: [{ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PAYER] } }, { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PAYER, EMPTY].sort() } }] });
    assert.ok(close(only.data.monthToDate, ownFigures(PAYER).mtd));

    // An account outside the scope (DEV, which the payer sees): refused, nothing asked.
    ce.requests.length = 0;
    const scope = await w.costs.dashboardScope();
    await assert.rejects(new CostService(scope.store!, scope.accountIds).dashboard({ ...BY_ACCOUNT, filter: { dimension: 'LINKED_ACCOUNT', value: DEV } }, '', 6, 'auto'), OutsideScopeError);
    assert.equal(ce.count(), 0);
    // The filter's values offer the scope's accounts only.
    const values = await new CostService(scope.store!, scope.accountIds).filterValues('');
    assert.deepEqual(values.LINKED_ACCOUNT.map((v) => v.value), [PAYER]);
    w.close();
  });

  test('payer in the scope, one member\'s account id unreadable: it is named as not shown, never silently left out of the filter', async () => {
    const payers = memoryPayers();
    payers.remember(PAYER, 'costExplorer');
    const w = await window([PAYER, DEV, EMPTY], payers, { unreadableAccount: EMPTY });
    const scope = await w.costs.dashboardScope();
    assert.equal(scope.plan.kind, 'payer');
    assert.deepEqual(scope.accountIds.slice().sort(), [PAYER, DEV].sort());
    const label = (await w.members()).find((m) => m.accountId === EMPTY)!.label;
    assert.deepEqual(scope.unknown, [label], 'the member left out is named');
    assert.equal(scope.accounts, 3);
    w.close();
  });

  test('no payer in the scope: the dashboard is not served across accounts (the profile\'s own, with a notice); deciding asks Cost Explorer nothing', async () => {
    const w = await window([DEV, EMPTY], memoryPayers());
    ce.requests.length = 0;
    const scope = await w.costs.dashboardScope();
    assert.equal(scope.plan.kind, 'perAccount');
    assert.equal(scope.store, undefined);
    assert.equal(scope.accounts, 2);
    assert.equal(ce.count(), 0);
    w.close();
  });
});
