// Log group listing: one page of DescribeLogGroups at a time, the pipeline's groups first.
// No vscode import, so the integration tests drive it against moto_server.
import { CloudWatchLogsClient, DescribeLogGroupsCommand, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';

export interface LogGroupInfo {
  name: string;
  /** ARN without the trailing `:*`, as StartLiveTail wants it. */
  arn?: string;
  storedBytes?: number;
  retentionDays?: number;
  createdAt?: number;
}

export interface LogGroupPage {
  groups: LogGroupInfo[];
  nextToken?: string;
}

export function toLogGroupInfo(g: LogGroup): LogGroupInfo {
  return {
    name: g.logGroupName ?? '',
    arn: g.logGroupArn ?? g.arn?.replace(/:\*$/, ''),
    storedBytes: g.storedBytes,
    retentionDays: g.retentionInDays,
    createdAt: g.creationTime,
  };
}

/** One page of log groups, optionally under a name prefix. */
export async function fetchLogGroupPage(client: CloudWatchLogsClient, opts: { prefix?: string; nextToken?: string; limit?: number } = {}): Promise<LogGroupPage> {
  const res = await client.send(new DescribeLogGroupsCommand({
    logGroupNamePrefix: opts.prefix || undefined,
    nextToken: opts.nextToken,
    limit: opts.limit ?? 50,
  }));
  return { groups: (res.logGroups ?? []).map(toLogGroupInfo).filter((g) => g.name), nextToken: res.nextToken || undefined };
}

/** The named groups that exist, looked up by exact name (a prefix query each, since there is no "get"). */
export async function fetchNamedGroups(client: CloudWatchLogsClient, names: readonly string[]): Promise<LogGroupInfo[]> {
  const out: LogGroupInfo[] = [];
  for (const name of new Set(names)) {
    const page = await fetchLogGroupPage(client, { prefix: name, limit: 5 });
    const hit = page.groups.find((g) => g.name === name);
    if (hit) out.push(hit);
  }
  return out;
}

/**
 * A log group node's tree id under `prefix`: `group/pipeline/<name>` or `group/all/<name>`, the name encoded
 * (`/` and `#` included), so the pipeline's `x` and a group literally named `pipeline/x` never share an id.
 */
export function logGroupNodeId(prefix: string, name: string, pipeline: boolean): string {
  return `${prefix}group/${pipeline ? 'pipeline' : 'all'}/${encodeURIComponent(name)}`;
}

/**
 * Merges the pipeline's groups (first, in the given order) with a page of other groups, dropping
 * the duplicates, so the pipeline's groups appear once and on top whatever page they are on.
 */
export function pipelineFirst(pipelineGroups: readonly LogGroupInfo[], others: readonly LogGroupInfo[], prefix = ''): { pipeline: LogGroupInfo[]; others: LogGroupInfo[] } {
  const pipeline = pipelineGroups.filter((g) => g.name.startsWith(prefix));
  const names = new Set(pipeline.map((g) => g.name));
  return { pipeline, others: others.filter((g) => !names.has(g.name)) };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}

/** "12 MiB · 30 days" or "0 B · never expires": the tree item's description. */
export function describeLogGroup(g: LogGroupInfo): string {
  const size = g.storedBytes !== undefined ? formatBytes(g.storedBytes) : 'size unknown';
  const retention = g.retentionDays ? `${g.retentionDays} day${g.retentionDays === 1 ? '' : 's'}` : 'never expires';
  return `${size} · ${retention}`;
}
