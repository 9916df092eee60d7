// Plays the Lambda SQS poller against a real (moto) queue: receive up to 10 messages, build the event
// Lambda would pass, run the handler in-process, delete what succeeded and make the reported failures
// visible again at once (Lambda would wait out the visibility timeout). moto cannot invoke Lambda
// functions without Docker, so this is how tests, the bench and the sandbox drive the consumer.
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { BatchResponse, SqsEvent, SqsRecord } from '../../pipeline/consumer/batch';

export interface PollResult {
  records: SqsRecord[];
  failed: string[];
}

export function toRecord(m: Message, queueArn: string, region: string): SqsRecord {
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle,
    body: m.Body ?? '',
    attributes: { ...(m.Attributes ?? {}) },
    messageAttributes: m.MessageAttributes ?? {},
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export class SqsPoller {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly queueArn: string,
    private readonly region: string,
  ) {}

  /** One receive + invoke + delete cycle. `settle: false` leaves the messages in flight (a crash before Lambda deletes them). */
  async pollOnce(handle: (e: SqsEvent) => Promise<BatchResponse>, opts: { settle?: boolean; batchSize?: number } = {}): Promise<PollResult> {
    const res = await this.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: opts.batchSize ?? 10, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'], VisibilityTimeout: 60 }),
    );
    const records = (res.Messages ?? []).map((m) => toRecord(m, this.queueArn, this.region));
    if (!records.length) return { records, failed: [] };
    const out = await handle({ Records: records });
    const failed = out.batchItemFailures.map((f) => f.itemIdentifier);
    const ok = records.filter((r) => !failed.includes(r.messageId));
    if (opts.settle === false) return { records, failed };
    if (ok.length) await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: ok.map((r, i) => ({ Id: `d${i}`, ReceiptHandle: r.receiptHandle })) }));
    const retry = records.filter((r) => failed.includes(r.messageId));
    if (retry.length) {
      await this.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: this.queueUrl, Entries: retry.map((r, i) => ({ Id: `v${i}`, ReceiptHandle: r.receiptHandle, VisibilityTimeout: 0 })) }));
    }
    return { records, failed };
  }

  /** Polls until the queue gives nothing `emptyPolls` times in a row. Returns every poll's result. */
  async drain(handle: (e: SqsEvent) => Promise<BatchResponse>, opts: { maxPolls?: number; emptyPolls?: number } = {}): Promise<PollResult[]> {
    const results: PollResult[] = [];
    let empty = 0;
    for (let i = 0; i < (opts.maxPolls ?? 10_000) && empty < (opts.emptyPolls ?? 2); i++) {
      const r = await this.pollOnce(handle);
      if (r.records.length) {
        results.push(r);
        empty = 0;
      } else empty++;
    }
    return results;
  }
}
