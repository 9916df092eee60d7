// The consumer's only AWS surface: four SDK clients and the few calls it makes. Clients take an
// endpoint, so tests run the handler in-process against moto_server.
import { gzipSync } from 'node:zlib';
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { PublishRequest } from './alerts';
import type { AppStatus } from './status';

export interface Clients {
  s3: S3Client;
  ddb: DynamoDBDocumentClient;
  sns: SNSClient;
  sqs: SQSClient;
}

export interface ClientOptions {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

/** In Lambda, `createClients()` uses the function's role and region. */
export function createClients(o: ClientOptions = {}): Clients {
  const base = { region: o.region, endpoint: o.endpoint, credentials: o.credentials, maxAttempts: o.maxAttempts };
  return {
    s3: new S3Client({ ...base, forcePathStyle: !!o.endpoint }),
    ddb: DynamoDBDocumentClient.from(new DynamoDBClient(base), { marshallOptions: { removeUndefinedValues: true } }),
    sns: new SNSClient(base),
    sqs: new SQSClient(base),
  };
}

export const isConditionalFailure = (err: unknown) => (err as Error)?.name === 'ConditionalCheckFailedException';

export async function putEventsObject(c: Clients, bucket: string, key: string, lines: string[]): Promise<void> {
  await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(`${lines.join('\n')}\n`), ContentType: 'application/gzip' }));
}

export async function deleteObjects(c: Clients, bucket: string, keys: string[]): Promise<void> {
  if (!keys.length) return;
  const res = await c.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
  if (res.Errors?.length) throw new Error(`could not delete ${res.Errors.map((e) => e.Key).join(', ')}: ${res.Errors[0].Message}`);
}

export async function getStatus(c: Clients, table: string, appId: string): Promise<AppStatus | undefined> {
  const res = await c.ddb.send(new GetCommand({ TableName: table, Key: { appId }, ConsistentRead: true }));
  return res.Item as AppStatus | undefined;
}

/** Writes the whole row if nobody else wrote it since `prevVer` was read. */
export async function putStatus(c: Clients, table: string, next: AppStatus, prevVer: number | undefined): Promise<void> {
  await c.ddb.send(
    new PutCommand({
      TableName: table,
      Item: next,
      ConditionExpression: prevVer === undefined ? 'attribute_not_exists(appId)' : 'ver = :ver',
      ExpressionAttributeValues: prevVer === undefined ? undefined : { ':ver': prevVer },
    }),
  );
}

export async function updateItem(c: Clients, input: UpdateCommandInput): Promise<Record<string, unknown> | undefined> {
  return (await c.ddb.send(new UpdateCommand(input))).Attributes;
}

export async function publish(c: Clients, topicArn: string, req: PublishRequest): Promise<string | undefined> {
  return (await c.sns.send(new PublishCommand({ TopicArn: topicArn, ...req }))).MessageId;
}

export interface DlqEntry {
  messageId: string;
  body: string;
  groupId?: string;
  attributes: Record<string, string>;
}

// SendMessageBatch carries at most 10 entries and 256 KiB in total (bodies plus attributes).
const BATCH_BYTES = 250 * 1024;
const ATTRIBUTE_ALLOWANCE = 2048;

/**
 * Sends malformed messages to the dead-letter queue with their reason as message attributes.
 * Returns the message ids that could not be moved. A body too close to the 256 KiB limit to carry
 * the attributes is moved without them (its reason is still in the consumer's log line).
 */
export async function sendToDlq(c: Clients, dlqUrl: string, entries: DlqEntry[]): Promise<Set<string>> {
  const fifo = dlqUrl.endsWith('.fifo');
  const toEntry = (e: DlqEntry, i: number, withAttributes = true): SendMessageBatchRequestEntry => ({
    Id: `m${i}`,
    MessageBody: e.body,
    MessageGroupId: fifo ? (e.groupId ?? 'malformed') : undefined,
    // A redelivered malformed message is deduplicated by the DLQ instead of appearing twice.
    MessageDeduplicationId: fifo ? e.messageId : undefined,
    MessageAttributes: withAttributes
      ? Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v.slice(0, 1024) || '-' }]))
      : undefined,
  });
  const failed = new Set<string>();
  const single = async (e: DlqEntry, i: number) => {
    const bytes = Buffer.byteLength(e.body, 'utf8');
    try {
      await c.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, ...toEntry(e, i, bytes + ATTRIBUTE_ALLOWANCE <= 256 * 1024) }));
    } catch {
      failed.add(e.messageId);
    }
  };
  let chunk: { e: DlqEntry; i: number }[] = [];
  let bytes = 0;
  const flush = async () => {
    const batch = chunk;
    chunk = [];
    bytes = 0;
    if (!batch.length) return;
    try {
      const res = await c.sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: batch.map(({ e, i }) => toEntry(e, i)) }));
      for (const f of res.Failed ?? []) {
        const item = batch.find(({ i }) => `m${i}` === f.Id);
        if (item) await single(item.e, item.i);
      }
    } catch {
      for (const { e, i } of batch) await single(e, i);
    }
  };
  for (const [i, e] of entries.entries()) {
    const size = Buffer.byteLength(e.body, 'utf8') + ATTRIBUTE_ALLOWANCE;
    if (size > BATCH_BYTES) {
      await single(e, i);
      continue;
    }
    if (chunk.length === 10 || bytes + size > BATCH_BYTES) await flush();
    chunk.push({ e, i });
    bytes += size;
  }
  await flush();
  return failed;
}
