// Acting as a second AWS account in moto_server, and moto's TLS-only bucket policy quirk.
//
// moto picks the account of a request from its `x-moto-account-id` header (before the access key), so
// a client that sends it is another account: its buckets are its own (its ListBuckets, not ours), and
// the shared bucket namespace holds, as on AWS (CreateBucket of its name answers BucketAlreadyExists).
// moto ignores ExpectedBucketOwner: a check that relies on it alone passes against moto.
//
// moto 5.2.1 evaluates a bucket policy's Deny statements for object requests but ignores their
// conditions, so the TLS-only statement (Deny unless aws:SecureTransport) refuses every object request,
// over HTTP or not. Tests that must read or write objects after the deploy applied it lift it first,
// and say so.
import { DeleteBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import type { ClientConfig } from './motoCfnGaps';

export const OTHER_ACCOUNT = '210987654321';

/** An S3 client that moto serves as `accountId`. */
export function s3AsAccount(cfg: ClientConfig, accountId = OTHER_ACCOUNT): S3Client {
  const s3 = new S3Client(cfg);
  s3.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccountId' },
  );
  return s3;
}

/** Removes the bucket policy moto would apply to every object request (see the header). */
export async function liftTlsOnlyPolicyForMoto(s3: S3Client, bucket: string | undefined): Promise<void> {
  if (bucket) await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
}
