// Pure parts of the Alerts view and the inbox: message parsing, summaries, alert-state rows,
// alarm order, mutes and the cross-window lease.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInboxMessage, summarise, type InboxAlert } from '../../src/alerts/inbox/alertMessage';
import { toAlertStateRow, toEpochMs } from '../../src/alerts/alertState';
import { sortAlarms, type AlarmInfo } from '../../src/alerts/alarms';
import { MuteStore, appMuteKey } from '../../src/alerts/inbox/mutes';
import { InboxLease } from '../../src/alerts/inbox/lease';
import { monthlyRequestEstimate, SQS_FREE_TIER_REQUESTS_PER_MONTH } from '../../src/alerts/inbox/poller';
import { pipelineEventsTable, pipelineLogGroups } from '../../src/alerts/pipelineStack';

describe('inbox messages', () => {
  test('raw-delivered consumer alert with attributes', () => {
    const a = parseInboxMessage(JSON.stringify({ appId: 'checkout', alertType: 'error-event', message: 'NullPointer in cart', timestamp: '2025-06-15T12:00:00Z', suppressedCount: 3 }), { severity: { StringValue: 'ERROR', DataType: 'String' } });
    assert.equal(a.key, 'checkout#error-event');
    assert.equal(a.severity, 'error');
    assert.equal(a.state, 'ALARM');
    assert.equal(a.text, 'checkout (error-event): NullPointer in cart');
    assert.equal(a.at, Date.UTC(2025, 5, 15, 12));
    assert.equal(a.suppressedCount, 3);
  });
  test('recovery is info; warning severity maps to warning', () => {
    assert.equal(parseInboxMessage(JSON.stringify({ appId: 'a', alertType: 'error-rate', state: 'OK' })).severity, 'info');
    assert.match(parseInboxMessage(JSON.stringify({ appId: 'a', alertType: 'error-rate', state: 'OK' })).text, /^Recovered: a/);
    assert.equal(parseInboxMessage('{"appId":"a","severity":"warning"}').severity, 'warning');
  });
  test('SNS envelope (raw delivery off) is unwrapped, attributes included', () => {
    const env = { Type: 'Notification', Message: JSON.stringify({ appId: 'b', alertType: 't', message: 'm' }), MessageAttributes: { severity: { Type: 'String', Value: 'CRITICAL' } } };
    const a = parseInboxMessage(JSON.stringify(env));
    assert.deepEqual([a.key, a.severity], ['b#t', 'error']);
  });
  test('CloudWatch alarm notification and plain text', () => {
    const a = parseInboxMessage(JSON.stringify({ AlarmName: 'dlq-depth', NewStateValue: 'ALARM', NewStateReason: 'Threshold crossed', StateChangeTime: '2025-06-15T12:00:00.000+0000' }));
    assert.deepEqual([a.key, a.severity, a.state], ['alarm:dlq-depth', 'error', 'ALARM']);
    assert.match(a.text, /dlq-depth is ALARM: Threshold crossed/);
    const p = parseInboxMessage('disk   full\non host');
    assert.equal(p.text, 'alert: disk full on host');
  });
  test('summary when many arrive at once', () => {
    const mk = (appId: string, state = 'ALARM'): InboxAlert => ({ key: `${appId}#e`, appId, state, severity: state === 'OK' ? 'info' : 'warning', text: '' });
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
  test('last hour of one app, pruned by partitions, spanning midnight', async () => {
    const { lastHourSql } = await import('../../src/alerts/pipelineStack');
    const sql = lastHourSql('cm_db', 'events', "o'brien", new Date(Date.UTC(2025, 0, 1, 0, 30)));
    assert.match(sql, /FROM "cm_db"\."events"/);
    assert.match(sql, /\(year = '2024' AND month = '12' AND day = '31'\) OR \(year = '2025' AND month = '01' AND day = '01'\)/);
    assert.match(sql, /AND appid = 'o''brien'/);
    assert.match(sql, /AND ts >= '2024-12-31T23:30:00.000Z'/);
  });
});
