// `npm run bench -- consumer [events]`: the pipeline consumer against moto_server, and a naive consumer
// (one S3 PUT and one DynamoDB write per event, one SNS publish per error event) on the same events in
// the same run. Prints events per second through each handler, billable AWS requests per 1,000 events
// and the resulting dollars per million events at list prices. Goal: at least 10x fewer billable
// requests per event than the naive consumer.
//
// List prices, US East (N. Virginia), as published on the services' pricing pages:
//   S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000 requests     https://aws.amazon.com/s3/pricing/
//     (DELETE is free; the consumer only deletes after a failed run)
//   DynamoDB on-demand: $0.625 per million write request units,
//     $0.125 per million read request units (1 WRU per 1 KB written,
//     1 RRU per strongly consistent read up to 4 KB)                  https://aws.amazon.com/dynamodb/pricing/on-demand/
//   SNS standard topic: $0.50 per million publishes (64 KB chunks);
//     deliveries to SQS are free                                      https://aws.amazon.com/sns/pricing/
//   SQS FIFO: $0.50 per million requests (DLQ moves only)             https://aws.amazon.com/sqs/pricing/
// Lambda requests and duration are left out: both designs are invoked once per batch by the same
// event source mapping.
//
// Batches are formed the way SQS FIFO hands them to Lambda: up to 10 messages, as many of one message
// group as possible (https://repost.aws/knowledge-center/sqs-fifo-messages-not-returned).
// Two workloads: producers that pack events into messages (the documented way to use the pipeline, up
// to 500 events per message) and producers that send one event per message.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../../pipeline/consumer/aws';
import { planBatch, type BatchResponse, type SqsEvent, type SqsRecord } from '../../pipeline/consumer/batch';
import type { ConsumerConfig } from '../../pipeline/consumer/config';
import { ERROR_LEVELS } from '../../pipeline/consumer/events';
import { createHandler } from '../../pipeline/consumer/handler';
import { partitionOf, toJsonLine } from '../../pipeline/consumer/partition';
import { startMoto } from '../helpers/moto';
import { consumerClients, consumerConfig, deployPipelineStack } from '../helpers/pipelineStack';
import { prng, randomEvent } from '../helpers/pipelineData';

const PRICE = {
  s3Put: 0.005 / 1000,
  ddbWru: 0.625 / 1e6,
  ddbRru: 0.125 / 1e6,
  snsPublish: 0.5 / 1e6,
  sqsFifo: 0.5 / 1e6,
};

interface Tally { s3Put: number; s3Delete: number; ddbWrite: number; ddbWru: number; ddbRead: number; snsPublish: number; sqsSend: number }

/** Counts billable requests by kind, and DynamoDB write units from the size of what is written. */
function meter(clients: Clients): { tally: Tally; stop: () => void } {
  const tally: Tally = { s3Put: 0, s3Delete: 0, ddbWrite: 0, ddbWru: 0, ddbRead: 0, snsPublish: 0, sqsSend: 0 };
  const names: string[] = [];
  const add = (client: { middlewareStack: { add(mw: unknown, o: object): void; remove(n: string): boolean } }, fn: (cmd: string, input: Record<string, unknown>) => void) => {
    const name = `meter-${names.length}`;
    names.push(name);
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, ctx: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        fn(ctx.commandName ?? '', args.input);
        return next(args);
      },
      { step: 'initialize', name },
    );
    return () => client.middlewareStack.remove(name);
  };
  // Item size as DynamoDB bills it is close to the JSON size of names and values; round up per KB.
  const wru = (input: Record<string, unknown>) => Math.max(1, Math.ceil(JSON.stringify(input.Item ?? input.ExpressionAttributeValues ?? {}).length / 1024));
  const removers = [
    add(clients.s3, (c) => {
      if (c === 'PutObjectCommand') tally.s3Put++;
      else if (c === 'DeleteObjectsCommand') tally.s3Delete++;
    }),
    add(clients.ddb, (c, input) => {
      if (/^(Put|Update|Delete)(Item)?Command$/.test(c)) {
        tally.ddbWrite++;
        tally.ddbWru += wru(input);
      } else if (/^Get(Item)?Command$/.test(c)) tally.ddbRead++;
    }),
    add(clients.sns, (c) => void (c === 'PublishCommand' && tally.snsPublish++)),
    add(clients.sqs, (c) => void (/^SendMessage/.test(c) && tally.sqsSend++)),
  ];
  return { tally, stop: () => removers.forEach((r) => r()) };
}

const billable = (t: Tally) => t.s3Put + t.ddbWrite + t.ddbRead + t.snsPublish + t.sqsSend;
const dollars = (t: Tally) => t.s3Put * PRICE.s3Put + t.ddbWru * PRICE.ddbWru + t.ddbRead * PRICE.ddbRru + t.snsPublish * PRICE.snsPublish + t.sqsSend * PRICE.sqsFifo;

/** The naive design: every event is its own S3 object and its own status write; every error is published. */
function naiveHandler(clients: Clients, config: ConsumerConfig): (e: SqsEvent) => Promise<BatchResponse> {
  return async (event) => {
    for (const g of planBatch(event.Records)) {
      for (const { record, parsed } of g.records) {
        if (!parsed.ok) continue;
        await Promise.all(
          parsed.events.map(async (ev, i) => {
            await clients.s3.send(new PutObjectCommand({ Bucket: config.dataBucket, Key: `naive/${partitionOf(ev.appId, ev.time)}/${record.messageId}-${i}.json`, Body: toJsonLine(ev, record.messageId) }));
            await clients.ddb.send(
              new UpdateCommand({
                TableName: config.statusTable,
                Key: { appId: `naive-${ev.appId}` },
                UpdateExpression: 'ADD #total :one, #lvl :one SET lastEventAt = :t',
                ExpressionAttributeNames: { '#total': 'total', '#lvl': `count_${ev.level}` },
                ExpressionAttributeValues: { ':one': 1, ':t': ev.time },
              }),
            );
            if (ERROR_LEVELS.has(ev.level)) {
              await clients.sns.send(new PublishCommand({ TopicArn: config.topicArn, Message: `${ev.level} ${ev.appId}: ${ev.message}`, Subject: `${ev.level} ${ev.appId}` }));
            }
          }),
        );
      }
    }
    return { batchItemFailures: [] };
  };
}

/** Messages per app in send order, then SQS-FIFO-like batches of up to 10, one group at a time. */
function workload(seed: number, prefix: string, events: number, perMessage: () => number) {
  const rand = prng(seed);
  const apps = Array.from({ length: 8 }, (_, i) => `${prefix}-app${i}`);
  const queues = new Map<string, SqsRecord[]>(apps.map((a) => [a, []]));
  const start = Date.now() - 86_400_000;
  let seq = 0;
  while (seq < events) {
    const app = apps[Math.floor(rand() * apps.length)];
    const n = Math.min(events - seq, perMessage());
    const body = Array.from({ length: n }, () => randomEvent(rand, app, start + Math.floor((seq / events) * 86_400_000), seq++));
    const q = queues.get(app)!;
    q.push({ messageId: `${prefix}-${seq}`, body: JSON.stringify(n === 1 ? body[0] : body), attributes: { MessageGroupId: app } });
  }
  const batches: SqsRecord[][] = [];
  for (let active = apps.filter((a) => queues.get(a)!.length); active.length; active = apps.filter((a) => queues.get(a)!.length)) {
    for (const app of active) {
      const q = queues.get(app)!;
      if (!q.length) continue;
      const batch = q.splice(0, 10);
      // Fill up with other groups' messages when one group has fewer than 10 waiting.
      for (const other of active) if (other !== app && batch.length < 10) batch.push(...queues.get(other)!.splice(0, 10 - batch.length));
      batches.push(batch);
    }
  }
  return { batches, messages: batches.reduce((n, b) => n + b.length, 0) };
}

async function measure(name: string, handle: (e: SqsEvent) => Promise<BatchResponse>, clients: Clients, batches: SqsRecord[][], events: number) {
  const m = meter(clients);
  const t0 = performance.now();
  let failures = 0;
  for (const b of batches) failures += (await handle({ Records: b })).batchItemFailures.length;
  const seconds = (performance.now() - t0) / 1000;
  m.stop();
  if (failures) throw new Error(`${name}: ${failures} batch item failures`);
  const t = m.tally;
  const per1k = (x: number) => (x * 1000) / events;
  const result = {
    eventsPerS: events / seconds,
    billablePer1k: per1k(billable(t)),
    usdPerMillion: (dollars(t) / events) * 1e6,
    tally: t,
  };
  console.log(
    `  ${name.padEnd(9)} ${result.eventsPerS.toFixed(0).padStart(7)} events/s   per 1,000 events: ${per1k(t.s3Put).toFixed(1)} S3 PUT, ${per1k(t.ddbWrite).toFixed(1)} DynamoDB writes (${per1k(t.ddbWru).toFixed(1)} WRU), ${per1k(t.ddbRead).toFixed(1)} reads, ${per1k(t.snsPublish).toFixed(1)} SNS publishes = ${result.billablePer1k.toFixed(1)} billable requests   $${result.usdPerMillion.toFixed(2)} per million events`,
  );
  return result;
}

async function main() {
  const events = Number(process.argv[2] ?? 6000);
  const moto = await startMoto();
  try {
    const stack = await deployPipelineStack(moto.clientConfig(), { stackName: 'bench-consumer' });
    const config = consumerConfig(stack.outputs);
    const clients = consumerClients(moto.clientConfig(), 3);
    const consumer = createHandler({ clients, config, log: () => undefined });
    const naive = naiveHandler(clients, config);

    const results: Record<string, { consumer: Awaited<ReturnType<typeof measure>>; naive: Awaited<ReturnType<typeof measure>> }> = {};
    const loads = [
      // Producers flush what they have every second or so: 1-100 events per message.
      { key: 'packed', label: 'packed messages (1-100 events each)', n: events, perMessage: (r: () => number) => () => 1 + Math.floor(r() * 100) },
      { key: 'single', label: 'one event per message', n: Math.max(500, Math.floor(events / 4)), perMessage: () => () => 1 },
    ];
    for (const [i, load] of loads.entries()) {
      const sizes = prng(100 + i);
      const a = workload(10 + i, `${load.key}-c`, load.n, load.perMessage(sizes));
      const sizesB = prng(100 + i);
      const b = workload(10 + i, `${load.key}-n`, load.n, load.perMessage(sizesB));
      console.log(`\n${load.label}: ${load.n} events in ${a.messages} messages, ${a.batches.length} batches of up to 10 messages, 8 apps`);
      const c = await measure('consumer', consumer, clients, a.batches, load.n);
      const nv = await measure('naive', naive, clients, b.batches, load.n);
      console.log(`  naive / consumer billable requests: ${(nv.billablePer1k / c.billablePer1k).toFixed(1)}x   dollars: ${(nv.usdPerMillion / c.usdPerMillion).toFixed(1)}x   throughput: ${(c.eventsPerS / nv.eventsPerS).toFixed(1)}x`);
      results[load.key] = { consumer: c, naive: nv };
    }
    const p = results.packed;
    const s = results.single;
    const r = (x: number) => +x.toFixed(2);
    console.log(
      JSON.stringify({
        bench: 'consumer',
        metrics: {
          events: events,
          consumer_events_per_s: r(p.consumer.eventsPerS),
          naive_events_per_s: r(p.naive.eventsPerS),
          consumer_billable_per_1k_events: r(p.consumer.billablePer1k),
          naive_billable_per_1k_events: r(p.naive.billablePer1k),
          billable_ratio_naive_over_consumer: r(p.naive.billablePer1k / p.consumer.billablePer1k),
          consumer_usd_per_million_events: r(p.consumer.usdPerMillion),
          naive_usd_per_million_events: r(p.naive.usdPerMillion),
          single_event_messages_consumer_billable_per_1k: r(s.consumer.billablePer1k),
          single_event_messages_naive_billable_per_1k: r(s.naive.billablePer1k),
          single_event_messages_billable_ratio: r(s.naive.billablePer1k / s.consumer.billablePer1k),
          single_event_messages_consumer_events_per_s: r(s.consumer.eventsPerS),
          single_event_messages_naive_events_per_s: r(s.naive.eventsPerS),
        },
      }),
    );
  } finally {
    await moto.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
