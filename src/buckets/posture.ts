// Security posture of one bucket: the raw S3 answers, then a pure evaluation. No vscode import.
import {
  GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketPolicyCommand, GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand, GetPublicAccessBlockCommand, type S3Client,
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
}

export const CHECKS = ['publicAccessBlock', 'policyStatus', 'encryption', 'versioning', 'lifecycle', 'tlsOnly'] as const;
export type CheckId = (typeof CHECKS)[number];
export const CHECK_LABELS: Record<CheckId, string> = {
  publicAccessBlock: 'Block Public Access',
  policyStatus: 'Public via policy',
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

/** The six S3 calls for one bucket, in parallel. Never throws: each answer carries its own error. */
export async function fetchRawPosture(s3: S3Client, Bucket: string): Promise<RawPosture> {
  const [publicAccessBlock, policyStatus, policy, encryption, versioning, lifecycle] = await Promise.all([
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
  ]);
  return { publicAccessBlock, policyStatus, policy, encryption, versioning, lifecycle };
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
  // Every call failed: the bucket is unreadable to us. Show one error, not six.
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
