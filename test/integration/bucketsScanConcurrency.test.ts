// The posture scan's concurrency through the clients the extension really builds (ClientFactory), against
// test/helpers/fixedLatencyS3.ts: a loopback stand-in that answers every posture call after a fixed delay
// (moto_server's one core would serialize the calls and hide what the client queues).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ClientFactory } from '../../src/aws/clientFactory';
import { ENV_PROFILE, listProfiles } from '../../src/aws/profiles';
import { EmulatorFriendlyS3Control } from '../../src/buckets/listing';
import { CALLS_PER_BUCKET } from '../../src/buckets/posture';
import { scanPostures, type ScanApi } from '../../src/buckets/scan';
import { startFixedLatencyS3, type FixedLatencyS3 } from '../helpers/fixedLatencyS3';

let standIn: FixedLatencyS3;
let factory: ClientFactory;
const saved = { ...process.env };

before(async () => {
  standIn = await startFixedLatencyS3(300);
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  const files = { configFile: {}, credentialsFile: {} };
  factory = new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env, endpointSetting: { url: standIn.endpoint } }));
});

after(async () => {
  factory.clear();
  await standIn.close();
  process.env = saved;
});

describe('posture scan concurrency through the extension\'s clients (fixed-latency S3 stand-in)', () => {
  test('8 buckets at once keep all 64 calls in flight: the HTTP agent does not queue them behind 50 sockets', async () => {
    const api: ScanApi = {
      s3: (region) => factory.get(S3Client, ENV_PROFILE, region, 'buckets'),
      s3Control: () => factory.get(EmulatorFriendlyS3Control, ENV_PROFILE, 'us-east-1', 'buckets'),
      accountId: async () => '123456789012',
      defaultRegion: 'us-east-1',
    };
    const buckets = Array.from({ length: 16 }, (_, i) => ({ name: `scan-${i}`, region: 'us-east-1' }));
    const out = await scanPostures(api, buckets, { concurrency: 8 });
    assert.equal(out.size, 16);
    assert.deepEqual([...out.values()].filter((p) => p.error), []);
    assert.equal(standIn.peakInFlight, 8 * CALLS_PER_BUCKET);
  });

  test('asking for the same client again builds nothing (an SDK client costs about 0.5 ms of CPU to build)', () => {
    let built = 0;
    class CountingS3 extends S3Client {
      constructor(config: S3ClientConfig) {
        super(config);
        built++;
      }
    }
    const first = factory.get(CountingS3, ENV_PROFILE, 'eu-west-1', 'buckets');
    const afterFirst = built;
    for (let i = 0; i < 100; i++) assert.equal(factory.get(CountingS3, ENV_PROFILE, 'eu-west-1', 'buckets'), first);
    assert.equal(built, afterFirst);
  });
});
