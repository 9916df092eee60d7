// The Alerts view's AWS reads and the editor inbox, against moto_server: alert-state rows through
// the state index (never a scan), DescribeAlarms, pipeline stack discovery, and the inbox poller
// (SNS topic → SQS inbox with raw delivery) with two windows, mutes, backlog and back-off.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { SQSClient, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { hasNotificationLink } from '../../src/util/inert';
import { COMMAND_LINK, HOSTILE_LOG_MESSAGE, SQL_INJECTION_APP_IDS } from '../fixtures/hostile';
import { ALERT_TTL_ATTRIBUTE, FIRST_QUERY_PAGE, readAlertStates } from '../../src/alerts/alertState';
import { fetchAlarms } from '../../src/alerts/alarms';
import { findPipelineStacks } from '../../src/alerts/pipelineStack';
import { PIPELINE_TAG } from '../../src/pipeline/stack';
import { InboxLease } from '../../src/alerts/inbox/lease';
import { InboxPoller } from '../../src/alerts/inbox/poller';
import { MuteStore } from '../../src/alerts/inbox/mutes';
import type { InboxAlert } from '../../src/alerts/inbox/alertMessage';
import { createAlarm, createAlertStateTable, createInbox, publishAlert } from '../helpers/alertFixtures';
import { startMoto, type Moto } from '../helpers/moto';

let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });
beforeEach(async () => { await moto.reset(); });

/**
 * Records every command a client sends, to prove what was (and was not) called. With `events`, also the order of
 * sending and answering: `send QueryCommand`, `answered QueryCommand`.
 */
function recordCommands(client: { middlewareStack: { add: (mw: never, opts: never) => void } }, events?: string[]): string[] {
  const names: string[] = [];
  client.middlewareStack.add(((next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    const name = context.commandName ?? '?';
    names.push(name);
    events?.push(`send ${name}`);
    const out = await next(args);
    events?.push(`answered ${name}`);
    return out;
  }) as never, { step: 'initialize' } as never);
  return names;
}
const answeredQueries = (events: string[]) => events.filter((e) => e === 'answered QueryCommand').length;

describe('alert-state table (moto_server)', () => {
  test('rows of every shape, grouped by state, read through the state index and never scanned', async () => {
    const ddb = new DynamoDBClient(moto.clientConfig());
    const { table, index } = await createAlertStateTable(ddb, 'alerts-it');
    const t0 = Date.UTC(2025, 5, 15, 12);
    const items = [
      // The consumer's own shape (issue 3): updatedAt, notifiedAt, suppressed, summary.
      { alertKey: 'checkout#error', appId: 'checkout', alertType: 'error', state: 'ALARM', updatedAt: t0, notifiedAt: t0 + 1000, notifiedState: 'ALARM', suppressed: 12, occurrences: 13, severity: 'ERROR', summary: 'NullPointerException in cart' },
      // Other names and an ISO time.
      { alertKey: 'search#error-rate', appId: 'search', alertType: 'error-rate', state: 'ALARM', updatedAt: t0 - 5, since: new Date(t0 + 60_000).toISOString(), suppressedCount: 0 },
      // The bare minimum: key, state and the index's sort key.
      { alertKey: 'billing#error-event', state: 'ALARM', updatedAt: 1 },
      // Epoch seconds.
      { alertKey: 'auth#error-rate', appId: 'auth', alertType: 'error-rate', state: 'OK', updatedAt: Math.floor(t0 / 1000), lastNotifiedAt: Math.floor(t0 / 1000), lastMessage: 'recovered' },
    ];
    for (const it of items) await ddb.send(new PutItemCommand({ TableName: table, Item: marshall(it) }));
    const sent = recordCommands(ddb as never);
    const states = await readAlertStates(ddb, table, index);
    assert.deepEqual(states.alarm.map((r) => r.key), ['search#error-rate', 'checkout#error', 'billing#error-event']);
    assert.deepEqual(states.ok.map((r) => r.key), ['auth#error-rate']);
    const checkout = states.alarm.find((r) => r.appId === 'checkout');
    assert.equal(checkout?.suppressedCount, 12);
    assert.equal(checkout?.lastNotifiedAt, t0 + 1000);
    assert.equal(checkout?.lastMessage, 'NullPointerException in cart');
    assert.equal(states.alarm[0].since, t0 + 60_000);
    assert.equal(states.ok[0].since, t0);
    assert.equal(states.alarm[2].since, 1000, 'updatedAt read as epoch seconds when small');
    assert.ok(!sent.includes('ScanCommand'), `no scan, got ${sent.join(',')}`);
    assert.deepEqual(sent.filter((n) => n === 'QueryCommand').length, 2);
    ddb.destroy();
  });

  test('an item whose TTL has passed is not shown, though DynamoDB has not deleted it yet (it deletes only eventually)', async () => {
    const ddb = new DynamoDBClient(moto.clientConfig());
    const { table, index } = await createAlertStateTable(ddb, 'alerts-ttl');
    const now = Date.UTC(2026, 11, 3, 12);
    const secs = Math.floor(now / 1000);
    const items = [
      { alertKey: 'old#errorRate', appId: 'old', state: 'ALARM', updatedAt: now - 90 * 86_400_000, [ALERT_TTL_ATTRIBUTE]: secs - 60 },
      { alertKey: 'live#errorRate', appId: 'live', state: 'ALARM', updatedAt: now - 1000, [ALERT_TTL_ATTRIBUTE]: secs + 86_400 },
      { alertKey: 'gone#errorRate', appId: 'gone', state: 'OK', updatedAt: now - 2000, [ALERT_TTL_ATTRIBUTE]: secs - 1 },
      { alertKey: 'nottl#errorRate', appId: 'nottl', state: 'OK', updatedAt: now - 3000 },
    ];
    for (const it of items) await ddb.send(new PutItemCommand({ TableName: table, Item: marshall(it) }));
    const states = await readAlertStates(ddb, table, index, now);
    assert.deepEqual(states.alarm.map((r) => r.key), ['live#errorRate']);
    assert.deepEqual(states.ok.map((r) => r.key), ['nottl#errorRate']);
    ddb.destroy();
  });

  test('a view can draw from the first Query page of each state (Limit 100) while the rest is read, and then has every row', async () => {
    const ddb = new DynamoDBClient(moto.clientConfig());
    const { table, index } = await createAlertStateTable(ddb, 'alerts-pages');
    const t0 = Date.UTC(2026, 11, 4, 12);
    for (let i = 0; i < 230; i++) {
      await ddb.send(new PutItemCommand({ TableName: table, Item: marshall({ alertKey: `app${i}#error`, appId: `app${i}`, state: i % 10 === 0 ? 'OK' : 'ALARM', updatedAt: t0 + i * 1000 }) }));
    }
    // Queries answered so far. (How many were sent when the view draws depends on which first page was converted
    // first: the ALARM state's second page can already be on its way.)
    const events: string[] = [];
    recordCommands(ddb as never, events);
    const early: { alarm: number; ok: number; more?: boolean; answeredSoFar: number }[] = [];
    const states = await readAlertStates(ddb, table, index, t0, (soFar) => early.push({ alarm: soFar.alarm.length, ok: soFar.ok.length, more: soFar.more, answeredSoFar: answeredQueries(events) }));
    assert.deepEqual(early, [{ alarm: FIRST_QUERY_PAGE, ok: 23, more: true, answeredSoFar: 2 }], 'once, after the first page of each Query, before the rest is read');
    assert.ok(answeredQueries(events) > 2, `the rest was read after: ${answeredQueries(events)} Queries`);
    assert.equal(states.alarm.length, 207, 'every ALARM row in the end');
    assert.equal(states.ok.length, 23);
    assert.equal(states.more, undefined);
    assert.equal(states.alarm[0].key, 'app229#error', 'newest first');
    ddb.destroy();
  });

  test('the Queries are sent with the template\'s state attribute before DescribeTable answers: no round trip for the shape', async () => {
    const ddb = new DynamoDBClient(moto.clientConfig());
    const { table, index } = await createAlertStateTable(ddb, 'alerts-together');
    await ddb.send(new PutItemCommand({ TableName: table, Item: marshall({ alertKey: 'a#error', appId: 'a', state: 'ALARM', updatedAt: 5 }) }));
    const events: string[] = [];
    recordCommands(ddb as never, events);
    const states = await readAlertStates(ddb, table, index);
    assert.deepEqual(states.alarm.map((r) => r.key), ['a#error']);
    const described = events.indexOf('answered DescribeTableCommand');
    assert.ok(described >= 0, events.join(', '));
    assert.equal(events.slice(0, described).filter((e) => e === 'send QueryCommand').length, 2, `both Queries sent before DescribeTable answered: ${events.join(', ')}`);
    assert.equal(events.filter((e) => e === 'send QueryCommand').length, 2, 'no Query asked twice');
    ddb.destroy();
  });

  test('a table keyed on another state attribute: DescribeTable decides, the Queries are asked again with its attribute, every row read', async () => {
    const ddb = new DynamoDBClient(moto.clientConfig());
    await ddb.send(new CreateTableCommand({
      TableName: 'alerts-other', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'status', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    for (const [id, status] of [['x', 'ALARM'], ['y', 'OK'], ['z', 'ALARM']]) {
      await ddb.send(new PutItemCommand({ TableName: 'alerts-other', Item: marshall({ id, status, since: 1000 }) }));
    }
    const sent = recordCommands(ddb as never);
    const states = await readAlertStates(ddb, 'alerts-other', 'by-status');
    assert.equal(states.stateAttribute, 'status');
    assert.deepEqual(states.alarm.map((r) => r.key).sort(), ['x', 'z'], 'rows keyed by the table\'s own key');
    assert.deepEqual(states.ok.map((r) => r.key), ['y']);
    assert.ok(states.alarm.every((r) => r.state === 'ALARM'));
    assert.equal(sent.filter((n) => n === 'DescribeTableCommand').length, 1);
    ddb.destroy();
  });

  test('a wrong index name is a clear not-found error', async () => {
    const ddb = new DynamoDBClient(moto.clientConfig());
    const { table } = await createAlertStateTable(ddb, 'alerts-it2');
    await assert.rejects(readAlertStates(ddb, table, 'nope'), /has no index named nope/);
    ddb.destroy();
  });
});

describe('CloudWatch alarms (moto_server)', () => {
  test('DescribeAlarms with state, ALARM first', async () => {
    const cw = new CloudWatchClient(moto.clientConfig());
    await createAlarm(cw, 'b-ok', 'OK');
    await createAlarm(cw, 'a-insufficient', 'INSUFFICIENT_DATA');
    await createAlarm(cw, 'z-alarm', 'ALARM', 'Threshold Crossed: 3 datapoints');
    const alarms = await fetchAlarms(cw);
    assert.deepEqual(alarms.map((a) => [a.name, a.state]), [['z-alarm', 'ALARM'], ['a-insufficient', 'INSUFFICIENT_DATA'], ['b-ok', 'OK']]);
    assert.equal(alarms[0].reason, 'Threshold Crossed: 3 datapoints');
    assert.equal(alarms[0].metric, 'AWS/SQS ApproximateNumberOfMessagesVisible');
    cw.destroy();
  });
});

describe('pipeline stack discovery (moto_server)', () => {
  test('finds only stacks carrying the pipeline tag (the Pipeline view\'s: cloud-monitor:pipeline=true), with their outputs', async () => {
    const cfn = new CloudFormationClient(moto.clientConfig());
    const template = (out: string) => JSON.stringify({
      Resources: { Q: { Type: 'AWS::SQS::Queue' } },
      Outputs: { InboxQueueUrl: { Value: { Ref: 'Q' } }, ConsumerLogGroupName: { Value: out } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'pipe', TemplateBody: template('/aws/lambda/pipe-consumer'), Tags: [{ ...PIPELINE_TAG }] }));
    await cfn.send(new CreateStackCommand({ StackName: 'unrelated', TemplateBody: template('/x') }));
    // The tag's key with another value: not a pipeline stack for the Pipeline view, so not for Alerts either.
    await cfn.send(new CreateStackCommand({ StackName: 'opted-out', TemplateBody: template('/y'), Tags: [{ Key: PIPELINE_TAG.Key, Value: 'false' }] }));
    const stacks = await findPipelineStacks(cfn);
    assert.deepEqual(stacks.map((s) => s.stackName), ['pipe']);
    assert.equal(stacks[0].outputs.ConsumerLogGroupName, '/aws/lambda/pipe-consumer');
    assert.match(stacks[0].outputs.InboxQueueUrl ?? '', /^http/);
    cfn.destroy();
  });
});

describe('editor inbox polling (moto_server: SNS topic → SQS inbox, raw delivery)', () => {
  const fast = { waitTimeSeconds: 1, leaseRetryMs: 100, backoffInitialMs: 50, backoffMaxMs: 200 };

  async function waitFor(cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('timed out waiting');
  }

  async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  test('two windows: each alert shown once in total, mutes honoured, backlog summarised, queue emptied', async () => {
    const sqs = new SQSClient(moto.clientConfig());
    const sns = new SNSClient(moto.clientConfig());
    const { topicArn, queueUrl } = await createInbox(sqs, sns, 'inbox-it');
    // Three alerts waited while "VS Code was closed".
    for (const app of ['a', 'b', 'c']) await publishAlert(sns, topicArn, { appId: app, alertType: 'error', summary: `backlog ${app}` });

    const dir = mkdtempSync(join(tmpdir(), 'inbox-'));
    const mutes = new MuteStore(join(dir, 'mutes.json'));
    await mutes.mute('muted#error', 3_600_000);
    const shown: { window: string; alert: InboxAlert; backlog: boolean }[] = [];
    const windows = ['W1', 'W2'].map((w) => new InboxPoller({
      sqs, queueUrl, lease: new InboxLease(dir, w, { ttlMs: 3_000 }),
      deliver: async (alerts, info) => { for (const alert of alerts) shown.push({ window: w, alert, backlog: info.backlog }); },
      isMuted: (a) => mutes.isMuted(a.key, a.appId),
    }, fast));
    for (const w of windows) w.start();

    await waitFor(() => shown.length >= 3);
    assert.ok(shown.slice(0, 3).every((s) => s.backlog), 'the waiting alerts come as one backlog batch');
    for (const app of ['d', 'muted', 'e']) await publishAlert(sns, topicArn, { appId: app, alertType: 'error', summary: `live ${app}` });
    await waitFor(() => shown.length >= 5);
    await waitFor(async () => (await queueDepth(sqs, queueUrl)) === 0);
    await new Promise((r) => setTimeout(r, 1_500)); // a further poll round: nothing more may appear

    assert.deepEqual(shown.map((s) => s.alert.appId).sort(), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(new Set(shown.map((s) => s.window)).size, 1, 'only the window holding the lease polls');
    const [holder, other] = windows[0].holdsLease ? windows : [windows[1], windows[0]];
    assert.equal(other.stats.receiveRequests, 0, 'the other window made no SQS request');
    assert.equal(holder.stats.muted, 1);
    assert.equal(holder.stats.shown, 5);
    assert.ok(holder.stats.deleteRequests >= 2);

    // The holder closes: the other window takes over at once and shows the next alert.
    await holder.stop();
    await publishAlert(sns, topicArn, { appId: 'f', alertType: 'errorRate', kind: 'clear', summary: 'after handover' });
    await waitFor(() => shown.length >= 6);
    assert.notEqual(shown[5].window, shown[0].window);
    assert.deepEqual([shown[5].alert.severity, shown[5].alert.state, shown[5].alert.key], ['info', 'OK', 'f#errorRate']);
    await other.stop();
    assert.equal(await queueDepth(sqs, queueUrl), 0);
    sqs.destroy();
    sns.destroy();
  });

  test('messages the consumer never sends are dropped, deleted and logged as inert text; the real alert beside them shows', async () => {
    const sqs = new SQSClient(moto.clientConfig());
    const sns = new SNSClient(moto.clientConfig());
    const { topicArn, queueUrl } = await createInbox(sqs, sns, 'inbox-hostile');
    const hostile = [
      // Straight to the queue, and published on the topic: the old fixture's shape, an injected app id, plain text.
      JSON.stringify({ appId: SQL_INJECTION_APP_IDS[0], alertType: 'error', state: 'ALARM', severity: 'ERROR', message: COMMAND_LINK }),
      JSON.stringify({ source: 'cloud-monitor', version: 1, kind: 'alarm', appId: 'orders', alertType: 'error', severity: 'ERROR', state: 'ALARM', summary: 'x', at: 'now', suppressedSinceLast: 0 }),
      HOSTILE_LOG_MESSAGE,
    ];
    for (const body of hostile) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ AlarmName: COMMAND_LINK, NewStateValue: 'ALARM' }) }));
    const real = await publishAlert(sns, topicArn, { appId: 'orders', alertType: 'error', summary: `1 error event(s); latest ERROR: ${COMMAND_LINK}` });
    const shown: InboxAlert[] = [];
    const log: string[] = [];
    const poller = new InboxPoller({
      sqs, queueUrl, lease: new InboxLease(mkdtempSync(join(tmpdir(), 'inbox-')), 'W'),
      deliver: async (alerts) => void shown.push(...alerts), isMuted: async () => false, log: (m) => log.push(m),
    }, fast);
    poller.start();
    await waitFor(() => poller.stats.messages >= 5 && shown.length >= 1);
    await waitFor(async () => (await queueDepth(sqs, queueUrl)) === 0);
    await poller.stop();
    assert.deepEqual(shown.map((a) => [a.key, a.state]), [['orders#error', 'ALARM']]);
    assert.equal(real.source, 'cloud-monitor');
    assert.ok(!hasNotificationLink(shown[0].text), shown[0].text);
    assert.equal(poller.stats.dropped, 4);
    const drops = log.filter((l) => l.startsWith('Inbox: dropped message'));
    assert.equal(drops.length, 4, log.join('\n'));
    for (const l of drops) assert.ok(!hasNotificationLink(l) && !/[\r\n]/.test(l), l);
    sqs.destroy();
    sns.destroy();
  });

  test('stopped while a receive is in flight: what that receive got goes back to the queue at once (ChangeMessageVisibilityBatch, VisibilityTimeout 0), nothing is shown or deleted', async () => {
    const sqs = new SQSClient(moto.clientConfig());
    const sns = new SNSClient(moto.clientConfig());
    const { topicArn, queueUrl } = await createInbox(sqs, sns, 'inbox-handback');
    for (const appId of ['orders', 'billing', 'search']) await publishAlert(sns, topicArn, { appId, alertType: 'error', summary: 'x' });
    const shown: InboxAlert[] = [];
    let stopping: Promise<void> | undefined;
    // The window closes while its ReceiveMessage is on its way: stop() aborts first, the receive then
    // comes back with messages that SQS has hidden for the poller's visibility timeout (60 s here).
    const sent = recordCommands(sqs as never);
    const racing = {
      send: ((cmd: unknown) => {
        if (cmd instanceof ReceiveMessageCommand && !stopping) stopping = poller.stop();
        return sqs.send(cmd as never);
      }) as SQSClient['send'],
    };
    const poller = new InboxPoller({
      sqs: racing, queueUrl, lease: new InboxLease(mkdtempSync(join(tmpdir(), 'inbox-')), 'W'),
      deliver: async (alerts) => void shown.push(...alerts), isMuted: async () => false,
    }, { ...fast, visibilityTimeoutSeconds: 60 });
    poller.start();
    await waitFor(() => stopping !== undefined);
    await stopping;
    assert.equal(shown.length, 0, 'nothing is shown after stop');
    assert.equal(poller.stats.releaseRequests, 1);
    assert.ok(sent.includes('ChangeMessageVisibilityBatchCommand'), sent.join(', '));
    assert.ok(!sent.includes('DeleteMessageBatchCommand'), sent.join(', '));
    // Handed back with VisibilityTimeout 0: another window receives all three now, not in 60 s.
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    assert.equal(again.Messages?.length ?? 0, 3);
    sqs.destroy();
    sns.destroy();
  });

  test('backs off on errors and stops on a missing queue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-'));
    // Nothing listens on port 9: every request fails with a network error.
    const down = new SQSClient({ ...moto.clientConfig(), endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const delays: number[] = [];
    const p = new InboxPoller({
      sqs: down, queueUrl: 'http://127.0.0.1:9/123456789012/none', lease: new InboxLease(dir, 'W'),
      deliver: async () => undefined, isMuted: async () => false,
    }, { ...fast, backoffInitialMs: 100, backoffMaxMs: 400, sleep: async (ms) => { delays.push(ms); await new Promise((r) => setTimeout(r, 5)); } });
    p.start();
    await waitFor(() => delays.length >= 4);
    await p.stop();
    assert.deepEqual(delays.slice(0, 4), [100, 200, 400, 400]);
    assert.ok(p.stats.errors >= 4);

    const sqs = new SQSClient(moto.clientConfig());
    let fatal: unknown;
    const gone = new InboxPoller({
      sqs, queueUrl: `${moto.endpoint}/123456789012/does-not-exist`, lease: new InboxLease(dir, 'W2'),
      deliver: async () => undefined, isMuted: async () => false, onFatal: (e) => { fatal = e; },
    }, fast);
    gone.start();
    await waitFor(() => gone.state === 'stopped');
    assert.ok(fatal, 'a missing queue stops polling');
    assert.equal(await new InboxLease(dir, 'X').holder(), undefined, 'the lease is released');
    down.destroy();
    sqs.destroy();
  });
});
