// Reading back what the consumer wrote, and generating events, for tests, the bench and the sandbox.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';

export interface StoredObject {
  key: string;
  lines: Record<string, unknown>[];
}

/** Every object under `prefix`, gunzipped and parsed line by line. */
export async function readEventObjects(s3: S3Client, bucket: string, prefix = 'events/'): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
      const text = gunzipSync(Buffer.from(await body.Body!.transformToByteArray())).toString('utf8');
      out.push({ key: o.Key!, lines: text.split('\n').filter(Boolean).map((l) => JSON.parse(l)) });
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** Receives (and deletes) everything in a queue. */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let empty = 0; empty < 2; ) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    const msgs = r.Messages ?? [];
    if (!msgs.length) {
      empty++;
      continue;
    }
    empty = 0;
    all.push(...msgs);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: msgs.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
  }
  return all;
}

/** Sends bodies to a FIFO queue, 10 per call, in order. */
export async function sendBodies(sqs: SQSClient, queueUrl: string, messages: { body: string; groupId: string }[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((m, k) => ({ Id: `e${k}`, MessageBody: m.body, MessageGroupId: m.groupId })) }));
    if (r.Failed?.length) throw new Error(`send failed: ${r.Failed.map((f) => f.Message).join('; ')}`);
    ids.push(...(r.Successful ?? []).sort((a, b) => Number(a.Id!.slice(1)) - Number(b.Id!.slice(1))).map((s) => s.MessageId!));
  }
  return ids;
}

/** A small deterministic PRNG (mulberry32), so generated data is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROUTES = ['/', '/cart', '/checkout', '/login', '/api/items', '/api/orders', '/search'];
const INFO_MESSAGES = ['request served', 'cache hit', 'user signed in', 'order created', 'job finished', 'connection pool resized'];
const WARN_MESSAGES = ['slow query', 'retrying upstream call', 'cache miss storm', 'deprecated API used'];
const ERROR_MESSAGES = ['database timeout after 5000 ms', 'upstream returned 502', 'payment provider rejected request', 'null reference in CartService.total'];

/** A realistic event: mostly INFO, some DEBUG/WARN, a few ERROR, rare FATAL; route and latency fields. */
export function randomEvent(rand: () => number, appId: string, time: number, seq: number): Record<string, unknown> {
  const r = rand();
  const level = r < 0.002 ? 'FATAL' : r < 0.03 ? 'ERROR' : r < 0.1 ? 'WARN' : r < 0.25 ? 'DEBUG' : 'INFO';
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const message = level === 'ERROR' || level === 'FATAL' ? pick(ERROR_MESSAGES) : level === 'WARN' ? pick(WARN_MESSAGES) : pick(INFO_MESSAGES);
  return {
    appId,
    timestamp: rand() < 0.5 ? new Date(time).toISOString() : time,
    level,
    message: `${message} #${seq}`,
    route: pick(ROUTES),
    status: level === 'ERROR' ? 500 : 200,
    latencyMs: Math.round(5 + rand() * (level === 'WARN' ? 2000 : 300)),
    requestId: `req-${seq.toString(36)}`,
  };
}
