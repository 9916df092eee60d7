// The per-app status row (hot storage) and how a run of events updates it. Pure.
//
// The row is rewritten whole once per app per batch, conditional on its version, so the update is
// computed here rather than in a DynamoDB update expression. It remembers the (hashed) message ids of
// the last run it applied: a run redelivered after its status write succeeded (a crash before Lambda
// deleted the messages) is not counted twice.
import { createHash } from 'node:crypto';
import type { Run } from './batch';
import { ERROR_LEVELS, type Level } from './events';

export type AlertType = 'error' | 'errorRate';
export const ALERT_TYPES: readonly AlertType[] = ['error', 'errorRate'];
export type AlertState = 'ALARM' | 'OK';

/** What the status row remembers of an alert key, to skip writes it knows would be suppressed. */
export interface AlertMirror {
  state: AlertState;
  /** What subscribers were last told, and when. */
  notifiedState?: AlertState;
  notifiedAt?: number;
}

export interface AppStatus {
  appId: string;
  ver: number;
  /** Newest event time seen (epoch ms) and the same as ISO-8601. */
  lastEventAt: number;
  lastEventTime: string;
  /** When the consumer last applied a run (epoch ms). */
  lastIngestAt: number;
  counts: Partial<Record<Level, number>>;
  total: number;
  lastError?: { time: string; level: Level; message: string; messageId: string };
  lastErrorAt?: number;
  /** Consumer time when an error last arrived: an error alert clears a window after it. */
  lastErrorSeenAt?: number;
  /** Fixed window of the error-rate rule (consumer time), and the previous window's count. */
  winStart: number;
  winErrors: number;
  prevWinErrors: number;
  alerts: Partial<Record<AlertType, AlertMirror>>;
  recentMessageIds: string[];
  /** DynamoDB TTL, epoch seconds. */
  expiresAt: number;
}

export interface RunSummary {
  /** Messages of the run not applied before. */
  newMessageIds: string[];
  events: number;
  counts: Partial<Record<Level, number>>;
  errors: number;
  fatal: number;
  lastError?: AppStatus['lastError'] & { at: number };
}

export interface StatusConfig { errorWindowMs: number; statusTtlDays: number }

const LAST_ERROR_MAX = 160;

export function shortId(messageId: string): string {
  return createHash('sha1').update(messageId).digest('hex').slice(0, 16);
}

/** Counts the run's events that the status row has not seen yet. */
export function summarize(prev: AppStatus | undefined, run: Run): RunSummary {
  const seen = new Set(prev?.recentMessageIds ?? []);
  const s: RunSummary = { newMessageIds: [], events: 0, counts: {}, errors: 0, fatal: 0 };
  for (const m of run.messages) {
    if (seen.has(shortId(m.messageId))) continue;
    s.newMessageIds.push(m.messageId);
    for (const ev of m.events) {
      s.events++;
      s.counts[ev.level] = (s.counts[ev.level] ?? 0) + 1;
      if (!ERROR_LEVELS.has(ev.level)) continue;
      s.errors++;
      if (ev.level === 'FATAL') s.fatal++;
      if (!s.lastError || ev.time >= s.lastError.at) {
        s.lastError = { at: ev.time, time: new Date(ev.time).toISOString(), level: ev.level, message: ev.message.slice(0, LAST_ERROR_MAX), messageId: m.messageId };
      }
    }
  }
  return s;
}

/** The new row after a run, or undefined when the run holds nothing new (a full redelivery). */
export function applyRun(prev: AppStatus | undefined, run: Run, summary: RunSummary, now: number, cfg: StatusConfig): AppStatus | undefined {
  if (summary.newMessageIds.length === 0) return undefined;
  const newest = Math.max(prev?.lastEventAt ?? 0, ...run.messages.flatMap((m) => m.events.map((e) => e.time)));
  const counts = { ...(prev?.counts ?? {}) };
  for (const [level, n] of Object.entries(summary.counts) as [Level, number][]) counts[level] = (counts[level] ?? 0) + n;
  const win = rollWindow(prev, now, cfg.errorWindowMs);
  const lastErrorNewer = summary.lastError && (prev?.lastErrorAt === undefined || summary.lastError.at >= prev.lastErrorAt);
  const next: AppStatus = {
    appId: run.appId,
    ver: (prev?.ver ?? 0) + 1,
    lastEventAt: newest,
    lastEventTime: new Date(newest).toISOString(),
    lastIngestAt: now,
    counts,
    total: (prev?.total ?? 0) + summary.events,
    lastError: prev?.lastError,
    lastErrorAt: prev?.lastErrorAt,
    lastErrorSeenAt: summary.errors > 0 ? now : prev?.lastErrorSeenAt,
    winStart: win.winStart,
    winErrors: win.winErrors + summary.errors,
    prevWinErrors: win.prevWinErrors,
    alerts: { ...(prev?.alerts ?? {}) },
    recentMessageIds: run.messages.map((m) => shortId(m.messageId)),
    expiresAt: Math.floor(now / 1000) + cfg.statusTtlDays * 86_400,
  };
  if (lastErrorNewer && summary.lastError) {
    const { at, ...rest } = summary.lastError;
    next.lastError = rest;
    next.lastErrorAt = at;
  }
  return next;
}

/** Moves the fixed window forward to `now`: the current window's count becomes the previous one's. */
export function rollWindow(prev: Pick<AppStatus, 'winStart' | 'winErrors' | 'prevWinErrors'> | undefined, now: number, windowMs: number) {
  const winStart = Math.floor(now / windowMs) * windowMs;
  if (!prev) return { winStart, winErrors: 0, prevWinErrors: 0 };
  if (prev.winStart === winStart) return { winStart, winErrors: prev.winErrors, prevWinErrors: prev.prevWinErrors };
  if (prev.winStart === winStart - windowMs) return { winStart, winErrors: 0, prevWinErrors: prev.winErrors };
  return { winStart, winErrors: 0, prevWinErrors: 0 };
}

/**
 * Errors in the sliding window ending now, estimated from two fixed windows: the previous window's
 * count weighted by how much of it still overlaps, plus the current window's.
 */
export function errorRateEstimate(status: Pick<AppStatus, 'winStart' | 'winErrors' | 'prevWinErrors'>, now: number, windowMs: number): number {
  const w = rollWindow(status, now, windowMs);
  const elapsed = Math.min(1, Math.max(0, (now - w.winStart) / windowMs));
  return w.prevWinErrors * (1 - elapsed) + w.winErrors;
}
