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

/** Every bucket, following ContinuationToken. MaxBuckets is left unset: without it S3 returns the
 * whole list in one response for ordinary accounts, and some emulators drop the token when it is set. */
export async function listAllBuckets(s3: S3Client, signal?: AbortSignal): Promise<BucketRef[]> {
  const out: BucketRef[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListBucketsCommand({ ContinuationToken: token }), { abortSignal: signal });
    for (const b of page.Buckets ?? []) {
      if (b.Name) out.push({ name: b.Name, region: b.BucketRegion || undefined, created: b.CreationDate?.toISOString() });
    }
    token = page.ContinuationToken;
  } while (token);
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
