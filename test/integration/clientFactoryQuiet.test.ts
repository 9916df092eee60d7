// The clients the extension builds (ClientFactory) against moto_server do no per-call work nobody reads: the
// SDK's logger middleware walks the whole input and output through the sensitive-data filter for its info
// record, even with its default no-op logger. On a 10,000-log-group answer or a posture scan's thousands of
// calls that was a noticeable share of the extension host's time (`npm run bench -- large-account`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, GetBucketPolicyCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ClientFactory } from '../../src/aws/clientFactory';
import { ENV_PROFILE, listProfiles } from '../../src/aws/profiles';
import { startMoto, type Moto } from '../helpers/moto';

let moto: Moto;
const saved = { ...process.env };

before(async () => {
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
});
after(async () => {
  process.env = saved;
  await moto?.stop();
});

test('a factory client does not run the SDK log filter over each answer or failure (moto_server)', async () => {
  const files = { configFile: {}, credentialsFile: {} };
  const factory = new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env, endpointSetting: { url: moto.endpoint } }));
  const s3 = factory.get(S3Client, ENV_PROFILE, 'us-east-1', 'buckets');
  for (let i = 0; i < 20; i++) await s3.send(new CreateBucketCommand({ Bucket: `quiet-${i}` }));
  let filtered = 0;
  // Counts the filter calls the logger middleware makes (the context's filters, as the SDK hands them on).
  s3.middlewareStack.add((next, context) => {
    const ctx = context as { inputFilterSensitiveLog?: (x: unknown) => unknown; outputFilterSensitiveLog?: (x: unknown) => unknown };
    for (const key of ['inputFilterSensitiveLog', 'outputFilterSensitiveLog'] as const) {
      const real = ctx[key];
      if (real) ctx[key] = (x) => (filtered++, real(x));
    }
    return next;
  }, { step: 'initialize', name: 'countLogFilter' });
  const res = await s3.send(new ListBucketsCommand({ MaxBuckets: 1000 }));
  assert.equal(res.Buckets?.filter((b) => b.Name?.startsWith('quiet-')).length, 20, 'the call itself answered');
  assert.equal(filtered, 0, 'the log filter ran over the input or output');
  // A failed call (a bucket without a policy, as most are in a posture scan) is not logged either.
  await assert.rejects(s3.send(new GetBucketPolicyCommand({ Bucket: 'quiet-0' })), /NoSuchBucketPolicy|policy/i);
  assert.equal(filtered, 0, 'the log filter ran over a failed call\'s input');
  factory.clear();
});
