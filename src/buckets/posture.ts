// Security posture of one bucket: the raw S3 answers, then a pure evaluation. No vscode import.
import {
  GetBucketAclCommand, GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand, GetBucketVersioningCommand, GetPublicAccessBlockCommand, type Grant, type S3Client,
} from '@aws-sdk/client-s3';
import { classifyAwsError, errorCode } from '../aws/errors';
import { allowsEveryoneUnconditionally, deniesInsecureTransport } from './policy';

export interface PabConfig { BlockPublicAcls?: boolean; IgnorePublicAcls?: boolean; BlockPublicPolicy?: boolean; RestrictPublicBuckets?: boolean }
const PAB_KEYS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** One API answer: a value, "not configured" (the 404 that S3 uses for that), or an error. */
export type Answer<T> = { value: T } | { missing: true } | { error: { code?: string; message: string; kind: string } };

export interface RawPosture {
  publicAccessBlock: Answer<PabConfig>;
  policyStatus: Answer<{ IsPublic?: boolean }>;
  policy: Answer<string>;
  encryption: Answer<{ algorithms: string[] }>;
  versioning: Answer<{ status?: string; mfaDelete?: string }>;
  lifecycle: Answer<{ enabledRules: number; rules: number }>;
  /** GetBucketOwnershipControls: BucketOwnerEnforced disables ACLs; "not configured" leaves them on. */
  ownership: Answer<{ objectOwnership?: string }>;
  /** GetBucketAcl, reduced to the grants that make a bucket public. */
  acl: Answer<{ publicGrants: PublicGrant[] }>;
}

/** The two grantee groups AWS treats as public (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee-predefined-groups). */
export const PUBLIC_GROUPS = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
} as const;
export interface PublicGrant { group: (typeof PUBLIC_GROUPS)[keyof typeof PUBLIC_GROUPS]; permission: string }

/** The grants to AllUsers or AuthenticatedUsers, whatever the permission (any of them makes the bucket public). */
export function publicGrantsOf(grants: readonly Grant[] | undefined): PublicGrant[] {
  const out: PublicGrant[] = [];
  for (const g of grants ?? []) {
    const group = PUBLIC_GROUPS[(g.Grantee?.URI ?? '') as keyof typeof PUBLIC_GROUPS] as PublicGrant['group'] | undefined;
    if (group) out.push({ group, permission: g.Permission ?? 'unknown' });
  }
  return out;
}

export const CHECKS = ['publicAccessBlock', 'policyStatus', 'publicAcl', 'encryption', 'versioning', 'lifecycle', 'tlsOnly'] as const;
export type CheckId = (typeof CHECKS)[number];
export const CHECK_LABELS: Record<CheckId, string> = {
  publicAccessBlock: 'Block Public Access',
  policyStatus: 'Public via policy',
  publicAcl: 'Public via ACL',
  encryption: 'Default encryption',
  versioning: 'Versioning',
  lifecycle: 'Lifecycle rules',
  tlsOnly: 'TLS-only policy (aws:SecureTransport)',
};

export type CheckState = 'ok' | 'warn' | 'bad' | 'error';
export interface CheckResult { state: CheckState; summary: string; code?: string }

/** Problems in priority order; the first ones make the tree item's description. */
export const FLAGS = ['public', 'checkFailed', 'pabOff', 'noEncryption', 'noTls', 'noLifecycle', 'noVersioning'] as const;
export type PostureFlag = (typeof FLAGS)[number];
export const FLAG_LABELS: Record<PostureFlag, string> = {
  public: 'public!',
  checkFailed: 'check failed',
  pabOff: 'public access not blocked',
  noEncryption: 'no default encryption',
  noTls: 'no TLS-only policy',
  noLifecycle: 'no lifecycle',
  noVersioning: 'no versioning',
};

export interface BucketPosture {
  checks: Record<CheckId, CheckResult>;
  flags: PostureFlag[];
  /** Worst state over the checks; 'error' only when no check could be read at all. */
  level: 'ok' | 'warn' | 'bad' | 'error';
  /** When every call failed, the one error that explains it (AccessDenied, wrong region…). */
  error?: { code?: string; message: string; kind: string };
  hasLifecycle: boolean;
}

/** The account-level Block Public Access (S3 Control), shared by every bucket. */
export type AccountPab = Answer<PabConfig>;

const NOT_CONFIGURED = new Set([
  'NoSuchPublicAccessBlockConfiguration', 'NoSuchBucketPolicy', 'ServerSideEncryptionConfigurationNotFoundError', 'NoSuchLifecycleConfiguration',
  'OwnershipControlsNotFoundError',
]);

export async function answer<T>(call: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { value: await call() };
  } catch (err) {
    const code = errorCode(err);
    if (code && NOT_CONFIGURED.has(code)) return { missing: true };
    const c = classifyAwsError(err);
    return { error: { code: c.code, message: c.message, kind: c.kind } };
  }
}

/** S3 calls per bucket in a posture check (fetchRawPosture); the scan's concurrency setting multiplies it. */
export const CALLS_PER_BUCKET = 8;

/** The eight S3 calls for one bucket, in parallel. Never throws: each answer carries its own error. */
export async function fetchRawPosture(s3: S3Client, Bucket: string): Promise<RawPosture> {
  const [publicAccessBlock, policyStatus, policy, encryption, versioning, lifecycle, ownership, acl] = await Promise.all([
    answer(async () => (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration ?? {}),
    answer(async () => (await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus ?? {}),
    answer(async () => (await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? ''),
    answer(async () => {
      const rules = (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules ?? [];
      return { algorithms: rules.map((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? '').filter(Boolean) };
    }),
    answer(async () => {
      const v = await s3.send(new GetBucketVersioningCommand({ Bucket }));
      return { status: v.Status, mfaDelete: v.MFADelete };
    }),
    answer(async () => {
      const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules ?? [];
      return { rules: rules.length, enabledRules: rules.filter((r) => r.Status === 'Enabled').length };
    }),
    answer(async () => ({ objectOwnership: (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership })),
    answer(async () => ({ publicGrants: publicGrantsOf((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants) })),
  ]);
  return { publicAccessBlock, policyStatus, policy, encryption, versioning, lifecycle, ownership, acl };
}

const isError = <T>(a: Answer<T>): a is { error: { code?: string; message: string; kind: string } } => 'error' in a;
const valueOf = <T>(a: Answer<T>): T | undefined => ('value' in a ? a.value : undefined);
const failed = (a: Answer<unknown>): CheckResult => (isError(a) ? { state: 'error', summary: `could not read: ${a.error.message}`, code: a.error.code } : { state: 'error', summary: 'could not read' });

/** Bucket and account settings combine: a flag is on if either level turns it on. */
export function effectivePab(bucket: PabConfig | undefined, account: PabConfig | undefined): Required<PabConfig> {
  const out = {} as Required<PabConfig>;
  for (const k of PAB_KEYS) out[k] = !!bucket?.[k] || !!account?.[k];
  return out;
}

function describePab(p: PabConfig | undefined): string {
  if (!p) return 'not set';
  const on = PAB_KEYS.filter((k) => p[k]);
  return on.length === 4 ? 'all on' : on.length === 0 ? 'all off' : `${on.join(', ')} on`;
}

/** Pure: turns the answers into checks, flags and a level. */
export function evaluatePosture(raw: RawPosture, account: AccountPab): BucketPosture {
  const answers = Object.values(raw) as Answer<unknown>[];
  const errors = answers.filter(isError);
  // Every call failed: the bucket is unreadable to us. Show one error, not eight.
  if (errors.length === answers.length) {
    const first = errors[0].error;
    const checks = Object.fromEntries(CHECKS.map((c) => [c, { state: 'error', summary: first.message, code: first.code }])) as Record<CheckId, CheckResult>;
    return { checks, flags: ['checkFailed'], level: 'error', error: first, hasLifecycle: false };
  }

  const flags = new Set<PostureFlag>();
  const checks = {} as Record<CheckId, CheckResult>;

  // Block Public Access: bucket and account level.
  const bucketPab = valueOf(raw.publicAccessBlock);
  const accountPab = valueOf(account);
  const pab = effectivePab(bucketPab, accountPab);
  const allOn = PAB_KEYS.every((k) => pab[k]);
  if (isError(raw.publicAccessBlock) && isError(account)) {
    checks.publicAccessBlock = failed(raw.publicAccessBlock);
  } else {
    const where = `bucket: ${isError(raw.publicAccessBlock) ? 'unreadable' : describePab(bucketPab)}; account: ${isError(account) ? `unreadable (${account.error.message})` : describePab(accountPab)}`;
    checks.publicAccessBlock = allOn
      ? { state: 'ok', summary: `all four settings on (${where})` }
      : { state: 'warn', summary: `off: ${PAB_KEYS.filter((k) => !pab[k]).join(', ')} (${where})` };
    if (!allOn) flags.add('pabOff');
  }

  // Public: AWS's own verdict (GetBucketPolicyStatus); emulators omit IsPublic, so fall back to reading the policy.
  const policyDoc = valueOf(raw.policy);
  const status = valueOf(raw.policyStatus);
  const statusMissing = 'missing' in raw.policyStatus;
  let publicByPolicy: boolean | undefined = statusMissing ? false : status?.IsPublic;
  let how = 'GetBucketPolicyStatus';
  if (publicByPolicy === undefined && status && !isError(raw.policy)) {
    // GetBucketPolicyStatus gave no verdict (emulators): judge from the policy text.
    publicByPolicy = allowsEveryoneUnconditionally(policyDoc);
    how = publicByPolicy ? 'the policy allows "*" without conditions; judged from the policy text' : 'no unconditional Allow to "*"; judged from the policy text';
  }
  if (publicByPolicy === undefined) {
    checks.policyStatus = failed(isError(raw.policyStatus) ? raw.policyStatus : raw.policy);
    flags.add('checkFailed');
  } else if (publicByPolicy && !pab.RestrictPublicBuckets) {
    checks.policyStatus = { state: 'bad', summary: `the bucket policy grants public access (${how})` };
    flags.add('public');
  } else if (publicByPolicy) {
    checks.policyStatus = { state: 'warn', summary: `the policy is public, but RestrictPublicBuckets limits it to AWS principals (${how})` };
  } else {
    checks.policyStatus = { state: 'ok', summary: statusMissing ? 'no bucket policy' : `not public (${how})` };
  }

  checks.publicAcl = aclCheck(raw, pab, bucketPab);
  if (checks.publicAcl.state === 'bad') flags.add('public');

  // Default encryption.
  const enc = raw.encryption;
  if (isError(enc)) checks.encryption = failed(enc);
  else if ('missing' in enc || !enc.value.algorithms.length) {
    checks.encryption = { state: 'warn', summary: 'no default encryption configured' };
    flags.add('noEncryption');
  } else checks.encryption = { state: 'ok', summary: enc.value.algorithms.join(', ') };

  // Versioning.
  const ver = raw.versioning;
  if (isError(ver)) checks.versioning = failed(ver);
  else {
    const s = valueOf(ver)?.status;
    if (s === 'Enabled') checks.versioning = { state: 'ok', summary: `enabled${valueOf(ver)?.mfaDelete === 'Enabled' ? ', MFA delete on' : ''}` };
    else {
      checks.versioning = { state: 'warn', summary: s === 'Suspended' ? 'suspended' : 'never enabled' };
      flags.add('noVersioning');
    }
  }

  // Lifecycle.
  const lc = raw.lifecycle;
  const hasLifecycle = 'value' in lc && lc.value.enabledRules > 0;
  if (isError(lc)) checks.lifecycle = failed(lc);
  else if (hasLifecycle) checks.lifecycle = { state: 'ok', summary: `${(lc as { value: { enabledRules: number } }).value.enabledRules} enabled rule(s)` };
  else {
    checks.lifecycle = { state: 'warn', summary: 'value' in lc && lc.value.rules ? 'all rules disabled' : 'no lifecycle rules' };
    flags.add('noLifecycle');
  }

  // TLS only.
  if (isError(raw.policy)) checks.tlsOnly = failed(raw.policy);
  else if (deniesInsecureTransport(policyDoc)) checks.tlsOnly = { state: 'ok', summary: 'the policy denies requests without TLS' };
  else {
    checks.tlsOnly = { state: 'warn', summary: policyDoc ? 'the policy does not deny aws:SecureTransport=false' : 'no bucket policy, so plain HTTP is not denied' };
    flags.add('noTls');
  }

  if (Object.values(checks).some((c) => c.state === 'error')) flags.add('checkFailed');
  const states = Object.values(checks).map((c) => c.state);
  const level = states.includes('bad') ? 'bad' : states.some((s) => s === 'warn' || s === 'error') ? 'warn' : 'ok';
  return { checks, flags: FLAGS.filter((f) => flags.has(f)), level, hasLifecycle };
}

const describeGrants = (grants: readonly PublicGrant[]) => grants.map((g) => `${g.permission} to ${g.group}`).join(', ');

/**
 * Public via the bucket ACL: a grant to AllUsers or AuthenticatedUsers counts unless S3 ignores it,
 * either because IgnorePublicAcls is on (bucket or account level) or because Object Ownership is
 * BucketOwnerEnforced, which disables ACLs altogether
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
 */
export function aclCheck(raw: Pick<RawPosture, 'acl' | 'ownership'>, pab: Required<PabConfig>, bucketPab?: PabConfig): CheckResult {
  const ownership = valueOf(raw.ownership)?.objectOwnership;
  if (ownership === 'BucketOwnerEnforced') {
    const ignored = valueOf(raw.acl)?.publicGrants ?? [];
    return { state: 'ok', summary: `ACLs are disabled (Object Ownership: BucketOwnerEnforced)${ignored.length ? `; the ACL's ${describeGrants(ignored)} has no effect` : ''}` };
  }
  const ignoredBy = pab.IgnorePublicAcls ? `IgnorePublicAcls is on (${bucketPab?.IgnorePublicAcls ? 'bucket' : 'account'} level)` : undefined;
  if (isError(raw.acl)) return ignoredBy ? { state: 'ok', summary: `${ignoredBy}, so S3 ignores public ACLs (the ACL itself could not be read: ${raw.acl.error.message})` } : failed(raw.acl);
  const grants = valueOf(raw.acl)?.publicGrants ?? [];
  if (!grants.length) return { state: 'ok', summary: 'no ACL grant to AllUsers or AuthenticatedUsers' };
  if (ignoredBy) return { state: 'warn', summary: `the ACL grants ${describeGrants(grants)}, but ${ignoredBy}, so S3 ignores it` };
  const owner = isError(raw.ownership) ? `Object Ownership could not be read (${raw.ownership.error.message})` : `ACLs are enabled (Object Ownership: ${ownership ?? 'not set'})`;
  return { state: 'bad', summary: `the bucket ACL grants ${describeGrants(grants)}; IgnorePublicAcls is off and ${owner}` };
}

/** "public! · no TLS-only policy +2": the first problems, in priority order. */
export function shortDescription(p: BucketPosture, max = 2): string {
  if (p.error) return p.error.kind === 'accessDenied' ? 'access denied' : 'unreadable';
  if (!p.flags.length) return 'ok';
  const shown = p.flags.slice(0, max).map((f) => FLAG_LABELS[f]);
  return `${shown.join(' · ')}${p.flags.length > max ? ` +${p.flags.length - max}` : ''}`;
}

/** Shown by the "problems only" filter: any failed or unreadable check. */
export function hasProblems(p: BucketPosture): boolean {
  return p.level !== 'ok';
}
