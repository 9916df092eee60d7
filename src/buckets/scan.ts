// The posture scan over many buckets, with bounded concurrency. No vscode import: the
// integration tests and the benchmark drive it directly against moto_server.
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import { classifyAwsError } from '../aws/errors';
import { fetchAccountPab, fetchBucketRegion, type BucketRef } from './listing';
import { mapLimit } from './pool';
import { answer, evaluatePosture, fetchRawPosture, type AccountPab, type BucketPosture, type RawPosture } from './posture';

export interface ScanApi {
  /** An S3 client for a region (cached by the caller). */
  s3(region: string): S3Client;
  s3Control(): S3ControlClient;
  accountId(): Promise<string>;
  /** Where GetBucketLocation is asked when ListBuckets gave no region. */
  defaultRegion: string;
}

export interface ScanOptions {
  /** Buckets checked at once; each makes CALLS_PER_BUCKET (eight) S3 calls in parallel (plus GetBucketLocation if its region is unknown). */
  concurrency: number;
  signal?: AbortSignal;
  onResult?: (bucket: BucketRef, posture: BucketPosture) => void;
  /** Already fetched for this scan; fetched once otherwise. */
  accountPab?: AccountPab;
}

/** The account-level Block Public Access, or why it could not be read. */
export async function accountPabFor(api: ScanApi): Promise<AccountPab> {
  try {
    return await fetchAccountPab(api.s3Control(), await api.accountId());
  } catch (err) {
    return failure(err);
  }
}

type Failure = { error: { code?: string; message: string; kind: string } };

function failure(err: unknown): Failure {
  const c = classifyAwsError(err);
  return { error: { code: c.code, message: c.message, kind: c.kind } };
}

function unreadable(e: Failure): RawPosture {
  return { publicAccessBlock: e, policyStatus: e, policy: e, encryption: e, versioning: e, lifecycle: e, ownership: e, acl: e };
}

/** Checks one bucket. Never throws: errors land on the bucket's posture. Fills in `bucket.region` if it was unknown. */
export async function checkBucket(api: ScanApi, bucket: BucketRef, accountPab: AccountPab): Promise<BucketPosture> {
  if (!bucket.region) {
    const region = await answer(() => fetchBucketRegion(api.s3(api.defaultRegion), bucket.name));
    if ('error' in region) return evaluatePosture(unreadable(region), accountPab);
    if ('value' in region) bucket.region = region.value;
  }
  try {
    return evaluatePosture(await fetchRawPosture(api.s3(bucket.region ?? api.defaultRegion), bucket.name), accountPab);
  } catch (err) {
    return evaluatePosture(unreadable(failure(err)), accountPab);
  }
}

/** Checks every bucket, `concurrency` at a time. One bucket's failure stays on that bucket. */
export async function scanPostures(api: ScanApi, buckets: readonly BucketRef[], opts: ScanOptions): Promise<Map<string, BucketPosture>> {
  const accountPab = opts.accountPab ?? (await accountPabFor(api));
  const out = new Map<string, BucketPosture>();
  await mapLimit(buckets, opts.concurrency, (b) => checkBucket(api, b, accountPab), {
    signal: opts.signal,
    oneStartPerTurn: true,
    onResult: (posture, bucket) => {
      out.set(bucket.name, posture);
      opts.onResult?.(bucket, posture);
    },
  });
  return out;
}

/** Regions for buckets that ListBuckets returned without one, `concurrency` at a time. */
export async function resolveRegions(api: ScanApi, buckets: BucketRef[], concurrency: number, signal?: AbortSignal): Promise<void> {
  const unknown = buckets.filter((b) => !b.region);
  await mapLimit(unknown, concurrency, async (b) => {
    try {
      b.region = await fetchBucketRegion(api.s3(api.defaultRegion), b.name);
    } catch {
      /* left unknown: the bucket is listed under "Region unknown" and its error shows when checked */
    }
  }, { signal, oneStartPerTurn: true });
}
