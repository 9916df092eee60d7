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
import { answerCostAndUsage, costExplorerAnswers, EC2 } from '../helpers/costData';
import { startCeEndpoint, type CeEndpoint } from '../helpers/ceEndpoint';
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
async function window(ids: string[], payers: KnownPayers, opts: { organizations?: boolean } = {}) {
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
  const costs = new ScopeCosts({
    members: () => scope.members(),
    storeFor: (m: ScopeMember) => {
      let s = stores.get(m.key);
      if (!s) {
        const client = () => clientOf(m, CostExplorerClient);
        stores.set(m.key, (s = new CostStore({ cache, api: () => sdkCeApi(client), scope: () => `account:${m.key}|${ce.url}`, ttlMs: () => 6 * 3_600_000, lockDir: join(dir, 'locks'), now: () => NOW })));
      }
      return s;
    },
    payers,
    accountOf: async (m) => m.accountId,
    // As src/costs/accountsView.ts asks it: DescribeOrganization with the member's own credentials.
    ...(opts.organizations ? { managementAccountOf: async (m: ScopeMember) => (await clientOf(m, OrganizationsClient).send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId } : {}),
    today: () => TODAY,
  });
  const linesOf = async (service: string) => { await ledger.flush(); return (await ledger.lines()).filter((l) => l.service === service); };
  return { costs, stores, ceLines: () => linesOf('ce'), linesOf, close: () => factory.clear() };
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
