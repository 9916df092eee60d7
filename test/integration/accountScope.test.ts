// A scope of three accounts of an IAM Identity Center session, against moto_server serving three accounts
// (test/helpers/motoScopeAccounts.ts: AssumeRole into each account, IAM enforced so one account's role is
// really denied S3) and a stand-in for the SSO portal, which moto lacks (test/helpers/ssoPortalStandIn.ts,
// held to botocore's sso model). The same code the Buckets view runs per account: ScopeMembers, the client
// factory with each member's role credentials, the one concurrency limit, BucketsModel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSOClient } from '@aws-sdk/client-sso';
import { ClientFactory, type FactorySource } from '../../src/aws/clientFactory';
import { classifyAwsError } from '../../src/aws/errors';
import { readSharedFiles } from '../../src/aws/profiles';
import { Limiter, limitClient } from '../../src/aws/scope/limit';
import { ScopeMembers } from '../../src/aws/scope/members';
import { accountCount, scopeSummary, type ScopeMember } from '../../src/aws/scope/scope';
import { readSsoToken, SsoPortal } from '../../src/aws/scope/ssoPortal';
import { BillingLedger } from '../../src/billing/ledger';
import { memberBucketsApi } from '../../src/buckets/memberApi';
import { BucketsModel } from '../../src/buckets/model';
import { DiskCache } from '../../src/cache/diskCache';
import { startMotoAccounts, VIEWER_ROLE, type MotoAccounts } from '../helpers/motoScopeAccounts';
import { startLoopback } from '../helpers/loopback';
import { startSsoPortalStandIn, type SsoPortalStandIn } from '../helpers/ssoPortalStandIn';
import { ssoSessionSection, writeSsoToken } from '../helpers/ssoHome';

const PAYMENTS = '111111111111';
const DATA = '222222222222';
const DENIED = '333333333333';
const TOKEN = 'sso-access-token-for-tests';
const SESSION = 'corp';

let accounts: MotoAccounts;
let portal: SsoPortalStandIn;
let home: string;
const saved = { HOME: process.env.HOME, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };

function writeToken(expiresAt: Date, accessToken = TOKEN): string {
  return writeSsoToken(home, SESSION, { accessToken, expiresAt, refreshToken: 'never-used', clientId: 'c', clientSecret: 's' });
}

/**
 * The portal's clients as the extension makes them (AccountScope → AwsConnection.ssoPortalClient): from a client
 * factory whose endpoint setting is the stand-in, every call recorded in `ledger` when one is given.
 */
function portalFactory(ledger?: BillingLedger, source: Partial<FactorySource> = {}): ClientFactory {
  const factory = new ClientFactory(() => ({ files: { configFile: {}, credentialsFile: {} }, profiles: [], env: {}, endpointSetting: { url: portal.url }, ...source }));
  if (ledger) factory.billing = { sink: { ledger }, account: () => '' };
  return factory;
}

function scopeMembers(spec: ConstructorParameters<typeof ScopeMembers>[0] = { kind: 'ssoSession', session: SESSION, regions: ['us-east-1', 'eu-west-1'] }, factory = portalFactory()) {
  return new ScopeMembers(spec, {
    files: () => readSharedFiles(),
    portal: (s) => new SsoPortal({ client: () => factory.signIn(SSOClient, `sso-session:${s.name}`, s.region), token: () => readSsoToken(s.name) }),
    concurrency: 2,
  });
}

before(async () => {
  accounts = await startMotoAccounts([
    { id: PAYMENTS, buckets: ['payments-invoices', 'payments-logs'], viewer: 'allowAll' },
    { id: DATA, buckets: ['data-lake-raw'], viewer: 'allowAll' },
    { id: DENIED, buckets: ['sandbox-secret'], viewer: 'denyS3' },
  ]);
  portal = await startSsoPortalStandIn({
    accessToken: TOKEN,
    pageSize: 2, // three accounts: ListAccounts pages
    accounts: [
      { accountId: PAYMENTS, accountName: 'Payments Prod', roles: [VIEWER_ROLE, 'Billing'] },
      { accountId: DATA, accountName: 'Data <img src=x> Dev', roles: [VIEWER_ROLE] },
      { accountId: DENIED, accountName: 'Sandbox', roles: [VIEWER_ROLE] },
    ],
    credentials: (accountId, roleName) => accounts.assume(accountId, roleName),
  });
  home = mkdtempSync(join(tmpdir(), 'cm-scope-home-'));
  process.env.HOME = home;
  const config = join(home, 'config');
  writeFileSync(config, ssoSessionSection(SESSION));
  process.env.AWS_CONFIG_FILE = config;
});

after(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  await portal?.stop();
  await accounts?.moto.stop();
});

describe('scope of an IAM Identity Center session (moto, 3 accounts; SSO portal stand-in)', () => {
  test('the members are the accounts with their names, one role each by default; no account is asked anything yet', async () => {
    const tokenFile = writeToken(new Date(Date.now() + 3600_000));
    const before = readFileSync(tokenFile, 'utf8');
    const mtime = statSync(tokenFile).mtimeMs;
    portal.requests.length = 0;
    const members = await scopeMembers().members();
    assert.deepEqual(members.map((m) => [m.label, m.accountId, m.roleName]), [
      ['Data <img src=x> Dev', DATA, VIEWER_ROLE],
      ['Payments Prod', PAYMENTS, 'Billing'], // first role by name
      ['Sandbox', DENIED, VIEWER_ROLE],
    ]);
    assert.equal(scopeSummary(accountCount(members), 2), '3 accounts · 2 regions');
    const ops = portal.requests.map((r) => r.operation);
    assert.deepEqual(ops.filter((o) => o === 'ListAccounts').length, 2, 'three accounts at two a page');
    assert.equal(ops.filter((o) => o === 'ListAccountRoles').length, 3);
    assert.equal(ops.filter((o) => o === 'GetRoleCredentials').length, 0, 'no credentials before an account is opened');
    // The token cache is read, never written.
    assert.equal(readFileSync(tokenFile, 'utf8'), before);
    assert.equal(statSync(tokenFile).mtimeMs, mtime);
    assert.deepEqual(portal.rejected, []);
    assert.deepEqual(portal.answerProblems, []);
  });

  test('each account lists its own buckets through its role; the denied account fails alone; one limit bounds every request', async () => {
    writeToken(new Date(Date.now() + 3600_000));
    const scope = scopeMembers({ kind: 'ssoSession', session: SESSION, roles: [PAYMENTS, DATA, DENIED].map((accountId) => ({ accountId, roleName: VIEWER_ROLE })), regions: ['us-east-1'] });
    const members = await scope.members();
    assert.deepEqual(members.map((m) => m.roleName), [VIEWER_ROLE, VIEWER_ROLE, VIEWER_ROLE]);
    const files = await readSharedFiles();
    const factory = new ClientFactory(() => ({ files, profiles: [], env: { AWS_ENDPOINT_URL: accounts.moto.endpoint } }));
    const limiter = new Limiter(() => 2);
    const cache = new DiskCache(mkdtempSync(join(tmpdir(), 'cm-scope-cache-')));
    const model = (m: ScopeMember) => {
      factory.provide(m.key, scope.credentials(m)!);
      const client = <T extends { destroy(): void; config: { serviceId?: string } }>(ctor: new (config: never) => T, opts?: { region?: string }) =>
        limitClient(factory.get(ctor as never, m.key, opts?.region ?? 'us-east-1', 'buckets') as T, limiter);
      return new BucketsModel({
        api: memberBucketsApi(m, client, 'us-east-1'), cache, cacheScope: `account:${m.key}`,
        settings: () => ({ concurrency: 8, ttlMs: 0 }), log: { info: () => undefined, error: () => undefined },
      });
    };
    const byId = new Map(members.map((m) => [m.accountId!, m]));
    portal.requests.length = 0;

    // Expand two accounts: only they are asked for credentials.
    const payments = model(byId.get(PAYMENTS)!);
    const data = model(byId.get(DATA)!);
    const [p, d] = await Promise.all([payments.loadBuckets(), data.loadBuckets()]);
    assert.deepEqual(p.map((b) => b.name).sort(), ['payments-invoices', 'payments-logs']);
    assert.deepEqual(d.map((b) => b.name), ['data-lake-raw']);
    const asked = () => portal.requests.filter((r) => r.operation === 'GetRoleCredentials').map((r) => r.input.accountId).sort();
    assert.deepEqual(asked(), [PAYMENTS, DATA].sort(), 'the third account, never expanded, is never asked');

    // The posture scans of both accounts run together, under the one limit.
    await new Promise<void>((resolve) => {
      const done = () => !payments.scan.running && !data.scan.running && payments.postures.size === 2 && data.postures.size === 1;
      const check = () => (done() ? resolve() : setTimeout(check, 50));
      check();
    });
    assert.equal(limiter.peak, 2, 'two requests at most in flight across the accounts, and the limit was reached');
    assert.equal(limiter.inFlight, 0);

    // The denied account: AccessDenied from S3 itself (moto enforces the role's policy), under its own node.
    const denied = model(byId.get(DENIED)!);
    const err = await denied.loadBuckets().then(() => undefined, (e: unknown) => e);
    assert.ok(err, 'ListBuckets is denied to the Sandbox role');
    assert.equal(classifyAwsError(err).kind, 'accessDenied');
    // … and the other two still answer.
    assert.deepEqual((await data.loadBuckets()).map((b) => b.name), ['data-lake-raw']);
    // Credentials are fetched once per account, not per client or per request.
    assert.deepEqual(asked(), [PAYMENTS, DATA, DENIED].sort());
    assert.deepEqual(portal.rejected, []);
    assert.deepEqual(portal.answerProblems, []);
    factory.clear();
  });

  test('an expired cached token is refused before any portal call, as "sign in with SSO"', async () => {
    writeToken(new Date(Date.now() - 60_000));
    portal.requests.length = 0;
    const err = await scopeMembers().members().then(() => undefined, (e: unknown) => e);
    assert.equal(classifyAwsError(err).kind, 'ssoExpired');
    assert.deepEqual(classifyAwsError(err).actions[0], 'ssoLogin');
    assert.equal(portal.requests.length, 0);
    assert.ok(!String((err as Error).message).includes(TOKEN));
  });

  test('a token the portal no longer accepts (signed out elsewhere) is UnauthorizedException, classified as "sign in with SSO"', async () => {
    writeToken(new Date(Date.now() + 3600_000), 'revoked-token');
    const err = await scopeMembers().members().then(() => undefined, (e: unknown) => e);
    assert.equal((err as Error).name, 'UnauthorizedException');
    assert.equal(classifyAwsError(err).kind, 'ssoExpired');
    assert.ok(!String((err as Error).message).includes('revoked-token'));
    assert.deepEqual(portal.answerProblems, []);
  });

  test('the portal is called through @aws-sdk/client-sso from the client factory: ListAccounts, ListAccountRoles and GetRoleCredentials are in the spend ledger (free), paged, held to the sso model', async () => {
    writeToken(new Date(Date.now() + 3600_000));
    const ledger = new BillingLedger(join(mkdtempSync(join(tmpdir(), 'cm-scope-ledger-')), 'billing.jsonl'));
    const factory = portalFactory(ledger);
    const scope = scopeMembers(undefined, factory);
    portal.requests.length = 0;
    const members = await scope.members();
    assert.equal(members.length, 3);
    await scope.credentials(members.find((m) => m.accountId === DATA)!)!();
    await ledger.flush();
    const sso = (await ledger.lines()).filter((l) => l.service === 'sso');
    const calls = (op: string) => sso.filter((l) => l.op === op).reduce((n, l) => n + l.n, 0);
    // Three accounts at two a page: two ListAccounts; a ListAccountRoles per account; one GetRoleCredentials.
    assert.deepEqual([calls('ListAccounts'), calls('ListAccountRoles'), calls('GetRoleCredentials')], [2, 3, 1]);
    assert.equal(sso.reduce((n, l) => n + l.n, 0), portal.requests.length, 'every portal request is in the ledger');
    for (const l of sso) {
      assert.equal(l.usd, 0, `${l.op} is free`);
      assert.equal(l.priced, true, `${l.op} has a price entry`);
      assert.equal(l.feature, 'sign-in');
      assert.equal(l.profile, `sso-session:${SESSION}`);
      assert.equal(l.region, 'eu-west-1', 'the sso-session\'s region');
    }
    assert.ok(!JSON.stringify(await ledger.lines()).includes(TOKEN), 'the token is not in the ledger');
    assert.deepEqual(portal.rejected, []);
    assert.deepEqual(portal.answerProblems, []);
    factory.clear();
  });

  test('the portal follows the user\'s endpoint override, never a workspace\'s endpoint setting (the bearer token would go there)', async () => {
    writeToken(new Date(Date.now() + 3600_000));
    let decoyHits = 0;
    const decoy = await startLoopback((_req, res) => { decoyHits++; res.writeHead(500).end(); });
    try {
      const factory = portalFactory(undefined, { endpointSetting: { url: decoy.url, fromWorkspace: true }, env: { AWS_ENDPOINT_URL_SSO: portal.url } });
      portal.requests.length = 0;
      const members = await scopeMembers(undefined, factory).members();
      assert.equal(members.length, 3);
      assert.equal(decoyHits, 0, 'nothing was sent to the workspace\'s endpoint');
      assert.ok(portal.requests.length >= 4, 'the environment\'s AWS_ENDPOINT_URL_SSO served the portal');
      factory.clear();
    } finally {
      await decoy.close();
    }
  });
});
