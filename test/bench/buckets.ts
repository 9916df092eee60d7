// `npm run bench -- buckets [buckets] [concurrency] [rttMs]`: the posture scan of 500 buckets
// against moto_server, measured in the same run with three designs, all through scanPostures:
//   bounded     — the default cloudMonitor.buckets.scanConcurrency (8 buckets at once, each bucket's
//                 eight calls together);
//   one bucket  — concurrency 1: one bucket at a time, its eight calls still together;
//   sequential  — one bucket at a time and one call at a time (the same code with every S3 call queued
//                 behind the previous one), as a script looping over `aws s3api` does.
// moto_server answers from one Python process on one core: it serves about 440 calls/s however many
// arrive at once (measured here as `moto_ceiling_calls_per_s`), so on loopback there is no waiting for
// concurrency to overlap and no design can beat that ceiling. Real S3 answers each call after tens of
// milliseconds of round trip; so the same designs are also measured against moto_server behind a local
// proxy that holds every request `rttMs` (default 30 ms) before passing it on.
// Both sets go into the JSON line. The fair comparison (speedup_vs_one_bucket, goal ≥ 5×) is bounded
// concurrency against one bucket at a time with its eight calls in parallel, against a stand-in that is not
// moto (test/helpers/fixedLatencyS3.ts): it answers every posture call after a fixed 30 ms and has no
// capacity limit, so what is measured is how much waiting each design overlaps; a proxy in front of moto
// still queues every call behind moto's one core. The stand-in runs in its own process (S3 does not run in
// ours: its CPU must not count against the client), and that part of the bench builds its clients with the
// extension's own ClientFactory (sockets per client, retries, the ledger middleware: what ships). The CPU
// the bench process spends per S3 call is printed: when the machine is loaded, every design becomes
// CPU-bound and the ratio falls towards the ratio of CPU per call, whatever the design.
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { CreateBucketCommand, GetBucketVersioningCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { ClientFactory } from '../../src/aws/clientFactory';
import { ENV_PROFILE, listProfiles } from '../../src/aws/profiles';
import { EmulatorFriendlyS3Control } from '../../src/buckets/listing';
import { accountPabFor, scanPostures, type ScanApi } from '../../src/buckets/scan';
import type { BucketRef } from '../../src/buckets/listing';
import { startMoto } from '../helpers/moto';
import { startFaultProxy } from '../helpers/s3FaultProxy';
import { startFixedLatencyS3 } from '../helpers/fixedLatencyS3';
import { publicReadStatement, tlsOnlyStatement } from '../sandbox/seed/10-buckets-findings';

const N = Number(process.argv[2] ?? 500);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const RTT = Number(process.argv[4] ?? 30);

function apiConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true };
}

function apiFor(endpoint: string): ScanApi & { destroy(): void } {
  const cfg = apiConfig(endpoint);
  // Enough sockets that the bound, not the agent, limits concurrency.
  const s3 = new S3Client({ ...cfg, requestHandler: { httpAgent: { maxSockets: 128, keepAlive: true } } });
  const control = new EmulatorFriendlyS3Control(cfg);
  return { s3: () => s3, s3Control: () => control, accountId: async () => '123456789012', defaultRegion: 'us-east-1', destroy: () => (s3.destroy(), control.destroy()) };
}

/** The scan's API as the extension builds it: ClientFactory clients for the environment pseudo-profile. */
function factoryApiFor(endpoint: string): ScanApi & { destroy(): void } {
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  const files = { configFile: {}, credentialsFile: {} };
  const factory = new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env, endpointSetting: { url: endpoint } }));
  return {
    s3: (region) => factory.get(S3Client, ENV_PROFILE, region, 'buckets'),
    s3Control: () => factory.get(EmulatorFriendlyS3Control, ENV_PROFILE, 'us-east-1', 'buckets'),
    accountId: async () => '123456789012',
    defaultRegion: 'us-east-1',
    destroy: () => factory.clear(),
  };
}

/** The fixed-latency stand-in in a child process (this file, run with `--stand-in MS`). */
async function standInProcess(delayMs: number): Promise<{ endpoint: string; stats(): Promise<{ answered: number; peakInFlight: number }>; close(): void }> {
  const child = fork(__filename, ['--stand-in', String(delayMs)], { stdio: 'inherit' });
  const next = () => new Promise<Record<string, unknown>>((r) => child.once('message', (m) => r(m as Record<string, unknown>)));
  const { endpoint } = (await next()) as { endpoint: string };
  return {
    endpoint,
    stats: async () => { child.send('stats'); return (await next()) as { answered: number; peakInFlight: number }; },
    close: () => child.kill(),
  };
}

if (process.argv[2] === '--stand-in') {
  void startFixedLatencyS3(Number(process.argv[3])).then((s) => {
    process.on('message', () => process.send!({ answered: s.answered, peakInFlight: s.peakInFlight }));
    process.send!({ endpoint: s.endpoint });
  });
}

/** The same API with every S3 call queued behind the previous one. */
function oneCallAtATime(api: ScanApi): ScanApi {
  let last: Promise<unknown> = Promise.resolve();
  const queued = new Map<string, S3Client>();
  const s3 = (region: string) => {
    let c = queued.get(region);
    if (!c) {
      const real = api.s3(region);
      c = new Proxy(real, {
        get(target, prop, receiver) {
          if (prop !== 'send') return Reflect.get(target, prop, receiver);
          return (...args: Parameters<S3Client['send']>) => {
            const run = last.catch(() => undefined).then(() => (target.send as (...a: unknown[]) => Promise<unknown>)(...args));
            last = run;
            return run;
          };
        },
      });
      queued.set(region, c);
    }
    return c;
  };
  return { ...api, s3 };
}

/** CPU this process spent per S3 call in the last timed design. */
let lastCpuMsPerCall = 0;

async function time(label: string, api: ScanApi, buckets: BucketRef[], concurrency: number): Promise<number> {
  const accountPab = await accountPabFor(api);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await scanPostures(api, buckets, { concurrency, accountPab });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  lastCpuMsPerCall = (cpu.user + cpu.system) / 1000 / (buckets.length * 8);
  const errors = [...out.values()].filter((p) => p.error).length;
  if (out.size !== buckets.length || errors) throw new Error(`${label}: ${out.size} results, ${errors} errors`);
  console.log(`  ${label.padEnd(44)} ${(ms / 1000).toFixed(2)} s  (${((buckets.length * 8) / (ms / 1000)).toFixed(0)} S3 calls/s, ${lastCpuMsPerCall.toFixed(2)} ms of this process's CPU per call; load ${loadavg()[0].toFixed(1)})`);
  return ms;
}

interface Figures { sequential: number; oneBucket: number; bounded: number; cpuMsPerCallBounded: number; cpuMsPerCallOneBucket: number }

async function designs(name: string, endpoint: string, buckets: BucketRef[], api = apiFor(endpoint)): Promise<Figures> {
  // Warm-up: connections, moto's code paths.
  await scanPostures(api, buckets.slice(0, 40), { concurrency: CONCURRENCY });
  console.log(`${name}:`);
  const sequential = await time('sequential (one call at a time)', oneCallAtATime(api), buckets, 1);
  const oneBucket = await time('one bucket at a time (eight calls together)', api, buckets, 1);
  const cpuMsPerCallOneBucket = lastCpuMsPerCall;
  const bounded = await time(`bounded, ${CONCURRENCY} buckets at once`, api, buckets, CONCURRENCY);
  const cpuMsPerCallBounded = lastCpuMsPerCall;
  api.destroy();
  console.log(`  bounded is ${(sequential / bounded).toFixed(2)}× faster than sequential, ${(oneBucket / bounded).toFixed(2)}× faster than one bucket at a time\n`);
  return { sequential, oneBucket, bounded, cpuMsPerCallBounded, cpuMsPerCallOneBucket };
}

/** The most GetBucketVersioning calls per second moto_server answers, with 1 and with 48 in flight. */
async function motoCeiling(endpoint: string, bucket: string): Promise<{ serial: number; parallel: number }> {
  const s3 = new S3Client({ ...apiConfig(endpoint), requestHandler: { httpAgent: { maxSockets: 64, keepAlive: true } } });
  const rate = async (inFlight: number, calls = 1500) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next++ < calls) await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    }));
    return calls / ((performance.now() - t0) / 1000);
  };
  await rate(8, 200);
  const out = { serial: await rate(1), parallel: await rate(48) };
  s3.destroy();
  console.log(`moto_server ceiling: ${out.serial.toFixed(0)} calls/s one at a time, ${out.parallel.toFixed(0)} calls/s with 48 in flight\n`);
  return out;
}

const x = (a: number, b: number) => +(a / b).toFixed(2);
const r = (n: number) => +n.toFixed(0);

/** The fair comparison: the stand-in in its own process, answering after a fixed RTT with no capacity limit (not moto). */
async function fixedLatency(buckets: BucketRef[]) {
  const standIn = await standInProcess(RTT);
  const loadBefore = loadavg()[0];
  const fixed = await designs(`a stand-in in its own process answering every posture call after a fixed ${RTT} ms (not moto; no capacity limit), the extension's ClientFactory clients`, standIn.endpoint, buckets, factoryApiFor(standIn.endpoint));
  const stats = await standIn.stats();
  console.log(`  the stand-in answered ${stats.answered} calls, at most ${stats.peakInFlight} at once\n`);
  standIn.close();
  return {
    fixed,
    fields: {
      fixed_rtt_sequential_ms: r(fixed.sequential),
      fixed_rtt_one_bucket_ms: r(fixed.oneBucket),
      fixed_rtt_bounded_ms: r(fixed.bounded),
      speedup_vs_one_bucket: x(fixed.oneBucket, fixed.bounded),
      goal_speedup_vs_one_bucket_met: x(fixed.oneBucket, fixed.bounded) >= 5,
      fixed_rtt_peak_in_flight: stats.peakInFlight,
      fixed_rtt_cpu_ms_per_call_bounded: +fixed.cpuMsPerCallBounded.toFixed(2),
      fixed_rtt_cpu_ms_per_call_one_bucket: +fixed.cpuMsPerCallOneBucket.toFixed(2),
      load_avg_1m_before: +loadBefore.toFixed(1),
      load_avg_1m_after: +loadavg()[0].toFixed(1),
    },
  };
}

async function main() {
  if (process.argv[2] === '--stand-in') return;
  // BUCKETS_BENCH_FIXED_ONLY=1: only the fixed-latency stand-in (no moto_server), for a loaded machine.
  if (process.env.BUCKETS_BENCH_FIXED_ONLY === '1') {
    const buckets: BucketRef[] = Array.from({ length: N }, (_, i) => ({ name: `bench-${String(i).padStart(4, '0')}`, region: 'us-east-1' }));
    const { fields } = await fixedLatency(buckets);
    console.log(`bounded (${CONCURRENCY} buckets at once) vs one bucket at a time with its eight calls in parallel, against the fixed-${RTT} ms stand-in: ${fields.speedup_vs_one_bucket}× (goal ≥ 5×)`);
    console.log(JSON.stringify({ bench: 'buckets', metrics: { buckets: N, concurrency: CONCURRENCY, rtt_ms: RTT, ...fields } }));
    return;
  }
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
    console.log(`${N} buckets in moto_server; eight S3 calls per bucket; bounded concurrency ${CONCURRENCY}\n`);

    const ceiling = await motoCeiling(moto.endpoint, names[0]);
    const direct = await designs('moto_server directly (loopback, no network latency)', moto.endpoint, buckets);
    const proxy = await startFaultProxy(moto.endpoint, {}, { latencyMs: RTT });
    const delayed = await designs(`moto_server behind a proxy adding ${RTT} ms per request (simulated AWS round trip)`, proxy.endpoint, buckets);
    await proxy.close();

    // The fair comparison: a stand-in answering after a fixed RTT with no capacity limit (not moto).
    const { fixed, fields: fixedFields } = await fixedLatency(buckets);

    console.log(`bounded (${CONCURRENCY} buckets at once) vs one bucket at a time with its eight calls in parallel, against the fixed-${RTT} ms stand-in: ${x(fixed.oneBucket, fixed.bounded)}× (goal ≥ 5×)`);
    console.log(`bounded vs sequential: ${x(direct.sequential, direct.bounded)}× against moto directly (its ceiling, ${ceiling.parallel.toFixed(0)} calls/s, caps every design), ${x(delayed.sequential, delayed.bounded)}× with ${RTT} ms per request (goal ≥ 5×)`);
    console.log(`bounded vs one bucket at a time (eight calls together): ${x(direct.oneBucket, direct.bounded)}× directly, ${x(delayed.oneBucket, delayed.bounded)}× with ${RTT} ms per request`);
    console.log(JSON.stringify({
      bench: 'buckets',
      metrics: {
        buckets: N,
        concurrency: CONCURRENCY,
        moto_ceiling_calls_per_s_serial: r(ceiling.serial),
        moto_ceiling_calls_per_s_48_in_flight: r(ceiling.parallel),
        moto_sequential_ms: r(direct.sequential),
        moto_one_bucket_ms: r(direct.oneBucket),
        moto_bounded_ms: r(direct.bounded),
        moto_speedup_vs_sequential: x(direct.sequential, direct.bounded),
        moto_speedup_vs_one_bucket: x(direct.oneBucket, direct.bounded),
        rtt_ms: RTT,
        rtt_sequential_ms: r(delayed.sequential),
        rtt_one_bucket_ms: r(delayed.oneBucket),
        rtt_bounded_ms: r(delayed.bounded),
        rtt_speedup_vs_sequential: x(delayed.sequential, delayed.bounded),
        rtt_speedup_vs_one_bucket: x(delayed.oneBucket, delayed.bounded),
        ...fixedFields,
        goal_met: x(delayed.sequential, delayed.bounded) >= 5,
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
