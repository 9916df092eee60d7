// A tail starts with the last few minutes of events (FilterLogEvents), then continues live, with no
// duplicate and no gap at the seam: the live source starts first, the back-fill is read after it has
// started, and events both bring are shown once (issue 14). No vscode import.
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { TailEvent } from './tailBuffer';
import type { TailSink, TailTarget } from './sources';

/** At most this many events are back-filled (the newest); the document says how many older ones were skipped. */
export const BACKFILL_MAX_EVENTS = 1_000;
/** FilterLogEvents pages read for one back-fill, at most (1,000 events a page at most). */
export const BACKFILL_MAX_REQUESTS = 20;

export interface BackfillRequest {
  startTime: number;
  /** At most this many (newest) events are kept. */
  cap?: number;
  /** FilterLogEvents requests for the whole back-fill, at most. */
  maxRequests?: number;
  /** Events a FilterLogEvents page asks for (1,000, the most AWS gives). */
  pageSize?: number;
  now?: () => number;
}

export interface Backfill {
  /** Oldest first, at most `cap`. */
  events: TailEvent[];
  /** Older events in the range that are not shown (at least this many, when olderSkippedUntil is set). */
  skipped: number;
  /**
   * Set when the window held more than the request budget reads: the back-fill read its newest part, from
   * this time on; older events in the window were skipped (`skipped` of them read and dropped, more unread).
   */
  olderSkippedUntil?: number;
  /** Set when even the newest part did not fit the budget: events after this time were not read. */
  readUntil?: number;
  /** FilterLogEvents requests sent. */
  requests: number;
}

/**
 * Live Tail's events carry no eventId, FilterLogEvents' do: the two sources meet on what both carry.
 * Two events with the same millisecond, stream and message are taken to be the same event.
 */
export function seamKey(e: Pick<TailEvent, 'timestamp' | 'stream' | 'message'>): string {
  return `${e.timestamp}|${e.stream ?? ''}|${e.message}`;
}

/** FilterLogEvents from startTime on, oldest first, for at most `budget` pages; `more` when the pages ran out first. */
async function readPages(client: CloudWatchLogsClient, target: TailTarget, startTime: number, budget: number, pageSize: number, signal: AbortSignal): Promise<{ events: TailEvent[]; requests: number; more: boolean }> {
  const events: TailEvent[] = [];
  let nextToken: string | undefined;
  let requests = 0;
  do {
    const res = await client.send(new FilterLogEventsCommand({
      logGroupName: target.groupName,
      filterPattern: target.filterPattern || undefined,
      startTime: Math.max(0, Math.floor(startTime)),
      nextToken,
      limit: pageSize,
    }), { abortSignal: signal });
    requests++;
    for (const e of res.events ?? []) events.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '', stream: e.logStreamName, id: e.eventId ?? seamKey({ timestamp: e.timestamp ?? 0, stream: e.logStreamName, message: e.message ?? '' }) });
    nextToken = res.nextToken || undefined;
  } while (nextToken && requests < budget && !signal.aborted);
  events.sort((a, b) => a.timestamp - b.timestamp);
  return { events, requests, more: !!nextToken };
}

/**
 * The events of [startTime, now] (FilterLogEvents, paged), the newest `cap` of them, oldest first.
 * FilterLogEvents reads oldest first, and a tail wants the newest: half the request budget reads from
 * startTime; if that does not reach the end, the other half reads again from where the rate seen so far puts
 * the newest events (room for twice `cap`), and the result says that older events in the window were skipped.
 */
export async function fetchBackfill(client: CloudWatchLogsClient, target: TailTarget, req: BackfillRequest, signal: AbortSignal): Promise<Backfill> {
  const cap = req.cap ?? BACKFILL_MAX_EVENTS;
  const maxRequests = Math.max(2, req.maxRequests ?? BACKFILL_MAX_REQUESTS);
  const pageSize = req.pageSize ?? 1_000;
  const end = (req.now ?? Date.now)();
  const first = await readPages(client, target, req.startTime, Math.floor(maxRequests / 2), pageSize, signal);
  if (!first.more || signal.aborted) {
    const skipped = Math.max(0, first.events.length - cap);
    return { events: first.events.slice(skipped), skipped, requests: first.requests };
  }
  const readTo = first.events.at(-1)?.timestamp ?? req.startTime;
  const perMs = first.events.length / Math.max(1, readTo - req.startTime);
  const from = Math.min(end, Math.max(readTo + 1, Math.floor(end - (2 * cap) / Math.max(perMs, 1e-9))));
  const second = await readPages(client, target, from, maxRequests - first.requests, pageSize, signal);
  const kept = Math.max(0, second.events.length - cap);
  return {
    events: second.events.slice(kept),
    skipped: first.events.length + kept,
    olderSkippedUntil: from,
    readUntil: second.more ? second.events.at(-1)?.timestamp ?? from : undefined,
    requests: first.requests + second.requests,
  };
}

const hms = (t: number) => new Date(t).toISOString().slice(11, 19);

/** What a back-fill says in the document: how much it brought, and what it left out. */
export function describeBackfill(b: Backfill, from: number, what: string): string[] {
  const lines = [`Back-filled ${b.events.length} event${b.events.length === 1 ? '' : 's'} ${what} (FilterLogEvents from ${hms(b.olderSkippedUntil ?? from)} UTC); live events follow.`];
  if (b.olderSkippedUntil !== undefined) lines.push(`Older events ${what} were skipped: those from ${hms(from)} to ${hms(b.olderSkippedUntil)} UTC (more than ${b.skipped}) did not fit the ${b.requests} FilterLogEvents requests a back-fill may send, so it shows the newest ${b.events.length}. Search the log group to see them all.`);
  else if (b.skipped) lines.push(`${b.skipped} older event${b.skipped === 1 ? '' : 's'} ${what} skipped: the back-fill shows the newest ${b.events.length}. Search the log group to see them all.`);
  if (b.readUntil !== undefined) lines.push(`The back-fill stopped after ${b.requests} FilterLogEvents requests: events between ${hms(b.readUntil)} UTC and the start of the live events were not read. Search the log group for them.`);
  return lines;
}

/**
 * Joins a back-fill and a live source into one sink. Live events that arrive while the back-fill is
 * read are held; when it completes, both are merged in time order with the overlap dropped. Later live
 * events that repeat a back-filled or already shown one are dropped too (only those old enough to be
 * in the overlap are remembered, so the memory stays bounded).
 */
export class TailSeam {
  private held: TailEvent[] | undefined = [];
  private readonly seen = new Set<string>();
  /** Live events newer than this cannot repeat a back-filled one. */
  private horizon = Infinity;

  constructor(private readonly sink: TailSink, alreadyShown: Iterable<TailEvent> = []) {
    for (const e of alreadyShown) this.seen.add(seamKey(e));
  }

  get completed(): boolean { return this.held === undefined; }

  live(events: TailEvent[]): void {
    if (this.held) {
      this.held.push(...events);
      return;
    }
    const fresh = this.drop(events);
    if (fresh.length) this.sink.events(fresh);
  }

  /** The back-fill is in (or failed: pass []): shows it with the held live events, once each, in time order. */
  complete(backfill: readonly TailEvent[], readAt: number, lookbackMs = 60_000): void {
    if (!this.held) return;
    const held = this.held;
    this.held = undefined;
    const merged = this.drop([...backfill, ...held]).sort((a, b) => a.timestamp - b.timestamp);
    this.horizon = readAt + lookbackMs;
    if (merged.length) this.sink.events(merged);
  }

  private drop(events: readonly TailEvent[]): TailEvent[] {
    const out: TailEvent[] = [];
    for (const e of events) {
      const key = seamKey(e);
      if (this.seen.has(key)) continue;
      if (e.timestamp <= this.horizon) this.seen.add(key);
      out.push(e);
    }
    return out;
  }
}
