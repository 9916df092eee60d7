// The scope model (src/aws/scope): parsing what is stored, members from the SSO portal's lists, the status
// bar summary, role credentials refreshed before expiry, the one concurrency limit, the token cache read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Limiter } from '../../src/aws/scope/limit';
import { accountCount, accountNodeId, isMultiAccount, parseScope, profileMembers, regionNodeId, scopeGrouping, scopeRegions, scopeSummary, ssoMembers, SINGLE_PROFILE } from '../../src/aws/scope/scope';
import { regionName } from '../../src/aws/regions';
import { readSsoToken, REFRESH_MARGIN_MS, roleCredentialsProvider, ssoSessions, type RoleCredentials } from '../../src/aws/scope/ssoPortal';
import { COMMAND_LINK, HTTPS_LINK, ICON_SPOOF } from '../fixtures/hostile';

describe('scope model', () => {
  test('anything malformed is today\'s single profile', () => {
    for (const raw of [undefined, null, 'x', 42, {}, { kind: 'profiles', profiles: [] }, { kind: 'ssoSession' }, { kind: 'ssoSession', session: '  ' }, { kind: 'other' }]) {
      assert.deepEqual(parseScope(raw), SINGLE_PROFILE, JSON.stringify(raw));
    }
  });

  test('profiles and regions are checked; bad role refs are dropped', () => {
    assert.deepEqual(parseScope({ kind: 'profiles', profiles: ['dev', 'dev', ' prod ', 7], regions: ['us-east-1', 'nowhere', 'eu-west-1', 'us-east-1'] }),
      { kind: 'profiles', profiles: ['dev', 'prod'], regions: ['us-east-1', 'eu-west-1'] });
    assert.deepEqual(parseScope({ kind: 'ssoSession', session: 'corp', roles: [{ accountId: '111111111111', roleName: 'ViewOnly' }, { accountId: '12', roleName: 'x' }, { accountId: '222222222222', roleName: 'a b' }], regions: [] }),
      { kind: 'ssoSession', session: 'corp', roles: [{ accountId: '111111111111', roleName: 'ViewOnly' }], regions: [] });
  });

  test('regions: the scope\'s own set, else the connection\'s one', () => {
    assert.deepEqual(scopeRegions(SINGLE_PROFILE, 'eu-west-1'), ['eu-west-1']);
    assert.deepEqual(scopeRegions({ kind: 'profiles', profiles: ['a'], regions: [] }, 'eu-west-1'), ['eu-west-1']);
    assert.deepEqual(scopeRegions({ kind: 'profiles', profiles: ['a'], regions: ['us-east-1', 'us-west-2'] }, 'eu-west-1'), ['us-east-1', 'us-west-2']);
  });

  test('SSO members: named, sorted by name, first role by default, chosen roles, every role for the picker', () => {
    const accounts = [{ accountId: '222222222222', accountName: 'Data' }, { accountId: '111111111111', accountName: 'Payments' }, { accountId: '333333333333' }, {}];
    const roles = new Map([
      ['111111111111', [{ roleName: 'ViewOnly' }, { roleName: 'Admin' }]],
      ['222222222222', [{ roleName: 'ViewOnly' }]],
      ['333333333333', []],
    ]);
    const byDefault = ssoMembers('corp', accounts, roles);
    assert.deepEqual(byDefault.map((m) => [m.label, m.accountId, m.roleName, m.key]), [
      ['Data', '222222222222', 'ViewOnly', 'sso:corp/222222222222/ViewOnly'],
      ['Payments', '111111111111', 'Admin', 'sso:corp/111111111111/Admin'],
    ]);
    assert.deepEqual(ssoMembers('corp', accounts, roles, [{ accountId: '111111111111', roleName: 'ViewOnly' }]).map((m) => m.key), ['sso:corp/111111111111/ViewOnly']);
    const every = ssoMembers('corp', accounts, roles, 'all');
    assert.equal(every.length, 3);
    assert.equal(accountCount(every), 2, 'two roles in one account are one account');
  });

  test('"12 accounts · 3 regions"; nothing for one account in one region', () => {
    assert.equal(scopeSummary(12, 3), '12 accounts · 3 regions');
    assert.equal(scopeSummary(2, 1), '2 accounts · 1 region');
    assert.equal(scopeSummary(1, 2), '1 account · 2 regions');
    assert.equal(scopeSummary(1, 1), undefined);
    assert.equal(isMultiAccount(profileMembers(['dev'])), false);
    assert.equal(isMultiAccount(profileMembers(['dev', 'prod'])), true);
    assert.equal(accountCount(profileMembers(['dev', 'prod'])), 2);
  });

  test('account names from the portal are kept as given (the tree shows them as plain text)', () => {
    for (const name of [COMMAND_LINK, HTTPS_LINK, ICON_SPOOF]) {
      const [m] = ssoMembers('corp', [{ accountId: '111111111111', accountName: name }], new Map([['111111111111', [{ roleName: 'R' }]]]));
      assert.equal(m.accountName, name);
    }
  });

  test('sso-sessions come from [sso-session] sections with a region', () => {
    assert.deepEqual(ssoSessions({ 'sso-session.corp': { sso_region: 'eu-west-1', sso_start_url: 'https://x' }, 'sso-session.bad': {}, dev: { region: 'us-east-1' } }),
      [{ name: 'corp', region: 'eu-west-1', startUrl: 'https://x' }]);
  });
});

describe('the region level of a scope (node ids)', () => {
  const sso = ssoMembers('corp', [{ accountId: '111111111111', accountName: 'Payments' }, { accountId: '222222222222', accountName: 'Data' }],
    new Map([['111111111111', [{ roleName: 'ViewOnly' }, { roleName: 'Billing' }]], ['222222222222', [{ roleName: 'ViewOnly' }]]]), 'all');

  test('grouped by account for several members, by region for several regions, not at all for one of each', () => {
    const one = profileMembers(['dev']);
    const two = profileMembers(['dev', 'prod']);
    assert.equal(scopeGrouping(one, ['us-east-1']), undefined);
    assert.equal(scopeGrouping(one, []), undefined);
    assert.equal(scopeGrouping([], ['us-east-1', 'eu-west-1']), undefined);
    assert.deepEqual(scopeGrouping(two, ['us-east-1']), { byAccount: true, byRegion: false });
    assert.deepEqual(scopeGrouping(one, ['us-east-1', 'eu-west-1']), { byAccount: false, byRegion: true });
    assert.deepEqual(scopeGrouping(two, ['us-east-1', 'eu-west-1']), { byAccount: true, byRegion: true });
  });

  test('one id per account × region, under its account\'s id, the same on every call (expansion survives a refresh)', () => {
    const regions = ['us-east-1', 'eu-west-1'];
    assert.equal(sso.length, 3, 'two roles of one account are two members');
    const ids = sso.flatMap((m) => regions.map((r) => regionNodeId('cloudMonitor.findings', m.key, r)));
    assert.equal(new Set(ids).size, sso.length * regions.length, ids.join('\n'));
    for (const m of sso) {
      for (const r of regions) {
        const id = regionNodeId('cloudMonitor.findings', m.key, r);
        assert.ok(id.startsWith(`${accountNodeId('cloudMonitor.findings', m.key)}/`), id);
        assert.ok(id.endsWith(`/${r}`), id);
        assert.equal(regionNodeId('cloudMonitor.findings', m.key, r), id);
      }
    }
    assert.equal(regionNodeId('cloudMonitor.logs', 'dev', 'eu-west-1'), 'cloudMonitor.logs/account/dev/region/eu-west-1');
    // Another view's nodes never share an id with this one's.
    assert.notEqual(regionNodeId('cloudMonitor.logs', 'dev', 'eu-west-1'), regionNodeId('cloudMonitor.alerts', 'dev', 'eu-west-1'));
    // No region id is an account id (a region node under an account, or at the top for one account).
    const accountIds = new Set(sso.map((m) => accountNodeId('cloudMonitor.findings', m.key)));
    assert.ok(ids.every((id) => !accountIds.has(id)));
  });

  test('profile names that look like id paths (`x/region/eu-west-1`, `x/region`, `x%2F`) never give another node\'s id, nor an id under another member\'s node', () => {
    const keys = profileMembers(['x', 'x/region/eu-west-1', 'x/region', 'x%2Fregion%2Feu-west-1', 'sso:corp/222222222222/ViewOnly']).map((m) => m.key);
    const regions = ['us-east-1', 'eu-west-1'];
    const nodes = keys.flatMap((k) => [{ k, id: accountNodeId('cloudMonitor.logs', k) }, ...regions.map((r) => ({ k, id: regionNodeId('cloudMonitor.logs', k, r) }))]);
    assert.equal(new Set(nodes.map((n) => n.id)).size, nodes.length, nodes.map((n) => n.id).join('\n'));
    // A view's rows start with their place's id and `/`: no node of one member may sit under another member's node.
    for (const a of nodes) {
      for (const b of nodes) {
        if (a.k !== b.k) assert.ok(!a.id.startsWith(`${b.id}/`), `${a.id} is under ${b.id}`);
      }
    }
  });

  test('a region is shown with its name from the region table; an unknown one by its code alone', () => {
    assert.equal(regionName('eu-west-1'), 'Europe (Ireland)');
    assert.equal(regionName('us-east-1'), 'US East (N. Virginia)');
    assert.equal(regionName('xx-nowhere-9'), undefined);
  });
});

describe('role credentials', () => {
  test('fetched once, shared by concurrent callers, refreshed REFRESH_MARGIN_MS before expiry', async () => {
    let now = 1_000_000;
    let calls = 0;
    const portal = {
      getRoleCredentials: async (): Promise<RoleCredentials> => {
        calls++;
        await new Promise((r) => setTimeout(r, 5));
        return { accessKeyId: `AKIA${calls}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(now + 3600_000) };
      },
    };
    const provider = roleCredentialsProvider(portal, '111111111111', 'ViewOnly', () => now);
    const [a, b] = await Promise.all([provider(), provider()]);
    assert.equal(calls, 1);
    assert.equal(a.accessKeyId, 'AKIA1');
    assert.equal(b, a);
    assert.equal(a.accountId, '111111111111');
    now += 3600_000 - REFRESH_MARGIN_MS - 1;
    assert.equal((await provider()).accessKeyId, 'AKIA1', 'still fresh');
    now += 2;
    assert.equal((await provider()).accessKeyId, 'AKIA2', 'refreshed inside the margin');
    assert.equal(calls, 2);
  });

  test('a failure is not kept: the next call asks again', async () => {
    let fail = true;
    const provider = roleCredentialsProvider({
      getRoleCredentials: async () => {
        if (fail) throw new Error('boom');
        return { accessKeyId: 'AKIA', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 3600_000) };
      },
    }, '111111111111', 'R');
    await assert.rejects(provider(), /boom/);
    fail = false;
    assert.equal((await provider()).accessKeyId, 'AKIA');
  });
});

describe('one concurrency limit', () => {
  test('never more than the limit in flight, read live', async () => {
    let limit = 3;
    const limiter = new Limiter(() => limit);
    const work = Array.from({ length: 20 }, (_, i) => limiter.run(async () => { await new Promise((r) => setTimeout(r, 2 + (i % 3))); return i; }));
    assert.deepEqual(await Promise.all(work), Array.from({ length: 20 }, (_, i) => i));
    assert.equal(limiter.peak, 3);
    limit = 1;
    const l2 = new Limiter(() => limit);
    await Promise.all([1, 2, 3].map(() => l2.run(() => new Promise((r) => setTimeout(r, 2)))));
    assert.equal(l2.peak, 1);
  });

  test('a failing request frees its slot', async () => {
    const limiter = new Limiter(() => 1);
    await assert.rejects(limiter.run(() => Promise.reject(new Error('x'))));
    assert.equal(await limiter.run(async () => 'ok'), 'ok');
    assert.equal(limiter.inFlight, 0);
  });
});

describe('the SSO token cache', () => {
  test('read by the session name\'s SHA-1; missing, broken or expired tokens say "sign in", never the token', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cm-sso-home-'));
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      await assert.rejects(readSsoToken('corp'), (e: Error) => e.name === 'SsoTokenMissing' && /Sign in with SSO/.test(e.message));
      const dir = join(home, '.aws', 'sso', 'cache');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${createHash('sha1').update('corp').digest('hex')}.json`);
      writeFileSync(file, '{not json');
      await assert.rejects(readSsoToken('corp'), (e: Error) => e.name === 'SsoTokenInvalid');
      writeFileSync(file, JSON.stringify({ accessToken: 'secret-token', expiresAt: new Date(Date.now() - 1000).toISOString() }));
      await assert.rejects(readSsoToken('corp'), (e: Error) => e.name === 'SsoTokenExpired' && !e.message.includes('secret-token'));
      writeFileSync(file, JSON.stringify({ accessToken: 'secret-token', expiresAt: new Date(Date.now() + 60_000).toISOString() }));
      assert.equal(await readSsoToken('corp'), 'secret-token');
    } finally {
      if (saved === undefined) delete process.env.HOME; else process.env.HOME = saved;
    }
  });
});
