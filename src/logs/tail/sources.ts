// Where tail events come from: CloudWatch Logs Live Tail (StartLiveTail, an event stream), or,
// where that is not served (moto_server and other local emulators), FilterLogEvents polling.
// No vscode import: the streaming path is tested with a mocked event stream, the polling path
// against moto_server.
import { CloudWatchLogsClient, FilterLogEventsCommand, SessionTimeoutException, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { errorCode } from '../../aws/errors';
import { copyLedger } from '../../billing/middleware';
import type { TailEvent } from './tailBuffer';
import { describeBackfill, fetchBackfill, TailSeam } from './backfill';

export type TailMode = 'auto' | 'liveTail' | 'poll';

export interface TailTarget {
  groupName: string;
  /** Needed by StartLiveTail, which takes ARNs. */
  groupArn: string;
  filterPattern?: string;
}

export interface TailSink {
  events(events: TailEvent[]): void;
  notice(text: string): void;
  /** Live Tail's session has started (its sessionStart arrived): from here on it delivers what is ingested. */
  sessionStarted?(): void;
}

export interface PollOptions {
  intervalMs?: number;
  /** Where the first poll's window ends its look-back (default: now minus backfillMs). */
  startCursor?: number;
  /** eventId → timestamp of events already shown (by a back-fill), so the first polls skip them. */
  seen?: Map<string, number>;
  /** How far back to start, so the document is not empty while waiting for the next event. */
  backfillMs?: number;
  /** Events can be ingested late: each poll looks back this far and de-duplicates. */
  lookbackMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export class TailStoppedError extends Error {
  override name = 'AbortError';
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new TailStoppedError('stopped'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TailStoppedError('stopped'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Thrown when Live Tail could not even start, so the caller may fall back to polling. */
export class LiveTailUnavailableError extends Error {
  override name = 'LiveTailUnavailable';
  constructor(readonly reason: string, cause?: unknown, hint?: string) {
    super(`Live Tail is not available: ${reason}.${hint ? ` ${hint}` : ''}`, { cause });
  }
}

/**
 * Streams a Live Tail session into `sink` until the signal aborts or the session ends (Live Tail
 * sessions end after 3 hours: then it returns 'timeout'). Errors before the session starts become
 * LiveTailUnavailableError. See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartLiveTail.html
 *
 * SessionTimeoutException and SessionStreamingException are members of the response stream in the
 * API model, but the SDK never yields them as items: its event-stream deserializer throws an
 * exception message from the iterator (@smithy/core event-streams, getMessageUnmarshaller). So the
 * timeout arrives here as a thrown SessionTimeoutException.
 */
export async function streamLiveTail(client: CloudWatchLogsClient, target: TailTarget, sink: TailSink, signal: AbortSignal): Promise<'timeout' | 'stopped' | 'ended'> {
  let started = false;
  const live = liveTailClient(client);
  try {
    const res = await live.client.send(
      new StartLiveTailCommand({ logGroupIdentifiers: [target.groupArn], logEventFilterPattern: target.filterPattern || undefined }),
      { abortSignal: signal },
    );
    if (!res.responseStream) throw new LiveTailUnavailableError('the response carried no event stream');
    for await (const item of res.responseStream) {
      if (signal.aborted) return 'stopped';
      if (item.sessionStart) {
        started = true;
        sink.sessionStarted?.();
        sink.notice(`Live Tail session ${item.sessionStart.sessionId ?? ''} started${target.filterPattern ? ` with filter ${target.filterPattern}` : ''}.`);
      } else if (item.sessionUpdate) {
        if (!started) sink.sessionStarted?.();
        started = true;
        const results = item.sessionUpdate.sessionResults ?? [];
        if (item.sessionUpdate.sessionMetadata?.sampled) sink.notice('Live Tail is sampling: more than 500 events a second match, so some are not shown.');
        if (results.length) {
          sink.events(results.map((r) => ({ timestamp: r.timestamp ?? Date.now(), message: r.message ?? '', stream: r.logStreamName })));
        }
      }
    }
    return signal.aborted ? 'stopped' : 'ended';
  } catch (err) {
    if (signal.aborted) return 'stopped';
    if (err instanceof SessionTimeoutException || (err as { name?: string })?.name === 'SessionTimeoutException') {
      sink.notice(`Live Tail session ended: ${(err as Error).message || 'timed out after 3 hours'}.`);
      return 'timeout';
    }
    if (!started && !(err instanceof LiveTailUnavailableError)) {
      const override = await endpointOverride(client);
      throw override
        ? new LiveTailUnavailableError(`the endpoint override ${override} does not serve StartLiveTail (${shortReason(err)})`, err, 'Set cloudMonitor.logs.tailMode to "auto" or "poll" to tail by polling FilterLogEvents.')
        : new LiveTailUnavailableError(describe(err), err);
    }
    throw err;
  } finally {
    live.dispose();
  }
}

/**
 * StartLiveTail carries the API model's host prefix `stream-`: the SDK sends it to
 * stream-<endpoint host>, which an endpoint override (moto, LocalStack, 127.0.0.1) does not answer, and
 * the result is a bare DNS error (ENOTFOUND stream-127.0.0.1). With an override, Live Tail goes to the
 * override itself: a client like the given one, with the host prefix off.
 */
function liveTailClient(client: CloudWatchLogsClient): { client: CloudWatchLogsClient; dispose(): void } {
  const c = client.config;
  if (!c.isCustomEndpoint || c.disableHostPrefix) return { client, dispose: () => undefined };
  const prefixless = new CloudWatchLogsClient({ region: c.region, credentials: c.credentials, endpoint: c.endpoint, maxAttempts: c.maxAttempts, disableHostPrefix: true });
  // Its session minutes go into the billing ledger like the factory's client's calls.
  copyLedger(client, prefixless);
  return { client: prefixless, dispose: () => prefixless.destroy() };
}

/** The override's URL, if the client has one. */
async function endpointOverride(client: CloudWatchLogsClient): Promise<string | undefined> {
  if (!client.config.isCustomEndpoint || !client.config.endpoint) return undefined;
  try {
    const e = await client.config.endpoint();
    return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path && e.path !== '/' ? e.path : ''}`;
  } catch {
    return 'in the settings';
  }
}

/** HTTP 500, or the error's code: the emulator's own answer (an HTML page) means nothing here. */
function shortReason(err: unknown): string {
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return status ? `HTTP ${status}` : errorCode(err) ?? (err as { code?: string })?.code ?? 'no answer';
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  return [e?.name, e?.code, e?.message].filter((x) => x && x !== 'Error').join(': ') || String(err);
}

/**
 * Polls FilterLogEvents until the signal aborts. Each poll re-reads a short look-back window so
 * late-ingested events are not missed, and drops the ones already shown (by eventId).
 */
export async function pollTail(client: CloudWatchLogsClient, target: TailTarget, sink: TailSink, signal: AbortSignal, opts: PollOptions = {}): Promise<'stopped'> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const interval = opts.intervalMs ?? 2_000;
  const lookback = opts.lookbackMs ?? 30_000;
  let cursor = opts.startCursor ?? now() - (opts.backfillMs ?? 0);
  /** eventId → timestamp of what has been shown and may still be inside the look-back window. */
  const seen = new Map(opts.seen ?? []);
  while (!signal.aborted) {
    const startTime = Math.max(0, cursor - lookback);
    let nextToken: string | undefined;
    const fresh: TailEvent[] = [];
    do {
      let res;
      try {
        res = await client.send(new FilterLogEventsCommand({
          logGroupName: target.groupName,
          filterPattern: target.filterPattern || undefined,
          startTime,
          nextToken,
          limit: 1_000,
        }), { abortSignal: signal });
      } catch (err) {
        // Stopping the tail while a request is in flight aborts it: that is a stop, not a failure.
        if (signal.aborted) return 'stopped';
        throw err;
      }
      for (const e of res.events ?? []) {
        const id = e.eventId ?? `${e.timestamp}|${e.logStreamName}|${e.message}`;
        if (seen.has(id)) continue;
        seen.set(id, e.timestamp ?? 0);
        fresh.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '', stream: e.logStreamName, id });
      }
      nextToken = res.nextToken || undefined;
    } while (nextToken && !signal.aborted);
    if (fresh.length) {
      fresh.sort((a, b) => a.timestamp - b.timestamp);
      sink.events(fresh);
      cursor = Math.max(cursor, fresh[fresh.length - 1].timestamp);
    }
    for (const [id, ts] of seen) if (ts < startTime) seen.delete(id);
    try {
      await sleep(interval, signal);
    } catch {
      break;
    }
  }
  return 'stopped';
}

export interface TailBackfillOptions {
  /** Events from here on are back-filled before the live ones. */
  startTime: number;
  /** How the document names the range ("from the last 5 minutes", "from the gap"). */
  what: string;
  cap?: number;
  /** FilterLogEvents requests and page size of the back-fill (backfill.ts defaults: 20 and 1,000). */
  maxRequests?: number;
  pageSize?: number;
  /** Events already in the document (a resumed tail): not shown again. */
  alreadyShown?: readonly TailEvent[];
}

/**
 * Tails with the chosen mode. 'auto' tries Live Tail and falls back to polling when it cannot
 * start, and says so in the document. With `backfill`, the document first gets the events since
 * `backfill.startTime` (FilterLogEvents): for Live Tail, read once the session has started, merged with
 * what it streamed meanwhile (TailSeam); for polling, read first, the polls then continuing from it.
 */
export async function runTail(
  client: CloudWatchLogsClient,
  target: TailTarget,
  sink: TailSink,
  signal: AbortSignal,
  opts: { mode: TailMode; poll?: PollOptions; onMode?: (mode: 'liveTail' | 'poll') => void; backfill?: TailBackfillOptions; now?: () => number },
): Promise<'timeout' | 'stopped' | 'ended'> {
  const now = opts.now ?? Date.now;
  const bf = opts.backfill;
  const readBackfill = async (seam: TailSeam): Promise<{ ids: Map<string, number>; readAt: number }> => {
    const readAt = now();
    const ids = new Map<string, number>();
    let events: TailEvent[] = [];
    try {
      const got = await fetchBackfill(client, target, { startTime: bf!.startTime, cap: bf!.cap, maxRequests: bf!.maxRequests, pageSize: bf!.pageSize, now }, signal);
      events = got.events;
      for (const e of events) if (e.id) ids.set(e.id, e.timestamp);
      if (!signal.aborted) for (const line of describeBackfill(got, bf!.startTime, bf!.what)) sink.notice(line);
    } catch (err) {
      if (!signal.aborted) sink.notice(`No back-fill: FilterLogEvents failed (${shortReason(err)}: ${(err as Error)?.message ?? ''}). Live events follow.`);
    }
    seam.complete(events, readAt);
    return { ids, readAt };
  };
  const poll = async () => {
    opts.onMode?.('poll');
    if (!bf) return pollTail(client, target, sink, signal, opts.poll);
    const seam = new TailSeam(sink, bf.alreadyShown);
    const { ids, readAt } = await readBackfill(seam);
    if (signal.aborted) return 'stopped' as const;
    // The polls go on from where the back-fill was read; their look-back skips what it showed (by eventId).
    return pollTail(client, target, { ...sink, events: (e) => seam.live(e) }, signal, { ...opts.poll, startCursor: readAt, seen: ids });
  };
  const live = async () => {
    opts.onMode?.('liveTail');
    if (!bf) return streamLiveTail(client, target, sink, signal);
    const seam = new TailSeam(sink, bf.alreadyShown);
    let reading: Promise<unknown> | undefined;
    const liveSink: TailSink = {
      events: (e) => seam.live(e),
      notice: (t) => sink.notice(t),
      // Read the back-fill only once the session delivers: whatever is ingested from then on comes live.
      sessionStarted: () => {
        sink.sessionStarted?.();
        reading ??= readBackfill(seam);
      },
    };
    try {
      return await streamLiveTail(client, target, liveSink, signal);
    } finally {
      // A session that ends (or stops) while the back-fill is read still shows it, with what streamed.
      if (reading) await reading;
    }
  };
  if (opts.mode === 'poll') {
    sink.notice(`Polling FilterLogEvents every ${(opts.poll?.intervalMs ?? 2000) / 1000} s (setting cloudMonitor.logs.tailMode is "poll").`);
    return poll();
  }
  try {
    return await live();
  } catch (err) {
    if (!(err instanceof LiveTailUnavailableError) || opts.mode === 'liveTail') throw err;
    sink.notice(`Live Tail is not available here (${err.reason}). Falling back to polling FilterLogEvents every ${(opts.poll?.intervalMs ?? 2000) / 1000} s instead: events appear a few seconds later than with Live Tail.`);
    return poll();
  }
}
