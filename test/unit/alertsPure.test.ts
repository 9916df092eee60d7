// Pure parts of the Alerts view and the inbox: message parsing (on bodies the consumer's own code
// builds), inert notification text, the generated Athena query, summaries, alert-state rows,
// alarm order, mutes and the cross-window lease.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { notificationText, parseInboxMessage, summarise, type InboxAlert } from '../../src/alerts/inbox/alertMessage';
import { buildNotification } from '../../pipeline/consumer/alerts';
import { firstKeyword, splitStatements, statementAt } from '../../src/athena/sql';
import { hasNotificationLink, VSCODE_NOTIFICATION_LINK } from '../../src/util/inert';
import { BIDI, COMMAND_LINK, deeplyNested, HOSTILE_LOG_MESSAGE, ICON_SPOOF, LINK_TEXTS, SPLIT_LINK, SQL_INJECTION_APP_IDS } from '../fixtures/hostile';
import { consumerInboxBody } from '../helpers/alertFixtures';
import { toAlertStateRow, toEpochMs } from '../../src/alerts/alertState';
import { sortAlarms, type AlarmInfo } from '../../src/alerts/alarms';
import { MuteStore, appMuteKey } from '../../src/alerts/inbox/mutes';
import { InboxLease } from '../../src/alerts/inbox/lease';
import { monthlyRequestEstimate, SQS_FREE_TIER_REQUESTS_PER_MONTH } from '../../src/alerts/inbox/poller';
import { lastHourSql, pipelineEventsTable, pipelineLogGroups } from '../../src/alerts/pipelineStack';

describe('inbox messages: the consumer\'s own format, parsed strictly', () => {
  const T = Date.UTC(2026, 10, 21, 12, 0, 0);
  const event = (message: string, level = 'ERROR', appId = 'checkout') => ({ appId, timestamp: T - 1000, level, message });
  const parsed = (body: string) => {
    const r = parseInboxMessage(body);
    assert.ok(r.ok, `dropped: ${r.ok ? '' : r.reason}`);
    return r.alert;
  };
  /** The consumer's payload with one field changed, as the inbox would receive it. */
  const tampered = (change: Record<string, unknown>) => JSON.stringify({ ...consumerInboxBody([event('db timeout')], T).payload, ...change });

  test('an ERROR event: the body the consumer publishes becomes the alert shown', () => {
    const { body, payload } = consumerInboxBody([event('db timeout')], T);
    assert.equal(payload.source, 'cloud-monitor', 'built by the consumer');
    const a = parsed(body);
    assert.deepEqual({ key: a.key, appId: a.appId, alertType: a.alertType, state: a.state, severity: a.severity, at: a.at, suppressedCount: a.suppressedCount },
      { key: 'checkout#error', appId: 'checkout', alertType: 'error', state: 'ALARM', severity: 'error', at: T, suppressedCount: undefined });
    assert.equal(a.text, `checkout (error): 1 error event(s); latest ERROR at ${new Date(T - 1000).toISOString()}: db timeout`);
  });
  test('FATAL is an error; a recovery is info; suppressed occurrences are counted', () => {
    assert.equal(parsed(consumerInboxBody([event('disk gone', 'FATAL')], T).body).severity, 'error');
    const ev = { appId: 'search', alertType: 'errorRate' as const, kind: 'clear' as const, severity: 'INFO' as const, summary: 'about 3 errors in 5 min (threshold 50)' };
    const clear = JSON.parse(buildNotification(ev, { alertKey: 'search#errorRate', suppressed: 4, notifiedAt: T - 60_000 }, T, 900_000).request.Message).sqs as string;
    const a = parsed(clear);
    assert.deepEqual([a.state, a.severity, a.suppressedCount], ['OK', 'info', 4]);
    assert.match(a.text, /^Recovered: search \(errorRate\): about 3 errors/);
    assert.match(notificationText(a, false), /\(\+4 suppressed\)$/);
  });
  test('an SNS envelope (raw delivery off) around the consumer\'s body parses the same', () => {
    const { body } = consumerInboxBody([event('db timeout')], T);
    assert.deepEqual(parsed(JSON.stringify({ Type: 'Notification', MessageId: 'x', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: body })), parsed(body));
  });
  test('a CloudWatch alarm of the pipeline (CloudFormation-named) still shows', () => {
    const a = parsed(JSON.stringify({ AlarmName: 'cm-pipeline-DeadLetterQueueAlarm-1A2B3C4D5E6F', NewStateValue: 'ALARM', NewStateReason: 'Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0).', StateChangeTime: '2025-06-15T12:00:00.000+0000' }));
    assert.deepEqual([a.key, a.severity, a.state, a.at], ['alarm:cm-pipeline-DeadLetterQueueAlarm-1A2B3C4D5E6F', 'error', 'ALARM', Date.UTC(2025, 5, 15, 12)]);
    assert.match(a.text, /DeadLetterQueueAlarm-1A2B3C4D5E6F is ALARM: Threshold Crossed/);
    assert.equal(parsed(JSON.stringify({ AlarmName: 'cm-pipeline-ConsumerErrorsAlarm-X', NewStateValue: 'INSUFFICIENT_DATA' })).severity, 'warning');
    assert.equal(parsed(JSON.stringify({ AlarmName: 'cm-pipeline-ConsumerErrorsAlarm-X', NewStateValue: 'OK' })).severity, 'info');
  });
  test('anything else is dropped, with a one-line reason that holds no link', () => {
    const dropped = [
      ...SQL_INJECTION_APP_IDS.map((appId) => tampered({ appId })),
      tampered({ appId: COMMAND_LINK }),
      tampered({ appId: '' }),
      tampered({ alertType: 'error-event' }),
      tampered({ alertType: COMMAND_LINK }),
      tampered({ severity: 'WARN' }),
      tampered({ state: 'BROKEN' }),
      tampered({ state: 'OK' }), // kind still says alarm
      tampered({ version: 2 }),
      tampered({ at: 'yesterday' }),
      tampered({ suppressedSinceLast: -1 }),
      tampered({ summary: 42 }),
      tampered({ source: 'someone-else' }),
      // The shape the old test fixture published, which the consumer never sent.
      JSON.stringify({ appId: 'checkout', alertType: 'error', state: 'ALARM', severity: 'ERROR', message: COMMAND_LINK, timestamp: new Date(T).toISOString() }),
      JSON.stringify({ AlarmName: COMMAND_LINK, NewStateValue: 'ALARM' }),
      JSON.stringify({ AlarmName: 'ok-name', NewStateValue: COMMAND_LINK }),
      JSON.stringify({ Type: 'Notification', Message: HOSTILE_LOG_MESSAGE }),
      JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ Type: 'Notification', Message: consumerInboxBody([event('x')], T).body }) }),
      HOSTILE_LOG_MESSAGE,
      '[1,2]',
      'null',
      deeplyNested(),
    ];
    for (const body of dropped) {
      const r = parseInboxMessage(body);
      assert.equal(r.ok, false, `accepted: ${body.slice(0, 120)}`);
      if (r.ok) continue;
      // The reason is logged: one line of inert text (a hostile value shows JSON-quoted, its line breaks escaped).
      assert.ok(!hasNotificationLink(r.reason) && !/[\r\n\u2028\u2029]/.test(r.reason), r.reason);
    }
  });
  test('VS Code\'s link pattern finds no link in what a hostile log line becomes, though the consumer keeps it', () => {
    for (const text of [...LINK_TEXTS, ICON_SPOOF, BIDI]) {
      const { body, payload } = consumerInboxBody([event(text)], T);
      if (LINK_TEXTS.includes(text) && text !== SPLIT_LINK) assert.ok(hasNotificationLink(payload.summary), `the consumer's summary carries the link: ${payload.summary}`);
      const alert = parsed(body);
      for (const shownText of [alert.text, notificationText(alert, true), notificationText(alert, false)]) {
        VSCODE_NOTIFICATION_LINK.lastIndex = 0;
        assert.equal(VSCODE_NOTIFICATION_LINK.exec(shownText), null, shownText);
        assert.ok(!shownText.includes('$('), shownText);
        assert.ok(!/[\u202A-\u202E\u2066-\u2069\r\n]/.test(shownText), shownText);
      }
    }
    const hostile = parsed(consumerInboxBody([event(HOSTILE_LOG_MESSAGE)], T).body);
    assert.match(notificationText(hostile, false), /^checkout \(error\): 1 error event\(s\); latest ERROR at .*: ERROR payment failed \[Open runbook\] \(command:workbench\.action\.terminal\.sendSequence/);
  });
  test('summary when many arrive at once', () => {
    const mk = (appId: string, state: 'ALARM' | 'OK' = 'ALARM'): InboxAlert => ({ key: `${appId}#error`, appId, state, severity: state === 'OK' ? 'info' : 'warning', text: '' });
    assert.equal(summarise([mk('a'), mk('b')], 5).each.length, 2);
    const s = summarise([mk('a'), mk('a'), mk('b'), mk('c', 'OK'), mk('d'), mk('e')], 5);
    assert.equal(s.each.length, 0);
    assert.equal(s.summary?.count, 6);
    assert.equal(s.summary?.severity, 'warning');
    assert.match(s.summary?.text ?? '', /^6 alerts arrived while you were away: 5 ALARM, 1 OK\. Most from a \(2\), b \(1\), c \(1\) and 2 more\.$/);
    assert.match(summarise([mk('a'), mk('b'), mk('c')], 2, false).summary?.text ?? '', /^3 alerts at once: 3 ALARM\./);
  });
});

describe('alert-state rows of every shape', () => {
  const shape = { keyAttributes: ['pk'], stateAttribute: 'state' };
  test('full row with epoch seconds, ms and ISO times', () => {
    const r = toAlertStateRow({ pk: 'a#t', appId: 'a', alertType: 't', state: 'ALARM', since: 1_750_000_000, lastNotifiedAt: 1_750_000_100_000, suppressedCount: 4, lastMessage: 'boom' }, shape);
    assert.deepEqual(r, { key: 'a#t', appId: 'a', alertType: 't', state: 'ALARM', since: 1_750_000_000_000, lastNotifiedAt: 1_750_000_100_000, suppressedCount: 4, lastMessage: 'boom', severity: undefined });
    assert.equal(toEpochMs('2025-06-15T12:00:00Z'), Date.UTC(2025, 5, 15, 12));
    assert.equal(toEpochMs('1750000000'), 1_750_000_000_000);
    assert.equal(toEpochMs('nope'), undefined);
  });
  test('minimal row: key from the table key, nothing else', () => {
    const r = toAlertStateRow({ pk: 'x', state: 'ok' }, shape);
    assert.deepEqual([r.key, r.state, r.since, r.suppressedCount, r.lastMessage], ['x', 'OK', undefined, 0, undefined]);
  });
  test('alternative names and a custom state attribute', () => {
    const r = toAlertStateRow({ id: 'k', alertState: 'ALARM', appid: 'z', type: 'rate', stateChangedAt: '2025-01-01T00:00:00Z', suppressed: '7', message: 'm' }, { keyAttributes: ['id'], stateAttribute: 'alertState' });
    assert.deepEqual([r.key, r.state, r.since, r.suppressedCount, r.lastMessage], ['z#rate', 'ALARM', Date.UTC(2025, 0, 1), 7, 'm']);
  });
});

describe('CloudWatch alarms and stack outputs', () => {
  test('ALARM first, then INSUFFICIENT_DATA, then OK, by name', () => {
    const a = (name: string, state: string): AlarmInfo => ({ name, state, kind: 'metric' });
    assert.deepEqual(sortAlarms([a('b', 'OK'), a('z', 'ALARM'), a('c', 'INSUFFICIENT_DATA'), a('a', 'ALARM')]).map((x) => x.name), ['a', 'z', 'c', 'b']);
  });
  test('log groups and events table from outputs', () => {
    const stacks = [{ stackName: 's', status: 'CREATE_COMPLETE', outputs: { ConsumerLogGroupName: '/aws/lambda/c', OtherLogGroup: '/x', GlueDatabaseName: 'db', GlueTableName: 'events' } }];
    assert.deepEqual(pipelineLogGroups(stacks), ['/aws/lambda/c', '/x']);
    assert.deepEqual(pipelineEventsTable(stacks[0].outputs), { database: 'db', table: 'events', workgroup: undefined });
    assert.equal(pipelineEventsTable({}), undefined);
  });
});

describe('mutes', () => {
  test('persist, expire, and mute a whole app', async () => {
    let now = 1_000_000;
    const file = join(mkdtempSync(join(tmpdir(), 'mutes-')), 'mutes.json');
    const store = new MuteStore(file, () => now);
    await store.mute('a#t', 60_000);
    await store.mute(appMuteKey('b'), 120_000);
    const other = new MuteStore(file, () => now); // another window reads the same file
    assert.equal(await other.isMuted('a#t', 'a'), true);
    assert.equal(await other.isMuted('b#anything', 'b'), true);
    assert.equal(await other.isMuted('c#t', 'c'), false);
    now += 90_000;
    assert.equal(await other.isMuted('a#t', 'a'), false);
    assert.equal(await other.isMuted('b#x', 'b'), true);
    await store.unmute();
    assert.deepEqual(await other.list(), []);
  });

  test('two windows muting and unmuting at once keep every change (each reads and writes under a shared lock file)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mutes-')), 'mutes.json');
    const a = new MuteStore(file);
    const b = new MuteStore(file);
    await a.mute('gone#t', 60_000);
    const keys = (w: string) => Array.from({ length: 10 }, (_, i) => `${w}${i}#t`);
    await Promise.all([...keys('a').map((k) => a.mute(k, 60_000)), ...keys('b').map((k) => b.mute(k, 60_000)), b.unmute('gone#t')]);
    assert.deepEqual((await a.list()).map((m) => m.key).sort(), [...keys('a'), ...keys('b')].sort());
    assert.deepEqual(readdirSync(dirname(file)), ['mutes.json'], 'no lock or temporary file is left');
  });
});

describe('cross-window lease', () => {
  test('one holder; the other takes over only after expiry; release frees it at once', async () => {
    let now = 0;
    const dir = mkdtempSync(join(tmpdir(), 'lease-'));
    const a = new InboxLease(dir, 'A', { ttlMs: 30_000, now: () => now });
    const b = new InboxLease(dir, 'B', { ttlMs: 30_000, now: () => now });
    assert.equal(await a.tryAcquire(), true);
    assert.equal(await b.tryAcquire(), false);
    now = 20_000;
    assert.equal(await a.renew(), true);
    now = 45_000;
    assert.equal(await b.tryAcquire(), false, 'renewed at 20 s, so valid until 50 s');
    now = 51_000;
    assert.equal(await b.tryAcquire(), true);
    assert.equal(await a.renew(), false, 'A lost it');
    await b.release();
    assert.equal(await a.tryAcquire(), true);
    assert.equal((await b.holder())?.owner, 'A');
  });
  test('many contenders at once: exactly one wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lease-'));
    const leases = Array.from({ length: 8 }, (_, i) => new InboxLease(dir, `W${i}`));
    const wins = await Promise.all(leases.map((l) => l.tryAcquire()));
    assert.equal(wins.filter(Boolean).length, 1);
  });
});

describe('request budget', () => {
  test('one window long-polling all day stays far inside the free tier', () => {
    const month = monthlyRequestEstimate(20, 50);
    assert.equal(month, (4320 + 100) * 30);
    assert.ok(month < SQS_FREE_TIER_REQUESTS_PER_MONTH / 5);
  });
});

describe('Query in Athena', () => {
  const at = new Date(Date.UTC(2025, 0, 1, 0, 30));
  test('last hour of one app, pruned by partitions, spanning midnight', () => {
    const { sql } = lastHourSql('cm_db', 'events', 'orders.eu-1', at);
    assert.match(sql, /FROM "cm_db"\."events"/);
    assert.match(sql, /\(year = '2024' AND month = '12' AND day = '31'\) OR \(year = '2025' AND month = '01' AND day = '01'\)/);
    assert.match(sql, /AND appid = 'orders\.eu-1'/);
    assert.match(sql, /AND ts >= '2024-12-31T23:30:00.000Z'/);
  });
  test('the statement run is exactly the one generated, found by its own offset', () => {
    const { sql, statementOffset } = lastHourSql('cm_db', 'events', 'checkout', at);
    const statements = splitStatements(sql);
    assert.equal(statements.length, 1, 'one statement in the editor');
    const run = statementAt(statements, statementOffset);
    assert.equal(run?.text, [
      "-- The last hour of one app's events (opened from an alert notification).",
      'SELECT *',
      'FROM "cm_db"."events"',
      "WHERE ((year = '2024' AND month = '12' AND day = '31') OR (year = '2025' AND month = '01' AND day = '01'))",
      "  AND appid = 'checkout'",
      "  AND ts >= '2024-12-31T23:30:00.000Z'",
      'ORDER BY ts DESC',
      'LIMIT 500',
    ].join('\n'));
    assert.equal(sql.slice(statementOffset, statementOffset + 8), 'SELECT *');
    assert.equal(firstKeyword(run!.text), 'SELECT');
  });
  test('an app id that is SQL never reaches the SQL: no query is built', () => {
    for (const appId of [...SQL_INJECTION_APP_IDS, COMMAND_LINK, '', 'a b', 'x'.repeat(129)]) {
      assert.throws(() => lastHourSql('cm_db', 'events', appId, at), /not name an app id the pipeline accepts/, JSON.stringify(appId));
    }
    assert.throws(() => lastHourSql('cm_db"; DROP TABLE x; --', 'events', 'checkout', at), /not a plain name/);
    assert.throws(() => lastHourSql('cm_db', 'events\nDROP', 'checkout', at), /not a plain name/);
  });
  test('a hostile alert is dropped before it could become a query; a real one becomes exactly one SELECT', () => {
    for (const appId of SQL_INJECTION_APP_IDS) {
      const body = JSON.stringify({ ...consumerInboxBody([{ appId: 'orders', timestamp: Date.now(), level: 'ERROR', message: 'x' }]).payload, appId });
      assert.equal(parseInboxMessage(body).ok, false, JSON.stringify(appId));
    }
    const r = parseInboxMessage(consumerInboxBody([{ appId: 'orders', timestamp: Date.now(), level: 'ERROR', message: "'; DROP TABLE events; --\nDROP TABLE x" }]).body);
    assert.ok(r.ok);
    const { sql, statementOffset } = lastHourSql('cm_db', 'events', r.alert.appId, at);
    assert.equal(splitStatements(sql).length, 1);
    assert.ok(!/DROP/.test(sql), sql);
    assert.equal(firstKeyword(statementAt(splitStatements(sql), statementOffset)!.text), 'SELECT');
  });
});
