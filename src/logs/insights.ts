// Runs a Logs Insights query: StartQuery, then GetQueryResults until it completes, then every page of
// the results (nextToken). Results come back as columns + rows for the shared results grid. No vscode import.
//
// From the CloudWatch Logs API model: StartQuery's `limit` is 1..100,000 (10,000 when not given);
// GetQueryResults returns at most 10,000 events a call (`maxItems`) and a `nextToken` while more remain.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetQueryResults.html
import {
  CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type GetQueryResultsCommandOutput, type ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import type { TimeRange } from './timeRange';

/** StartQuery's largest `limit`, and so the most rows one query can return. */
export const INSIGHTS_MAX_LIMIT = 100_000;
/** GetQueryResults' largest `maxItems`: events per page. */
export const INSIGHTS_PAGE_MAX = 10_000;

export interface InsightsResult {
  queryId: string;
  status: string;
  columns: string[];
  rows: string[][];
  statistics?: { recordsMatched?: number; recordsScanned?: number; bytesScanned?: number };
}

/** Column order: as the fields first appear, with Logs Insights' hidden @ptr dropped. */
export function toGrid(results: ResultField[][]): { columns: string[]; rows: string[][] } {
  const columns: string[] = [];
  for (const row of results) for (const f of row) if (f.field && f.field !== '@ptr' && !columns.includes(f.field)) columns.push(f.field);
  const rows = results.map((row) => {
    const byName = new Map(row.map((f) => [f.field, f.value ?? '']));
    return columns.map((c) => byName.get(c) ?? '');
  });
  return { columns, rows };
}

export async function runInsightsQuery(
  client: CloudWatchLogsClient,
  q: { groups: string[]; query: string; range: TimeRange; limit?: number },
  opts: { signal?: AbortSignal; pollMs?: number; timeoutMs?: number; onStatus?: (status: string) => void } = {},
): Promise<InsightsResult> {
  const started = await client.send(new StartQueryCommand({
    logGroupNames: q.groups,
    queryString: q.query,
    // StartQuery takes epoch seconds.
    startTime: Math.floor(q.range.start / 1000),
    endTime: Math.ceil(q.range.end / 1000),
    limit: q.limit,
  }));
  const queryId = started.queryId ?? '';
  const deadline = Date.now() + (opts.timeoutMs ?? 15 * 60_000);
  const stopIfAsked = async () => {
    if (opts.signal?.aborted || Date.now() > deadline) {
      await client.send(new StopQueryCommand({ queryId })).catch(() => undefined);
      throw Object.assign(new Error(opts.signal?.aborted ? 'Query cancelled.' : 'Query timed out.'), { name: opts.signal?.aborted ? 'AbortError' : 'TimeoutError' });
    }
  };
  // A running query's results are partial: poll until it completes, then read from the first page.
  let page: GetQueryResultsCommandOutput;
  for (;;) {
    await stopIfAsked();
    page = await client.send(new GetQueryResultsCommand({ queryId, maxItems: INSIGHTS_PAGE_MAX }));
    const status = page.status ?? 'Unknown';
    opts.onStatus?.(status);
    if (status === 'Complete') break;
    if (status === 'Failed' || status === 'Cancelled' || status === 'Timeout') throw new Error(`The query ended with status ${status}.`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1_000));
  }
  const cap = Math.min(q.limit ?? INSIGHTS_MAX_LIMIT, INSIGHTS_MAX_LIMIT);
  const results: ResultField[][] = [...(page.results ?? [])];
  while (page.nextToken && results.length < cap) {
    await stopIfAsked();
    opts.onStatus?.(`Complete: ${results.length.toLocaleString('en-US')} rows read, reading more`);
    page = await client.send(new GetQueryResultsCommand({ queryId, nextToken: page.nextToken, maxItems: Math.min(INSIGHTS_PAGE_MAX, cap - results.length) }));
    for (const row of page.results ?? []) results.push(row);
  }
  return { queryId, status: 'Complete', ...toGrid(results.slice(0, cap)), statistics: page.statistics };
}

/** The grid column kind for a Logs Insights field, judged from its name and values. */
export function inferColumnKind(name: string, values: readonly string[]): 'timestamp' | 'number' | 'json' | 'text' {
  const present = values.filter((v) => v !== '');
  if (name === '@timestamp' || name === '@ingestionTime') return 'timestamp';
  if (present.length && present.every((v) => /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v))) return 'number';
  if (present.length && present.every((v) => /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(v))) return 'timestamp';
  if (present.length && present.every((v) => /^\s*[{[]/.test(v))) return 'json';
  return 'text';
}
