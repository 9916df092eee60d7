// Reads a bucket policy document. Pure: no vscode, no SDK.

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statements(policy: string | undefined): Statement[] {
  if (!policy) return [];
  try {
    const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    const s = doc.Statement;
    return Array.isArray(s) ? s : s ? [s] : [];
  } catch {
    return [];
  }
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Principal "*" or {"AWS": "*"}: anyone. */
function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') return asList((principal as Record<string, unknown>).AWS).includes('*');
  return false;
}

/** Covers every S3 action (s3:* or *). A deny on only some actions still lets plain HTTP through for the rest. */
function coversAllS3(action: Statement['Action']): boolean {
  return asList(action).some((a) => typeof a === 'string' && (a === '*' || a.toLowerCase() === 's3:*'));
}

/**
 * True when some statement denies every S3 action to everyone when aws:SecureTransport is false,
 * the pattern AWS recommends (https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule).
 * Resources are not checked: a deny scoped to part of the bucket is rare and would still show here.
 */
export function deniesInsecureTransport(policy: string | undefined): boolean {
  return statements(policy).some((s) => {
    if (s.Effect !== 'Deny' || !isEveryone(s.Principal) || !coversAllS3(s.Action)) return false;
    for (const [op, block] of Object.entries(s.Condition ?? {})) {
      if (!/^Bool(IfExists)?$/i.test(op)) continue;
      for (const [key, value] of Object.entries(block ?? {})) {
        if (key.toLowerCase() === 'aws:securetransport' && asList(value).some((v) => String(v).toLowerCase() === 'false')) return true;
      }
    }
    return false;
  });
}

/**
 * A coarse reading: some statement allows anyone without any condition. Used only when
 * GetBucketPolicyStatus gives no answer (emulators leave IsPublic out); AWS's own evaluation
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status)
 * is authoritative when present.
 */
export function allowsEveryoneUnconditionally(policy: string | undefined): boolean {
  return statements(policy).some((s) => s.Effect === 'Allow' && isEveryone(s.Principal) && !s.Condition);
}
