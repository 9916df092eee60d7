// Export and copy of a result set's current view, as text chunks the host streams to a file or
// the clipboard. Pure: no vscode.
import { encodeRow, type Cell } from './csv';
import type { ResultColumn } from './protocol';
import type { ResultSet } from './resultSet';

/** Copies larger than this are cut, so the clipboard is not handed hundreds of megabytes. */
export const MAX_COPY_ROWS = 100_000;

/** CSV as Athena writes it (header, NULL unquoted-empty) or a JSON array of objects; chunks of about `chunkChars`. */
export function* exportChunks(rs: ResultSet, format: 'csv' | 'json', chunkChars = 1 << 18): Generator<string> {
  let buf = '';
  const names = rs.columns.map((c) => c.name);
  if (format === 'csv') {
    buf = encodeRow(names);
    for (const row of rs.viewRows()) {
      buf += encodeRow(row);
      if (buf.length >= chunkChars) {
        yield buf;
        buf = '';
      }
    }
  } else {
    buf = '[';
    let first = true;
    for (const row of rs.viewRows()) {
      buf += `${first ? '\n' : ',\n'}${jsonRow(rs.columns, names, row)}`;
      first = false;
      if (buf.length >= chunkChars) {
        yield buf;
        buf = '';
      }
    }
    buf += first ? ']\n' : '\n]\n';
  }
  if (buf) yield buf;
}

function jsonRow(columns: ResultColumn[], names: string[], row: Cell[]): string {
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) obj[names[i]] = jsonValue(columns[i].kind, row[i]);
  return JSON.stringify(obj);
}

/** Numbers and booleans become JSON numbers and booleans when that loses nothing (big integers stay text). */
export function jsonValue(kind: ResultColumn['kind'], cell: Cell): unknown {
  if (cell === null) return null;
  if (kind === 'number') {
    const n = Number(cell);
    return Number.isFinite(n) && String(n) === cell ? n : cell;
  }
  if (kind === 'boolean' && (cell === 'true' || cell === 'false')) return cell === 'true';
  return cell;
}

/** Tab-separated text of view rows [from, to] (inclusive) and the given columns, as spreadsheets paste it. */
export function copyText(rs: ResultSet, from: number, to: number, columns?: number[], header = false): { text: string; rows: number; truncated: boolean } {
  const cols = columns?.length ? columns.filter((c) => c >= 0 && c < rs.columns.length) : rs.columns.map((_, i) => i);
  const lo = Math.max(0, Math.min(from, to));
  const last = Math.min(rs.viewInfo().total - 1, Math.max(from, to));
  const hi = Math.min(last, lo + MAX_COPY_ROWS - 1);
  const lines: string[] = [];
  if (header) lines.push(cols.map((c) => tsvField(rs.columns[c].name)).join('\t'));
  let rows = 0;
  for (const row of rs.viewRows(lo, hi + 1)) {
    lines.push(cols.map((c) => tsvField(row[c])).join('\t'));
    rows++;
  }
  // A single cell copies as its plain value.
  if (!header && rows === 1 && cols.length === 1) {
    const only = [...rs.viewRows(lo, lo + 1)][0][cols[0]];
    return { text: only ?? '', rows, truncated: false };
  }
  return { text: lines.join('\n'), rows, truncated: rows < last - lo + 1 };
}

function tsvField(v: Cell): string {
  if (v === null) return '';
  return /[\t\n\r"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
