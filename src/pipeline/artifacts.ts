// The artifact bucket that holds consumer.zip, and the upload the stack's Lambda code points to. No
// vscode import. What keeps the code the stack deploys ours:
//   - the bucket's name ends in a random tail, remembered per account and region, and is used only
//     while the account's own ListBuckets lists it; every call names the account as
//     ExpectedBucketOwner, so S3 refuses a bucket that another account owns;
//   - the zip goes up with its SHA-256 checksum (S3 rejects bytes that do not match), and the stack
//     pins the version whose stored checksum is ours (S3ObjectVersion), never "whatever the key holds";
//   - the bucket gets the template's guard rails: owner-enforced ownership, Block Public Access,
//     SSE, versioning, a lifecycle rule for old versions, and a TLS-only bucket policy.
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { errorCode } from '../aws/errors';
import { artifactBucketPrefix, artifactKey, isArtifactBucketName, newArtifactBucketName } from './names';
import { updateKept, type StateStore } from '../util/keptUpdate';

/** Where the artifact bucket's name is remembered (the extension's globalState; a Map in tests). */
export interface ArtifactBucketMemory {
  get(accountId: string, region: string): string | undefined;
  set(accountId: string, region: string, bucket: string | undefined): Promise<void>;
}

const MEMORY_KEY = 'cloudMonitor.pipeline.artifactBuckets';

/** In the extension's state; a write VS Code's state dropped is made again (updateKept): a forgotten name would leave its bucket behind. */
export function artifactBucketMemory(state: StateStore): ArtifactBucketMemory {
  const all = () => state.get<Record<string, string>>(MEMORY_KEY) ?? {};
  return {
    get: (accountId, region) => all()[`${accountId}/${region}`],
    async set(accountId, region, bucket) {
      const key = `${accountId}/${region}`;
      await updateKept<Record<string, string>>(state, MEMORY_KEY, (stored) => {
        const next = { ...stored };
        if (bucket) next[key] = bucket;
        else delete next[key];
        return next;
      }, (stored) => stored?.[key] === bucket);
    },
  };
}

/** A memory that lives as long as the object (tests, scripts). */
export function transientBucketMemory(): ArtifactBucketMemory & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: (accountId, region) => entries.get(`${accountId}/${region}`),
    async set(accountId, region, bucket) {
      if (bucket) entries.set(`${accountId}/${region}`, bucket);
      else entries.delete(`${accountId}/${region}`);
    },
  };
}

/** The artifact bucket cannot be trusted or used; nothing was uploaded. */
export class ArtifactRefused extends Error {
  override name = 'ArtifactRefused';
}

export interface ArtifactRequest {
  accountId: string;
  region: string;
  zip: Uint8Array;
  bucketMemory: ArtifactBucketMemory;
}

export interface CodeLocation {
  bucket: string;
  key: string;
  /** The S3 version the stack pins (S3ObjectVersion). */
  version: string;
}

/** Sid of the statement that denies requests without TLS (the template's buckets use the same rule). */
export const TLS_ONLY_SID = 'DenyInsecureTransport';

const status = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isNotFound = (err: unknown) => status(err) === 404 || /^(NotFound|NoSuchBucket|NoSuchKey)$/.test(errorCode(err) ?? '');

/**
 * Puts consumer.zip in the account's artifact bucket (made on first use) and returns the version the
 * stack must pin. An object already under the key is reused only when S3's stored SHA-256 checksum is
 * the zip's own; anything else (a zip placed there by someone else, an old upload without a checksum)
 * gets a new version on top.
 */
export async function uploadArtifact(s3: S3Client, req: ArtifactRequest): Promise<CodeLocation> {
  const owner = { ExpectedBucketOwner: req.accountId };
  const bucket = await ensureArtifactBucket(s3, req);
  const digest = createHash('sha256').update(req.zip).digest();
  const key = artifactKey(digest.toString('hex'));
  const checksum = digest.toString('base64');

  const current = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED', ...owner })).catch((err: unknown) => {
    // Without s3:ListBucket, S3 answers 403 for a key that does not exist.
    if (isNotFound(err) || status(err) === 403) return undefined;
    throw err;
  });
  let version = current?.ChecksumSHA256 === checksum && current.ContentLength === req.zip.length && current.VersionId && current.VersionId !== 'null' ? current.VersionId : undefined;
  if (!version) {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: req.zip, ContentType: 'application/zip', ChecksumAlgorithm: 'SHA256', ChecksumSHA256: checksum, ...owner }));
    if (!put.VersionId || put.VersionId === 'null') throw new ArtifactRefused(`S3 gave no version for ${key} in ${bucket}: versioning is off on the artifact bucket, so the stack could not pin the code it deploys.`);
    const stored = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: put.VersionId, ChecksumMode: 'ENABLED', ...owner }));
    if (stored.ChecksumSHA256 !== checksum) throw new ArtifactRefused(`The uploaded ${key} in ${bucket} does not carry the SHA-256 checksum of consumer.zip; it is not deployed.`);
    version = put.VersionId;
  }
  // Last, after the upload. On AWS (HTTPS) the order makes no difference; moto ignores the policy's
  // aws:SecureTransport condition and refuses every object request once the policy is in place.
  await ensureTlsOnlyPolicy(s3, bucket, req.accountId, req.region);
  return { bucket, key, version };
}

/** The account's own artifact buckets for the region, as its ListBuckets reports them. */
export async function ownedArtifactBuckets(s3: S3Client, accountId: string, region: string): Promise<string[]> {
  const prefix = artifactBucketPrefix(accountId, region);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListBucketsCommand({ Prefix: prefix, ContinuationToken: token }));
    for (const b of page.Buckets ?? []) if (b.Name && isArtifactBucketName(b.Name, accountId, region)) names.push(b.Name);
    token = page.ContinuationToken;
  } while (token);
  return names.sort();
}

function foreignBucket(bucket: string, accountId: string): ArtifactRefused {
  return new ArtifactRefused(
    `The artifact bucket ${bucket} belongs to another AWS account, not to ${accountId}. Nothing was uploaded or deployed. ` +
      'Someone may have taken the name after the bucket was deleted. The extension has forgotten this name; the next deploy creates a new artifact bucket with a random name.',
  );
}

/**
 * The bucket to upload to: the remembered one while the account owns it, else an owned one found by
 * ListBuckets, else a new one with a random name. A remembered name that now answers for another
 * account is refused (and forgotten); one that no longer exists is forgotten, never re-created.
 */
export async function ensureArtifactBucket(s3: S3Client, req: Omit<ArtifactRequest, 'zip'>): Promise<string> {
  const { accountId, region, bucketMemory } = req;
  const owned = await ownedArtifactBuckets(s3, accountId, region);
  const remembered = bucketMemory.get(accountId, region);
  if (remembered && !owned.includes(remembered)) {
    await bucketMemory.set(accountId, region, undefined);
    // Not ours by ListBuckets: a bucket that answers at all (200, a redirect to its region, or 403 for
    // the wrong ExpectedBucketOwner) is held by someone else.
    const exists = await s3.send(new HeadBucketCommand({ Bucket: remembered, ExpectedBucketOwner: accountId })).then(
      () => true,
      (err: unknown) => {
        if (isNotFound(err)) return false;
        if ([301, 400, 403].includes(status(err) ?? 0)) return true;
        throw err;
      },
    );
    if (exists) throw foreignBucket(remembered, accountId);
  }
  const found = remembered && owned.includes(remembered) ? remembered : owned[0];
  if (found) {
    if (found !== remembered) await bucketMemory.set(accountId, region, found);
    // Versioning is switched on last when the bucket is made: without it the guard rails are incomplete.
    const v = await s3.send(new GetBucketVersioningCommand({ Bucket: found, ExpectedBucketOwner: accountId }));
    if (v.Status !== 'Enabled') await applyGuardRails(s3, found, accountId);
    return found;
  }
  const bucket = newArtifactBucketName(accountId, region);
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ObjectOwnership: 'BucketOwnerEnforced',
        CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint },
      }),
    );
  } catch (err) {
    if (errorCode(err) === 'BucketAlreadyExists') throw foreignBucket(bucket, accountId);
    if (errorCode(err) !== 'BucketAlreadyOwnedByYou') throw err;
  }
  await bucketMemory.set(accountId, region, bucket);
  await applyGuardRails(s3, bucket, accountId);
  return bucket;
}

/** Days a replaced consumer.zip version is kept (a rollback to it needs it) before S3 expires it. */
export const NONCURRENT_ZIP_DAYS = 30;

async function applyGuardRails(s3: S3Client, bucket: string, accountId: string): Promise<void> {
  const owner = { Bucket: bucket, ExpectedBucketOwner: accountId };
  await s3.send(new PutBucketOwnershipControlsCommand({ ...owner, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
  await s3.send(new PutPublicAccessBlockCommand({ ...owner, PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } }));
  await s3.send(new PutBucketEncryptionCommand({ ...owner, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }] } }));
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      ...owner,
      LifecycleConfiguration: {
        Rules: [
          {
            ID: 'expire-replaced-consumer-zips',
            Status: 'Enabled',
            Filter: { Prefix: 'consumer/' },
            NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_ZIP_DAYS },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
          { ID: 'remove-expired-delete-markers', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { ExpiredObjectDeleteMarker: true } },
        ],
      },
    }),
  );
  await s3.send(new PutBucketVersioningCommand({ ...owner, VersioningConfiguration: { Status: 'Enabled' } }));
}

const partitionOf = (region: string) => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

/** The statement that refuses every request made without TLS. */
export function tlsOnlyStatement(bucket: string, region: string) {
  const arn = `arn:${partitionOf(region)}:s3:::${bucket}`;
  return {
    Sid: TLS_ONLY_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** Adds the TLS-only statement to the bucket policy (keeping any other statement) unless it is there. */
export async function ensureTlsOnlyPolicy(s3: S3Client, bucket: string, accountId: string, region: string): Promise<void> {
  const text = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket, ExpectedBucketOwner: accountId })).then(
    (r) => r.Policy,
    (err: unknown) => {
      if (errorCode(err) === 'NoSuchBucketPolicy') return undefined;
      throw err;
    },
  );
  const policy = text ? (JSON.parse(text) as { Version?: string; Statement?: { Sid?: string }[] }) : { Version: '2012-10-17', Statement: [] };
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  if (statements.some((s) => s.Sid === TLS_ONLY_SID)) return;
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, ExpectedBucketOwner: accountId, Policy: JSON.stringify({ ...policy, Statement: [...statements, tlsOnlyStatement(bucket, region)] }) }));
}
