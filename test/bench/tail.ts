// `npm run bench -- tail`:
// 1. Events per second appended to a tail document in code-server's real extension host without the
//    editor falling behind (p95 lag from push to the document showing the event ≤ 1 s, and catching
//    up within 1 s when the producer stops), with the cap in force (TAIL_BENCH_CAP, default 5,000
//    events, well below the number pushed). Goal: ≥ 1,000 events/s sustained. Two designs in the same
//    run: batched updates (what ships) and an update per push (naive).
// 2. SQS requests that a day of inbox polling makes, counted by running the real InboxPoller over a
//    simulated day (a virtual clock inside a fake SQS: an empty long poll advances it by
//    WaitTimeSeconds). Designs in the same run: one window polling under the lease with three windows
//    open (what ships), three windows each polling (no lease), and short polling every 5 s.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceiveMessageCommandOutput } from '@aws-sdk/client-sqs';
import { runExtensionHostSuite } from '../helpers/codeServer';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { InboxLease } from '../../src/alerts/inbox/lease';
import { InboxPoller, SQS_FREE_TIER_REQUESTS_PER_MONTH } from '../../src/alerts/inbox/poller';
import type { RateResult } from '../vscode/suite/tailBench';

const DAY_S = 86_400;

/**
 * A fake SQS over a simulated day. Each window has its own virtual clock (their long polls run side
 * by side); an alert due at t is received by the first window whose clock reaches t.
 */
class SimulatedQueue {
  requests = 0;
  private readonly clocks: number[];
  private readonly pending: number[];
  constructor(windows: number, alertsPerDay: number, private readonly emptyAdvanceS = 1) {
    this.clocks = new Array<number>(windows).fill(0);
    this.pending = Array.from({ length: alertsPerDay }, (_, i) => Math.floor(((i + 0.5) * DAY_S) / alertsPerDay));
  }
  clockOf(w: number): number { return this.clocks[w]; }
  client(w: number) { return { send: (cmd: { input: Record<string, unknown>; constructor: { name: string } }) => this.send(w, cmd) }; }
  private async send(w: number, cmd: { input: Record<string, unknown>; constructor: { name: string } }): Promise<unknown> {
    await new Promise((r) => setImmediate(r));
    if (this.clocks[w] >= DAY_S) return { Messages: [] };
    this.requests++;
    if (cmd.constructor.name !== 'ReceiveMessageCommand') return { Failed: [] };
    const wait = Number(cmd.input.WaitTimeSeconds ?? 0);
    let due = this.pending.filter((t) => t <= this.clocks[w]);
    if (!due.length) {
      const next = this.pending[0] ?? Number.POSITIVE_INFINITY;
      // A long poll returns as soon as a message arrives, else after WaitTimeSeconds; a short poll at once.
      this.clocks[w] = wait > 0 ? Math.min(this.clocks[w] + wait, Math.max(this.clocks[w], next)) : this.clocks[w] + this.emptyAdvanceS;
      if (wait === 0) return { Messages: [] };
      due = this.pending.filter((t) => t <= this.clocks[w]);
    }
    const batch = due.slice(0, Number(cmd.input.MaxNumberOfMessages ?? 1));
    this.pending.splice(0, batch.length);
    return { Messages: batch.map((t) => ({ MessageId: `m${t}`, ReceiptHandle: `r${t}`, Body: JSON.stringify({ appId: 'app', alertType: 'error', message: `at ${t}` }) })) } satisfies Partial<ReceiveMessageCommandOutput>;
  }
}

async function simulateDay(design: 'lease' | 'noLease' | 'shortPoll', alertsPerDay: number, windows = 3): Promise<number> {
  const queue = new SimulatedQueue(windows, alertsPerDay, 5);
  const dir = mkdtempSync(join(tmpdir(), 'bench-lease-'));
  const pollers = Array.from({ length: windows }, (_, i) => new InboxPoller({
    sqs: queue.client(i) as never, queueUrl: 'sim', lease: new InboxLease(design === 'noLease' ? join(dir, String(i)) : dir, `w${i}`),
    deliver: async () => undefined, isMuted: async () => false,
  }, { waitTimeSeconds: design === 'shortPoll' ? 0 : 20, leaseRetryMs: 5, backlogMax: 100 }));
  for (const p of pollers) p.start();
  // Windows without the lease never advance their clock: the day is over when the polling ones are done.
  const polling = () => pollers.map((p, i) => [p, i] as const).filter(([p]) => p.holdsLease);
  await new Promise((r) => setTimeout(r, 50));
  while (!polling().every(([, i]) => queue.clockOf(i) >= DAY_S)) await new Promise((r) => setTimeout(r, 20));
  await Promise.all(pollers.map((p) => p.stop()));
  return queue.requests;
}

async function main() {
  // 1. Tail throughput in code-server.
  const dir = mkdtempSync(join(tmpdir(), 'bench-tail-'));
  const out = join(dir, 'tail.json');
  const profile = writeSandboxProfile(join(dir, 'aws'), 'http://127.0.0.1:9');
  const suite = await runExtensionHostSuite({ suite: 'tailBench', env: { ...profile.env, TAIL_BENCH_OUT: out }, timeoutMs: 900_000 });
  const failed = suite.filter((r) => !r.ok);
  if (failed.length) throw new Error(failed.map((f) => `${f.name}: ${f.error}`).join('\n'));
  const { cap, seconds, results, cadence } = JSON.parse(readFileSync(out, 'utf8')) as { cap: number; seconds: number; results: RateResult[]; cadence: RateResult[] };
  console.log(`tail document in code-server: cap ${cap} events, ${seconds} s per rate`);
  console.log('design   target/s  applied/s  p95 lag  max lag  catch-up  updates  kept up');
  for (const r of results) {
    console.log(`${r.design.padEnd(8)} ${String(r.targetPerSec).padStart(8)} ${String(r.appliedPerSec).padStart(10)} ${`${r.p95LagMs} ms`.padStart(8)} ${`${r.maxLagMs} ms`.padStart(8)} ${`${Number.isFinite(r.catchUpMs) ? r.catchUpMs : '∞'} ms`.padStart(9)} ${String(r.updates).padStart(8)}  ${r.keptUp ? 'yes' : 'NO'}`);
  }
  const best = (d: string) => Math.max(0, ...results.filter((r) => r.design === d && r.keptUp).map((r) => r.appliedPerSec));
  const batched = best('batched');
  const naive = best('naive');
  console.log(`sustained: batched ${batched} events/s (goal ≥ 1000), naive ${naive} events/s`);
  // Live Tail's real cadence: one update a second, at most 500 events in it (sampled above that).
  console.log('\nat Live Tail\'s cadence (one update a second, up to 500 events; AWS samples above 500/s):');
  console.log('events/s  applied/s  p95 lag  kept up  longest extension-host task');
  for (const r of cadence) console.log(`${String(r.targetPerSec).padStart(8)} ${String(r.appliedPerSec).padStart(10)} ${`${r.p95LagMs} ms`.padStart(8)}  ${(r.keptUp ? 'yes' : 'NO').padEnd(7)}  ${r.hostLongestTaskMs} ms`);
  // At a one-second cadence the last update lands after the production window, so "applied/s" undercounts
  // by up to a second's worth; a rate is sustained when every event showed (kept up: p95 lag and catch-up ≤ 1 s).
  const cadenceSustained = Math.max(0, ...cadence.filter((r) => r.keptUp).map((r) => r.targetPerSec));
  const cadenceLongest = Math.max(0, ...cadence.map((r) => r.hostLongestTaskMs ?? 0));

  // 2. SQS requests for a day of inbox polling.
  const alertsPerDay = 50;
  const lease = await simulateDay('lease', alertsPerDay);
  const noLease = await simulateDay('noLease', alertsPerDay);
  const shortPoll = await simulateDay('shortPoll', alertsPerDay, 1);
  const month = lease * 30;
  console.log(`\nSQS requests for one simulated day (${alertsPerDay} alerts, 3 windows open):`);
  console.log(`  long polling (20 s) under the cross-window lease: ${lease}/day → ${month}/month = ${((month / SQS_FREE_TIER_REQUESTS_PER_MONTH) * 100).toFixed(1)}% of the 1,000,000 free tier`);
  console.log(`  every window long-polling (no lease):            ${noLease}/day`);
  console.log(`  one window short-polling every 5 s:              ${shortPoll}/day`);
  console.log(JSON.stringify({
    bench: 'tail',
    metrics: {
      tail_events_per_sec_sustained: batched,
      tail_events_per_sec_sustained_naive: naive,
      tail_batched_vs_naive: naive ? Number((batched / naive).toFixed(2)) : null,
      tail_cap_events: cap,
      live_tail_cadence_events_per_sec_sustained: cadenceSustained,
      live_tail_cadence_host_longest_task_ms: cadenceLongest,
      live_tail_cadence_max_events_per_sec: 500,
      sqs_requests_per_day: lease,
      sqs_requests_per_month: month,
      sqs_free_tier_share: Number((month / SQS_FREE_TIER_REQUESTS_PER_MONTH).toFixed(4)),
      sqs_requests_per_day_no_lease_3_windows: noLease,
      sqs_requests_per_day_short_poll_5s: shortPoll,
      sqs_lease_vs_no_lease: Number((noLease / lease).toFixed(2)),
    },
  }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
