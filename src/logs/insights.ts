// Runs a Logs Insights query: StartQuery, then GetQueryResults until it completes. Results come
// back as columns + rows for the shared results grid. No vscode import.
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type ResultField } from '@aws-sdk/client-cloudwatch-logs';
import type { TimeRange } from './timeRange';

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
  for (;;) {
    if (opts.signal?.aborted || Date.now() > deadline) {
      await client.send(new StopQueryCommand({ queryId })).catch(() => undefined);
      throw Object.assign(new Error(opts.signal?.aborted ? 'Query cancelled.' : 'Query timed out.'), { name: opts.signal?.aborted ? 'AbortError' : 'TimeoutError' });
    }
    const res = await client.send(new GetQueryResultsCommand({ queryId }));
    const status = res.status ?? 'Unknown';
    opts.onStatus?.(status);
    if (status === 'Complete' || status === 'Failed' || status === 'Cancelled' || status === 'Timeout') {
      if (status !== 'Complete') throw new Error(`The query ended with status ${status}.`);
      return { queryId, status, ...toGrid(res.results ?? []), statistics: res.statistics };
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1_000));
  }
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
