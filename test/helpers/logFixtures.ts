// Log groups with events, created through the CloudWatch Logs API (tests, bench and sandbox).
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutRetentionPolicyCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export async function createLogGroup(logs: CloudWatchLogsClient, name: string, opts: { retentionDays?: number; stream?: string } = {}): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  if (opts.retentionDays) await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: opts.retentionDays }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: opts.stream ?? 'main' }));
}

export async function putEvents(logs: CloudWatchLogsClient, group: string, messages: { message: string; timestamp?: number }[], stream = 'main'): Promise<void> {
  const now = Date.now();
  const events = messages.map((m, i) => ({ message: m.message, timestamp: m.timestamp ?? now + i })).sort((a, b) => a.timestamp - b.timestamp);
  for (let i = 0; i < events.length; i += 1_000) {
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.slice(i, i + 1_000) }));
  }
}

/** A consumer-like JSON log line. */
export function jsonLine(level: string, appId: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, appId, message, ...extra });
}
