// A filter-pattern search over one group and a time range, with FilterLogEvents, one page at a
// time so the document can offer "Load more". No vscode import.
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { TailEvent } from './tail/tailBuffer';
import type { TimeRange } from './timeRange';

export interface SearchPage {
  events: TailEvent[];
  nextToken?: string;
  /** FilterLogEvents pages can be empty while more remain; how many requests this page took. */
  requests: number;
}

/**
 * Fetches events until `want` are collected or the range is exhausted. FilterLogEvents may return
 * empty pages with a nextToken while it scans streams, so this follows tokens up to `maxRequests`.
 */
export async function searchPage(
  client: CloudWatchLogsClient,
  q: { groupName: string; filterPattern?: string; range: TimeRange; nextToken?: string },
  opts: { want?: number; maxRequests?: number; signal?: AbortSignal } = {},
): Promise<SearchPage> {
  const want = opts.want ?? 500;
  const maxRequests = opts.maxRequests ?? 20;
  const events: TailEvent[] = [];
  let nextToken = q.nextToken;
  let requests = 0;
  do {
    const res = await client.send(new FilterLogEventsCommand({
      logGroupName: q.groupName,
      filterPattern: q.filterPattern || undefined,
      startTime: q.range.start,
      endTime: q.range.end,
      nextToken,
      limit: Math.min(10_000, want - events.length),
    }), { abortSignal: opts.signal });
    requests++;
    for (const e of res.events ?? []) events.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '', stream: e.logStreamName, id: e.eventId });
    nextToken = res.nextToken || undefined;
  } while (nextToken && events.length < want && requests < maxRequests && !opts.signal?.aborted);
  return { events, nextToken, requests };
}
