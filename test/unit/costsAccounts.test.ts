// ScopeCosts (src/costs/accounts.ts) on the in-process Cost Explorer fake (test/helpers/costData.ts), one fake
// per account seeing what that account would see in an organization: the payer every account, a member its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScopeMember } from '../../src/aws/scope/scope';
import { ACCOUNTS } from '../helpers/costData';
import { organizationCosts } from '../helpers/organizationCosts';

const NOW = Date.UTC(2024, 2, 15, 9);
const TODAY = '2024-03-15';
const [PAYER, DEV] = ACCOUNTS.map((a) => a.id);
const member = (accountId: string, label: string): ScopeMember => ({ key: `sso:org/${accountId}/ViewOnly`, label, accountId, roleName: 'ViewOnly', ssoSession: 'org' });

function scope(members: ScopeMember[], payers: string[], payer = PAYER) {
  return organizationCosts(members, { payer, payers, today: TODAY, now: NOW, accountOf: async () => undefined });
}

test('a known payer in the scope: one GetCostAndUsage from it gives every account its own figures; the price said so first', async () => {
  const s = scope([member(DEV, 'dev'), member(PAYER, 'management'), member('333333333333', 'empty')], [PAYER]);
  assert.deepEqual(await s.costs.estimate('all', false).then((e) => [e.plan.kind, e.requests]), ['payer', 1]);
  const view = await s.costs.load('UnblendedCost', 'all', 'auto');
  assert.deepEqual(s.asked(), [[PAYER, 1]]);
  const [dev, payer, empty] = view.accounts;
  assert.ok(dev.monthToDate > 0 && payer.monthToDate > dev.monthToDate, `${dev.monthToDate} < ${payer.monthToDate}`);
  assert.equal(dev.servedBy, 'payer');
  assert.equal(empty.absentFromPayer, true);
  assert.equal(payer.absentFromPayer, undefined);
  // Cached: a second render asks nothing, and a refresh is priced at one request.
  await s.costs.load('UnblendedCost', 'all', 'auto');
  assert.deepEqual(s.asked(), [[PAYER, 1]]);
  assert.equal((await s.costs.estimate('all', true)).requests, 1);
});

test('the same account on its own gives the figures the payer gave for it', async () => {
  const org = await scope([member(DEV, 'dev'), member(PAYER, 'management')], [PAYER]).costs.load('UnblendedCost', 'all', 'auto');
  const alone = await scope([member(DEV, 'dev'), member('333333333333', 'empty')], []).costs.load('UnblendedCost', 'all', 'auto');
  assert.equal(alone.plan.kind, 'perAccount');
  const a = alone.accounts[0];
  const o = org.accounts[0];
  assert.equal(a.servedBy, 'own');
  assert.ok(Math.abs(a.monthToDate - o.monthToDate) < 0.01);
  assert.deepEqual(a.services.map((x) => x.name), o.services.map((x) => x.name));
});

test('no payer known: accounts are asked one at a time and the first answer that lists other accounts ends it and is remembered', async () => {
  const payers: string[] = [];
  const s = scope([member(DEV, 'dev'), member(PAYER, 'management'), member('333333333333', 'empty')], payers);
  assert.equal((await s.costs.estimate('all', false)).requests, 3, 'priced per account before asking');
  const view = await s.costs.load('UnblendedCost', 'all', 'auto');
  assert.deepEqual(s.asked(), [[DEV, 1], [PAYER, 1]], 'the third account is served by the payer found on the way');
  assert.deepEqual(payers, [PAYER]);
  assert.equal(view.plan.kind, 'payer');
  assert.equal(view.accounts[0].servedBy, 'own');
  assert.equal(view.accounts[2].servedBy, 'payer');
});

test('cacheOnly asks nothing: every account says it is not loaded', async () => {
  const s = scope([member(DEV, 'dev'), member(PAYER, 'management')], [PAYER]);
  const view = await s.costs.load('UnblendedCost', 'all', 'cacheOnly');
  assert.deepEqual(s.asked(), []);
  assert.deepEqual(view.accounts.map((a) => a.notLoaded), [true, true]);
});

test('Organizations names the payer before any Cost Explorer request: the first load is one request; AccessDenied and "not in an organization" fall back to learning and are not asked again; a transient failure is', async () => {
  const members = [member(DEV, 'dev'), member('333333333333', 'empty'), member(PAYER, 'management')];
  const asked: string[] = [];
  const named = organizationCosts(members, { payer: PAYER, payers: [], today: TODAY, now: NOW, managementAccountOf: async (m) => { asked.push(m.accountId!); return PAYER; } });
  assert.deepEqual(await named.costs.estimate('all', false).then((e) => [e.plan.kind, e.requests]), ['payer', 1]);
  await named.costs.load('UnblendedCost', 'all', 'auto');
  assert.deepEqual(named.asked(), [[PAYER, 1]], 'one Cost Explorer request on the first load');
  assert.deepEqual(asked.sort(), members.map((m) => m.accountId).sort(), 'each member once, cached across estimate and load');

  const fail = (name: string) => Object.assign(new Error(name), { name });
  const answers = new Map<string, string>([[DEV, 'AccessDeniedException'], ['333333333333', 'AWSOrganizationsNotInUseException'], [PAYER, 'TimeoutError']]);
  const tries: string[] = [];
  const unknown = organizationCosts(members, { payer: PAYER, payers: [], today: TODAY, now: NOW, managementAccountOf: async (m) => { tries.push(m.accountId!); throw fail(answers.get(m.accountId!)!); } });
  assert.equal((await unknown.costs.plan()).kind, 'perAccount');
  const view = await unknown.costs.load('UnblendedCost', 'all', 'auto');
  assert.equal(view.plan.kind, 'payer', 'learnt from Cost Explorer\'s answer, as before');
  assert.deepEqual(unknown.asked(), [[DEV, 1], ['333333333333', 1], [PAYER, 1]]);
  assert.deepEqual(tries.filter((t) => t === DEV).length, 1, 'AccessDenied is kept');
  assert.deepEqual(tries.filter((t) => t === '333333333333').length, 1, 'not in an organization is kept');
  assert.deepEqual(tries.filter((t) => t === PAYER).length, 2, 'a timeout is asked again on the next plan');
});
