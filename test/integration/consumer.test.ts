// The consumer handler run in-process against moto_server, with the stack deployed from
// templates/pipeline.yaml. The Lambda SQS poller is played by test/helpers/sqsPoller.ts (moto cannot
// invoke functions without Docker); failures are injected with SDK middleware (test/helpers/faults.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { PurgeQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createHandler, type LogEntry } from '../../pipeline/consumer/handler';
import type { ConsumerConfig } from '../../pipeline/consumer/config';
import type { SqsRecord } from '../../pipeline/consumer/batch';
import type { Clients } from '../../pipeline/consumer/aws';
import { partitionOf } from '../../pipeline/consumer/partition';
import { startMoto, type Moto } from '../helpers/moto';
import { consumerClients, consumerConfig, deployPipelineStack, type DeployedPipeline } from '../helpers/pipelineStack';
import { SqsPoller } from '../helpers/sqsPoller';
import { drainQueue, prng, randomEvent, readEventObjects, sendBodies } from '../helpers/pipelineData';
import { injectFault } from '../helpers/faults';
import { startDdbAtomicProxy } from '../helpers/ddbAtomicProxy';
import { hostileEventBodies } from '../fixtures/hostile';

let moto: Moto;
let stack: DeployedPipeline;
let clients: Clients;
let config: ConsumerConfig;
let sqs: SQSClient;
let s3: S3Client;
let poller: SqsPoller;
const logs: LogEntry[] = [];
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

before(async () => {
  moto = await startMoto();
  stack = await deployPipelineStack(moto.clientConfig(), { stackName: 'consumer-it' });
  clients = consumerClients(moto.clientConfig());
  config = consumerConfig(stack.outputs);
  sqs = new SQSClient(moto.clientConfig());
  s3 = new S3Client(moto.clientConfig());
  poller = new SqsPoller(sqs, stack.outputs.IngestQueueUrl, stack.outputs.IngestQueueArn, 'us-east-1');
});
after(async () => moto?.stop());

const handler = (o: { now?: () => number; clients?: Clients } = {}) => createHandler({ clients: o.clients ?? clients, config, now: o.now ?? (() => T0), log: (e) => logs.push(e) });

/** The fields S3 lines must reproduce, from a sent event (normalized the way the consumer does). */
function expectedLine(e: Record<string, unknown>) {
  const time = typeof e.timestamp === 'number' ? e.timestamp : Date.parse(e.timestamp as string);
  return JSON.stringify({ appId: e.appId, ts: new Date(time).toISOString(), level: e.level, message: e.message, route: e.route, status: e.status, latencyMs: e.latencyMs, requestId: e.requestId });
}
function actualLine(l: Record<string, unknown>) {
  const f = l.fields as Record<string, string>;
  const m = l.metrics as Record<string, number>;
  return JSON.stringify({ appId: l.appId, ts: l.ts, level: l.level, message: l.message, route: f.route, status: m.status, latencyMs: m.latencyMs, requestId: f.requestId });
}
const sorted = (xs: string[]) => [...xs].sort();

async function storedFor(apps: string[]) {
  const objects = (await readEventObjects(s3, config.dataBucket)).filter((o) => apps.some((a) => o.key.includes(`/appid=${a}/`)));
  for (const o of objects) for (const l of o.lines) assert.ok(o.key.startsWith(`events/${partitionOf(l.appId as string, Date.parse(l.ts as string))}/`), `${o.key} holds ${l.ts}`);
  return objects;
}

async function status(appId: string) {
  return (await clients.ddb.send(new GetCommand({ TableName: config.statusTable, Key: { appId } }))).Item;
}

function countByLevel(events: Record<string, unknown>[]) {
  const c: Record<string, number> = {};
  for (const e of events) c[e.level as string] = (c[e.level as string] ?? 0) + 1;
  return c;
}

/** N valid events for `apps`, packed 1-40 per message over three UTC days, in send order per app. */
function generate(seed: number, apps: string[], n: number) {
  const rand = prng(seed);
  const perApp = new Map<string, Record<string, unknown>[]>(apps.map((a) => [a, []]));
  const messages: { body: string; groupId: string }[] = [];
  let seq = 0;
  while (seq < n) {
    const app = apps[Math.floor(rand() * apps.length)];
    const size = Math.min(n - seq, 1 + Math.floor(rand() * 40));
    const batch = Array.from({ length: size }, () => randomEvent(rand, app, T0 - 2 * 86_400_000 + Math.floor(rand() * 3 * 86_400_000), seq++));
    perApp.get(app)!.push(...batch);
    messages.push({ body: JSON.stringify(batch.length === 1 && rand() < 0.5 ? batch[0] : batch), groupId: app });
  }
  return { perApp, messages, all: [...perApp.values()].flat() };
}

describe('consumer against moto_server', () => {
  test('no loss: N valid events and K malformed messages across groups; S3, status and DLQ hold exactly what they should', async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: stack.outputs.DeadLetterQueueUrl }));
    const apps = ['shop', 'billing', 'search', 'auth'];
    const { perApp, messages, all } = generate(1, apps, 1500);
    const malformed = [
      { body: '{"appId":"shop", broken', groupId: 'shop', code: 'MALFORMED_JSON' },
      { body: JSON.stringify({ appId: 'billing', timestamp: '2026-11-21T10:00:00Z', message: 'no level' }), groupId: 'billing', code: 'INVALID_FIELD' },
      { body: JSON.stringify({ appId: 'search', timestamp: 'tomorrow', level: 'INFO', message: 'x' }), groupId: 'search', code: 'INVALID_FIELD' },
      { body: JSON.stringify({ appId: 'auth', timestamp: 1763726400, level: 'INFO', message: 'epoch seconds' }), groupId: 'auth', code: 'INVALID_FIELD' },
      { body: JSON.stringify({ appId: 'shop', timestamp: T0, level: 'INFO', message: 'wrong group' }), groupId: 'billing', code: 'GROUP_MISMATCH' },
      { body: '[]', groupId: 'search', code: 'EMPTY' },
      { body: '"just a string"', groupId: 'auth', code: 'NOT_AN_EVENT' },
    ];
    // Malformed messages interleaved with valid ones: they must not block their groups.
    const mixed = [...messages];
    malformed.forEach((m, i) => mixed.splice(Math.floor(((i + 1) * mixed.length) / (malformed.length + 1)), 0, m));
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, mixed);

    const polls = await poller.drain(handler());
    assert.ok(polls.length > 5, 'several batches');
    assert.deepEqual(polls.flatMap((p) => p.failed), [], `no batch item failures: ${JSON.stringify(logs.filter((l) => l.level === 'ERROR').slice(0, 3))}`);

    const objects = await storedFor(apps);
    assert.deepEqual(sorted(objects.flatMap((o) => o.lines.map(actualLine))), sorted(all.map(expectedLine)), 'S3 holds exactly the valid events');
    for (const app of apps) {
      const s = await status(app);
      const sent = perApp.get(app)!;
      assert.deepEqual(s?.counts, countByLevel(sent), `${app} counts`);
      assert.equal(s?.total, sent.length);
      const newest = Math.max(...sent.map((e) => (typeof e.timestamp === 'number' ? e.timestamp : Date.parse(e.timestamp as string))));
      assert.equal(s?.lastEventTime, new Date(newest).toISOString());
    }

    const dlq = await drainQueue(sqs, stack.outputs.DeadLetterQueueUrl);
    assert.deepEqual(sorted(dlq.map((m) => m.Body!)), sorted(malformed.map((m) => m.body)), 'DLQ holds exactly the malformed messages');
    for (const m of dlq) {
      const expected = malformed.find((x) => x.body === m.Body)!;
      assert.equal(m.MessageAttributes?.reasonCode?.StringValue, expected.code);
      assert.ok((m.MessageAttributes?.reason?.StringValue ?? '').length > 5);
    }
    const moved = logs.filter((l) => l.msg === 'malformed message moved to the DLQ');
    assert.equal(moved.length, malformed.length, 'one structured log line per malformed message');
  });

  test('a hostile message (deeply nested, too many keys) amid two other groups goes to the DLQ alone with its reason; every valid event lands in S3 exactly once', async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: stack.outputs.DeadLetterQueueUrl }));
    const apps = ['calm-web', 'calm-api'];
    const { perApp, messages, all } = generate(7, apps, 120);
    const hostile = hostileEventBodies('hostile', '2026-11-21T12:00:00Z');
    const after = { appId: 'hostile', timestamp: '2026-11-21T12:00:01Z', level: 'INFO', message: 'after the hostile ones' };
    const half = Math.floor(messages.length / 2);
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, messages.slice(0, half));
    // One by one: a SendMessageBatch carries at most 256 KiB in total, and each of these is 120-200 KB.
    for (const h of hostile) await sqs.send(new SendMessageCommand({ QueueUrl: stack.outputs.IngestQueueUrl, MessageBody: h.body, MessageGroupId: 'hostile' }));
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, [...messages.slice(half), { body: JSON.stringify(after), groupId: 'hostile' }]);

    const polls = await poller.drain(handler());
    assert.ok(polls.some((p) => p.records.some((r) => r.attributes.MessageGroupId === 'hostile') && p.records.some((r) => r.attributes.MessageGroupId !== 'hostile')), 'a hostile message shared a batch with other apps');
    assert.deepEqual(polls.flatMap((p) => p.failed), [], `no batch item failures: ${JSON.stringify(logs.filter((l) => l.level === 'ERROR').slice(-3))}`);

    const dlq = await drainQueue(sqs, stack.outputs.DeadLetterQueueUrl);
    assert.deepEqual(sorted(dlq.map((m) => m.Body!)), sorted(hostile.map((h) => h.body)), 'the DLQ holds exactly the hostile messages');
    for (const m of dlq) {
      const h = hostile.find((x) => x.body === m.Body)!;
      assert.equal(m.MessageAttributes?.reasonCode?.StringValue, h.code, h.name);
      assert.match(m.MessageAttributes?.reason?.StringValue ?? '', /deeper than 32 levels|more than 10000 object keys|at most 200 per event/, h.name);
    }

    const objects = await storedFor([...apps, 'hostile']);
    const stored = objects.flatMap((o) => o.lines.map(actualLine));
    assert.deepEqual(sorted(stored.filter((l) => !l.includes('"hostile"'))), sorted(all.map(expectedLine)), 'every valid event once, no duplicate, no gap');
    assert.deepEqual(objects.flatMap((o) => o.lines.filter((l) => l.appId === 'hostile').map((l) => l.message)), [after.message], 'the hostile group carries on after its rejected messages');
    for (const app of apps) assert.deepEqual((await status(app))?.counts, countByLevel(perApp.get(app)!));
  });

  test('retries: an S3 failure mid-batch fails only that group; the retry leaves no duplicate and no gap (PutObject failure injected in the SDK client: moto does not fail it)', async () => {
    const apps = ['r-web', 'r-api', 'r-job'];
    const { perApp, messages, all } = generate(2, apps, 400);
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, messages);
    const fault = injectFault(clients.s3, ['PutObjectCommand'], { nth: 2 });
    const first = await poller.pollOnce(handler());
    fault.remove();
    assert.equal(fault.failed, 1);
    assert.ok(first.failed.length > 0 && first.failed.length < first.records.length, 'some records failed, other groups went on');
    const failedGroups = new Set(first.records.filter((r) => first.failed.includes(r.messageId)).map((r) => r.attributes.MessageGroupId));
    assert.equal(failedGroups.size, 1, 'one group failed');
    const failedGroup = [...failedGroups][0]!;
    const groupRecords = first.records.filter((r) => r.attributes.MessageGroupId === failedGroup).map((r) => r.messageId);
    assert.deepEqual(first.failed, groupRecords, 'the failed message and every later one of its group');
    assert.ok(logs.some((l) => l.msg === 'run failed; its group is retried' && l.groupId === failedGroup));
    const anchorKeys = (await readEventObjects(s3, config.dataBucket)).filter((o) => o.key.endsWith(`/${groupRecords[0]}.json.gz`));
    assert.deepEqual(anchorKeys, [], 'the failed run\'s objects were deleted before the retry');

    const rest = await poller.drain(handler());
    assert.deepEqual(rest.flatMap((p) => p.failed), []);
    const objects = await storedFor(apps);
    assert.deepEqual(sorted(objects.flatMap((o) => o.lines.map(actualLine))), sorted(all.map(expectedLine)));
    for (const app of apps) assert.deepEqual((await status(app))?.counts, countByLevel(perApp.get(app)!));
  });

  test('retries: a DynamoDB status-write failure after the S3 writes is undone, then retried exactly once (failure injected in the SDK client: moto does not fail it)', async () => {
    const apps = ['d-web', 'd-api'];
    const { perApp, messages, all } = generate(3, apps, 300);
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, messages);
    const fault = injectFault(clients.ddb, ['PutCommand', 'PutItemCommand'], { nth: 1 });
    const first = await poller.pollOnce(handler());
    fault.remove();
    assert.equal(fault.failed, 1);
    assert.ok(first.failed.length > 0);
    const leftovers = (await readEventObjects(s3, config.dataBucket)).filter((o) => o.key.endsWith(`/${first.failed[0]}.json.gz`));
    assert.deepEqual(leftovers, [], 'objects written before the failed status write were deleted');
    const rest = await poller.drain(handler());
    assert.deepEqual(rest.flatMap((p) => p.failed), []);
    const objects = await storedFor(apps);
    assert.deepEqual(sorted(objects.flatMap((o) => o.lines.map(actualLine))), sorted(all.map(expectedLine)));
    for (const app of apps) assert.deepEqual((await status(app))?.counts, countByLevel(perApp.get(app)!));
  });

  test('retries: a batch redelivered after it fully succeeded (crash before delete) is neither duplicated nor counted twice', async () => {
    const apps = ['c-web'];
    const { perApp, messages, all } = generate(4, apps, 120);
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, messages.slice(0, 3));
    const crashed = await poller.pollOnce(handler(), { settle: false });
    assert.equal(crashed.failed.length, 0);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: stack.outputs.IngestQueueUrl }));
    // The same records again (what Lambda would redeliver after the visibility timeout), then the rest.
    const again = await handler()({ Records: crashed.records });
    assert.deepEqual(again.batchItemFailures, []);
    assert.ok(logs.some((l) => l.msg === 'redelivered run was already counted; objects rewritten'));
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, messages.slice(3));
    await poller.drain(handler());
    const objects = await storedFor(apps);
    assert.deepEqual(sorted(objects.flatMap((o) => o.lines.map(actualLine))), sorted(all.map(expectedLine)));
    assert.deepEqual((await status('c-web'))?.counts, countByLevel(perApp.get('c-web')!));
  });

  test('partitions: timestamps at UTC day, month and year boundaries land in the right partitions', async () => {
    const stamps: [unknown, string][] = [
      ['2026-12-31T23:59:59.999Z', 'year=2026/month=12/day=31'],
      ['2027-01-01T00:00:00.000Z', 'year=2027/month=01/day=01'],
      ['2027-01-01T00:30:00+01:00', 'year=2026/month=12/day=31'],
      ['2026-12-31T20:00:00-05:00', 'year=2027/month=01/day=01'],
      [Date.UTC(2027, 0, 31, 23, 59, 59, 999), 'year=2027/month=01/day=31'],
      [Date.UTC(2027, 1, 1), 'year=2027/month=02/day=01'],
      ['2028-02-29T12:00:00Z', 'year=2028/month=02/day=29'],
      ['2028-03-01T00:00:00Z', 'year=2028/month=03/day=01'],
    ];
    const events = stamps.map(([timestamp], i) => ({ appId: 'edges', timestamp, level: 'INFO', message: `edge ${i}` }));
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, [{ body: JSON.stringify(events.slice(0, 4)), groupId: 'edges' }, { body: JSON.stringify(events.slice(4)), groupId: 'edges' }]);
    await poller.drain(handler());
    const objects = await storedFor(['edges']);
    const where = new Map(objects.flatMap((o) => o.lines.map((l) => [l.message as string, o.key])));
    stamps.forEach(([, partition], i) => assert.ok(where.get(`edge ${i}`)?.startsWith(`events/${partition}/appid=edges/`), `edge ${i} in ${where.get(`edge ${i}`)}`));
    assert.equal(objects.length, 6, 'one object per partition per batch');
  });

  test('debounce: 20 concurrent invocations raise one alert; exactly one SNS message, 19 suppressed; after the window the next goes out (DynamoDB writes through a serializing proxy: moto\'s conditional writes are not atomic under concurrency)', async (t) => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: stack.outputs.InboxQueueUrl }));
    const proxy = await startDdbAtomicProxy(moto.endpoint);
    t.after(() => proxy.close());
    let now = T0;
    const invoke = (i: number) => {
      // Separate handler instances and clients, like separate Lambda execution environments.
      const own = consumerClients(moto.clientConfig());
      const h = handler({ now: () => now, clients: { ...own, ddb: consumerClients({ ...moto.clientConfig(), endpoint: proxy.endpoint }).ddb } });
      const record: SqsRecord = { messageId: `storm-${now}-${i}`, body: JSON.stringify({ appId: 'storm', timestamp: now, level: 'ERROR', message: `boom ${i}` }), attributes: { MessageGroupId: 'storm' } };
      return h({ Records: [record] });
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => invoke(i)));
    assert.ok(proxy.stats.peakWaiting > 1, 'the invocations really raced for the alert key');
    assert.deepEqual(results.flatMap((r) => r.batchItemFailures), [], JSON.stringify(logs.filter((l) => l.level === 'ERROR').slice(-3)));
    const inbox1 = await drainQueue(sqs, stack.outputs.InboxQueueUrl);
    assert.equal(inbox1.length, 1, 'exactly one notification');
    const attrs = Object.fromEntries(Object.entries(inbox1[0].MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));
    assert.deepEqual(attrs, { appId: 'storm', alertType: 'error', severity: 'ERROR', state: 'ALARM' });
    const payload1 = JSON.parse(inbox1[0].Body!);
    assert.equal(payload1.kind, 'alarm');
    assert.equal(payload1.suppressedSinceLast, 0);
    const item = async () => (await clients.ddb.send(new GetCommand({ TableName: config.alertTable, Key: { alertKey: 'storm#error' } }))).Item!;
    assert.equal((await item()).suppressed, 19);
    assert.equal((await status('storm'))?.counts.ERROR, 20, 'every concurrent status write landed');

    now = T0 + 5 * 60_000;
    await invoke(100);
    assert.equal((await drainQueue(sqs, stack.outputs.InboxQueueUrl)).length, 0, 'still within the window');
    assert.equal((await item()).suppressed, 20);

    now = T0 + 16 * 60_000;
    await invoke(200);
    const inbox2 = await drainQueue(sqs, stack.outputs.InboxQueueUrl);
    assert.equal(inbox2.length, 1, 'after the window the next one goes out');
    assert.equal(JSON.parse(inbox2[0].Body!).suppressedSinceLast, 20);
    const alarms = await clients.ddb.send(new QueryCommand({ TableName: config.alertTable, IndexName: stack.outputs.AlertStateIndexName, KeyConditionExpression: '#s = :a', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':a': 'ALARM' } }));
    assert.ok(alarms.Items?.some((i) => i.alertKey === 'storm#error'), 'listed in ALARM through the GSI');
  });

  test('recovery: state returns to OK when errors stop; the recovery notification is debounced too', async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: stack.outputs.InboxQueueUrl }));
    let now = T0;
    let n = 0;
    const send = (level: string) => handler({ now: () => now })({ Records: [{ messageId: `rec-${n++}`, body: JSON.stringify({ appId: 'calm', timestamp: now, level, message: level }), attributes: { MessageGroupId: 'calm' } }] });
    await send('ERROR');
    assert.equal((await drainQueue(sqs, stack.outputs.InboxQueueUrl)).length, 1);
    now = T0 + 10 * 60_000; // errors stopped 10 min ago (> 5 min error window), notification 10 min ago (< 15 min debounce)
    await send('INFO');
    const key = async () => (await clients.ddb.send(new GetCommand({ TableName: config.alertTable, Key: { alertKey: 'calm#error' } }))).Item!;
    assert.equal((await key()).state, 'OK');
    assert.equal((await drainQueue(sqs, stack.outputs.InboxQueueUrl)).length, 0, 'recovery held back by the debounce window');
    now = T0 + 16 * 60_000;
    await send('INFO');
    const inbox = await drainQueue(sqs, stack.outputs.InboxQueueUrl);
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0].MessageAttributes?.state?.StringValue, 'OK');
    assert.equal(JSON.parse(inbox[0].Body!).kind, 'recovery');
    now = T0 + 40 * 60_000;
    await send('INFO');
    assert.equal((await drainQueue(sqs, stack.outputs.InboxQueueUrl)).length, 0, 'nothing more to say');
    assert.equal((await status('calm'))?.alerts?.error, undefined);
  });

  test('an SNS failure undoes the claim and fails the run; the retry notifies once (Publish failure injected in the SDK client: moto does not fail it)', async () => {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: stack.outputs.InboxQueueUrl }));
    const record: SqsRecord = { messageId: 'sns-fail-1', body: JSON.stringify({ appId: 'flaky', timestamp: T0, level: 'FATAL', message: 'down' }), attributes: { MessageGroupId: 'flaky' } };
    const fault = injectFault(clients.sns, ['PublishCommand'], { nth: 1 });
    const first = await handler()({ Records: [record] });
    fault.remove();
    assert.deepEqual(first.batchItemFailures, [{ itemIdentifier: 'sns-fail-1' }]);
    assert.equal((await drainQueue(sqs, stack.outputs.InboxQueueUrl)).length, 0);
    assert.equal(await status('flaky'), undefined, 'status not committed');
    const retry = await handler()({ Records: [record] });
    assert.deepEqual(retry.batchItemFailures, []);
    const inbox = await drainQueue(sqs, stack.outputs.InboxQueueUrl);
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0].MessageAttributes?.severity?.StringValue, 'FATAL');
    assert.equal((await status('flaky'))?.counts.FATAL, 1);
  });
});
