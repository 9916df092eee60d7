// Turning cell text into numbers for sorting, filtering and charts. Pure: no vscode, no DOM.
import type { Cell, ColumnKind } from './protocol';

/** Kinds sorted and compared as numbers. */
export function isNumericKind(kind: ColumnKind): boolean {
  return kind === 'number' || kind === 'timestamp' || kind === 'date' || kind === 'boolean';
}

/**
 * Milliseconds since the epoch for Athena-style date/time text: `2024-01-31`, `2024-01-31 12:00:00.000`,
 * `2024-01-31 12:00:00.000 UTC`, ISO-8601 with T/Z/offset. Zone-less values are taken as UTC,
 * which is how Athena writes timestamps. NaN when unparseable.
 */
export function parseTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) {
    const t = Date.parse(text);
    return Number.isFinite(t) ? t : Number.NaN;
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'UTC') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (z) t -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  return t;
}

/** A cell as a number for its column kind; NaN for NULL or text that is not one. */
export function numericValue(kind: ColumnKind, cell: Cell): number {
  if (cell === null || cell === '') return Number.NaN;
  switch (kind) {
    case 'number': return Number(cell);
    case 'timestamp': case 'date': return parseTime(cell);
    case 'boolean': return cell === 'true' ? 1 : cell === 'false' ? 0 : Number.NaN;
    default: return Number(cell);
  }
}

/** Sniffs a kind from sample values, for sources without type metadata (e.g. CSV without types). */
export function guessKind(samples: Cell[]): ColumnKind {
  const values = samples.filter((s): s is string => s !== null && s !== '');
  if (!values.length) return 'text';
  if (values.every((v) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v))) return 'number';
  if (values.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v))) return 'date';
  if (values.every((v) => /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(v) && Number.isFinite(parseTime(v)))) return 'timestamp';
  if (values.every((v) => v === 'true' || v === 'false')) return 'boolean';
  return 'text';
}
