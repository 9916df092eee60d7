import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allowsEveryoneUnconditionally, deniesInsecureTransport } from '../../src/buckets/policy';
import { aclCheck, effectivePab, evaluatePosture, hasProblems, publicGrantsOf, shortDescription, type AccountPab, type RawPosture } from '../../src/buckets/posture';

const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const TLS_DENY = { Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const PUBLIC_READ = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

function raw(over: Partial<RawPosture> = {}): RawPosture {
  return {
    publicAccessBlock: { value: ALL_ON },
    policyStatus: { value: { IsPublic: false } },
    policy: { value: policy(TLS_DENY) },
    encryption: { value: { algorithms: ['AES256'] } },
    versioning: { value: { status: 'Enabled' } },
    lifecycle: { value: { rules: 1, enabledRules: 1 } },
    ownership: { missing: true },
    acl: { value: { publicGrants: [] } },
    ...over,
  };
}
const noAccountPab: AccountPab = { missing: true };
const denied = { error: { code: 'AccessDenied', message: 'Access denied: Access Denied', kind: 'accessDenied' } };

describe('bucket policy reading', () => {
  test('TLS-only deny is recognised in its usual spellings', () => {
    assert.ok(deniesInsecureTransport(policy(TLS_DENY)));
    assert.ok(deniesInsecureTransport(policy({ ...TLS_DENY, Principal: { AWS: '*' }, Action: ['s3:*'], Condition: { BoolIfExists: { 'aws:securetransport': ['false'] } } })));
    assert.ok(deniesInsecureTransport(JSON.stringify({ Statement: { ...TLS_DENY, Condition: { Bool: { 'aws:SecureTransport': false } } } })));
  });
  test('near misses are not TLS-only', () => {
    assert.equal(deniesInsecureTransport(undefined), false);
    assert.equal(deniesInsecureTransport('not json'), false);
    assert.equal(deniesInsecureTransport(policy({ ...TLS_DENY, Effect: 'Allow' })), false);
    assert.equal(deniesInsecureTransport(policy({ ...TLS_DENY, Action: 's3:GetObject' })), false, 'only some actions');
    assert.equal(deniesInsecureTransport(policy({ ...TLS_DENY, Principal: { AWS: 'arn:aws:iam::1:root' } })), false);
    assert.equal(deniesInsecureTransport(policy({ ...TLS_DENY, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })), false);
  });
  test('Allow to everyone without a condition reads as public', () => {
    assert.ok(allowsEveryoneUnconditionally(policy(PUBLIC_READ)));
    assert.equal(allowsEveryoneUnconditionally(policy({ ...PUBLIC_READ, Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } })), false);
    assert.equal(allowsEveryoneUnconditionally(policy(TLS_DENY)), false);
  });
});

describe('posture evaluation', () => {
  test('a locked-down bucket is ok with no flags', () => {
    const p = evaluatePosture(raw(), noAccountPab);
    assert.equal(p.level, 'ok');
    assert.deepEqual(p.flags, []);
    assert.equal(shortDescription(p), 'ok');
    assert.equal(hasProblems(p), false);
    assert.ok(p.hasLifecycle);
  });

  test('public policy without RestrictPublicBuckets is public!, first in the description', () => {
    const p = evaluatePosture(raw({ publicAccessBlock: { missing: true }, policyStatus: { value: { IsPublic: true } }, lifecycle: { missing: true } }), noAccountPab);
    assert.equal(p.level, 'bad');
    assert.deepEqual(p.flags, ['public', 'pabOff', 'noLifecycle']);
    assert.equal(shortDescription(p), 'public! · public access not blocked +1');
    assert.equal(p.checks.policyStatus.state, 'bad');
  });

  test('the account-level block covers a bucket without its own', () => {
    const account: AccountPab = { value: ALL_ON };
    const p = evaluatePosture(raw({ publicAccessBlock: { missing: true }, policyStatus: { value: { IsPublic: true } } }), account);
    assert.equal(p.checks.publicAccessBlock.state, 'ok');
    assert.match(p.checks.publicAccessBlock.summary, /account: all on/);
    // Public policy, but RestrictPublicBuckets (from the account) limits it: a warning, not public!.
    assert.equal(p.checks.policyStatus.state, 'warn');
    assert.ok(!p.flags.includes('public'));
    assert.deepEqual(effectivePab({ BlockPublicAcls: true }, { RestrictPublicBuckets: true }), { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true });
  });

  test('when IsPublic is absent (emulators), the policy itself decides', () => {
    const p = evaluatePosture(raw({ publicAccessBlock: { missing: true }, policyStatus: { value: {} }, policy: { value: policy(PUBLIC_READ) } }), noAccountPab);
    assert.ok(p.flags.includes('public'));
    assert.match(p.checks.policyStatus.summary, /allows "\*" without conditions; judged from the policy text/);
    assert.ok(p.flags.includes('noTls'));
  });

  test('no policy at all: not public, not TLS-only', () => {
    const p = evaluatePosture(raw({ policyStatus: { missing: true }, policy: { missing: true } }), noAccountPab);
    assert.equal(p.checks.policyStatus.state, 'ok');
    assert.equal(p.checks.tlsOnly.state, 'warn');
    assert.deepEqual(p.flags, ['noTls']);
    assert.equal(shortDescription(p), 'no TLS-only policy');
  });

  test('missing encryption, suspended versioning and disabled lifecycle rules', () => {
    const p = evaluatePosture(raw({ encryption: { missing: true }, versioning: { value: { status: 'Suspended' } }, lifecycle: { value: { rules: 2, enabledRules: 0 } } }), noAccountPab);
    assert.deepEqual(p.flags, ['noEncryption', 'noLifecycle', 'noVersioning']);
    assert.equal(p.checks.versioning.summary, 'suspended');
    assert.equal(p.checks.lifecycle.summary, 'all rules disabled');
    assert.equal(p.hasLifecycle, false);
  });

  test('one denied call marks that check only', () => {
    const p = evaluatePosture(raw({ policy: denied }), noAccountPab);
    assert.equal(p.checks.tlsOnly.state, 'error');
    assert.equal(p.checks.encryption.state, 'ok');
    assert.ok(p.flags.includes('checkFailed'));
    assert.equal(p.error, undefined);
    assert.equal(p.level, 'warn');
  });

  test('every call denied: one bucket-level error, not eight', () => {
    const all = raw({ publicAccessBlock: denied, policyStatus: denied, policy: denied, encryption: denied, versioning: denied, lifecycle: denied, ownership: denied, acl: denied });
    const p = evaluatePosture(all, noAccountPab);
    assert.equal(p.level, 'error');
    assert.equal(p.error?.kind, 'accessDenied');
    assert.equal(shortDescription(p), 'access denied');
    assert.ok(hasProblems(p));
  });
});

describe('public via the bucket ACL', () => {
  const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
  const AUTH_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
  const OWNER = { Grantee: { Type: 'CanonicalUser' as const, ID: 'abc' }, Permission: 'FULL_CONTROL' as const };
  const publicRead = { value: { publicGrants: publicGrantsOf([OWNER, { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' }]) } };
  const off = { missing: true } as const;

  test('only grants to AllUsers or AuthenticatedUsers are public, whatever the permission', () => {
    assert.deepEqual(publicGrantsOf([OWNER, { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE' }]), []);
    assert.deepEqual(publicGrantsOf([{ Grantee: { Type: 'Group', URI: AUTH_USERS }, Permission: 'WRITE_ACP' }, { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'FULL_CONTROL' }]),
      [{ group: 'AuthenticatedUsers', permission: 'WRITE_ACP' }, { group: 'AllUsers', permission: 'FULL_CONTROL' }]);
    assert.deepEqual(publicGrantsOf(undefined), []);
  });

  test('a public-read ACL with Block Public Access off and ACLs enabled is public!, and says why', () => {
    const p = evaluatePosture(raw({ publicAccessBlock: off, acl: publicRead }), noAccountPab);
    assert.equal(p.level, 'bad');
    assert.equal(p.flags[0], 'public');
    assert.match(shortDescription(p), /^public! · public access not blocked/);
    assert.equal(p.checks.policyStatus.state, 'ok', 'the policy is not what makes it public');
    assert.equal(p.checks.publicAcl.state, 'bad');
    assert.equal(p.checks.publicAcl.summary, 'the bucket ACL grants READ to AllUsers; IgnorePublicAcls is off and ACLs are enabled (Object Ownership: not set)');
  });

  test('IgnorePublicAcls at bucket or account level keeps a public ACL from counting (a warning, not public!)', () => {
    const bucketLevel = evaluatePosture(raw({ publicAccessBlock: { value: { IgnorePublicAcls: true } }, acl: publicRead }), noAccountPab);
    assert.ok(!bucketLevel.flags.includes('public'));
    assert.equal(bucketLevel.checks.publicAcl.state, 'warn');
    assert.match(bucketLevel.checks.publicAcl.summary, /IgnorePublicAcls is on \(bucket level\), so S3 ignores it/);
    const accountLevel = evaluatePosture(raw({ publicAccessBlock: off, acl: publicRead }), { value: { IgnorePublicAcls: true } });
    assert.ok(!accountLevel.flags.includes('public'));
    assert.match(accountLevel.checks.publicAcl.summary, /\(account level\)/);
    // BlockPublicAcls only stops new public ACLs; an existing one still counts.
    const blockOnly = evaluatePosture(raw({ publicAccessBlock: { value: { BlockPublicAcls: true } }, acl: publicRead }), noAccountPab);
    assert.ok(blockOnly.flags.includes('public'));
  });

  test('BucketOwnerEnforced disables ACLs: a public grant does not count', () => {
    const p = evaluatePosture(raw({ publicAccessBlock: off, ownership: { value: { objectOwnership: 'BucketOwnerEnforced' } }, acl: publicRead }), noAccountPab);
    assert.ok(!p.flags.includes('public'));
    assert.equal(p.checks.publicAcl.state, 'ok');
    assert.match(p.checks.publicAcl.summary, /^ACLs are disabled \(Object Ownership: BucketOwnerEnforced\)/);
    for (const o of ['BucketOwnerPreferred', 'ObjectWriter']) {
      assert.ok(evaluatePosture(raw({ publicAccessBlock: off, ownership: { value: { objectOwnership: o } }, acl: publicRead }), noAccountPab).flags.includes('public'), o);
    }
  });

  test('an unreadable ACL is a failed check unless public ACLs are ignored anyway', () => {
    const p = evaluatePosture(raw({ publicAccessBlock: off, acl: denied }), noAccountPab);
    assert.equal(p.checks.publicAcl.state, 'error');
    assert.ok(p.flags.includes('checkFailed'));
    assert.equal(aclCheck({ acl: denied, ownership: off }, effectivePab({ IgnorePublicAcls: true }, undefined), { IgnorePublicAcls: true }).state, 'ok');
    assert.equal(aclCheck({ acl: denied, ownership: { value: { objectOwnership: 'BucketOwnerEnforced' } } }, effectivePab(undefined, undefined)).state, 'ok');
    // Ownership unreadable but the ACL is public: AWS never keeps a public grant under BucketOwnerEnforced, so it counts.
    const r = aclCheck({ acl: publicRead, ownership: denied }, effectivePab(undefined, undefined));
    assert.equal(r.state, 'bad');
    assert.match(r.summary, /Object Ownership could not be read/);
  });
});
