// What a tail document holds: the newest events up to a cap, rendered one or more lines each,
// with the level of each event known so the editor can colour it. Pure, so it is unit-tested.

export type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface TailEvent {
  timestamp: number;
  message: string;
  stream?: string;
  /** Identifies the event for de-duplication (FilterLogEvents eventId), when known. */
  id?: string;
}

const LEVEL_WORD = /\b(FATAL|CRITICAL|ERROR|ERR|WARNING|WARN|INFO|DEBUG|TRACE)\b/i;
const LEVEL_OF: Record<string, Level> = { fatal: 'fatal', critical: 'fatal', error: 'error', err: 'error', warning: 'warn', warn: 'warn', info: 'info', debug: 'debug', trace: 'trace' };

/** The level of a message: a JSON `level`/`severity` field, else the first level word in it. */
export function detectLevel(message: string): Level | undefined {
  const t = message.trimStart();
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>;
      for (const k of ['level', 'severity', 'lvl', 'levelname', 'log.level']) {
        const v = o[k];
        if (typeof v === 'string' && LEVEL_OF[v.toLowerCase()]) return LEVEL_OF[v.toLowerCase()];
      }
    } catch {
      /* not JSON after all: fall through to the word search */
    }
  }
  const m = LEVEL_WORD.exec(message.slice(0, 400));
  return m ? LEVEL_OF[m[1].toLowerCase()] : undefined;
}

/** The message pretty-printed when it is a JSON object or array, else unchanged. */
export function prettyJson(message: string): string {
  const t = message.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return message;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return message;
  }
}

const TIME_WIDTH = 24; // 2025-01-01T00:00:00.000Z
export const LEVEL_COLUMN = TIME_WIDTH + 2;
const LEVEL_WIDTH = 5;

/** One event as text: `time  LEVEL  [stream]  message`. Multi-line when the message is. */
export function formatEvent(e: TailEvent, level: Level | undefined, opts: { pretty: boolean; showStream: boolean }): string {
  const time = Number.isFinite(e.timestamp) ? new Date(e.timestamp).toISOString() : '?'.padEnd(TIME_WIDTH);
  const lvl = (level ?? '-').toUpperCase().padEnd(LEVEL_WIDTH);
  const msg = (opts.pretty ? prettyJson(e.message) : e.message).replace(/\r?\n$/, '').replace(/\r\n?/g, '\n');
  const stream = opts.showStream && e.stream ? `[${e.stream}]  ` : '';
  return `${time}  ${lvl}  ${stream}${msg}`;
}

/** An event, or (without one) a marker line among the events: where a tail stopped or resumed. */
interface Entry { event?: TailEvent; level: Level | undefined; text: string; lines: number }

export interface LevelSpan { line: number; level: Level }

/**
 * The newest `cap` events. When the cap is exceeded it drops the oldest tenth at once, so most
 * updates only append: VS Code diffs a virtual document's old and new text by common prefix and
 * suffix, and an append keeps the whole prefix, the cursor and the scroll position.
 */
export class TailBuffer {
  private entries: Entry[] = [];
  private notices: string[] = [];
  private pretty = false;
  dropped = 0;
  total = 0;

  /** `trimFraction`: share of the cap dropped at once when it is exceeded (0 drops just the excess). */
  constructor(public cap: number, private readonly showStream = true, private readonly trimFraction = 0.1) {
    if (!(cap >= 1)) this.cap = 1;
  }

  get size(): number { return this.entries.length; }
  get isPretty(): boolean { return this.pretty; }

  /** A line shown above the events (mode, fallback reason, session state). */
  notice(text: string): void { this.notices.push(`# ${text.replace(/\n/g, ' ')}`); }

  push(events: readonly TailEvent[]): void {
    for (const event of events) {
      const level = detectLevel(event.message);
      const text = formatEvent(event, level, { pretty: this.pretty, showStream: this.showStream });
      this.entries.push({ event, level, text, lines: countLines(text) });
    }
    this.total += events.length;
    if (this.entries.length > this.cap) {
      const keep = Math.max(1, Math.floor(this.cap * (1 - this.trimFraction)));
      const drop = this.entries.length - keep;
      this.entries.splice(0, drop);
      this.dropped += drop;
    }
  }

  /** A line among the events, in arrival order (not a header notice): where a tail stopped or resumed. */
  marker(text: string): void {
    this.entries.push({ level: undefined, text: `# ${text.replace(/[\r\n]+/g, ' ')}`, lines: 1 });
  }

  /** The events held (markers left out), oldest first. */
  events(): TailEvent[] {
    return this.entries.flatMap((e) => (e.event ? [e.event] : []));
  }

  setPretty(pretty: boolean): void {
    if (pretty === this.pretty) return;
    this.pretty = pretty;
    for (const e of this.entries) {
      if (!e.event) continue;
      e.text = formatEvent(e.event, e.level, { pretty, showStream: this.showStream });
      e.lines = countLines(e.text);
    }
  }

  /** Set while the tail runs: until an event arrives, the header says it is waiting (a quiet group is not an error). */
  waitingSince?: number;

  private headerLines(): string[] {
    const lines = [...this.notices];
    if (this.total === 0 && this.waitingSince !== undefined) {
      const at = new Date(this.waitingSince).toISOString().slice(11, 19);
      lines.push(`# Waiting for events: none since ${at} UTC. Nothing is wrong: the log group is quiet, and new events appear here as they are written.`);
    }
    if (this.dropped) lines.push(`# ${this.dropped} older event${this.dropped === 1 ? '' : 's'} dropped (cap: ${this.cap} events; setting cloudMonitor.logs.tailMaxEvents)`);
    return lines;
  }

  /** The document text and where each event's level sits (0-based lines). */
  render(): { text: string; spans: LevelSpan[]; markers: { line: number; text: string }[] } {
    const header = this.headerLines();
    const spans: LevelSpan[] = [];
    const markers: { line: number; text: string }[] = [];
    let line = header.length;
    const parts = header.slice();
    for (const e of this.entries) {
      if (e.level) spans.push({ line, level: e.level });
      if (!e.event) markers.push({ line, text: e.text });
      parts.push(e.text);
      line += e.lines;
    }
    return { text: parts.length ? `${parts.join('\n')}\n` : '', spans, markers };
  }
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
