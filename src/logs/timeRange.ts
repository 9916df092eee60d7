// Relative and absolute time ranges for log searches and Logs Insights headers. Pure.

export interface TimeRange {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  /** How the user wrote it, for titles: "1h", "2025-01-01T00:00Z..2025-01-02T00:00Z". */
  label: string;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The quick choices offered first; anything else is typed. */
export const PRESET_RANGES = ['15m', '1h', '1d'] as const;

/** "15m" → 900000. Accepts s, m, h, d, w, and combinations like "1h30m". undefined if not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!t || !/^(\d+(\.\d+)?[smhdw])+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total > 0 ? Math.round(total) : undefined;
}

function parseInstant(text: string, now: number): number | undefined {
  const t = text.trim();
  if (!t || t.toLowerCase() === 'now') return now;
  const ago = /^(.+?)\s*ago$/i.exec(t);
  if (ago) {
    const d = parseDuration(ago[1]);
    return d === undefined ? undefined : now - d;
  }
  if (/^\d{10}$/.test(t)) return Number(t) * 1000;
  if (/^\d{13}$/.test(t)) return Number(t);
  // Date-only and date-time without zone are read as UTC, as the console does for log times.
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(t) ? `${t}${t.length === 10 ? 'T00:00:00' : ''}Z` : t;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Parses "15m", "1h", "1d" (the last duration up to now), or "START..END" where each side is an
 * ISO-8601 time, epoch seconds/ms, "now" or "2h ago". Throws with a usable message otherwise.
 */
export function parseTimeRange(text: string, now = Date.now()): TimeRange {
  const t = text.trim();
  const d = parseDuration(t);
  if (d !== undefined) return { start: now - d, end: now, label: t };
  const parts = t.split(/\s*\.\.\s*|\s+to\s+/i);
  if (parts.length === 2) {
    const start = parseInstant(parts[0], now);
    const end = parseInstant(parts[1], now);
    if (start === undefined || end === undefined) throw new Error(`Cannot read the time range "${t}".`);
    if (start >= end) throw new Error(`The range "${t}" ends before it starts.`);
    return { start, end, label: t };
  }
  throw new Error(`"${t}" is not a time range: use 15m, 1h, 1d, 2h30m, or START..END (ISO-8601, "now", "2h ago").`);
}

/** Validation message for an input box, or undefined when valid. */
export function validateTimeRange(text: string): string | undefined {
  try {
    parseTimeRange(text);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
