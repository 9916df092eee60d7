// The Logs view's AWS calls against moto_server: log group paging, search, Logs Insights, and the
// FilterLogEvents polling tail. Where moto departs from AWS's API model the tests use named stand-ins:
// Logs Insights paging (moto returns one page) goes to a loopback endpoint that pages as the model says;
// StartLiveTail (moto does not serve it) goes to a loopback endpoint that sends a real event stream, or
// to a mocked event stream (aws-sdk-client-mock) that behaves as the SDK's deserializer does.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, SessionTimeoutException, StartLiveTailCommand, StartQueryCommand, type StartLiveTailResponseStream } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { fetchLogGroupPage, fetchNamedGroups, pipelineFirst } from '../../src/logs/logGroups';
import { searchPage } from '../../src/logs/search';
import { runInsightsQuery } from '../../src/logs/insights';
import { newInsightsFile, parseInsightsFile, regionFor } from '../../src/logs/insightsFile';
import type { ScopeMember } from '../../src/aws/scope/scope';
import { parseTimeRange } from '../../src/logs/timeRange';
import { pollTail, runTail, streamLiveTail, type TailSink } from '../../src/logs/tail/sources';
import type { TailEvent } from '../../src/logs/tail/tailBuffer';
import { createLogGroup, jsonLine, putEvents } from '../helpers/logFixtures';
import { startMoto, type Moto } from '../helpers/moto';
import { startInsightsStandIn, type InsightsStandIn } from '../helpers/insightsStandIn';
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

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('log groups (moto_server)', () => {
  test('paged with nextToken, filtered by prefix, pipeline groups first, bytes and retention', async () => {
    for (const n of ['/app/a', '/app/b', '/app/c', '/aws/lambda/pipeline-consumer', '/zzz']) await createLogGroup(logs, n, { retentionDays: n.includes('pipeline') ? 14 : undefined });
    const p1 = await fetchLogGroupPage(logs, { limit: 2 });
    assert.equal(p1.groups.length, 2);
    assert.ok(p1.nextToken);
    const p2 = await fetchLogGroupPage(logs, { limit: 2, nextToken: p1.nextToken });
    const p3 = await fetchLogGroupPage(logs, { limit: 2, nextToken: p2.nextToken });
    assert.deepEqual([...p1.groups, ...p2.groups, ...p3.groups].map((g) => g.name), ['/app/a', '/app/b', '/app/c', '/aws/lambda/pipeline-consumer', '/zzz']);
    assert.equal(p3.nextToken, undefined);
    assert.deepEqual((await fetchLogGroupPage(logs, { prefix: '/app/' })).groups.map((g) => g.name), ['/app/a', '/app/b', '/app/c']);
    const pipeline = await fetchNamedGroups(logs, ['/aws/lambda/pipeline-consumer', '/aws/lambda/missing']);
    assert.equal(pipeline.length, 1);
    assert.equal(pipeline[0].retentionDays, 14);
    assert.match(pipeline[0].arn ?? '', /^arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/lambda\/pipeline-consumer$/);
    const merged = pipelineFirst(pipeline, p1.groups.concat(p2.groups));
    assert.deepEqual(merged.pipeline.map((g) => g.name), ['/aws/lambda/pipeline-consumer']);
    assert.ok(!merged.others.some((g) => g.name === '/aws/lambda/pipeline-consumer'));
  });
});

describe('search (moto_server)', () => {
  test('filter pattern over a relative range, paginated', async () => {
    await createLogGroup(logs, '/app/search');
    const now = Date.now();
    await putEvents(logs, '/app/search', [
      ...Array.from({ length: 30 }, (_, i) => ({ message: `ERROR failure ${i}`, timestamp: now - 10 * 60_000 + i })),
      { message: 'INFO fine', timestamp: now - 5 * 60_000 },
      { message: 'ERROR too old', timestamp: now - 3 * 3_600_000 },
    ]);
    const range = parseTimeRange('1h', now + 1000);
    const first = await searchPage(logs, { groupName: '/app/search', filterPattern: 'ERROR', range }, { want: 20 });
    assert.equal(first.events.length, 20);
    assert.ok(first.nextToken, 'more pages remain');
    const rest = await searchPage(logs, { groupName: '/app/search', filterPattern: 'ERROR', range, nextToken: first.nextToken }, { want: 20 });
    assert.equal(rest.events.length, 10);
    const all = [...first.events, ...rest.events].map((e) => e.message);
    assert.ok(all.every((m) => m.startsWith('ERROR failure')));
    assert.equal(new Set(all).size, 30);
  });
});

describe('Logs Insights (moto_server StartQuery / GetQueryResults)', () => {
  test('columns and rows for the results grid', async () => {
    await createLogGroup(logs, '/app/insights');
    const now = Date.now();
    await putEvents(logs, '/app/insights', [{ message: 'hello one', timestamp: now - 60_000 }, { message: 'hello two', timestamp: now - 30_000 }]);
    const r = await runInsightsQuery(logs, { groups: ['/app/insights'], query: 'fields @timestamp, @message | sort @timestamp desc | limit 5', range: parseTimeRange('1h', now + 1000) }, { pollMs: 50 });
    assert.equal(r.status, 'Complete');
    assert.ok(r.columns.includes('@message'), `columns: ${r.columns}`);
    const msgCol = r.columns.indexOf('@message');
    assert.deepEqual(r.rows.map((row) => row[msgCol]).sort(), ['hello one', 'hello two']);
  });

  // "New Logs Insights Query" on a group under a region node of a scope (account → region → groups) writes the
  // file src/logs/register.ts writes; the run resolves its region as src/logs/insightsLens.ts does.
  test('a query started from a group under the eu-west-1 node of a two-region scope runs in eu-west-1, not the connection\'s us-east-1; a region outside the scope is refused', async () => {
    const REGIONS = ['us-east-1', 'eu-west-1'];
    const member: ScopeMember = { key: 'sso:corp/222222222222/ViewOnly', label: 'Data Dev', accountId: '222222222222', roleName: 'ViewOnly', ssoSession: 'corp' };
    const now = Date.now();
    const inRegion = new Map(REGIONS.map((r) => [r, new CloudWatchLogsClient(moto.clientConfig(r))]));
    try {
      for (const [r, c] of inRegion) {
        await createLogGroup(c, '/app/regional');
        await putEvents(c, '/app/regional', [{ message: `written in ${r}`, timestamp: now - 60_000 }]);
      }
      const f = parseInsightsFile(newInsightsFile(['/app/regional'], '1h', member, 'eu-west-1'));
      assert.deepEqual(f.problems, []);
      const region = regionFor(f, REGIONS) ?? 'us-east-1';
      const client = inRegion.get(region)!;
      const r = await runInsightsQuery(client, { groups: f.groups, query: 'fields @message', range: parseTimeRange('1h', now + 1000) }, { pollMs: 50 });
      assert.deepEqual(r.rows.map((row) => row[r.columns.indexOf('@message')]), ['written in eu-west-1']);
      // A header naming a region the user did not put in the scope is refused, never asked.
      assert.throws(() => regionFor(parseInsightsFile('# region: ap-south-1\n# groups: /app/regional\nfields @message'), REGIONS), /region ap-south-1, which is not in the scope \(us-east-1, eu-west-1\)/);
      // No region header: the connection's region, as before.
      assert.equal(regionFor(parseInsightsFile(newInsightsFile(['/app/regional'], '1h', member)), REGIONS), undefined);
    } finally {
      for (const c of inRegion.values()) c.destroy();
    }
  });
});

describe('Logs Insights paging (loopback stand-in that pages as the CloudWatch Logs API model says: moto returns one page)', () => {
  let standIn: InsightsStandIn | undefined;
  afterEach(async () => { await standIn?.stop(); standIn = undefined; });

  async function run(matched: number, limit: number | undefined, runningPolls = 0) {
    standIn = await startInsightsStandIn({ matched, runningPolls });
    const client = new CloudWatchLogsClient({ ...moto.clientConfig(), endpoint: standIn.endpoint });
    try {
      const statuses: string[] = [];
      const r = await runInsightsQuery(client, { groups: ['/app/paged'], query: 'fields @timestamp, @message', range: parseTimeRange('1h'), limit }, { pollMs: 1, onStatus: (s) => statuses.push(s) });
      return { r, statuses, calls: standIn.calls, problems: standIn.problems };
    } finally {
      client.destroy();
    }
  }

  test('every page is read after the query completes: 25,000 rows over three pages, in order, none twice', async () => {
    const { r, statuses, calls, problems } = await run(30_000, 25_000, 2);
    assert.deepEqual(problems, [], 'every request and answer fits the model');
    assert.equal(r.rows.length, 25_000);
    assert.deepEqual(r.columns, ['@timestamp', '@message']);
    assert.deepEqual(r.rows.map((row) => row[1]), Array.from({ length: 25_000 }, (_, i) => `event ${i}`));
    const gets = calls.GetQueryResults;
    // Two Running polls (partial results, not kept), the first Complete page, then two more by nextToken.
    assert.equal(gets.length, 5);
    assert.deepEqual(gets.map((g) => g.nextToken === undefined), [true, true, true, false, false]);
    assert.deepEqual(gets.map((g) => g.maxItems), [10_000, 10_000, 10_000, 10_000, 5_000]);
    assert.equal(calls.StartQuery[0].limit, 25_000);
    assert.deepEqual(statuses.slice(0, 3), ['Running', 'Running', 'Complete']);
    assert.equal(r.statistics?.recordsMatched, 30_000);
  });

  test('a limit of 100,000 (StartQuery\'s maximum) brings 100,000 rows; more matched events stay unread', async () => {
    const { r, calls, problems } = await run(120_000, 100_000);
    assert.deepEqual(problems, []);
    assert.equal(r.rows.length, 100_000);
    assert.equal(r.rows[99_999][1], 'event 99999');
    assert.equal(calls.GetQueryResults.length, 10);
  });

  test('without a limit AWS returns its default 10,000: one page, no nextToken to follow', async () => {
    const { r, calls, problems } = await run(50_000, undefined);
    assert.deepEqual(problems, []);
    assert.equal(calls.StartQuery[0].limit, undefined);
    assert.equal(r.rows.length, 10_000);
    assert.equal(calls.GetQueryResults.length, 1);
  });

  test('cancelling a running query sends StopQuery for it and ends with AbortError (the stand-in keeps it Running)', async () => {
    standIn = await startInsightsStandIn({ matched: 50, runningPolls: 1_000 });
    const client = new CloudWatchLogsClient({ ...moto.clientConfig(), endpoint: standIn.endpoint });
    const abort = new AbortController();
    try {
      const query = runInsightsQuery(client, { groups: ['/app/paged'], query: 'fields @message', range: parseTimeRange('1h') }, { pollMs: 1, signal: abort.signal, onStatus: (s) => { if (s === 'Running') abort.abort(); } });
      await assert.rejects(query, { name: 'AbortError' });
    } finally {
      client.destroy();
    }
    const queryId = (standIn.calls.GetQueryResults ?? [])[0]?.queryId;
    assert.ok(queryId);
    assert.deepEqual(standIn.calls.StopQuery, [{ queryId }]);
    assert.deepEqual(standIn.problems, []);
  });

  // Sent by the test itself: the extension's query file refuses such a limit before any request
  // (insightsFile.ts), and the contract check holds every request the shipped code sends to the model.
  test('the stand-in refuses what the model refuses: a limit over 100,000 is InvalidParameterException (request sent by the test)', async () => {
    standIn = await startInsightsStandIn({ matched: 10 });
    const client = new CloudWatchLogsClient({ ...moto.clientConfig(), endpoint: standIn.endpoint });
    try {
      const range = parseTimeRange('1h');
      const over = new StartQueryCommand({ logGroupNames: ['/app/paged'], queryString: 'fields @message', startTime: Math.floor(range.start / 1000), endTime: Math.floor(range.end / 1000), limit: 100_001 });
      await assert.rejects(client.send(over), { name: 'InvalidParameterException', message: /limit: 100001 is above EventsLimitStartQuery's maximum 100000/ });
    } finally {
      client.destroy();
    }
    assert.equal(standIn.problems.length, 1);
  });
});

describe('tail: FilterLogEvents polling fallback (moto_server)', () => {
  test('follows new events as they arrive, once each, with the filter pattern', async () => {
    await createLogGroup(logs, '/app/tail');
    await putEvents(logs, '/app/tail', [{ message: jsonLine('INFO', 'x', 'before the tail'), timestamp: Date.now() - 120_000 }]);
    const sink = collect();
    const ac = new AbortController();
    const done = pollTail(logs, { groupName: '/app/tail', groupArn: '', filterPattern: '"checkout"' }, sink, ac.signal, { intervalMs: 100, backfillMs: 0 });
    await putEvents(logs, '/app/tail', [{ message: jsonLine('ERROR', 'checkout', 'first') }, { message: jsonLine('INFO', 'other', 'not matching') }]);
    await waitFor(() => sink.got.length >= 1);
    await putEvents(logs, '/app/tail', [{ message: jsonLine('WARN', 'checkout', 'second') }, { message: jsonLine('INFO', 'checkout', 'third') }]);
    await waitFor(() => sink.got.length >= 3);
    await new Promise((r) => setTimeout(r, 400)); // more poll rounds: nothing is repeated
    ac.abort();
    assert.equal(await done, 'stopped');
    assert.deepEqual(sink.got.map((e) => (JSON.parse(e.message) as { message: string }).message), ['first', 'second', 'third']);
  });

  test('auto mode with an endpoint override (moto_server): Live Tail goes to the override itself, not stream-127.0.0.1, and falls back to polling with a clear message', async () => {
    await createLogGroup(logs, '/app/auto');
    const sink = collect();
    const ac = new AbortController();
    let mode = '';
    const done = runTail(logs, { groupName: '/app/auto', groupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/app/auto' }, sink, ac.signal, {
      mode: 'auto', poll: { intervalMs: 100 }, onMode: (m) => { mode = m; },
    });
    await waitFor(() => mode === 'poll');
    const notices = sink.notices.join('\n');
    assert.match(notices, new RegExp(`Live Tail is not available here \\(the endpoint override http://127\\.0\\.0\\.1:${moto.port} does not serve StartLiveTail \\(HTTP 500\\)\\)\\. Falling back to polling FilterLogEvents every 0\\.1 s`));
    assert.doesNotMatch(notices, /ENOTFOUND|getaddrinfo|stream-/);
    await putEvents(logs, '/app/auto', [{ message: 'ERROR arrives via polling' }]);
    await waitFor(() => sink.got.length === 1);
    ac.abort();
    await done;
  });

  test('liveTail mode with an endpoint override (moto_server): a clear error that names the override and the way out, not ENOTFOUND', async () => {
    await createLogGroup(logs, '/app/live');
    const modes: string[] = [];
    const sink = collect();
    await assert.rejects(
      runTail(logs, { groupName: '/app/live', groupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/app/live' }, sink, new AbortController().signal, { mode: 'liveTail', onMode: (m) => modes.push(m) }),
      (err: Error) => {
        assert.equal(err.name, 'LiveTailUnavailable');
        assert.equal(err.message, `Live Tail is not available: the endpoint override http://127.0.0.1:${moto.port} does not serve StartLiveTail (HTTP 500). Set cloudMonitor.logs.tailMode to "auto" or "poll" to tail by polling FilterLogEvents.`);
        return true;
      },
    );
    assert.deepEqual(modes, ['liveTail'], 'no fallback in liveTail mode');
    assert.deepEqual(sink.got, []);
  });
});

describe('tail: Live Tail streaming (aws-sdk-client-mock: moto lacks StartLiveTail)', () => {
  async function* stream(items: StartLiveTailResponseStream[], hold?: Promise<void>): AsyncGenerator<StartLiveTailResponseStream> {
    for (const i of items) yield i;
    if (hold) await hold;
  }

  test('session start, updates in order, sampling notice, filter pattern sent', async () => {
    const cwl = mockClient(CloudWatchLogsClient);
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    cwl.on(StartLiveTailCommand).resolves({
      responseStream: stream([
        { sessionStart: { sessionId: 'S1', logGroupIdentifiers: ['arn:g'] } },
        { sessionUpdate: { sessionMetadata: { sampled: false }, sessionResults: [{ message: 'INFO one', timestamp: 1, logStreamName: 's' }, { message: 'ERROR two', timestamp: 2, logStreamName: 's' }] } },
        { sessionUpdate: { sessionMetadata: { sampled: true }, sessionResults: [{ message: 'WARN three', timestamp: 3 }] } },
      ], hold),
    });
    const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const sink = collect();
    const ac = new AbortController();
    const done = streamLiveTail(client, { groupName: 'g', groupArn: 'arn:g', filterPattern: 'ERROR' }, sink, ac.signal);
    await waitFor(() => sink.got.length === 3);
    assert.deepEqual(sink.got.map((e) => e.message), ['INFO one', 'ERROR two', 'WARN three']);
    assert.match(sink.notices[0], /Live Tail session S1 started with filter ERROR/);
    assert.match(sink.notices[1], /sampling/);
    const input = cwl.commandCalls(StartLiveTailCommand)[0].args[0].input;
    assert.deepEqual([input.logGroupIdentifiers, input.logEventFilterPattern], [['arn:g'], 'ERROR']);
    ac.abort();
    release();
    assert.equal(await done, 'stopped');
    cwl.restore();
  });

  test('session timeout (thrown by the stream\'s iterator, as the SDK\'s event-stream deserializer does) ends the tail as "timeout"; a failure before the session starts is "unavailable"', async () => {
    const cwl = mockClient(CloudWatchLogsClient);
    // The SDK never yields SessionTimeoutException as an item: an exception message makes the iterator throw it.
    async function* timesOut(): AsyncGenerator<StartLiveTailResponseStream> {
      yield { sessionStart: { sessionId: 'S2' } };
      yield { sessionUpdate: { sessionMetadata: { sampled: false }, sessionResults: [{ message: 'INFO last', timestamp: 5 }] } };
      throw new SessionTimeoutException({ message: 'Session timed out after 3 hours', $metadata: {} });
    }
    cwl.on(StartLiveTailCommand).resolvesOnce({ responseStream: timesOut() }).rejectsOnce(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' }));
    const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const sink = collect();
    assert.equal(await streamLiveTail(client, { groupName: 'g', groupArn: 'arn:g' }, sink, new AbortController().signal), 'timeout');
    assert.deepEqual(sink.got.map((e) => e.message), ['INFO last']);
    assert.match(sink.notices.at(-1) ?? '', /Live Tail session ended: Session timed out after 3 hours/);
    await assert.rejects(streamLiveTail(client, { groupName: 'g', groupArn: 'arn:g' }, sink, new AbortController().signal), { name: 'LiveTailUnavailable', message: /AccessDeniedException: Access denied/ });
    cwl.restore();
  });

  test('runTail ends with "timeout" (the three-hour notice) when the iterator throws SessionTimeoutException, in auto mode too: no fallback to polling', async () => {
    const cwl = mockClient(CloudWatchLogsClient);
    async function* timesOut(): AsyncGenerator<StartLiveTailResponseStream> {
      yield { sessionStart: { sessionId: 'S3' } };
      throw new SessionTimeoutException({ message: 'Session timed out after 3 hours', $metadata: {} });
    }
    cwl.on(StartLiveTailCommand).callsFake(() => ({ responseStream: timesOut() }));
    const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      for (const mode of ['auto', 'liveTail'] as const) {
        const modes: string[] = [];
        assert.equal(await runTail(client, { groupName: 'g', groupArn: 'arn:g' }, collect(), new AbortController().signal, { mode, onMode: (m) => modes.push(m) }), 'timeout', mode);
        assert.deepEqual(modes, ['liveTail'], mode);
      }
    } finally {
      cwl.restore();
    }
  });

  test('liveTail mode does not fall back; auto mode does', async () => {
    const cwl = mockClient(CloudWatchLogsClient);
    cwl.on(StartLiveTailCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND streaming-logs'), { name: 'Error' }));
    const client = new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await assert.rejects(runTail(client, { groupName: 'g', groupArn: 'arn:g' }, collect(), new AbortController().signal, { mode: 'liveTail' }), /not available/);
    cwl.restore();
  });
});

describe('tail: Live Tail as a real event stream (loopback stand-in that serves StartLiveTail: moto does not), read by the SDK\'s own deserializer', () => {
  test('through an endpoint override: the request reaches the override (no stream- prefix), events arrive, and the SessionTimeoutException message ends the tail as "timeout"', async () => {
    const arn = 'arn:aws:logs:us-east-1:123456789012:log-group:/app/stream';
    const tail = await startLiveTailStandIn([
      { event: 'sessionStart', body: { requestId: 'r1', sessionId: 'S9', logGroupIdentifiers: [arn] } },
      { event: 'sessionUpdate', body: { sessionMetadata: { sampled: false }, sessionResults: [{ logStreamName: 's', logGroupIdentifier: arn, message: 'ERROR streamed', timestamp: 1_700_000_000_000, ingestionTime: 1_700_000_000_100 }] } },
      { exception: 'SessionTimeoutException', body: { message: 'Session timed out after 3 hours' } },
    ]);
    const client = new CloudWatchLogsClient({ ...moto.clientConfig(), endpoint: tail.endpoint });
    try {
      const sink = collect();
      const modes: string[] = [];
      const end = await runTail(client, { groupName: '/app/stream', groupArn: arn, filterPattern: 'ERROR' }, sink, new AbortController().signal, { mode: 'auto', onMode: (m) => modes.push(m) });
      assert.equal(end, 'timeout');
      assert.deepEqual(modes, ['liveTail'], 'no fallback to polling');
      assert.deepEqual(sink.got.map((e) => [e.message, e.stream, e.timestamp]), [['ERROR streamed', 's', 1_700_000_000_000]]);
      assert.match(sink.notices[0], /Live Tail session S9 started with filter ERROR/);
      assert.match(sink.notices.at(-1) ?? '', /Live Tail session ended: Session timed out after 3 hours/);
      assert.equal(tail.requests.length, 1);
      assert.equal(tail.requests[0].host, new URL(tail.endpoint).host, 'sent to the override itself');
      assert.deepEqual(tail.requests[0].input, { logGroupIdentifiers: [arn], logEventFilterPattern: 'ERROR' });
      assert.deepEqual(tail.problems, []);
    } finally {
      client.destroy();
      await tail.stop();
    }
  });
});

// A tail starts with the last minutes of events (FilterLogEvents against moto_server), then goes live, each
// event once and in time order at the seam (issue 14). The Live Tail stand-in passes every other operation to moto.
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
      await waitFor(() => sink.got.length >= 6);
      // After the merge: e6 again (it was back-filled), and e7, new.
      tail.send(live([e6, e7]));
      await waitFor(() => sink.got.some((g) => g.message === e7.message));
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
    await waitFor(() => tail!.open === 0);
  });

  test('a back-fill window with more events than its FilterLogEvents budget reads shows the newest, and the document says older ones were skipped', async () => {
    const t = Date.now();
    await createLogGroup(logs, GROUP);
    await putEvents(logs, GROUP, Array.from({ length: 1_000 }, (_, i) => ({ message: `INFO burst ${i}`, timestamp: t - 4 * 60_000 + i * 240 })));
    const client = new CloudWatchLogsClient(moto.clientConfig());
    let filterRequests = 0;
    // The back-fill's pages (limit 200), not the live polls'.
    client.middlewareStack.add((next, context) => (args) => { if (context.commandName === 'FilterLogEventsCommand' && (args.input as { limit?: number }).limit === 200) filterRequests++; return next(args); }, { step: 'initialize' });
    const sink = collect();
    const ac = new AbortController();
    // Scaled down: 4 requests of 200 events for a window of 1,000 (20 of 1,000 in the extension).
    const backfill = { startTime: t - 5 * 60_000, what: 'from the last 5 minutes', cap: 100, maxRequests: 4, pageSize: 200 };
    const done = runTail(client, { groupName: GROUP, groupArn: ARN }, sink, ac.signal, { mode: 'poll', poll: { intervalMs: 60_000, lookbackMs: 1_000 }, backfill });
    try {
      await waitFor(() => sink.notices.some((n) => n.startsWith('Back-filled')));
      assert.ok(filterRequests <= 4, `${filterRequests} FilterLogEvents requests for the back-fill`);
      assert.deepEqual(sink.got.slice(0, 100).map((g) => g.message), Array.from({ length: 100 }, (_, i) => `INFO burst ${900 + i}`), 'the newest 100, in order');
      const older = sink.notices.find((n) => n.startsWith('Older events'));
      assert.match(older ?? '', /^Older events from the last 5 minutes were skipped: those from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d UTC \(more than \d+\) did not fit the \d FilterLogEvents requests a back-fill may send, so it shows the newest 100\. Search the log group to see them all\.$/, sink.notices.join(' | '));
      assert.ok(Number(/more than (\d+)/.exec(older!)![1]) >= 400, older);
      assert.ok(!sink.notices.some((n) => /were not read/.test(n)), 'the newest part was read to the end');
    } finally {
      ac.abort();
    }
    assert.equal(await done, 'stopped');
    client.destroy();
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
      await waitFor(() => sink.got.length >= 1_000);
      // Inside the polls' look-back window, so the first polls re-read the newest back-filled events too.
      await putEvents(logs, GROUP, [{ message: 'INFO after one', timestamp: Date.now() }, { message: 'INFO after two', timestamp: Date.now() + 1 }]);
      await waitFor(() => sink.got.some((g) => g.message === 'INFO after two'));
      // Three polls later, still nothing twice.
      const seen = requests;
      await waitFor(() => requests >= seen + 3);
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
