// Listing buckets, finding their regions, and the account-level Block Public Access. No vscode import.
import { GetBucketLocationCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient, type S3ControlClientConfig } from '@aws-sdk/client-s3-control';
import { answer, type AccountPab } from './posture';

export interface BucketRef {
  name: string;
  /** From ListBuckets (BucketRegion) or GetBucketLocation; undefined until known. */
  region?: string;
  created?: string;
}

/** The most ListBuckets returns per page (the API model's MaxBuckets maximum). */
export const LIST_BUCKETS_PAGE = 10_000;

/**
 * The page the Buckets view lists with: its first rows draw from the first page while the rest is read. One
 * answer of thousands of buckets is parsed in one turn of the extension host (2,000 took about 200 ms of CPU).
 */
export const LIST_BUCKETS_VIEW_PAGE = 500;

/** Called after each page that more pages follow, with every bucket so far; awaited before the next page. */
export type OnBucketsPage = (soFar: BucketRef[]) => void | Promise<void>;

/**
 * Every bucket, paging with MaxBuckets and ContinuationToken. A ListBuckets without any parameter is
 * refused for accounts whose bucket quota is above 10,000, and its answer leaves out BucketRegion
 * ("included if the request contains at least one valid parameter", S3's API model), which would cost a
 * GetBucketLocation per bucket. https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
 * moto 5.2.1 truncates at MaxBuckets without a token and never returns BucketRegion: a last page that is
 * exactly full (what moto's cut looks like) is checked by listing again at the maximum page size, so nothing
 * is lost there; regions come from GetBucketLocation (scan.ts).
 */
export async function listAllBuckets(s3: S3Client, signal?: AbortSignal, pageSize = LIST_BUCKETS_PAGE, onPage?: OnBucketsPage): Promise<BucketRef[]> {
  const out: BucketRef[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  let full = false;
  do {
    const page = await s3.send(new ListBucketsCommand({ MaxBuckets: pageSize, ContinuationToken: token }), { abortSignal: signal });
    for (const b of page.Buckets ?? []) {
      if (b.Name) out.push({ name: b.Name, region: b.BucketRegion || undefined, created: b.CreationDate?.toISOString() });
    }
    full = (page.Buckets?.length ?? 0) >= pageSize;
    token = page.ContinuationToken || undefined;
    // A server that hands the same token back would page forever.
    if (token && seen.has(token)) throw new Error('ListBuckets returned a continuation token it had already returned.');
    if (token) seen.add(token);
    if (token) await onPage?.([...out]);
  } while (token);
  if (full && pageSize < LIST_BUCKETS_PAGE) {
    // A full last page without a token: the end of the list, or a server that cut it without one (moto).
    await onPage?.([...out]);
    const all = await listAllBuckets(s3, signal, LIST_BUCKETS_PAGE);
    if (all.length > out.length) return all;
  }
  return out;
}

/** GetBucketLocation's answer as a region id: empty means us-east-1, "EU" is the legacy eu-west-1. */
export function regionFromLocation(constraint: string | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export async function fetchBucketRegion(s3: S3Client, bucket: string): Promise<string> {
  const r = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
  return regionFromLocation(r.LocationConstraint);
}

/**
 * S3 Control for the account-level settings. The SDK puts the account id in front of the host
 * ({AccountId}.s3-control…), which a local emulator cannot resolve. With an endpoint override we
 * set disableHostPrefix and also pin the endpoint: in SDK v3 (client-s3-control 3.1112) the prefix
 * comes from the endpoint rule set ("{url#scheme}://{AccountId}.{url#authority}" when an endpoint is
 * configured), which disableHostPrefix alone does not turn off. Checked against moto_server 5.2.1.
 */
export class EmulatorFriendlyS3Control extends S3ControlClient {
  constructor(config: S3ControlClientConfig) {
    const endpoint = typeof config.endpoint === 'string' ? config.endpoint : undefined;
    super(endpoint ? { ...config, disableHostPrefix: true, endpointProvider: () => ({ url: new URL(endpoint) }) } : config);
  }
}

export function fetchAccountPab(control: S3ControlClient, accountId: string): Promise<AccountPab> {
  return answer(async () => (await control.send(new GetPublicAccessBlockCommand({ AccountId: accountId }))).PublicAccessBlockConfiguration ?? {});
}
