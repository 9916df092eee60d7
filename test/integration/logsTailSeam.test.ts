// A tail starts with the last minutes of events (FilterLogEvents against moto_server), then goes live,
// each event once and in time order at the seam (issue 14). Live Tail is not served by moto: a loopback
// stand-in serves StartLiveTail as a real event stream and passes every other operation to moto_server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { runTail, type TailSink } from '../../src/logs/tail/sources';
import type { TailEvent } from '../../src/logs/tail/tailBuffer';
import { createLogGroup, putEvents } from '../helpers/logFixtures';
import { startMoto, type Moto } from '../helpers/moto';
import { startLiveTailStandIn, type LiveTailStandIn } from '../helpers/liveTailStandIn';

let moto: Moto;
let logs: CloudWatchLogsClient;
before(async () => {
  moto = await startMoto();
  logs = new CloudWatchLogsClient(moto.clientConfig());
});
after(async () => {
  logs?.destroy();
  await moto?.stop();
});
beforeEach(async () => { await moto.reset(); });

function collect(): TailSink & { got: TailEvent[]; notices: string[] } {
  const got: TailEvent[] = [];
  const notices: string[] = [];
  return { got, notices, events: (e) => got.push(...e), notice: (n) => notices.push(n) };
}

async function waitFor(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const GROUP = '/app/seam';
const ARN = `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}`;
const live = (events: { message: string; timestamp: number }[]) => ({
  event: 'sessionUpdate' as const,
  body: { sessionMetadata: { sampled: false }, sessionResults: events.map((e) => ({ logStreamName: 'main', logGroupIdentifier: ARN, message: e.message, timestamp: e.timestamp, ingestionTime: e.timestamp + 5 })) },
});

describe('tail back-fill then live (moto_server FilterLogEvents; Live Tail stand-in, since moto does not serve StartLiveTail)', () => {
  let tail: LiveTailStandIn | undefined;
  beforeEach(async () => { await tail?.stop(); tail = undefined; });
  after(async () => { await tail?.stop(); });

  test('Live Tail: the last 5 minutes, then live; events both bring (before and after the back-fill completes) show once, in time order', async () => {
    const t = Date.now();
    const e = (n: number, agoMs: number) => ({ message: `INFO event ${n}`, timestamp: t - agoMs });
    const [old, e1, e2, e3, e4, e5, e6, e7] = [e(0, 10 * 60_000), e(1, 4 * 60_000), e(2, 3 * 60_000), e(3, 2 * 60_000), e(4, 60_000), e(5, 30_000), e(6, 100), e(7, -50)];
    await createLogGroup(logs, GROUP);
    // In the log group when the back-fill reads it: e6 was ingested after the session started, so it comes both ways.
    await putEvents(logs, GROUP, [old, e1, e2, e3, e4, e6]);
    tail = await startLiveTailStandIn([
      { event: 'sessionStart', body: { requestId: 'r1', sessionId: 'SEAM', logGroupIdentifiers: [ARN] } },
      // Streamed while the back-fill is read: e3 and e4 overlap it, e5 is live only.
      live([e3, e4, e5]),
    ], { forward: moto.endpoint, keepOpen: true });
    const client = new CloudWatchLogsClient({ ...moto.clientConfig(), endpoint: tail.endpoint });
    const sink = collect();
    const ac = new AbortController();
    const modes: string[] = [];
    const done = runTail(client, { groupName: GROUP, groupArn: ARN }, sink, ac.signal, { mode: 'liveTail', onMode: (m) => modes.push(m), backfill: { startTime: t - 5 * 60_000, what: 'from the last 5 minutes' } });
    try {
      await waitFor(() => sink.got.length >= 6, 'the back-fill merged with the first live events');
      // After the merge: e6 again (it was back-filled), and e7, new.
      tail.send(live([e6, e7]));
      await waitFor(() => sink.got.some((g) => g.message === e7.message), 'e7');
      assert.deepEqual(sink.got.map((g) => g.message), [e1, e2, e3, e4, e5, e6, e7].map((x) => x.message));
      const times = sink.got.map((g) => g.timestamp);
      assert.deepEqual(times, [...times].sort((a, b) => a - b), 'in time order');
      assert.deepEqual(modes, ['liveTail']);
      assert.ok(sink.notices.some((n) => /^Back-filled 5 events from the last 5 minutes \(FilterLogEvents from \d\d:\d\d:\d\d UTC\); live events follow\.$/.test(n)), sink.notices.join(' | '));
      assert.deepEqual(tail.problems, []);
      assert.equal(tail.requests.length, 1, 'one Live Tail session');
    } finally {
      ac.abort();
    }
    assert.equal(await done, 'stopped');
    await waitFor(() => tail!.open === 0, 'the session to close on stop');
  });

  test('polling fallback: at most 1,000 back-filled (the newest; a line says how many older were skipped), then new events once each', async () => {
    const t = Date.now();
    await createLogGroup(logs, GROUP);
    await putEvents(logs, GROUP, Array.from({ length: 1_200 }, (_, i) => ({ message: `INFO bulk ${i}`, timestamp: t - 4 * 60_000 + i * 100 })));
    // Counts FilterLogEvents requests, to wait for polls rather than for time.
    const polling = new CloudWatchLogsClient(moto.clientConfig());
    let requests = 0;
    polling.middlewareStack.add((next) => (args) => { requests++; return next(args); }, { step: 'initialize' });
    const sink = collect();
    const ac = new AbortController();
    const done = runTail(polling, { groupName: GROUP, groupArn: ARN }, sink, ac.signal, { mode: 'poll', poll: { intervalMs: 100, lookbackMs: 30_000 }, backfill: { startTime: t - 5 * 60_000, what: 'from the last 5 minutes' } });
    try {
      await waitFor(() => sink.got.length >= 1_000, 'the back-fill');
      // Inside the polls' look-back window, so the first polls re-read the newest back-filled events too.
      await putEvents(logs, GROUP, [{ message: 'INFO after one', timestamp: Date.now() }, { message: 'INFO after two', timestamp: Date.now() + 1 }]);
      await waitFor(() => sink.got.some((g) => g.message === 'INFO after two'), 'the new events');
      // Three polls later, still nothing twice.
      const seen = requests;
      await waitFor(() => requests >= seen + 3, 'three more polls');
      assert.equal(sink.got.length, 1_002, 'each event once');
      assert.equal(sink.got[0].message, 'INFO bulk 200', 'the newest 1,000 are back-filled');
      assert.equal(sink.got[999].message, 'INFO bulk 1199');
      assert.deepEqual(sink.got.slice(1_000).map((g) => g.message), ['INFO after one', 'INFO after two']);
      assert.ok(sink.notices.some((n) => /^200 older events from the last 5 minutes skipped: the back-fill shows the newest 1000\./.test(n)), sink.notices.join(' | '));
    } finally {
      ac.abort();
    }
    assert.equal(await done, 'stopped');
    polling.destroy();
  });
});
