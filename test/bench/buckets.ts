// `npm run bench -- buckets [buckets] [concurrency] [rttMs]`: the posture scan of 500 buckets
// against moto_server, measured in the same run with two designs:
//   bounded — scanPostures with the default cloudMonitor.buckets.scanConcurrency (8 buckets at once);
//   serial  — the same code with concurrency 1, one bucket at a time (its six calls still in parallel).
// Both runs use the same warmed-up clients and the same buckets, and alternate (serial, bounded,
// bounded, serial) so neither gets a warmer moto.
// moto answers in a few milliseconds of its own CPU on loopback, where real S3 takes tens of
// milliseconds of network round trip per call; so the same pair is also measured through a local
// proxy that adds `rttMs` (default 30 ms) to every request, which is where concurrency pays off.
// Both pairs are printed and go into the JSON line.
import { CreateBucketCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { EmulatorFriendlyS3Control } from '../../src/buckets/listing';
import { accountPabFor, scanPostures, type ScanApi } from '../../src/buckets/scan';
import type { BucketRef } from '../../src/buckets/listing';
import { startMoto } from '../helpers/moto';
import { startFaultProxy } from '../helpers/s3FaultProxy';
import { publicReadStatement, tlsOnlyStatement } from '../sandbox/seed/10-buckets-findings';

const N = Number(process.argv[2] ?? 500);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const RTT = Number(process.argv[4] ?? 30);

function apiFor(endpoint: string): ScanApi & { destroy(): void } {
  const cfg = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true };
  // Enough sockets that the bound, not the agent, limits concurrency.
  const s3 = new S3Client({ ...cfg, requestHandler: { httpAgent: { maxSockets: 128, keepAlive: true } } });
  const control = new EmulatorFriendlyS3Control(cfg);
  return { s3: () => s3, s3Control: () => control, accountId: async () => '123456789012', defaultRegion: 'us-east-1', destroy: () => (s3.destroy(), control.destroy()) };
}

async function time(label: string, api: ScanApi, buckets: BucketRef[], concurrency: number): Promise<number> {
  const accountPab = await accountPabFor(api);
  const t0 = performance.now();
  const out = await scanPostures(api, buckets, { concurrency, accountPab });
  const ms = performance.now() - t0;
  const errors = [...out.values()].filter((p) => p.error).length;
  if (out.size !== buckets.length || errors) throw new Error(`${label}: ${out.size} results, ${errors} errors`);
  console.log(`  ${label.padEnd(34)} ${(ms / 1000).toFixed(2)} s  (${((buckets.length * 6) / (ms / 1000)).toFixed(0)} S3 calls/s)`);
  return ms;
}

async function pair(name: string, endpoint: string, buckets: BucketRef[]) {
  const api = apiFor(endpoint);
  // Warm-up: connections, moto's code paths.
  await scanPostures(api, buckets.slice(0, 40), { concurrency: CONCURRENCY });
  console.log(`${name}:`);
  const serial1 = await time('one bucket at a time (round 1)', api, buckets, 1);
  const bounded1 = await time(`bounded, ${CONCURRENCY} at once (round 1)`, api, buckets, CONCURRENCY);
  const bounded2 = await time(`bounded, ${CONCURRENCY} at once (round 2)`, api, buckets, CONCURRENCY);
  const serial2 = await time('one bucket at a time (round 2)', api, buckets, 1);
  api.destroy();
  const serial = (serial1 + serial2) / 2;
  const bounded = (bounded1 + bounded2) / 2;
  console.log(`  mean: one at a time ${(serial / 1000).toFixed(2)} s, bounded ${(bounded / 1000).toFixed(2)} s → ${(serial / bounded).toFixed(2)}× faster\n`);
  return { serial, bounded };
}

async function main() {
  const moto = await startMoto();
  try {
    const cfg = moto.clientConfig();
    const s3 = new S3Client(cfg);
    const names = Array.from({ length: N }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
    // Mixed postures, so every check does real work: a policy on half, PAB and versioning on some.
    for (let i = 0; i < N; i += 20) {
      await Promise.all(names.slice(i, i + 20).map(async (Bucket, j) => {
        const k = i + j;
        await s3.send(new CreateBucketCommand({ Bucket }));
        if (k % 2 === 0) await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [k % 4 === 0 ? tlsOnlyStatement(Bucket) : publicReadStatement(Bucket)] }) }));
        if (k % 3 === 0) await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
        if (k % 5 === 0) await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      }));
    }
    s3.destroy();
    const buckets: BucketRef[] = names.map((name) => ({ name, region: 'us-east-1' }));
    console.log(`${N} buckets in moto_server; six S3 calls per bucket; bounded concurrency ${CONCURRENCY}\n`);

    const direct = await pair('moto_server directly (loopback, no network latency)', moto.endpoint, buckets);
    const proxy = await startFaultProxy(moto.endpoint, {}, { latencyMs: RTT });
    const delayed = await pair(`moto_server behind a proxy adding ${RTT} ms per request (simulated AWS round trip)`, proxy.endpoint, buckets);
    await proxy.close();

    console.log(`bounded vs one at a time: ${(direct.serial / direct.bounded).toFixed(2)}× against moto directly; ${(delayed.serial / delayed.bounded).toFixed(2)}× with ${RTT} ms per request (goal ≥ 5×)`);
    const r = (n: number) => +n.toFixed(0);
    console.log(JSON.stringify({
      bench: 'buckets',
      metrics: {
        buckets: N,
        concurrency: CONCURRENCY,
        moto_serial_ms: r(direct.serial),
        moto_bounded_ms: r(direct.bounded),
        moto_speedup: +(direct.serial / direct.bounded).toFixed(2),
        rtt_ms: RTT,
        rtt_serial_ms: r(delayed.serial),
        rtt_bounded_ms: r(delayed.bounded),
        rtt_speedup: +(delayed.serial / delayed.bounded).toFixed(2),
      },
    }));
  } finally {
    await moto.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
