// The event format the pipeline accepts, and its validation. Pure: no AWS, no I/O.
//
// One SQS message body is one event or a JSON array of events:
//   {"appId":"web","timestamp":"2026-11-21T10:00:00Z","level":"ERROR","message":"db timeout",
//    "route":"/cart","latencyMs":812, "fields":{...}, "metrics":{...}}
// Required: appId, timestamp (ISO-8601 with Z or an offset, or epoch milliseconds), level, message.
// Other top-level keys are optional: numbers become metrics, everything else becomes a string field.
//
// Limits: an SQS message is at most 256 KiB (body plus attributes), and at most
// MAX_EVENTS_PER_MESSAGE events. Every event of a message must belong to one app, which on a FIFO queue
// must equal the message group id (the pipeline relies on one writer per app). Outside data is bounded
// before anything recurses over it: MAX_DEPTH levels of nesting and MAX_KEYS_PER_MESSAGE object keys in
// the whole body, MAX_KEYS_PER_EVENT fields plus metrics per event. parseMessage never throws: any
// failure is a rejection of that message alone.

export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type Level = (typeof LEVELS)[number];
export const ERROR_LEVELS: ReadonlySet<Level> = new Set<Level>(['ERROR', 'FATAL']);

export const MAX_MESSAGE_BYTES = 256 * 1024;
export const MAX_EVENTS_PER_MESSAGE = 500;
/** An app id is also an S3 key segment (appid=ID) and an SQS message group id (max 128). */
export const APP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Partition projection covers these years; a timestamp outside them is almost always epoch seconds or a bug. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2099;
const MAX_KEY_LENGTH = 128;
/** Nesting levels of the body (an array of events with a nested field value is 3 deep). JSON.stringify recurses, so a deeper value could throw RangeError. */
export const MAX_DEPTH = 32;
/** Object keys in the whole body, at any depth: 500 events of 20 keys each. (256 KiB could carry 40,000.) */
export const MAX_KEYS_PER_MESSAGE = 10_000;
/** Fields plus metrics of one event: each is a key of the Athena `fields`/`metrics` maps. */
export const MAX_KEYS_PER_EVENT = 200;

const LEVEL_ALIASES: Record<string, Level> = { WARNING: 'WARN', CRITICAL: 'FATAL', ERR: 'ERROR' };
const RESERVED = new Set(['appId', 'timestamp', 'level', 'message', 'fields', 'metrics']);
// Date-time with a mandatory zone: a zone-less time would be read in the consumer's local zone.
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export interface PipelineEvent {
  appId: string;
  /** Event time, epoch milliseconds (UTC). */
  time: number;
  level: Level;
  message: string;
  fields: Record<string, string>;
  metrics: Record<string, number>;
}

export type RejectCode =
  | 'MALFORMED_JSON' | 'NOT_AN_EVENT' | 'EMPTY' | 'TOO_MANY_EVENTS' | 'TOO_LARGE' | 'TOO_DEEP' | 'TOO_MANY_KEYS' | 'INVALID_FIELD' | 'GROUP_MISMATCH' | 'MIXED_APPS'
  /** Anything else that failed while reading the message: it is the message's failure, not the batch's. */
  | 'UNPROCESSABLE';

export type ParseResult = { ok: true; appId: string; events: PipelineEvent[] } | { ok: false; code: RejectCode; reason: string };

class Rejection extends Error {
  constructor(readonly code: RejectCode, message: string) {
    super(message);
  }
}

/** Parses and validates one SQS message body. `groupId` is the FIFO message group id, when there is one. Never throws. */
export function parseMessage(body: string, groupId?: string): ParseResult {
  try {
    if (typeof body !== 'string') throw new Rejection('NOT_AN_EVENT', 'the message has no text body');
    if (Buffer.byteLength(body, 'utf8') > MAX_MESSAGE_BYTES) throw new Rejection('TOO_LARGE', `message body is over ${MAX_MESSAGE_BYTES} bytes`);
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch (err) {
      throw new Rejection('MALFORMED_JSON', `body is not JSON: ${(err as Error).message}`);
    }
    checkShape(raw);
    const items = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) throw new Rejection('EMPTY', 'the array holds no events');
    if (items.length > MAX_EVENTS_PER_MESSAGE) throw new Rejection('TOO_MANY_EVENTS', `${items.length} events; at most ${MAX_EVENTS_PER_MESSAGE} per message`);
    const events = items.map((item, i) => validateEvent(item, Array.isArray(raw) ? `events[${i}]` : 'event'));
    const appId = events[0].appId;
    const other = events.find((e) => e.appId !== appId);
    if (other) throw new Rejection('MIXED_APPS', `one message carries events of several apps (${appId}, ${other.appId})`);
    if (groupId !== undefined && groupId !== appId) throw new Rejection('GROUP_MISMATCH', `appId ${appId} differs from the message group id ${groupId}`);
    return { ok: true, appId, events };
  } catch (err) {
    if (err instanceof Rejection) return { ok: false, code: err.code, reason: err.message };
    const e = err as Error | undefined;
    return { ok: false, code: 'UNPROCESSABLE', reason: `the message could not be read: ${e?.name ?? 'Error'}: ${String(e?.message ?? err).slice(0, 200)}` };
  }
}

/**
 * Walks the parsed body without recursion (a recursive walk is what a hostile depth breaks) and
 * rejects it past MAX_DEPTH levels or MAX_KEYS_PER_MESSAGE object keys. Stops at the first excess.
 */
export function checkShape(raw: unknown): void {
  const stack: [unknown, number][] = [[raw, 1]];
  let keys = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_DEPTH) throw new Rejection('TOO_DEEP', `the body nests deeper than ${MAX_DEPTH} levels`);
    const children = Array.isArray(v) ? v : Object.values(v);
    if (!Array.isArray(v)) {
      keys += children.length;
      if (keys > MAX_KEYS_PER_MESSAGE) throw new Rejection('TOO_MANY_KEYS', `the body holds more than ${MAX_KEYS_PER_MESSAGE} object keys`);
    }
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
}

/** Validates one event object and normalizes it. Throws a Rejection naming the field. */
export function validateEvent(raw: unknown, where = 'event'): PipelineEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Rejection('NOT_AN_EVENT', `${where} is not a JSON object`);
  const o = raw as Record<string, unknown>;
  const bad = (field: string, why: string) => new Rejection('INVALID_FIELD', `${where}.${field} ${why}`);

  if (o.appId === undefined) throw bad('appId', 'is missing');
  if (typeof o.appId !== 'string' || !APP_ID_PATTERN.test(o.appId)) throw bad('appId', 'must be 1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit');
  if (o.timestamp === undefined) throw bad('timestamp', 'is missing');
  const time = parseTimestamp(o.timestamp);
  if (time === undefined) throw bad('timestamp', 'must be ISO-8601 with a zone (Z or +hh:mm) or epoch milliseconds');
  const year = new Date(time).getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) throw bad('timestamp', `is in ${year}; expected ${MIN_YEAR}-${MAX_YEAR} (epoch seconds instead of milliseconds?)`);
  if (o.level === undefined) throw bad('level', 'is missing');
  const level = parseLevel(o.level);
  if (!level) throw bad('level', `must be one of ${LEVELS.join(', ')}`);
  if (o.message === undefined) throw bad('message', 'is missing');
  if (typeof o.message !== 'string') throw bad('message', 'must be a string');

  const fields: Record<string, string> = {};
  const metrics: Record<string, number> = {};
  if (o.fields !== undefined) {
    if (typeof o.fields !== 'object' || o.fields === null || Array.isArray(o.fields)) throw bad('fields', 'must be an object');
    for (const [k, v] of Object.entries(o.fields)) addField(fields, k, v, () => bad(`fields.${k}`, 'has an over-long name'));
  }
  if (o.metrics !== undefined) {
    if (typeof o.metrics !== 'object' || o.metrics === null || Array.isArray(o.metrics)) throw bad('metrics', 'must be an object');
    for (const [k, v] of Object.entries(o.metrics)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`metrics.${k}`, 'must be a finite number');
      if (k.length > MAX_KEY_LENGTH) throw bad(`metrics.${k}`, 'has an over-long name');
      metrics[k] = v;
    }
  }
  for (const [k, v] of Object.entries(o)) {
    if (RESERVED.has(k) || v === null || v === undefined) continue;
    if (k.length > MAX_KEY_LENGTH) throw bad(k, 'has an over-long name');
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw bad(k, 'must be a finite number');
      metrics[k] = v;
    } else addField(fields, k, v, () => bad(k, 'has an over-long name'));
  }
  const columns = Object.keys(fields).length + Object.keys(metrics).length;
  if (columns > MAX_KEYS_PER_EVENT) throw new Rejection('TOO_MANY_KEYS', `${where} has ${columns} fields and metrics; at most ${MAX_KEYS_PER_EVENT} per event`);
  return { appId: o.appId, time, level, message: o.message, fields, metrics };
}

function addField(fields: Record<string, string>, key: string, value: unknown, tooLong: () => Error): void {
  if (key.length > MAX_KEY_LENGTH) throw tooLong();
  if (value === null || value === undefined) return;
  fields[key] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** ISO-8601 with a zone, or epoch milliseconds. Undefined when neither. */
export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.floor(v) : undefined;
  if (typeof v !== 'string' || !ISO_PATTERN.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

export function parseLevel(v: unknown): Level | undefined {
  if (typeof v !== 'string') return undefined;
  const up = v.trim().toUpperCase();
  return (LEVELS as readonly string[]).includes(up) ? (up as Level) : LEVEL_ALIASES[up];
}
