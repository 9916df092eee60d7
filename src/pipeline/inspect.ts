// Finding pipeline stacks and reading their health: resources, outputs, events, queue depths and the
// consumer's metrics. No vscode import.
import { CloudFormationClient, DescribeStackEventsCommand, ListStackResourcesCommand, type Stack, type StackEvent, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { OnPage } from '../tree/firstPage';
import { stackPageReadOf, type StackPageSource } from '../aws/stackPages';
import { hasPipelineTag, readOutputs, type PipelineOutputKey, type PipelineOutputs } from './stack';

export interface PipelineStack {
  name: string;
  id: string;
  status: string;
  statusReason?: string;
  updatedAt?: Date;
  outputs: Partial<PipelineOutputs>;
  parameters: Record<string, string>;
  /** DescribeStacks' DriftInformation: the last drift detection's result and time. */
  drift?: { status: string; checkedAt?: Date };
}

export function toPipelineStack(s: Stack): PipelineStack {
  return {
    name: s.StackName ?? '',
    id: s.StackId ?? '',
    status: s.StackStatus ?? 'UNKNOWN',
    statusReason: s.StackStatusReason,
    updatedAt: s.LastUpdatedTime ?? s.CreationTime,
    outputs: readOutputs(s.Outputs).outputs,
    parameters: Object.fromEntries((s.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? ''])),
    drift: s.DriftInformation?.StackDriftStatus ? { status: s.DriftInformation.StackDriftStatus, checkedAt: s.DriftInformation.LastCheckTimestamp } : undefined,
  };
}

/**
 * Every stack in the region that carries the pipeline tag (deleted stacks excluded), by name. CloudFormation
 * cannot filter by tag, so this reads every DescribeStacks page (through `source`: a client, or a read shared
 * with other views, src/aws/stackPages.ts); `onPage` gets the stacks so far (by name) after each page that more
 * pages follow, so a view can show them meanwhile (src/tree/firstPage.ts).
 */
export async function listPipelineStacks(source: StackPageSource, onPage?: OnPage<PipelineStack>): Promise<PipelineStack[]> {
  const out: PipelineStack[] = [];
  const byName = (a: PipelineStack, b: PipelineStack) => a.name.localeCompare(b.name);
  await stackPageReadOf(source)((stacks, more) => {
    for (const s of stacks) if (hasPipelineTag(s.Tags) && s.StackStatus !== 'DELETE_COMPLETE') out.push(toPipelineStack(s));
    if (more) onPage?.([...out].sort(byName));
    // The Pipeline view draws from the first page that brought a stack.
    return out.length > 0;
  });
  return out.sort(byName);
}

export async function listResources(cf: CloudFormationClient, stackName: string): Promise<StackResourceSummary[]> {
  const out: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cf.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    out.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

export async function recentEvents(cf: CloudFormationClient, stackName: string, limit = 25): Promise<StackEvent[]> {
  const page = await cf.send(new DescribeStackEventsCommand({ StackName: stackName }));
  return (page.StackEvents ?? []).slice(0, limit);
}

/** The template's logical ids behind each output, for stacks that report no (or not all) outputs. */
const FROM_RESOURCE: Partial<Record<PipelineOutputKey, string>> = {
  IngestQueueUrl: 'IngestQueue',
  DeadLetterQueueUrl: 'DeadLetterQueue',
  InboxQueueUrl: 'InboxQueue',
  DataBucketName: 'DataBucket',
  ResultsBucketName: 'ResultsBucket',
  StatusTableName: 'StatusTable',
  AlertStateTableName: 'AlertStateTable',
  AlertTopicArn: 'AlertTopic',
  ConsumerLogGroupName: 'ConsumerLogGroup',
  ConsumerFunctionName: 'ConsumerFunction',
};

export const queueArnFromUrl = (url: string, region: string, accountId: string) => {
  const parts = url.replace(/\/+$/, '').split('/');
  return `arn:aws:sqs:${region}:${parts[parts.length - 2] || accountId}:${parts[parts.length - 1]}`;
};
export const queueNameFromUrl = (url: string) => url.replace(/\/+$/, '').split('/').pop() ?? url;

/**
 * The pipeline's names: the stack's outputs, completed from its resources' physical ids where an
 * output is missing (a stack still being created, or an emulator that does not report outputs).
 */
export function resolveEndpoints(stack: PipelineStack, resources: StackResourceSummary[], region: string, accountId: string): Partial<PipelineOutputs> {
  const out: Partial<PipelineOutputs> = { ...stack.outputs };
  const physical = new Map(resources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
  for (const [key, logical] of Object.entries(FROM_RESOURCE) as [PipelineOutputKey, string][]) {
    if (!out[key] && physical.get(logical)) out[key] = physical.get(logical);
  }
  // Names the template derives from the stack name (see its Outputs).
  out.WorkGroupName ??= stack.name;
  out.GlueDatabaseName ??= `cloud_monitor_${stack.name.replace(/-/g, '_')}`;
  out.GlueTableName ??= 'events';
  out.AlertStateIndexName ??= 'by-state';
  if (!out.IngestQueueArn && out.IngestQueueUrl) out.IngestQueueArn = queueArnFromUrl(out.IngestQueueUrl, region, accountId);
  if (!out.DeadLetterQueueArn && out.DeadLetterQueueUrl) out.DeadLetterQueueArn = queueArnFromUrl(out.DeadLetterQueueUrl, region, accountId);
  return out;
}

export interface QueueFigures { visible: number; inFlight: number }
export interface ConsumerFigures {
  invocations?: number;
  errors?: number;
  throttles?: number;
  p95DurationMs?: number;
  /** Latest ApproximateAgeOfOldestMessage of the ingest queue, seconds. */
  oldestMessageAgeS?: number;
}

export async function queueFigures(sqs: SQSClient, url: string): Promise<QueueFigures> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};
  return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

/** One GetMetricData request per stack: the consumer's last hour, and the ingest queue's oldest message age. */
export function metricQueries(functionName: string | undefined, ingestQueueName: string | undefined): MetricDataQuery[] {
  const q: MetricDataQuery[] = [];
  const lambda = (id: string, metric: string, stat: string): MetricDataQuery => ({
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: functionName }] }, Period: 3600, Stat: stat },
    ReturnData: true,
  });
  if (functionName) q.push(lambda('invocations', 'Invocations', 'Sum'), lambda('errors', 'Errors', 'Sum'), lambda('throttles', 'Throttles', 'Sum'), lambda('p95', 'Duration', 'p95'));
  if (ingestQueueName) {
    q.push({
      Id: 'oldest',
      MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: ingestQueueName }] }, Period: 300, Stat: 'Maximum' },
      ReturnData: true,
    });
  }
  return q;
}

/** Sums over the hour for counts, the latest value for the rest. Absent series stay undefined. */
export function readMetricResults(results: MetricDataResult[]): ConsumerFigures {
  const byId = new Map(results.map((r) => [r.Id, r]));
  const sum = (id: string) => {
    const r = byId.get(id);
    return r ? (r.Values ?? []).reduce((a, b) => a + b, 0) : undefined;
  };
  const latest = (id: string) => {
    const r = byId.get(id);
    if (!r?.Values?.length) return undefined;
    const i = (r.Timestamps ?? []).reduce((best, t, k, all) => (t > all[best] ? k : best), 0);
    return r.Values[i];
  };
  return { invocations: sum('invocations'), errors: sum('errors'), throttles: sum('throttles'), p95DurationMs: latest('p95'), oldestMessageAgeS: latest('oldest') };
}

export async function consumerFigures(cw: CloudWatchClient, endpoints: Partial<PipelineOutputs>, now = Date.now()): Promise<ConsumerFigures> {
  const queries = metricQueries(endpoints.ConsumerFunctionName, endpoints.IngestQueueUrl ? queueNameFromUrl(endpoints.IngestQueueUrl) : undefined);
  if (!queries.length) return {};
  try {
    return readMetricResults(await getMetricData(cw, queries, now));
  } catch (err) {
    // A server error on the percentile series (some CloudWatch-compatible endpoints cannot compute
    // percentiles) must not hide the other figures: ask again without it, and show no p95.
    if (((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0) < 500) throw err;
    return readMetricResults(await getMetricData(cw, queries.filter((q) => q.Id !== 'p95'), now));
  }
}

async function getMetricData(cw: CloudWatchClient, queries: MetricDataQuery[], now: number): Promise<MetricDataResult[]> {
  const results: MetricDataResult[] = [];
  let token: string | undefined;
  do {
    const page = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(now - 3_600_000), EndTime: new Date(now), NextToken: token }));
    for (const r of page.MetricDataResults ?? []) {
      const prev = results.find((x) => x.Id === r.Id);
      if (prev) {
        prev.Values = [...(prev.Values ?? []), ...(r.Values ?? [])];
        prev.Timestamps = [...(prev.Timestamps ?? []), ...(r.Timestamps ?? [])];
      } else results.push(r);
    }
    token = page.NextToken;
  } while (token);
  return results;
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function describeQueue(role: 'ingest' | 'dlq' | 'inbox', f: QueueFigures, c?: ConsumerFigures): string {
  if (role === 'dlq') return f.visible > 0 ? `${f.visible} in the DLQ` : 'DLQ empty';
  if (role === 'inbox') return `${f.visible} notification${f.visible === 1 ? '' : 's'} waiting`;
  const parts = [`${f.visible} waiting`, `${f.inFlight} in flight`];
  if (c?.oldestMessageAgeS !== undefined) parts.push(`oldest ${formatAge(c.oldestMessageAgeS)}`);
  return parts.join(' · ');
}

export function describeConsumer(c: ConsumerFigures): string {
  if (c.invocations === undefined) return 'no metrics in the last hour';
  const parts = [`${c.invocations} invocations`, `${c.errors ?? 0} errors`, `${c.throttles ?? 0} throttles`];
  if (c.p95DurationMs !== undefined) parts.push(`p95 ${Math.round(c.p95DurationMs)} ms`);
  return `${parts.join(' · ')} (1 h)`;
}
