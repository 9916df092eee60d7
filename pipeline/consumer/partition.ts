// Where events land in S3, and what each line looks like. Pure.
import type { PipelineEvent } from './events';

export const DATA_PREFIX = 'events/';

/** Hive partition of an event, in UTC from its own timestamp: year=YYYY/month=MM/day=DD/appid=ID */
export function partitionOf(appId: string, time: number): string {
  const d = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `year=${d.getUTCFullYear()}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}/appid=${appId}`;
}

/**
 * The object key of one partition's events in one batch. It is derived from the SQS message id of
 * the first message of the app's run in the batch: FIFO redelivers a failed run starting with that
 * same message, so a retried batch overwrites its objects instead of adding duplicates.
 */
export function objectKey(partition: string, anchorMessageId: string): string {
  return `${DATA_PREFIX}${partition}/${anchorMessageId}.json.gz`;
}

/** One JSON Lines record; the field names match the Glue table's columns (ts, level, message, fields, metrics, messageid). */
export function toJsonLine(ev: PipelineEvent, messageId: string): string {
  return JSON.stringify({
    ts: new Date(ev.time).toISOString(),
    level: ev.level,
    message: ev.message,
    appId: ev.appId,
    fields: ev.fields,
    metrics: ev.metrics,
    messageid: messageId,
  });
}

export interface PartitionObject {
  key: string;
  partition: string;
  lines: string[];
  events: number;
}

/** Groups a run's events into one object per partition, lines in message then event order. */
export function buildObjects(anchorMessageId: string, messages: { messageId: string; events: PipelineEvent[] }[]): PartitionObject[] {
  const byPartition = new Map<string, PartitionObject>();
  for (const m of messages) {
    for (const ev of m.events) {
      const partition = partitionOf(ev.appId, ev.time);
      let obj = byPartition.get(partition);
      if (!obj) byPartition.set(partition, (obj = { key: objectKey(partition, anchorMessageId), partition, lines: [], events: 0 }));
      obj.lines.push(toJsonLine(ev, m.messageId));
      obj.events++;
    }
  }
  return [...byPartition.values()];
}
