// How a batch of SQS records becomes per-app runs, and which records to report as failed. Pure.
//
// FIFO semantics: records of one message group arrive in order, and the group stays blocked while a
// record is in flight. The consumer processes each group's valid records as one run (one S3 object
// per partition, one status write), so a transient failure fails the whole run: the failed record
// and every later record of its group (and the run's earlier records, which share its aggregated
// writes). Other groups go on. Malformed records are moved to the DLQ by the consumer and acknowledged,
// so they never block their group; if that move fails, the group is cut there and everything from that
// record on is reported failed, to be retried in order.
import { parseMessage, type ParseResult, type PipelineEvent } from './events';

export interface SqsRecord {
  messageId: string;
  receiptHandle?: string;
  body: string;
  attributes: { MessageGroupId?: string; SequenceNumber?: string; ApproximateReceiveCount?: string; SentTimestamp?: string; [k: string]: string | undefined };
  messageAttributes?: Record<string, unknown>;
  eventSource?: string;
  eventSourceARN?: string;
  awsRegion?: string;
}
export interface SqsEvent { Records: SqsRecord[] }
export interface BatchItemFailure { itemIdentifier: string }
export interface BatchResponse { batchItemFailures: BatchItemFailure[] }

export interface PlannedRecord {
  record: SqsRecord;
  parsed: ParseResult;
}
export interface GroupPlan {
  /** MessageGroupId; records without one (a standard queue) each form their own group. */
  groupId: string;
  records: PlannedRecord[];
}

export interface Run {
  groupId: string;
  appId: string;
  /** The first record's message id: the object keys derive from it. */
  anchor: string;
  messages: { messageId: string; events: PipelineEvent[] }[];
}

/**
 * Parses every record and groups them by message group, keeping batch order. Never throws: a record
 * that fails to parse for any reason is rejected alone (the consumer moves it to the DLQ), so one
 * hostile message cannot fail the batch and drag other apps' messages into retries.
 */
export function planBatch(records: SqsRecord[]): GroupPlan[] {
  const groups = new Map<string, GroupPlan>();
  for (const record of records) {
    const fifoGroup = record.attributes?.MessageGroupId;
    const groupId = fifoGroup ?? `#${record.messageId}`;
    let g = groups.get(groupId);
    if (!g) groups.set(groupId, (g = { groupId, records: [] }));
    g.records.push({ record, parsed: parseGuarded(record, fifoGroup) });
  }
  return [...groups.values()];
}

function parseGuarded(record: SqsRecord, groupId: string | undefined): ParseResult {
  try {
    return parseMessage(record.body, groupId);
  } catch (err) {
    // parseMessage already turns its own failures into rejections; this is the batch's own guard.
    return { ok: false, code: 'UNPROCESSABLE', reason: `the message could not be read: ${(err as Error)?.name ?? 'Error'}` };
  }
}

/** Index of the first record whose move to the DLQ failed, or the group's length. */
export function cutIndex(group: GroupPlan, dlqFailed: ReadonlySet<string>): number {
  const i = group.records.findIndex((r) => dlqFailed.has(r.record.messageId));
  return i < 0 ? group.records.length : i;
}

/** The group's valid records before the cut, as one run; undefined when there are none. */
export function runOf(group: GroupPlan, dlqFailed: ReadonlySet<string>): Run | undefined {
  const messages: Run['messages'] = [];
  let appId = '';
  for (const r of group.records.slice(0, cutIndex(group, dlqFailed))) {
    if (!r.parsed.ok) continue;
    appId = r.parsed.appId;
    messages.push({ messageId: r.record.messageId, events: r.parsed.events });
  }
  return messages.length ? { groupId: group.groupId, appId, anchor: messages[0].messageId, messages } : undefined;
}

/** The records to report as batch item failures, in batch order. */
export function batchItemFailures(records: SqsRecord[], groups: GroupPlan[], dlqFailed: ReadonlySet<string>, failedGroups: ReadonlySet<string>): BatchItemFailure[] {
  const failed = new Set<string>();
  for (const g of groups) {
    const cut = cutIndex(g, dlqFailed);
    g.records.forEach((r, i) => {
      if (i >= cut || (failedGroups.has(g.groupId) && r.parsed.ok)) failed.add(r.record.messageId);
    });
  }
  return records.filter((r) => failed.has(r.messageId)).map((r) => ({ itemIdentifier: r.messageId }));
}
