// Triage of findings of several accounts of a multi-account scope (src/findings/triageScope.ts), against
// moto_server serving two accounts (test/helpers/motoScopeAccounts.ts: role credentials land in their own
// account) with the sandbox stand-in in front answering BatchUpdateFindings, which moto lacks (test/sandbox/gaps.ts):
// the stand-in applies a call in the account whose credentials signed it, as Security Hub does, so a call
// sent with the wrong account's credentials finds nothing to change and the test fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ClientFactory } from '../../src/aws/clientFactory';
import type { ScopeMember } from '../../src/aws/scope/scope';
import { loadFindings, triageFindings } from '../../src/findings/source';
import { callsFor, sharesByAccount, triageAcrossAccounts } from '../../src/findings/triageScope';
import type { FindingSummary } from '../../src/findings/model';
import { startMotoAccounts, VIEWER_ROLE, type MotoAccounts } from '../helpers/motoScopeAccounts';
import { startSandboxGaps, type SandboxGaps } from '../sandbox/gaps';

const PAYMENTS = '111111111111';
const DATA = '222222222222';
const SETTINGS = { severityFloor: 'INFORMATIONAL', productName: '' };

let accounts: MotoAccounts;
let gaps: SandboxGaps;
let factory: ClientFactory;

const member = (accountId: string, label: string): ScopeMember => ({ key: `sso:corp/${accountId}/${VIEWER_ROLE}`, label, accountId, roleName: VIEWER_ROLE, ssoSession: 'corp' });
const payments = member(PAYMENTS, 'Payments Prod');
const data = member(DATA, 'Data Dev');

/** A member's Security Hub client: its own role credentials (AssumeRole in moto), through the stand-in. */
function hubOf(m: ScopeMember): SecurityHubClient {
  factory.provide(m.key, async () => {
    const c = await accounts.assume(m.accountId!, VIEWER_ROLE);
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
  });
  return factory.get(SecurityHubClient, m.key, 'us-east-1', 'findings');
}
const members = new Map([payments, data].map((m) => [m.key, m]));

/** The findings as an account's node loads them: each remembers the member it was read through. */
async function loadAs(m: ScopeMember): Promise<FindingSummary[]> {
  const l = await loadFindings(hubOf(m), SETTINGS, { max: 100 });
  for (const f of l.findings) f.member = m.key;
  return l.findings;
}

/** The workflow status of each finding in moto, read in the account itself. */
async function statusesIn(accountId: string): Promise<Record<string, string>> {
  const hub = new SecurityHubClient(await accounts.clientConfigIn(accountId));
  const found = (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
  hub.destroy();
  return Object.fromEntries(found.map((f) => [f.Title!, f.Workflow?.Status ?? 'NEW']));
}

before(async () => {
  accounts = await startMotoAccounts([
    { id: PAYMENTS, buckets: ['payments-invoices'], findings: ['Payments public read', 'Payments no logging', 'Payments left alone'], viewer: 'allowAll' },
    { id: DATA, buckets: ['data-lake-raw'], findings: ['Data lake not encrypted', 'Data lake left alone'], viewer: 'allowAll' },
  ]);
  gaps = await startSandboxGaps(accounts.moto, { accounts });
  factory = new ClientFactory(() => ({ files: { configFile: {}, credentialsFile: {} }, profiles: [], env: { AWS_ENDPOINT_URL: gaps.endpoint } }));
});

after(async () => {
  factory?.clear();
  await gaps?.close();
  await accounts?.moto.stop();
});

describe('findings triage across the accounts of a scope (moto, 2 accounts; BatchUpdateFindings from the sandbox stand-in, keyed by the signing account: moto lacks it)', () => {
  test('the stand-in applies a call in the account that signed it: another account\'s finding is FindingNotFound there and stays unchanged', async () => {
    const [dataFinding] = (await loadAs(data)).filter((f) => f.title === 'Data lake not encrypted');
    gaps.batchUpdates.length = 0;
    // The wrong account's connection: the Payments role's client, for a Data finding.
    const r = await triageFindings(hubOf(payments), [dataFinding], 'SUPPRESSED', undefined);
    assert.equal(r.processed.length, 0);
    assert.deepEqual(r.failed.map((f) => f.code), ['FindingNotFound']);
    assert.deepEqual(gaps.batchUpdates.map((c) => c.accountId), [PAYMENTS]);
    assert.equal((await statusesIn(DATA))['Data lake not encrypted'], 'NEW');
  });

  test('a selection spanning two accounts: one BatchUpdateFindings per account, each signed by that account, each account\'s findings changed in moto and nothing else', async () => {
    const p = await loadAs(payments);
    const d = await loadAs(data);
    const pick = (list: FindingSummary[], title: string) => list.find((f) => f.title === title)!;
    const selection = [pick(p, 'Payments public read'), pick(d, 'Data lake not encrypted'), pick(p, 'Payments no logging')];
    // What the bulk confirmation counts: per account, its findings and its calls.
    assert.deepEqual(sharesByAccount(selection).map((s) => [s.member, s.findings.length, callsFor(s.findings)]), [[payments.key, 2, 1], [data.key, 1, 1]]);

    gaps.batchUpdates.length = 0;
    const asked: (string | undefined)[] = [];
    const r = await triageAcrossAccounts(selection, 'RESOLVED', 'fixed in both accounts', {
      hub: (key) => {
        asked.push(key);
        const m = key ? members.get(key) : payments; // undefined: the profile (Payments)
        if (!m) throw new Error(`no member ${key}`);
        return hubOf(m);
      },
      updatedBy: async (key) => `arn:aws:sts::${members.get(key!)!.accountId}:assumed-role/${VIEWER_ROLE}/me`,
    });
    assert.deepEqual(r.failed, []);
    assert.equal(r.processed.length, 3);
    assert.equal(r.calls, 2);
    assert.equal(r.accounts, 2);
    assert.deepEqual(asked, [payments.key, data.key], 'each account\'s client, never the profile\'s');
    assert.deepEqual(gaps.batchUpdates.map((c) => ({ accountId: c.accountId, ids: c.ids.length, processed: c.processed })), [
      { accountId: PAYMENTS, ids: 2, processed: 2 },
      { accountId: DATA, ids: 1, processed: 1 },
    ]);
    assert.deepEqual(await statusesIn(PAYMENTS), { 'Payments public read': 'RESOLVED', 'Payments no logging': 'RESOLVED', 'Payments left alone': 'NEW' });
    const dataNow = await statusesIn(DATA);
    assert.equal(dataNow['Data lake not encrypted'], 'RESOLVED');
    assert.equal(dataNow['Data lake left alone'], 'NEW');
    // Each account's note names that account's caller.
    const hub = new SecurityHubClient(await accounts.clientConfigIn(DATA));
    const noted = ((await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? []).find((f) => f.Title === 'Data lake not encrypted');
    hub.destroy();
    assert.equal(noted?.Note?.Text, 'fixed in both accounts');
    assert.match(noted?.Note?.UpdatedBy ?? '', new RegExp(`^arn:aws:sts::${DATA}:`));
  });

  test('an account no longer in the scope: its findings fail with the reason, the other account\'s go through; nothing is sent with another account\'s credentials', async () => {
    const p = (await loadAs(payments)).filter((f) => f.title === 'Payments left alone');
    const d = (await loadAs(data)).filter((f) => f.title === 'Data lake left alone');
    gaps.batchUpdates.length = 0;
    const r = await triageAcrossAccounts([...d, ...p], 'NOTIFIED', '', {
      hub: (key) => {
        if (key === data.key) throw Object.assign(new Error('Its account is no longer in the scope'), { name: 'NotInScope' });
        return hubOf(key ? members.get(key)! : payments); // undefined: the profile (Payments)
      },
    });
    assert.deepEqual(r.failed.map((f) => [f.code, (f.key as FindingSummary).title]), [['NotInScope', 'Data lake left alone']]);
    assert.equal(r.processed.length, 1);
    assert.deepEqual(gaps.batchUpdates.map((c) => c.accountId), [PAYMENTS]);
    assert.equal((await statusesIn(DATA))['Data lake left alone'], 'NEW');
    assert.equal((await statusesIn(PAYMENTS))['Payments left alone'], 'NOTIFIED');
  });
});
