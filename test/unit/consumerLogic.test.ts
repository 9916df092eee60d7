// The consumer's pure modules: validation, partitioning and keys, batch failure semantics, status
// aggregation, alert rules and debounce planning.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkShape, parseMessage, parseTimestamp, MAX_DEPTH, MAX_EVENTS_PER_MESSAGE, MAX_KEYS_PER_EVENT, MAX_KEYS_PER_MESSAGE, MAX_MESSAGE_BYTES, type PipelineEvent } from '../../pipeline/consumer/events';
import { buildObjects, objectKey, partitionOf } from '../../pipeline/consumer/partition';
import { batchItemFailures, planBatch, runOf, type SqsRecord } from '../../pipeline/consumer/batch';
import { applyRun, errorRateEstimate, rollWindow, shortId, summarize, type AppStatus } from '../../pipeline/consumer/status';
import { buildNotification, claimRaiseInput, evaluateAlerts, mirrorAfter, planAlertOp, revertClaimInput, type AlertEvaluation } from '../../pipeline/consumer/alerts';
import { configFromEnv } from '../../pipeline/consumer/config';
import { deeplyNested, hostileEventBodies, manyKeys } from '../fixtures/hostile';

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const ev = (o: Record<string, unknown> = {}) => ({ appId: 'web', timestamp: '2026-11-21T12:00:00Z', level: 'INFO', message: 'ok', ...o });
const rec = (messageId: string, body: unknown, group?: string): SqsRecord => ({
  messageId,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: group ? { MessageGroupId: group } : {},
});

describe('validation', () => {
  test('accepts one event or an array, normalizing level, time, fields and metrics', () => {
    const one = parseMessage(JSON.stringify(ev({ level: 'warning', route: '/cart', latencyMs: 812, ok: true, tags: ['a'], fields: { region: 'eu' }, metrics: { bytes: 10 } })), 'web');
    assert.ok(one.ok);
    assert.equal(one.events.length, 1);
    const e = one.events[0];
    assert.equal(e.level, 'WARN');
    assert.equal(e.time, Date.UTC(2026, 10, 21, 12));
    assert.deepEqual(e.fields, { region: 'eu', route: '/cart', ok: 'true', tags: '["a"]' });
    assert.deepEqual(e.metrics, { bytes: 10, latencyMs: 812 });
    const many = parseMessage(JSON.stringify([ev(), ev({ timestamp: T0 + 5, level: 'critical' })]));
    assert.ok(many.ok);
    assert.deepEqual(many.events.map((x) => [x.time, x.level]), [[T0, 'INFO'], [T0 + 5, 'FATAL']]);
  });

  test('timestamps: ISO-8601 with a zone or epoch ms; zone-less and epoch seconds are refused', () => {
    assert.equal(parseTimestamp('2026-11-21T13:00:00+01:00'), T0);
    assert.equal(parseTimestamp('2026-11-21T12:00:00.250Z'), T0 + 250);
    assert.equal(parseTimestamp(T0), T0);
    assert.equal(parseTimestamp('2026-11-21T12:00:00'), undefined);
    assert.equal(parseTimestamp('yesterday'), undefined);
    const secs = parseMessage(JSON.stringify(ev({ timestamp: Math.floor(T0 / 1000) })));
    assert.ok(!secs.ok && secs.code === 'INVALID_FIELD' && /epoch seconds/.test(secs.reason));
  });

  test('each malformed case is refused with a code and a reason naming the field', () => {
    const cases: [string, string, RegExp][] = [
      ['{not json', 'MALFORMED_JSON', /not JSON/],
      ['42', 'NOT_AN_EVENT', /not a JSON object/],
      ['[]', 'EMPTY', /no events/],
      [JSON.stringify({ ...ev(), appId: undefined }), 'INVALID_FIELD', /event\.appId is missing/],
      [JSON.stringify(ev({ appId: 'bad/app' })), 'INVALID_FIELD', /appId must be/],
      [JSON.stringify(ev({ level: 'LOUD' })), 'INVALID_FIELD', /level must be one of/],
      [JSON.stringify(ev({ message: 7 })), 'INVALID_FIELD', /message must be a string/],
      [JSON.stringify([ev(), ev({ timestamp: 'soon' })]), 'INVALID_FIELD', /events\[1\]\.timestamp/],
      [JSON.stringify(ev({ metrics: { x: 'fast' } })), 'INVALID_FIELD', /metrics\.x must be a finite number/],
      [JSON.stringify([ev(), ev({ appId: 'api' })]), 'MIXED_APPS', /several apps/],
      [JSON.stringify(Array.from({ length: MAX_EVENTS_PER_MESSAGE + 1 }, () => ev())), 'TOO_MANY_EVENTS', /at most/],
    ];
    for (const [body, code, reason] of cases) {
      const r = parseMessage(body);
      assert.ok(!r.ok, body.slice(0, 40));
      assert.equal(r.code, code, body.slice(0, 40));
      assert.match(r.reason, reason);
    }
    const mismatch = parseMessage(JSON.stringify(ev()), 'api');
    assert.ok(!mismatch.ok && mismatch.code === 'GROUP_MISMATCH');
  });
});

describe('hostile shapes: depth and key limits (issue 12.5)', () => {
  const nestedField = (depth: number) => `{"appId":"web","timestamp":"2026-11-21T12:00:00Z","level":"INFO","message":"m","payload":${deeplyNested(depth)}}`;

  test('the hostile fixtures are SQS-sized and each is rejected with its code and a reason; parseMessage does not throw', () => {
    for (const h of hostileEventBodies('web', '2026-11-21T12:00:00Z')) {
      assert.ok(Buffer.byteLength(h.body) < MAX_MESSAGE_BYTES - 2048, `${h.name} fits an SQS message with the DLQ attributes`);
      const r = parseMessage(h.body, 'web');
      assert.ok(!r.ok, h.name);
      assert.equal(r.code, h.code, h.name);
      assert.match(r.reason, /deeper than 32 levels|more than 10000 object keys|at most 200 per event/, h.name);
    }
  });

  test('depth: MAX_DEPTH levels pass, one more is TOO_DEEP (an array of events counts as a level)', () => {
    // The body object is level 1 and the "payload" value level 2, so deeplyNested(n) reaches n + 1.
    assert.ok(parseMessage(nestedField(MAX_DEPTH - 1)).ok);
    const over = parseMessage(nestedField(MAX_DEPTH));
    assert.ok(!over.ok && over.code === 'TOO_DEEP', JSON.stringify(over));
    const inArray = parseMessage(`[${nestedField(MAX_DEPTH - 1)}]`);
    assert.ok(!inArray.ok && inArray.code === 'TOO_DEEP');
    // Nested arrays count the same as objects.
    assert.throws(() => checkShape(JSON.parse(`${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}`)), /deeper than/);
    assert.doesNotThrow(() => checkShape(JSON.parse(`${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`)));
  });

  test('keys: MAX_KEYS_PER_EVENT fields and metrics pass, one more is TOO_MANY_KEYS naming the event', () => {
    const wide = (n: number) => ev(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i % 2 ? i : `v${i}`])));
    const ok = parseMessage(JSON.stringify(wide(MAX_KEYS_PER_EVENT)));
    assert.ok(ok.ok);
    assert.equal(Object.keys(ok.events[0].fields).length + Object.keys(ok.events[0].metrics).length, MAX_KEYS_PER_EVENT);
    const over = parseMessage(JSON.stringify([ev(), wide(MAX_KEYS_PER_EVENT + 1)]));
    assert.ok(!over.ok && over.code === 'TOO_MANY_KEYS' && /^events\[1\] has 201 fields and metrics/.test(over.reason), JSON.stringify(over));
  });

  test('keys: the whole body holds at most MAX_KEYS_PER_MESSAGE object keys at any depth', () => {
    // 100 events of 4 required keys plus one field holding 96 keys: 10,000 keys exactly.
    const body = (extra: number) => JSON.stringify(Array.from({ length: 100 }, (_, i) => ev({ payload: JSON.parse(manyKeys(i === 0 ? 95 + extra : 95)) })));
    assert.ok(parseMessage(body(0)).ok, `${MAX_KEYS_PER_MESSAGE} keys pass`);
    const over = parseMessage(body(1));
    assert.ok(!over.ok && over.code === 'TOO_MANY_KEYS' && /more than 10000 object keys/.test(over.reason), JSON.stringify(over));
  });

  test('any other failure while reading a message is UNPROCESSABLE for that message, never a throw (JSON.stringify stubbed to throw)', () => {
    const body = JSON.stringify(ev({ tags: ['a'] }));
    const real = JSON.stringify;
    JSON.stringify = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    let r: ReturnType<typeof parseMessage>;
    try {
      r = parseMessage(body, 'web');
    } finally {
      JSON.stringify = real;
    }
    assert.ok(!r.ok);
    assert.equal(r.code, 'UNPROCESSABLE');
    assert.match(r.reason, /RangeError: Maximum call stack/);
    const noBody = parseMessage(undefined as unknown as string);
    assert.ok(!noBody.ok && noBody.code === 'NOT_AN_EVENT');
  });

  test('planBatch guards each record: one that throws while being read is UNPROCESSABLE alone', () => {
    const bad = { messageId: 'x1', attributes: { MessageGroupId: 'evil' }, get body(): string { throw new TypeError('no body'); } } as SqsRecord;
    const groups = planBatch([rec('w1', ev(), 'web'), bad]);
    assert.deepEqual(groups.map((g) => g.records.map((r) => (r.parsed.ok ? 'ok' : r.parsed.code))), [['ok'], ['UNPROCESSABLE']]);
  });

  test('planBatch rejects a hostile record alone: the other groups\' records stay valid, in order', () => {
    const [deep] = hostileEventBodies('evil', '2026-11-21T12:00:00Z');
    const groups = planBatch([rec('w1', ev(), 'web'), rec('e1', deep.body, 'evil'), rec('a1', ev({ appId: 'api' }), 'api'), rec('e2', ev({ appId: 'evil' }), 'evil')]);
    const evil = groups.find((g) => g.groupId === 'evil')!;
    assert.deepEqual(evil.records.map((r) => [r.record.messageId, r.parsed.ok ? 'ok' : r.parsed.code]), [['e1', 'TOO_DEEP'], ['e2', 'ok']]);
    assert.deepEqual(runOf(evil, new Set())?.messages.map((m) => m.messageId), ['e2'], 'the hostile message\'s group carries on after it');
    assert.ok(groups.filter((g) => g.groupId !== 'evil').every((g) => g.records.every((r) => r.parsed.ok)));
  });
});

describe('partitions and keys', () => {
  const at = (iso: string) => Date.parse(iso);
  test('UTC day, month and year boundaries, from the event\'s own timestamp', () => {
    assert.equal(partitionOf('web', at('2026-12-31T23:59:59.999Z')), 'year=2026/month=12/day=31/appid=web');
    assert.equal(partitionOf('web', at('2027-01-01T00:00:00.000Z')), 'year=2027/month=01/day=01/appid=web');
    assert.equal(partitionOf('web', at('2026-02-28T23:59:59.999Z')), 'year=2026/month=02/day=28/appid=web');
    assert.equal(partitionOf('web', at('2026-03-01T00:30:00+01:00')), 'year=2026/month=02/day=28/appid=web');
    assert.equal(partitionOf('web', at('2028-02-29T12:00:00Z')), 'year=2028/month=02/day=29/appid=web');
  });

  test('one object per partition per run, keyed by the run\'s first message id', () => {
    const e = (iso: string): PipelineEvent => ({ appId: 'web', time: at(iso), level: 'INFO', message: iso, fields: {}, metrics: {} });
    const objs = buildObjects('m1', [
      { messageId: 'm1', events: [e('2026-12-31T23:59:59Z'), e('2027-01-01T00:00:01Z')] },
      { messageId: 'm2', events: [e('2026-12-31T22:00:00Z')] },
    ]);
    assert.deepEqual(objs.map((o) => [o.key, o.events]), [
      ['events/year=2026/month=12/day=31/appid=web/m1.json.gz', 2],
      ['events/year=2027/month=01/day=01/appid=web/m1.json.gz', 1],
    ]);
    const line = JSON.parse(objs[0].lines[1]);
    assert.deepEqual(Object.keys(line), ['ts', 'level', 'message', 'appId', 'fields', 'metrics', 'messageid']);
    assert.equal(line.messageid, 'm2');
    assert.equal(objectKey('year=2026/month=12/day=31/appid=web', 'm1'), objs[0].key, 'deterministic');
  });
});

describe('batch failure semantics (FIFO)', () => {
  const records = [
    rec('a1', ev(), 'web'),
    rec('b1', ev({ appId: 'api' }), 'api'),
    rec('a2', '{broken', 'web'),
    rec('a3', ev(), 'web'),
    rec('b2', ev({ appId: 'api' }), 'api'),
    rec('c1', ev({ appId: 'job' }), 'job'),
  ];
  const groups = planBatch(records);

  test('groups keep batch order; a run is the group\'s valid records, anchored on the first', () => {
    assert.deepEqual(groups.map((g) => [g.groupId, g.records.map((r) => r.record.messageId)]), [['web', ['a1', 'a2', 'a3']], ['api', ['b1', 'b2']], ['job', ['c1']]]);
    const run = runOf(groups[0], new Set());
    assert.equal(run?.anchor, 'a1');
    assert.deepEqual(run?.messages.map((m) => m.messageId), ['a1', 'a3']);
  });

  test('all good: no failures, the malformed record moved to the DLQ is acknowledged', () => {
    assert.deepEqual(batchItemFailures(records, groups, new Set(), new Set()), []);
  });

  test('a failed run fails its group\'s valid records only; other groups go on', () => {
    assert.deepEqual(batchItemFailures(records, groups, new Set(), new Set(['web'])).map((f) => f.itemIdentifier), ['a1', 'a3']);
  });

  test('a failed DLQ move cuts the group there: that record and every later one fail, the run stops before it', () => {
    const dlqFailed = new Set(['a2']);
    assert.deepEqual(runOf(groups[0], dlqFailed)?.messages.map((m) => m.messageId), ['a1']);
    assert.deepEqual(batchItemFailures(records, groups, dlqFailed, new Set()).map((f) => f.itemIdentifier), ['a2', 'a3']);
    assert.deepEqual(batchItemFailures(records, groups, dlqFailed, new Set(['web'])).map((f) => f.itemIdentifier), ['a1', 'a2', 'a3']);
  });

  test('records without a group id (standard queue) are each their own group', () => {
    const g = planBatch([rec('x', ev()), rec('y', ev())]);
    assert.equal(g.length, 2);
  });
});

describe('status aggregation', () => {
  const cfg = { errorWindowMs: 5 * 60_000, statusTtlDays: 30 };
  const run = (ids: string[], levels: string[][]) => {
    const g = planBatch(ids.map((id, i) => rec(id, levels[i].map((level, k) => ev({ level, timestamp: T0 + k * 1000, message: `${id}-${k}` })), 'web')));
    return runOf(g[0], new Set())!;
  };

  test('counts by level, newest event, latest error, TTL, version', () => {
    const r = run(['m1', 'm2'], [['INFO', 'ERROR'], ['WARN', 'FATAL', 'INFO']]);
    const s = summarize(undefined, r);
    const next = applyRun(undefined, r, s, T0 + 60_000, cfg)!;
    assert.deepEqual(next.counts, { INFO: 2, ERROR: 1, WARN: 1, FATAL: 1 });
    assert.equal(next.total, 5);
    assert.equal(next.lastEventAt, T0 + 2000);
    assert.equal(next.lastError?.message, 'm2-1');
    assert.equal(next.lastError?.level, 'FATAL');
    assert.equal(next.ver, 1);
    assert.equal(next.winErrors, 2);
    assert.equal(next.expiresAt, Math.floor((T0 + 60_000) / 1000) + 30 * 86_400);
    assert.deepEqual(next.recentMessageIds, [shortId('m1'), shortId('m2')]);
  });

  test('a redelivered run is not counted twice; a longer redelivery counts only the new messages', () => {
    const first = run(['m1', 'm2'], [['ERROR'], ['INFO']]);
    const s1 = applyRun(undefined, first, summarize(undefined, first), T0, cfg)!;
    assert.equal(applyRun(s1, first, summarize(s1, first), T0 + 1, cfg), undefined);
    const longer = run(['m1', 'm2', 'm3'], [['ERROR'], ['INFO'], ['WARN']]);
    const sum = summarize(s1, longer);
    assert.deepEqual(sum.newMessageIds, ['m3']);
    const s2 = applyRun(s1, longer, sum, T0 + 2, cfg)!;
    assert.deepEqual(s2.counts, { ERROR: 1, INFO: 1, WARN: 1 });
    assert.equal(s2.ver, 2);
  });

  test('error-rate window: rolls over, and the estimate weights the previous window by overlap', () => {
    const W = 60_000;
    const start = Math.floor(T0 / W) * W;
    assert.deepEqual(rollWindow({ winStart: start, winErrors: 8, prevWinErrors: 3 }, start + 10, W), { winStart: start, winErrors: 8, prevWinErrors: 3 });
    assert.deepEqual(rollWindow({ winStart: start, winErrors: 8, prevWinErrors: 3 }, start + W, W), { winStart: start + W, winErrors: 0, prevWinErrors: 8 });
    assert.deepEqual(rollWindow({ winStart: start, winErrors: 8, prevWinErrors: 3 }, start + 3 * W, W), { winStart: start + 3 * W, winErrors: 0, prevWinErrors: 0 });
    assert.equal(errorRateEstimate({ winStart: start, winErrors: 10, prevWinErrors: 0 }, start + W + W / 4, W), 7.5);
  });
});

describe('alert rules and debounce planning', () => {
  const cfg = { errorAlerts: true, errorRateThreshold: 3, errorWindowMs: 60_000, debounceMs: 15 * 60_000 };
  const status = (o: Partial<AppStatus> = {}): AppStatus => ({
    appId: 'web', ver: 1, lastEventAt: T0, lastEventTime: '', lastIngestAt: T0, counts: {}, total: 0,
    winStart: Math.floor(T0 / 60_000) * 60_000, winErrors: 0, prevWinErrors: 0, alerts: {}, recentMessageIds: [], expiresAt: 0, ...o,
  });
  const summary = (errors: number, fatal = 0) => ({ newMessageIds: ['m'], events: errors, counts: {}, errors, fatal, lastError: errors ? { at: T0, time: 'x', level: 'ERROR' as const, message: 'boom', messageId: 'm' } : undefined });

  test('an ERROR raises (appId, error); a FATAL makes it FATAL; over the threshold raises errorRate', () => {
    assert.deepEqual(evaluateAlerts(status({ winErrors: 1 }), summary(1), T0, cfg).map((e) => [e.alertType, e.kind, e.severity]), [['error', 'raise', 'ERROR']]);
    assert.deepEqual(evaluateAlerts(status({ winErrors: 4 }), summary(4, 1), T0, cfg).map((e) => [e.alertType, e.kind, e.severity]), [['error', 'raise', 'FATAL'], ['errorRate', 'raise', 'ERROR']]);
    assert.deepEqual(evaluateAlerts(status({ winErrors: 4 }), summary(4), T0, { ...cfg, errorAlerts: false, errorRateThreshold: 0 }), []);
  });

  test('clears only keys in ALARM, and the error alert only after a window without errors', () => {
    const alarm = { state: 'ALARM' as const, notifiedState: 'ALARM' as const, notifiedAt: T0 - 1000 };
    assert.deepEqual(evaluateAlerts(status(), summary(0), T0, cfg), [], 'nothing to clear');
    const recentError = status({ alerts: { error: alarm }, lastErrorSeenAt: T0 - 30_000 });
    assert.deepEqual(evaluateAlerts(recentError, summary(0), T0, cfg), []);
    const quiet = status({ alerts: { error: alarm, errorRate: alarm }, lastErrorSeenAt: T0 - 61_000 });
    assert.deepEqual(evaluateAlerts(quiet, summary(0), T0, cfg).map((e) => [e.alertType, e.kind, e.severity]), [['error', 'clear', 'INFO'], ['errorRate', 'clear', 'INFO']]);
  });

  test('planAlertOp: claim unless a notification went out within the window; recoveries likewise', () => {
    const raise = { kind: 'raise' } as AlertEvaluation;
    const clear = { kind: 'clear' } as AlertEvaluation;
    const D = cfg.debounceMs;
    assert.equal(planAlertOp(raise, undefined, T0, D), 'claimRaise');
    assert.equal(planAlertOp(raise, { state: 'ALARM', notifiedState: 'ALARM', notifiedAt: T0 - D + 1 }, T0, D), 'suppressRaise');
    assert.equal(planAlertOp(raise, { state: 'ALARM', notifiedState: 'ALARM', notifiedAt: T0 - D }, T0, D), 'claimRaise');
    assert.equal(planAlertOp(clear, { state: 'ALARM', notifiedState: 'ALARM', notifiedAt: T0 - D }, T0, D), 'claimClear');
    assert.equal(planAlertOp(clear, { state: 'ALARM', notifiedState: 'ALARM', notifiedAt: T0 - 5 }, T0, D), 'markClear');
    assert.equal(planAlertOp(clear, { state: 'OK', notifiedState: 'ALARM', notifiedAt: T0 - 5 }, T0, D), 'skip', 'recovery pending, window not over');
    assert.deepEqual(mirrorAfter('claimRaise', true, undefined, T0), { state: 'ALARM', notifiedState: 'ALARM', notifiedAt: T0 });
    assert.equal(mirrorAfter('claimClear', true, undefined, T0), undefined);
    assert.equal(mirrorAfter('markClear', false, { alertKey: 'k', state: 'OK', notifiedState: 'OK', notifiedAt: 1 }, T0), undefined);
  });

  test('the claim is a conditional write on the window; the revert only undoes its own claim', () => {
    const e: AlertEvaluation = { appId: 'web', alertType: 'error', kind: 'raise', severity: 'ERROR', summary: 's' };
    const c = { table: 't', now: T0, debounceMs: 900_000, ttlDays: 30, token: 'tok' };
    const claim = claimRaiseInput(e, c);
    assert.equal(claim.ConditionExpression, 'attribute_not_exists(notifiedAt) OR notifiedAt <= :cutoff');
    assert.equal(claim.ExpressionAttributeValues?.[':cutoff'], T0 - 900_000);
    assert.deepEqual(claim.Key, { alertKey: 'web#error' });
    const revert = revertClaimInput(e, { alertKey: 'web#error', notifiedAt: 5, notifiedState: 'OK', suppressed: 3, state: 'OK' }, c);
    assert.equal(revert.ConditionExpression, 'claimToken = :token');
    assert.match(revert.UpdateExpression!, /notifiedAt = :at/);
    assert.equal(revert.ExpressionAttributeValues?.[':supp'], 3);
  });

  test('the SNS message: attributes for filter policies, text for e-mail, JSON for the inbox', () => {
    const e: AlertEvaluation = { appId: 'web', alertType: 'error', kind: 'raise', severity: 'FATAL', summary: '2 error event(s)' };
    const { request, payload } = buildNotification(e, { alertKey: 'web#error', suppressed: 7, notifiedAt: T0 - 3_600_000 }, T0, 900_000);
    assert.deepEqual(Object.fromEntries(Object.entries(request.MessageAttributes).map(([k, v]) => [k, v.StringValue])), { appId: 'web', severity: 'FATAL', alertType: 'error', state: 'ALARM' });
    const msg = JSON.parse(request.Message);
    assert.match(msg.email, /7 more occurrence\(s\)/);
    assert.deepEqual(JSON.parse(msg.sqs), payload);
    assert.equal(payload.suppressedSinceLast, 7);
    assert.ok(request.Subject.length <= 100);
  });
});

describe('config', () => {
  test('reads the template\'s environment; refuses a missing name or a bad number', () => {
    const env = { DATA_BUCKET: 'b', STATUS_TABLE: 's', ALERT_TABLE: 'a', TOPIC_ARN: 't', DLQ_URL: 'q', DEBOUNCE_MINUTES: '20', ERROR_ALERTS: 'false' };
    const c = configFromEnv(env);
    assert.equal(c.debounceMs, 20 * 60_000);
    assert.equal(c.errorAlerts, false);
    assert.equal(c.errorRateThreshold, 50);
    assert.throws(() => configFromEnv({ ...env, DATA_BUCKET: '' }), /DATA_BUCKET/);
    assert.throws(() => configFromEnv({ ...env, DEBOUNCE_MINUTES: 'soon' }), /DEBOUNCE_MINUTES/);
  });
});
