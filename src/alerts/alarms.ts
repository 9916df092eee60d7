// CloudWatch alarms in the region, ALARM first. No vscode import.
import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';

export interface AlarmInfo {
  name: string;
  arn?: string;
  state: string;
  reason?: string;
  updatedAt?: number;
  kind: 'metric' | 'composite';
  metric?: string;
}

const ORDER: Record<string, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

export async function fetchAlarms(client: CloudWatchClient, maxItems = 500): Promise<AlarmInfo[]> {
  const out: AlarmInfo[] = [];
  for await (const page of paginateDescribeAlarms({ client }, { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })) {
    for (const a of page.MetricAlarms ?? []) {
      out.push({
        name: a.AlarmName ?? '', arn: a.AlarmArn, state: a.StateValue ?? 'UNKNOWN', reason: a.StateReason,
        updatedAt: a.StateUpdatedTimestamp?.getTime(), kind: 'metric',
        metric: a.MetricName ? `${a.Namespace ?? ''} ${a.MetricName}`.trim() : undefined,
      });
    }
    for (const a of page.CompositeAlarms ?? []) {
      out.push({ name: a.AlarmName ?? '', arn: a.AlarmArn, state: a.StateValue ?? 'UNKNOWN', reason: a.StateReason, updatedAt: a.StateUpdatedTimestamp?.getTime(), kind: 'composite' });
    }
    if (out.length >= maxItems) break;
  }
  return sortAlarms(out);
}

export function sortAlarms(alarms: AlarmInfo[]): AlarmInfo[] {
  return alarms.sort((a, b) => (ORDER[a.state] ?? 3) - (ORDER[b.state] ?? 3) || a.name.localeCompare(b.name));
}
