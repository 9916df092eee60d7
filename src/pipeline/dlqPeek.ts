// Peeking at the pipeline's dead-letter queue before a redrive: receive up to 10 messages, hand every one
// back at once (visibility 0), and write them as plain text. Nothing is deleted. No vscode import.
//
// How messages reach the DLQ (templates/pipeline.yaml, pipeline/consumer/handler.ts):
//   - the consumer moves a malformed message there at once, with its reason as message attributes
//     (reasonCode, reason, failedAt, sourceMessageId);
//   - SQS moves a message there after maxReceiveCount receives of the ingest queue (the redrive policy):
//     SQS adds no reason, so the text says how it got there.
// A FIFO queue locks a message group while one of its messages is received, and a receive counts
// (ApproximateReceiveCount goes up by one): the text says so.
import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

/** The message attributes the consumer adds when it moves a malformed message (pipeline/consumer/handler.ts). */
export const CONSUMER_REASON_ATTRIBUTES = ['reasonCode', 'reason', 'failedAt', 'sourceMessageId'] as const;

export interface PeekedMessage {
  messageId: string;
  body: string;
  groupId?: string;
  sequenceNumber?: string;
  /** ApproximateReceiveCount, this peek included. */
  receiveCount?: number;
  sentAt?: Date;
  firstReceivedAt?: Date;
  /** String message attributes (the consumer's reason, or the producer's own). */
  attributes: Record<string, string>;
}

export interface PeekResult {
  queueUrl: string;
  messages: PeekedMessage[];
  /** Messages handed back (visibility 0) right after the peek. */
  released: number;
  /** Messages SQS would not hand back: they become visible again after `holdSeconds`. */
  notReleased: { messageId: string; reason: string }[];
  holdSeconds: number;
  peekedAt: Date;
}

const time = (ms: string | undefined) => (ms && /^\d+$/.test(ms) ? new Date(Number(ms)) : undefined);

function toPeeked(m: Message): PeekedMessage {
  const a = m.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) attributes[k] = v.StringValue ?? (v.BinaryValue ? `(binary, ${v.BinaryValue.length} bytes)` : '');
  return {
    messageId: m.MessageId ?? '',
    body: m.Body ?? '',
    groupId: a.MessageGroupId,
    sequenceNumber: a.SequenceNumber,
    receiveCount: a.ApproximateReceiveCount ? Number(a.ApproximateReceiveCount) : undefined,
    sentAt: time(a.SentTimestamp),
    firstReceivedAt: time(a.ApproximateFirstReceiveTimestamp),
    attributes,
  };
}

/**
 * Receives up to `max` (at most 10) messages from the DLQ, keeping each invisible only until all are in
 * hand, then hands them all back in one ChangeMessageVisibilityBatch (visibility 0), also when a receive
 * fails. `holdSeconds` is the visibility asked for while peeking: the most a message stays hidden (and
 * its FIFO group locked) should the hand-back fail.
 */
export async function peekDlq(sqs: SQSClient, queueUrl: string, opts: { max?: number; holdSeconds?: number; maxReceives?: number; now?: () => number } = {}): Promise<PeekResult> {
  const max = Math.min(10, Math.max(1, opts.max ?? 10));
  const holdSeconds = opts.holdSeconds ?? 30;
  const received: Message[] = [];
  const result: PeekResult = { queueUrl, messages: [], released: 0, notReleased: [], holdSeconds, peekedAt: new Date(opts.now?.() ?? Date.now()) };
  try {
    // A FIFO receive returns messages of as few groups as it can: ask again (the ones in hand stay
    // invisible, so their groups are skipped) until 10 are in hand or the queue has no more to give.
    for (let i = 0; i < (opts.maxReceives ?? 5) && received.length < max; i++) {
      const res = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max - received.length,
          VisibilityTimeout: holdSeconds,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const fresh = (res.Messages ?? []).filter((m) => m.ReceiptHandle && !received.some((r) => r.MessageId === m.MessageId));
      if (!fresh.length) break;
      received.push(...fresh);
    }
  } finally {
    if (received.length) {
      try {
        const res = await sqs.send(
          new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: received.map((m, i) => ({ Id: `p${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) }),
        );
        result.released = res.Successful?.length ?? 0;
        for (const f of res.Failed ?? []) result.notReleased.push({ messageId: received[Number((f.Id ?? '').slice(1))]?.MessageId ?? f.Id ?? '?', reason: `${f.Code ?? 'error'}${f.Message ? `: ${f.Message}` : ''}` });
      } catch (err) {
        for (const m of received) result.notReleased.push({ messageId: m.MessageId ?? '', reason: (err as Error).message ?? String(err) });
      }
    }
  }
  result.messages = received.map(toPeeked);
  return result;
}

/** maxReceiveCount of the ingest queue's redrive policy, or undefined when it has none (or cannot be read). */
export async function maxReceiveCountOf(sqs: SQSClient, ingestQueueUrl: string): Promise<number | undefined> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: ingestQueueUrl, AttributeNames: ['RedrivePolicy'] }))).Attributes ?? {};
  try {
    const n = Number((JSON.parse(a.RedrivePolicy ?? '{}') as { maxReceiveCount?: unknown }).maxReceiveCount);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** How the message reached the DLQ: the consumer's reason, or SQS's redrive after maxReceiveCount receives. */
export function failureReason(m: PeekedMessage, maxReceiveCount: number | undefined): string {
  const { reasonCode, reason } = m.attributes;
  if (reasonCode || reason) return `rejected by the consumer: ${[reasonCode, reason].filter(Boolean).join(': ')}`;
  return `no reason attached: SQS moved it after ${maxReceiveCount ?? 'N'} receives (maxReceiveCount of the ingest queue's redrive policy) without the consumer deleting it`;
}

// C0/C1 controls (but line feed and tab), bidi controls, zero-width and other invisible format characters:
// written as \u{…} so a body cannot reorder or hide what the document shows.
// eslint-disable-next-line no-control-regex
const UNSEEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/g;
export const escapeUnseen = (s: string) => s.replace(UNSEEN, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`);
const oneLine = (s: string) => escapeUnseen(s.replace(/\r\n|\r|\n/g, '\\n').replace(/\t/g, ' '));

/** Nesting depth of a JSON text, counted without parsing (stops counting past `limit`). */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let most = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      most = Math.max(most, ++depth);
      if (most > limit) return most;
    } else if (c === '}' || c === ']') depth--;
  }
  return most;
}

/**
 * A body as text: pretty-printed JSON when it parses (and is not so large or deep that printing it would
 * blow up), else the text itself; cut at `maxChars` with a note saying how much is shown.
 */
export function formatBody(body: string, maxChars = 4000): { kind: 'JSON' | 'text'; text: string; truncated: boolean } {
  let kind: 'JSON' | 'text' = 'text';
  let text = body;
  if (/^\s*[[{]/.test(body) && body.length <= 256 * 1024 && jsonDepth(body, 64) <= 64) {
    try {
      text = JSON.stringify(JSON.parse(body), null, 2);
      kind = 'JSON';
    } catch {
      // Not JSON: shown as it is.
    }
  }
  const truncated = text.length > maxChars;
  const shown = escapeUnseen((truncated ? text.slice(0, maxChars) : text).replace(/\r\n?/g, '\n'));
  return { kind, text: truncated ? `${shown}\n… truncated: ${maxChars.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters shown (${kind === 'JSON' ? 'pretty-printed' : 'as sent'})` : shown, truncated };
}

const utc = (d: Date | undefined) => (d ? `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC` : '-');
const bytes = (s: string) => Buffer.byteLength(s, 'utf8').toLocaleString('en-US');

/** The read-only document a peek shows: a header that says what a peek did, then each message. */
export function formatPeek(r: PeekResult, opts: { stackName: string; maxReceiveCount?: number; depth?: number; maxBodyChars?: number }): string {
  const name = r.queueUrl.replace(/\/+$/, '').split('/').pop() ?? r.queueUrl;
  const n = r.messages.length;
  const lines = [
    `# Dead-letter queue ${oneLine(name)} of ${oneLine(opts.stackName)}: ${n} message${n === 1 ? '' : 's'} peeked${opts.depth !== undefined ? ` (about ${opts.depth} in the queue)` : ''}, ${utc(r.peekedAt)}`,
    '# A peek is a receive: each message\'s receive count went up by one, and its message group was locked while the peek ran.',
    r.notReleased.length
      ? `# ${r.released} handed back at once (visibility 0); ${r.notReleased.length} could not be, and will be visible again within ${r.holdSeconds} s. Nothing was deleted.`
      : `# Every peeked message was handed back at once (visibility 0): nothing was deleted and the order is unchanged.`,
    '# Bodies are shown as text, never run or opened; invisible and bidi characters are written as \\u{…}.',
    '',
  ];
  if (!n) lines.push('The dead-letter queue gave no message (it is empty, or its messages are being received right now).');
  for (const [i, m] of r.messages.entries()) {
    const body = formatBody(m.body, opts.maxBodyChars);
    const extra = Object.entries(m.attributes).filter(([k]) => !(CONSUMER_REASON_ATTRIBUTES as readonly string[]).includes(k));
    lines.push(
      `── ${i + 1} of ${n} · message ${oneLine(m.messageId)} ${'─'.repeat(20)}`,
      `Message group:    ${m.groupId !== undefined ? oneLine(m.groupId) : '- (not a FIFO queue)'}`,
      `Sent:             ${utc(m.sentAt)}`,
      `First received:   ${utc(m.firstReceivedAt)}`,
      `Receive count:    ${m.receiveCount ?? '?'} (ApproximateReceiveCount, this peek included)`,
      `Failure reason:   ${oneLine(failureReason(m, opts.maxReceiveCount))}`,
      ...(m.attributes.failedAt ? [`Failed at:        ${oneLine(m.attributes.failedAt)}`] : []),
      ...(m.attributes.sourceMessageId ? [`Ingest message:   ${oneLine(m.attributes.sourceMessageId)}`] : []),
      ...extra.map(([k, v]) => `Attribute:        ${oneLine(k)} = ${oneLine(v.length > 300 ? `${v.slice(0, 300)}…` : v)}`),
      ...(r.notReleased.some((x) => x.messageId === m.messageId) ? [`Not handed back:  ${oneLine(r.notReleased.find((x) => x.messageId === m.messageId)!.reason)}`] : []),
      `Body (${body.kind}, ${bytes(m.body)} bytes):`,
      body.text,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
