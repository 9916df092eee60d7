// What the commands on a pipeline do, without the UI: send a test event, redrive the DLQ, empty the
// stack's own buckets before a delete, read the consumer's recent log events, build the Athena query.
// No vscode.
import { randomUUID } from 'node:crypto';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { errorCode } from '../aws/errors';
import { DATABASE_NAME } from '../athena/contextHeader';
import { listResources } from './inspect';
import { APP_ID_PATTERN, parseMessage } from '../../pipeline/consumer/events';

export function sampleEvent(now = Date.now()): Record<string, unknown> {
  return { appId: 'test-app', timestamp: new Date(now).toISOString(), level: 'INFO', message: 'Test event from Cloud Monitor', source: 'vscode' };
}

/** Validates with the consumer's own rules, then sends to the ingest queue (message group = appId). */
export async function sendTestEvent(sqs: SQSClient, queueUrl: string, body: string): Promise<{ messageId: string; appId: string; events: number }> {
  const parsed = parseMessage(body);
  if (!parsed.ok) throw Object.assign(new Error(`Not a valid pipeline event: ${parsed.reason}`), { name: 'InvalidTestEvent' });
  const res = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageGroupId: parsed.appId,
      // Content-based deduplication would drop the same test event sent twice within 5 minutes.
      MessageDeduplicationId: queueUrl.endsWith('.fifo') ? randomUUID() : undefined,
    }),
  );
  return { messageId: res.MessageId ?? '', appId: parsed.appId, events: parsed.events.length };
}

export interface RedriveResult {
  moved: number;
  method: 'StartMessageMoveTask' | 'receive-and-resend';
  /** Why the fallback was used. */
  fallbackReason?: string;
}

/** Errors that mean "this endpoint does not offer message move tasks", not "you may not". */
function moveTaskUnavailable(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  const code = errorCode(err) ?? '';
  return status >= 500 || /UnsupportedOperation|InvalidAction|UnknownOperation|NotImplemented|InvalidParameterValue/i.test(code);
}

/**
 * Moves every message from the DLQ back to the ingest queue with SQS StartMessageMoveTask, waiting
 * for the task; where that is unavailable, receives and resends (keeping each message's group).
 */
export async function redriveDlq(
  sqs: SQSClient,
  q: { dlqUrl: string; dlqArn: string; targetUrl: string; targetArn: string },
  opts: { pollMs?: number; onProgress?: (moved: number) => void } = {},
): Promise<RedriveResult> {
  try {
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, DestinationArn: q.targetArn }));
    for (;;) {
      const tasks = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: q.dlqArn, MaxResults: 1 }))).Results ?? [];
      const t = tasks[0];
      opts.onProgress?.(t?.ApproximateNumberOfMessagesMoved ?? 0);
      if (!t || t.Status === 'COMPLETED') return { moved: t?.ApproximateNumberOfMessagesMoved ?? 0, method: 'StartMessageMoveTask' };
      if (t.Status === 'FAILED' || t.Status === 'CANCELLED') throw new Error(`The message move task ${t.Status.toLowerCase()}: ${t.FailureReason ?? 'no reason given'}`);
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 2000));
    }
  } catch (err) {
    if (!moveTaskUnavailable(err)) throw err;
    const moved = await receiveAndResend(sqs, q, opts.onProgress);
    return { moved, method: 'receive-and-resend', fallbackReason: `${errorCode(err) ?? 'error'}: ${(err as Error).message?.split('\n')[0] ?? ''}` };
  }
}

async function receiveAndResend(sqs: SQSClient, q: { dlqUrl: string; targetUrl: string }, onProgress?: (moved: number) => void): Promise<number> {
  const fifo = q.targetUrl.endsWith('.fifo');
  let moved = 0;
  for (let empty = 0; empty < 2; ) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'], MessageAttributeNames: ['All'], VisibilityTimeout: 60 }));
    const msgs = res.Messages ?? [];
    if (!msgs.length) {
      empty++;
      continue;
    }
    empty = 0;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.targetUrl,
        Entries: msgs.map((m, i) => ({
          Id: `r${i}`,
          MessageBody: m.Body ?? '',
          MessageAttributes: m.MessageAttributes,
          MessageGroupId: fifo ? (m.Attributes?.MessageGroupId ?? 'redrive') : undefined,
          // Not the original content hash: the same body may have been sent within the last 5 minutes.
          MessageDeduplicationId: fifo ? `redrive-${m.MessageId}` : undefined,
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = msgs.filter((_, i) => ok.has(`r${i}`));
    if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: q.dlqUrl, Entries: done.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    moved += done.length;
    onProgress?.(moved);
    if (sent.Failed?.length) throw new Error(`Moved ${moved} messages, then SQS refused ${sent.Failed.length}: ${sent.Failed[0].Message ?? sent.Failed[0].Code}`);
  }
  return moved;
}

/**
 * The buckets Delete Pipeline may empty: the physical ids of the stack's own AWS::S3::Bucket
 * resources. Never a name from its outputs: an output is any text the template chose, and may name a
 * bucket the stack does not own.
 */
export async function stackBuckets(cf: CloudFormationClient, stackName: string): Promise<string[]> {
  const resources = await listResources(cf, stackName);
  return resources.filter((r) => r.ResourceType === 'AWS::S3::Bucket' && r.PhysicalResourceId && r.ResourceStatus !== 'DELETE_COMPLETE').map((r) => r.PhysicalResourceId!);
}

export interface BucketContents { objects: number; versions: number; deleteMarkers: number; /** Counting stopped at the cap. */ capped: boolean }

/**
 * What emptying the buckets would destroy: current objects, all their versions (current ones
 * included) and delete markers. Stops counting at `cap` entries, to keep the question quick.
 */
export async function countBucketContents(s3: S3Client, buckets: string[], cap = 100_000): Promise<BucketContents> {
  const out: BucketContents = { objects: 0, versions: 0, deleteMarkers: 0, capped: false };
  for (const bucket of buckets) {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
      for (const v of page.Versions ?? []) {
        out.versions++;
        if (v.IsLatest) out.objects++;
      }
      out.deleteMarkers += page.DeleteMarkers?.length ?? 0;
      if (out.versions + out.deleteMarkers >= cap) {
        out.capped = page.IsTruncated === true || buckets.indexOf(bucket) < buckets.length - 1;
        if (out.capped) return out;
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
  }
  return out;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "1,204 objects (1,310 versions, 3 delete markers)": what the destructive button names. */
export function describeContents(c: BucketContents): string {
  const more = c.capped ? 'over ' : '';
  const extra = [plural(c.versions, 'version'), ...(c.deleteMarkers ? [plural(c.deleteMarkers, 'delete marker')] : [])].join(', ');
  return `${more}${plural(c.objects, 'object')} (${more}${extra})`;
}

/** Deletes every object version in each bucket, so CloudFormation can delete the buckets. Returns the count. */
export async function emptyBuckets(s3: S3Client, buckets: string[], onProgress?: (deleted: number) => void): Promise<number> {
  let deleted = 0;
  for (const bucket of buckets) {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId && v.VersionId !== 'null' ? v.VersionId : undefined }));
      for (let i = 0; i < objects.length; i += 1000) {
        const res = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(i, i + 1000), Quiet: true } }));
        if (res.Errors?.length) throw new Error(`Could not delete ${res.Errors[0].Key} from ${bucket}: ${res.Errors[0].Message}`);
        deleted += objects.slice(i, i + 1000).length;
        onProgress?.(deleted);
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
  }
  return deleted;
}

/** The consumer log group's events of the last `minutes`, oldest first (at most `limit`). */
export async function recentLogEvents(logs: CloudWatchLogsClient, group: string, minutes = 60, limit = 500, now = Date.now()): Promise<FilteredLogEvent[]> {
  const out: FilteredLogEvent[] = [];
  let token: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: now - minutes * 60_000, endTime: now, nextToken: token, limit: Math.min(10_000, limit - out.length) }));
    out.push(...(page.events ?? []));
    token = page.nextToken;
  } while (token && out.length < limit);
  return out.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}

export function formatLogEvents(group: string, events: FilteredLogEvent[], minutes: number): string {
  const head = `# ${group}: last ${minutes} min, ${events.length} event${events.length === 1 ? '' : 's'}\n`;
  return head + events.map((e) => `${new Date(e.timestamp ?? 0).toISOString()}  ${(e.message ?? '').trimEnd()}`).join('\n') + '\n';
}

/** App ids that have a status row (a small table: one row per app). */
export async function listApps(ddb: DynamoDBClient, statusTable: string, limit = 200): Promise<string[]> {
  const apps: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: statusTable, ProjectionExpression: 'appId', ExclusiveStartKey: start }));
    // Only ids the consumer accepts: the one picked goes into a query (and a quick pick renders $(icon)).
    for (const item of page.Items ?? []) if (item.appId?.S && APP_ID_PATTERN.test(item.appId.S)) apps.push(item.appId.S);
    start = page.LastEvaluatedKey as typeof start;
  } while (start && apps.length < limit);
  return apps.sort();
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * A ready query on the projected table: appid is injected, so it needs an equality filter; year, month
 * and day (UTC, zero-padded strings) keep the scan to one partition.
 */
export function athenaQuery(database: string, table: string, appId: string, day = new Date()): string {
  // The names come from the stack's outputs: only the shapes the template makes go into SQL.
  for (const [what, name] of [['database', database], ['table', table]]) {
    if (!DATABASE_NAME.test(name)) throw new Error(`Not a Glue ${what} name this pipeline makes: ${JSON.stringify(name.slice(0, 80))}`);
  }
  // The app id is quoted in the WHERE clause; a line break would end the comment it is also named in.
  if ([...appId].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '\u2028' || c === '\u2029')) throw new Error('An app id has no control characters or line breaks.');
  const y = String(day.getUTCFullYear());
  const m = String(day.getUTCMonth() + 1).padStart(2, '0');
  const d = String(day.getUTCDate()).padStart(2, '0');
  return [
    `-- Pipeline events of ${appId} on ${y}-${m}-${d} (UTC). appid must be an equality filter (injected partition projection);`,
    '-- year/month/day limit the scan to one partition. Ctrl+Enter (Cmd+Enter) runs the statement.',
    'SELECT ts, level, message, fields, metrics',
    `FROM "${database}"."${table}"`,
    `WHERE appid = ${sqlString(appId)} AND year = ${sqlString(y)} AND month = ${sqlString(m)} AND day = ${sqlString(d)}`,
    'ORDER BY ts DESC',
    'LIMIT 100;',
    '',
  ].join('\n');
}
