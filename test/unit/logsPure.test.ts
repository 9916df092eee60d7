// Pure parts of the Logs view: time ranges, .cwlogs headers, log group ordering, the tail buffer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseTimeRange, validateTimeRange } from '../../src/logs/timeRange';
import { describeTarget, memberFor, newInsightsFile, parseInsightsFile } from '../../src/logs/insightsFile';
import { describeLogGroup, formatBytes, logGroupNodeId, pipelineFirst, type LogGroupInfo } from '../../src/logs/logGroups';
import { detectLevel, formatEvent, prettyJson, TailBuffer } from '../../src/logs/tail/tailBuffer';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);

describe('time ranges', () => {
  test('relative presets and combinations', () => {
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('1d'), 86_400_000);
    assert.equal(parseDuration('abc'), undefined);
    assert.equal(parseDuration('0m'), undefined);
    const r = parseTimeRange('1h', NOW);
    assert.deepEqual([r.start, r.end], [NOW - 3_600_000, NOW]);
  });
  test('custom START..END with ISO, epoch, now and "ago"', () => {
    const r = parseTimeRange('2025-06-15T10:00..now', NOW);
    assert.equal(r.start, Date.UTC(2025, 5, 15, 10));
    assert.equal(r.end, NOW);
    assert.deepEqual(parseTimeRange('2h ago..30m ago', NOW), { start: NOW - 7_200_000, end: NOW - 1_800_000, label: '2h ago..30m ago' });
    assert.equal(parseTimeRange('1750000000..1750003600', NOW).start, 1_750_000_000_000);
    assert.equal(parseTimeRange('2025-06-01 to 2025-06-02', NOW).end, Date.UTC(2025, 5, 2));
  });
  test('rejects reversed and unreadable ranges with a message', () => {
    assert.throws(() => parseTimeRange('now..1h ago', NOW), /ends before it starts/);
    assert.match(validateTimeRange('yesterday') ?? '', /not a time range/);
    assert.equal(validateTimeRange('15m'), undefined);
  });
});

describe('.cwlogs files', () => {
  test('header names groups, range and limit; the rest is the query', () => {
    const f = parseInsightsFile('# groups: /a/b, /c/d\n#range: 1d\n# limit: 50\n# a plain comment\nfields @message\n| limit 5\n');
    assert.deepEqual(f.groups, ['/a/b', '/c/d']);
    assert.equal(f.range, '1d');
    assert.equal(f.limit, 50);
    assert.equal(f.query, '# a plain comment\nfields @message\n| limit 5');
    assert.deepEqual(f.problems, []);
  });
  test('several group lines add up; missing groups and query are problems', () => {
    assert.deepEqual(parseInsightsFile('# groups: /a\n# group: /b\nfields @message').groups, ['/a', '/b']);
    const bad = parseInsightsFile('# range: 1h\n# limit: 0\n');
    assert.equal(bad.problems.length, 3);
  });
  test('# limit: goes up to StartQuery\'s maximum of 100,000 (the CloudWatch Logs API model), not 10,000', () => {
    assert.equal(parseInsightsFile('# groups: /a\n# limit: 100000\nfields @message').limit, 100_000);
    assert.equal(parseInsightsFile('# groups: /a\n# limit: 10001\nfields @message').limit, 10_001);
    const over = parseInsightsFile('# groups: /a\n# limit: 100001\nfields @message');
    assert.equal(over.limit, undefined);
    assert.deepEqual(over.problems, [{ line: 1, message: 'limit must be a whole number from 1 to 100000' }]);
  });
  test('a query started from another account\'s group names that account (and role), or its profile; the header picks only a member of the scope', () => {
    const data = { key: 'sso:corp/222222222222/ViewOnly', label: 'Data Dev', accountId: '222222222222', roleName: 'ViewOnly', ssoSession: 'corp' };
    const admin = { ...data, key: 'sso:corp/222222222222/Admin', roleName: 'Admin' };
    const dev = { key: 'dev', label: 'dev', profile: 'dev' };
    const f = parseInsightsFile(newInsightsFile(['/data/etl'], '1h', data));
    assert.deepEqual([f.account, f.groups, f.problems], [{ id: '222222222222', role: 'ViewOnly' }, ['/data/etl'], []]);
    assert.equal(f.query.includes('account'), false, 'the header is not part of the query');
    assert.equal(memberFor(f, [dev, admin, data]), data);
    assert.equal(memberFor({ account: { id: '222222222222' } }, [dev, admin, data]), admin, 'no role: the first member of that account');
    assert.equal(memberFor({ account: { id: '333333333333' } }, [dev, admin, data]), undefined);
    const p = parseInsightsFile(newInsightsFile(['/a'], '1h', dev));
    assert.equal(p.profile, 'dev');
    assert.equal(memberFor(p, [data, dev]), dev);
    assert.equal(memberFor({ profile: 'prod-admin' }, [data, dev]), undefined, 'a profile outside the scope is never picked');
    assert.equal(memberFor({}, [data, dev]), undefined);
    assert.equal(describeTarget(f), 'account 222222222222/ViewOnly');
    const bad = parseInsightsFile('# account: 12345\n# profile: a b\n# groups: /a\nfields @message');
    assert.deepEqual(bad.problems.map((x) => x.line), [0, 1]);
    assert.equal(parseInsightsFile('# account: 222222222222\n# profile: dev\n# groups: /a\nfields @message').problems.length, 1, 'not both');
  });
  test('a `# region:` header names a region code; anything else is a problem on its line, not a silent default', () => {
    const f = parseInsightsFile('# region: eu-west-1\n# groups: /a\nfields @message');
    assert.deepEqual([f.region, f.problems, f.query], ['eu-west-1', [], 'fields @message']);
    assert.deepEqual(parseInsightsFile('# region: ../etc\n# groups: /a\nfields @message').problems, [{ line: 0, message: 'region must be a region code such as eu-west-1' }]);
  });
  test('a new file round-trips', () => {
    const f = parseInsightsFile(newInsightsFile(['/aws/lambda/x'], '15m'));
    assert.deepEqual([f.groups, f.range, f.problems], [['/aws/lambda/x'], '15m', []]);
    assert.match(f.query, /^fields @timestamp/);
  });
});

describe('log groups', () => {
  const g = (name: string, extra: Partial<LogGroupInfo> = {}): LogGroupInfo => ({ name, ...extra });
  test('pipeline groups come first, once, honouring the prefix filter', () => {
    const r = pipelineFirst([g('/aws/lambda/consumer'), g('/other/pipe')], [g('/app/a'), g('/aws/lambda/consumer'), g('/app/b')]);
    assert.deepEqual(r.pipeline.map((x) => x.name), ['/aws/lambda/consumer', '/other/pipe']);
    assert.deepEqual(r.others.map((x) => x.name), ['/app/a', '/app/b']);
    assert.deepEqual(pipelineFirst([g('/aws/lambda/consumer')], [], '/app').pipeline, []);
  });
  test('node ids: the pipeline\'s group `x` and a group literally named `pipeline/x` never clash; every name keeps its own id', () => {
    // CloudWatch Logs names: [.\-_/#A-Za-z0-9]+ (DescribeLogGroups' logGroupNamePattern), so `/` and `#` can be anywhere.
    const names = ['x', 'pipeline/x', '/aws/lambda/c', 'pipeline//aws/lambda/c', 'all/x', 'a#b', 'a%23b'];
    const ids = names.flatMap((n) => [logGroupNodeId('logs/', n, true), logGroupNodeId('logs/', n, false)]);
    assert.equal(new Set(ids).size, ids.length, ids.join('\n'));
    assert.notEqual(logGroupNodeId('logs/', 'x', true), logGroupNodeId('logs/', 'pipeline/x', false));
    assert.notEqual(logGroupNodeId('logs/', '/aws/lambda/c', true), logGroupNodeId('logs/', 'pipeline//aws/lambda/c', false));
    // The name is one segment: nothing in it reads as a further level of the prefix.
    assert.equal(logGroupNodeId('logs/a/b/', '/aws/lambda/c', true), 'logs/a/b/group/pipeline/%2Faws%2Flambda%2Fc');
  });
  test('description shows stored bytes and retention', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50 MiB');
    assert.equal(describeLogGroup(g('x', { storedBytes: 2048, retentionDays: 30 })), '2.0 KiB · 30 days');
    assert.equal(describeLogGroup(g('x', { storedBytes: 0 })), '0 B · never expires');
    assert.equal(describeLogGroup(g('x', { retentionDays: 1 })), 'size unknown · 1 day');
  });
});

describe('tail buffer', () => {
  test('levels from JSON fields and from words', () => {
    assert.equal(detectLevel('{"level":"error","msg":"x"}'), 'error');
    assert.equal(detectLevel('{"severity":"WARNING"}'), 'warn');
    assert.equal(detectLevel('[INFO] started'), 'info');
    assert.equal(detectLevel('2025 FATAL boom'), 'fatal');
    assert.equal(detectLevel('nothing here'), undefined);
    assert.equal(detectLevel('INFORMATION is not a level word'), undefined);
  });
  test('pretty-prints JSON messages only', () => {
    assert.equal(prettyJson('{"a":1}'), '{\n  "a": 1\n}');
    assert.equal(prettyJson('{not json'), '{not json');
    assert.equal(prettyJson('plain'), 'plain');
  });
  test('format: time, level column, stream, message', () => {
    const line = formatEvent({ timestamp: NOW, message: 'ERROR x\n', stream: 's1' }, 'error', { pretty: false, showStream: true });
    assert.equal(line, '2025-06-15T12:00:00.000Z  ERROR  [s1]  ERROR x');
  });
  test('caps the number of events, dropping the oldest tenth at once, and says so', () => {
    const b = new TailBuffer(100);
    for (let i = 0; i < 100; i++) b.push([{ timestamp: NOW + i, message: `INFO event ${i}` }]);
    assert.equal(b.size, 100);
    const before = b.render().text;
    b.push([{ timestamp: NOW + 100, message: 'ERROR event 100' }]);
    assert.equal(b.size, 90);
    assert.equal(b.dropped, 11);
    assert.equal(b.total, 101);
    const { text, spans } = b.render();
    assert.match(text, /^# 11 older events dropped/);
    assert.ok(!text.includes('event 10\n'));
    assert.ok(text.endsWith('ERROR  ERROR event 100\n'));
    assert.equal(spans.length, 90);
    assert.deepEqual(spans.at(-1), { line: 90, level: 'error' });
    // Until the next trim, updates only append: the old text is a prefix of the new.
    const t1 = b.render().text;
    b.push([{ timestamp: NOW + 101, message: 'more' }]);
    assert.ok(b.render().text.startsWith(t1));
    assert.notEqual(before, t1);
  });
  test('pretty mode re-renders and shifts level spans by the extra lines', () => {
    const b = new TailBuffer(10, false);
    b.notice('Live Tail session started.');
    b.push([{ timestamp: NOW, message: '{"level":"warn","a":{"b":1}}' }, { timestamp: NOW, message: 'ERROR after' }]);
    assert.deepEqual(b.render().spans.map((s) => s.line), [1, 2]);
    b.setPretty(true);
    const r = b.render();
    assert.deepEqual(r.spans, [{ line: 1, level: 'warn' }, { line: 7, level: 'error' }]);
    assert.match(r.text, /^# Live Tail session started\.\n/);
  });
});

describe('pollTail stop', () => {
  test('stopping while a FilterLogEvents request is in flight ends the tail as stopped, not as an error', async () => {
    const { pollTail } = await import('../../src/logs/tail/sources');
    let inFlight = 0;
    // A client whose request only ends when aborted, the way the SDK rejects an aborted request.
    const client = {
      send: (_cmd: unknown, opts: { abortSignal: AbortSignal }) => new Promise((_, reject) => {
        inFlight++;
        opts.abortSignal.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
      }),
    } as unknown as Parameters<typeof pollTail>[0];
    const ac = new AbortController();
    const done = pollTail(client, { groupName: '/app/x', groupArn: '' }, { events: () => undefined, notice: () => undefined }, ac.signal, { intervalMs: 10 });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(inFlight, 1);
    ac.abort();
    assert.equal(await done, 'stopped');
  });
});

describe('tail seam and Live Tail minutes', () => {
  test('held live events merge with the back-fill in time order, once each; a resumed tail does not repeat what it shows; later repeats are dropped', async () => {
    const { TailSeam } = await import('../../src/logs/tail/backfill');
    const got: string[] = [];
    const ev = (m: string, t: number, stream = 's') => ({ message: m, timestamp: t, stream });
    const seam = new TailSeam({ events: (e) => got.push(...e.map((x) => x.message)), notice: () => undefined }, [ev('shown before', 10)]);
    seam.live([ev('b', 30), ev('d', 50)]);
    assert.deepEqual(got, [], 'held until the back-fill is in');
    seam.complete([{ ...ev('shown before', 10), id: 'x1' }, { ...ev('a', 20), id: 'x2' }, { ...ev('b', 30), id: 'x3' }, ev('c', 40)], 60);
    assert.deepEqual(got, ['a', 'b', 'c', 'd']);
    // Same time and message on another stream is another event; the same on the same stream is a repeat.
    seam.live([ev('c', 40), ev('c', 40, 'other'), ev('e', 70)]);
    assert.deepEqual(got, ['a', 'b', 'c', 'd', 'c', 'e']);
  });

  test('billed minutes: whole minutes, rounded up; listeners are told and may be disposed', async () => {
    const { billedLiveTailMinutes, onLiveTailSession, reportLiveTailSession } = await import('../../src/logs/tail/liveTailSessions');
    assert.deepEqual([billedLiveTailMinutes(0, 1), billedLiveTailMinutes(0, 60_000), billedLiveTailMinutes(0, 60_001), billedLiveTailMinutes(0, 5 * 60_000 + 30_000)], [1, 1, 2, 6]);
    const seen: number[] = [];
    const sub = onLiveTailSession((r) => seen.push(r.billedMinutes));
    const failing = onLiveTailSession(() => { throw new Error('a broken listener'); });
    const errors: unknown[] = [];
    reportLiveTailSession({ logGroups: ['/g'], startedAt: 0, endedAt: 125_000, endReason: 'idle' }, (e) => errors.push(e));
    sub.dispose();
    failing.dispose();
    reportLiveTailSession({ logGroups: ['/g'], startedAt: 0, endedAt: 1, endReason: 'stopped' });
    assert.deepEqual(seen, [3]);
    assert.equal(errors.length, 1);
  });
});
