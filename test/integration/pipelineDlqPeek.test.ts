// Peek at the pipeline's dead-letter queue (src/pipeline/dlqPeek.ts) against moto_server, on a deployed
// pipeline stack: messages reach the FIFO DLQ the two ways they do in production (the real consumer moves
// malformed ones with its reason; SQS moves one after maxReceiveCount receives of the ingest queue), then a
// peek must show them (hostile bodies as text, reasons, receive counts, groups) and leave every one of them
// in the queue, visible, in order, with its receive count up by exactly one.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { createHandler, type LogEntry } from '../../pipeline/consumer/handler';
import { formatPeek, maxReceiveCountOf, peekDlq } from '../../src/pipeline/dlqPeek';
import { startMoto, type Moto } from '../helpers/moto';
import { consumerClients, consumerConfig, deployPipelineStack, type DeployedPipeline } from '../helpers/pipelineStack';
import { drainQueue, sendBodies } from '../helpers/pipelineData';
import { SqsPoller } from '../helpers/sqsPoller';
import { injectFault } from '../helpers/faults';
import { BIDI, HOSTILE_DLQ_BODIES, hostileEventBodies } from '../fixtures/hostile';

const STACK = 'peek-pipe';
let moto: Moto;
let stack: DeployedPipeline;
let sqs: SQSClient;
const logs: LogEntry[] = [];

before(async () => {
  moto = await startMoto();
  stack = await deployPipelineStack(moto.clientConfig(), { stackName: STACK, parameters: { MaxReceiveCount: '2' } });
  sqs = new SQSClient(moto.clientConfig());
});
after(async () => {
  sqs?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  for (const url of [stack.outputs.IngestQueueUrl, stack.outputs.DeadLetterQueueUrl]) await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
});

const handler = () => createHandler({ clients: consumerClients(moto.clientConfig()), config: consumerConfig(stack.outputs), now: () => Date.parse('2026-12-03T20:00:00Z'), log: (e) => logs.push(e) });
const poller = () => new SqsPoller(sqs, stack.outputs.IngestQueueUrl, stack.outputs.IngestQueueArn, 'us-east-1');

async function depth(url: string) {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};
  return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
}

/** The Lambda poller receiving a message and failing on it (never deleting it), `times` times: SQS then moves it to the DLQ. */
async function failOnIngest(times: number) {
  for (let i = 0; i <= times; i++) {
    const got = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.outputs.IngestQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }))).Messages ?? [];
    for (const m of got) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: stack.outputs.IngestQueueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
  }
}

const byGroup = (ms: { groupId?: string; body: string }[]) => {
  const out = new Map<string, string[]>();
  for (const m of ms) out.set(m.groupId ?? '', [...(out.get(m.groupId ?? '') ?? []), m.body]);
  return out;
};
const fromSqs = (ms: Message[]) => ms.map((m) => ({ groupId: m.Attributes?.MessageGroupId, body: m.Body ?? '', count: Number(m.Attributes?.ApproximateReceiveCount) }));

describe('Peek at DLQ messages (moto_server, FIFO DLQ of a deployed pipeline)', () => {
  test('hostile bodies as text with the consumer reason, the SQS-moved one with its maxReceiveCount; afterwards every message is still there, visible, in order, its receive count up by one', async () => {
    const deep = hostileEventBodies('deep-app', '2026-12-03T19:00:00Z')[0];
    const malformed = [...HOSTILE_DLQ_BODIES.map((body) => ({ body, groupId: 'dlq-app' })), { body: deep.body, groupId: 'deep-app' }];
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, malformed);
    await poller().drain(handler());
    // A valid event the consumer never gets through: after MaxReceiveCount (2) receives SQS moves it.
    const slow = JSON.stringify({ appId: 'slow-app', timestamp: '2026-12-03T19:30:00Z', level: 'INFO', message: 'timed out twice' });
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, [{ body: slow, groupId: 'slow-app' }]);
    await failOnIngest(2);
    assert.deepEqual(await depth(stack.outputs.DeadLetterQueueUrl), { visible: 5, inFlight: 0 }, 'five messages reached the DLQ');

    const peek = await peekDlq(sqs, stack.outputs.DeadLetterQueueUrl);
    assert.equal(peek.messages.length, 5);
    assert.equal(peek.released, 5, 'every peeked message handed back');
    assert.deepEqual(peek.notReleased, []);
    assert.deepEqual(await depth(stack.outputs.DeadLetterQueueUrl), { visible: 5, inFlight: 0 }, 'right after the peek: all visible again, none in flight, none deleted');

    const maxReceiveCount = await maxReceiveCountOf(sqs, stack.outputs.IngestQueueUrl);
    assert.equal(maxReceiveCount, 2, "read from the ingest queue's redrive policy");
    const text = formatPeek(peek, { stackName: STACK, maxReceiveCount, depth: 5 });
    assert.match(text, /A peek is a receive: each message's receive count went up by one/);
    assert.match(text, /nothing was deleted and the order is unchanged/);
    const sections = text.split(/^── /m).slice(1);
    assert.equal(sections.length, 5);
    const section = (needle: string) => sections.find((s) => s.includes(needle)) ?? assert.fail(`no message shows ${needle}`);
    // The consumer's reason (message attributes), and the body as text.
    const link = section('not json: [Open runbook](command:');
    assert.match(link, /Failure reason: {3}rejected by the consumer: MALFORMED_JSON: body is not JSON/);
    assert.match(link, /Message group: {4}dlq-app/);
    assert.match(link, /Receive count: {4}1 \(ApproximateReceiveCount, this peek included\)/);
    assert.match(link, /Failed at: {8}2026-12-03T20:00:00.000Z/);
    assert.match(link, /Body \(text, \d+ bytes\):\nnot json: \[Open runbook\]\(command:workbench.action.terminal.sendSequence.* <img src=x onerror="alert\(1\)"> https:\/\/evil.example\/phish/);
    const json = section('"note": "<script>alert(1)</script>"');
    assert.match(json, /rejected by the consumer: INVALID_FIELD: /);
    assert.match(json, /Body \(JSON, \d+ bytes\):\n\{\n {2}"appId": "dlq-app",\n {2}"level": "ERROR",/, 'pretty-printed');
    assert.ok(json.includes('invoice\\u{202E}fdp.exe'), 'the bidi override is written out, not applied');
    assert.ok(!text.includes(BIDI) && !/[\u202A-\u202E\u2066-\u2069]/.test(text), 'no bidi control reaches the document');
    const long = section('"message":"AAAA');
    assert.match(long, /… truncated: 4,000 of 9,\d{3} characters shown \(as sent\)/);
    assert.ok(!long.includes('evil.example/tail'), 'the cut-off tail is not shown');
    const deepSection = section('deep-app');
    assert.match(deepSection, /rejected by the consumer: TOO_DEEP/);
    assert.match(deepSection, /Body \(text, [\d,]+ bytes\):/, 'too deep to pretty-print: shown as sent');
    assert.match(deepSection, /… truncated: 4,000 of/);
    // SQS's redrive adds no reason: the text says how it got there.
    const moved = section('timed out twice');
    assert.match(moved, /Failure reason: {3}no reason attached: SQS moved it after 2 receives \(maxReceiveCount of the ingest queue's redrive policy\)/);
    assert.match(moved, /Message group: {4}slow-app/);
    const movedCount = peek.messages.find((m) => m.body === slow)!.receiveCount!;
    assert.ok(movedCount >= 1);
    for (const m of peek.messages) {
      assert.ok(m.sentAt && m.firstReceivedAt, `times of ${m.messageId}`);
      assert.ok(m.sentAt.getTime() <= m.firstReceivedAt.getTime());
    }

    // Afterwards: every message is there, in its group's order, each received once more than at the peek.
    const after = fromSqs(await drainQueue(sqs, stack.outputs.DeadLetterQueueUrl));
    assert.equal(after.length, 5);
    assert.deepEqual(byGroup(after), byGroup([...malformed, { body: slow, groupId: 'slow-app' }]), 'same messages, same order in each group');
    assert.deepEqual(byGroup(peek.messages), byGroup(after), 'the peek showed them in queue order');
    for (const a of after) {
      const p = peek.messages.find((m) => m.body === a.body)!;
      assert.equal(a.count, p.receiveCount! + 1, `receive count of ${a.body.slice(0, 30)}: one more than at the peek`);
    }
    for (const m of peek.messages.filter((x) => x.body !== slow)) assert.equal(m.receiveCount, 1, 'a consumer-moved message: the peek was its first receive');
  });

  test('more than 10 messages in several groups: the peek shows 10, and all 14 stay, in order', async () => {
    const groups = ['g-a', 'g-b', 'g-c'];
    const bodies = Array.from({ length: 14 }, (_, i) => ({ body: `broken ${i} {`, groupId: groups[i % 3] }));
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, bodies);
    await poller().drain(handler());
    assert.equal((await depth(stack.outputs.DeadLetterQueueUrl)).visible, 14);

    const peek = await peekDlq(sqs, stack.outputs.DeadLetterQueueUrl);
    assert.equal(peek.messages.length, 10, 'at most 10');
    assert.equal(peek.released, 10);
    assert.deepEqual(await depth(stack.outputs.DeadLetterQueueUrl), { visible: 14, inFlight: 0 });
    // Within each group, what the peek showed is the head of that group, in order.
    const shown = byGroup(peek.messages);
    const sent = byGroup(bodies);
    for (const [g, list] of shown) assert.deepEqual(list, sent.get(g)!.slice(0, list.length), `group ${g}`);
    const after = fromSqs(await drainQueue(sqs, stack.outputs.DeadLetterQueueUrl));
    assert.deepEqual(byGroup(after), sent, 'all 14, in order');
  });

  test('a receive that fails mid-peek still hands back what was received (fault injected on the second ReceiveMessage)', async () => {
    await sendBodies(sqs, stack.outputs.IngestQueueUrl, [{ body: 'broken a {', groupId: 'one' }, { body: 'broken b {', groupId: 'two' }]);
    await poller().drain(handler());
    const client = new SQSClient(moto.clientConfig());
    // One message per receive, so the peek needs a second receive, which fails.
    const fault = injectFault(client, ['ReceiveMessageCommand'], { nth: 2 });
    const received: number[] = [];
    const countReceived = (next: (a: unknown) => Promise<{ output: { Messages?: unknown[] } }>, c: { commandName?: string }) => async (args: unknown) => {
      const r = await next(args);
      if (c.commandName === 'ReceiveMessageCommand') received.push(r.output.Messages?.length ?? 0);
      return r;
    };
    (client.middlewareStack as unknown as { add(mw: unknown, o: object): void }).add(countReceived, { step: 'initialize', name: 'count-received', priority: 'low' });
    await assert.rejects(peekDlq(client, stack.outputs.DeadLetterQueueUrl, { max: 10 }), /injected failure/);
    assert.equal(fault.failed, 1);
    assert.ok(received[0] >= 1, 'the first receive got messages');
    assert.deepEqual(await depth(stack.outputs.DeadLetterQueueUrl), { visible: 2, inFlight: 0 }, 'handed back although the peek failed');
    client.destroy();
  });
});
