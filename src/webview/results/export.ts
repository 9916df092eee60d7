// Export and copy of a result set's current view, as text chunks the host streams to a file or
// the clipboard. Pure: no vscode.
import { encodeRow, encodeSpreadsheetSafeRow, spreadsheetSafe, type Cell } from './csv';
import type { ResultColumn } from './protocol';
import type { ResultSet } from './resultSet';

/** Copies larger than this are cut, so the clipboard is not handed hundreds of megabytes. */
export const MAX_COPY_ROWS = 100_000;

/**
 * What an export writes. 'csv' is safe for spreadsheets (formula-like cells get a leading ', see
 * spreadsheetSafe), 'csv-exact' is every value as it is; 'json' is always exact (no spreadsheet opens it).
 */
export type ExportFormat = 'csv' | 'csv-exact' | 'json';

/**
 * CSV as Athena writes it (header, NULL unquoted-empty) as UTF-8 buffers of about `chunkBytes`, or a
 * JSON array of objects as text chunks of about that many characters.
 */
export function* exportChunks(rs: ResultSet, format: ExportFormat, chunkBytes = 1 << 18): Generator<string | Buffer> {
  if (format !== 'json') {
    yield* csvChunks(rs, format === 'csv', chunkBytes);
    return;
  }
  const names = rs.columns.map((c) => c.name);
  let buf = '[';
  let first = true;
  for (const row of rs.viewRows()) {
    buf += `${first ? '\n' : ',\n'}${jsonRow(rs.columns, names, row)}`;
    first = false;
    if (buf.length >= chunkBytes) {
      yield buf;
      buf = '';
    }
  }
  buf += first ? ']\n' : '\n]\n';
  yield buf;
}

/**
 * Writes the current view with `write`, awaiting each chunk before the next is made: CSV chunks are
 * then made in one buffer, reused. A new buffer a chunk (exportChunks) is memory outside V8's heap that
 * waits for a garbage collection: hundreds of MB over a large export, which the extension host holds
 * until V8 gets to it. `stop` is asked before each chunk; a true ends the export (the caller says why).
 * Returns the bytes (CSV) or characters (JSON) written.
 */
export async function exportTo(rs: ResultSet, format: ExportFormat, write: (chunk: string | Buffer) => Promise<unknown>, opts: { chunkBytes?: number; stop?: (written: number) => boolean } = {}): Promise<number> {
  const chunkBytes = opts.chunkBytes ?? 1 << 18;
  const chunks = format === 'json' ? exportChunks(rs, format, chunkBytes) : csvChunks(rs, format === 'csv', chunkBytes, true);
  let written = 0;
  for (const chunk of chunks) {
    if (opts.stop?.(written)) return written;
    await write(chunk);
    written += chunk.length;
  }
  return written;
}

/**
 * Rows whose stored line is already what the export writes are copied as bytes (RowStore.copyLine:
 * from the spill file straight into the chunk); only the others are decoded and encoded. A sorted view
 * of a spilled result is then one small read per row, with no strings made. With `reuse`, every chunk
 * is in the same buffer: the caller is done with a chunk when it asks for the next.
 */
function* csvChunks(rs: ResultSet, safe: boolean, chunkBytes: number, reuse = false): Generator<Buffer> {
  const encode = safe ? encodeSpreadsheetSafeRow : encodeRow;
  const store = rs.store;
  const size = Math.max(chunkBytes, 1 << 16);
  let out = Buffer.allocUnsafe(size);
  const fresh = (bytes: number) => (reuse && out.length >= bytes ? out : Buffer.allocUnsafe(bytes));
  let at = out.write(encode(rs.columns.map((c) => c.name)));
  const total = rs.viewInfo().total;
  const row: Cell[] = [];
  for (let v = 0; v < total; v++) {
    const r = rs.rowAt(v);
    let n = store.copyLine(r, out, at, safe);
    if (n < 0) {
      // Not in the exported form (or a long row near the end of the chunk): encode it.
      const line = encode(store.row(r, row));
      const bytes = Buffer.byteLength(line);
      if (at + bytes > out.length) {
        if (at) yield out.subarray(0, at);
        out = fresh(Math.max(size, bytes));
        at = 0;
      }
      n = out.write(line, at);
    }
    at += n;
    if (at >= size - 4096) {
      yield out.subarray(0, at);
      out = fresh(size);
      at = 0;
    }
  }
  if (at) yield out.subarray(0, at);
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

/**
 * Tab-separated text of view rows [from, to] (inclusive) and the given columns, as spreadsheets paste it.
 * Exact values unless `spreadsheetSafe` (the "Copy for Spreadsheet" button): the clipboard also goes
 * to editors, terminals and SQL, where a leading ' would change the value.
 */
export function copyText(rs: ResultSet, from: number, to: number, columns?: number[], opts: { header?: boolean; spreadsheetSafe?: boolean } = {}): { text: string; rows: number; truncated: boolean } {
  const header = opts.header ?? false;
  const field = opts.spreadsheetSafe ? (v: Cell) => tsvField(v === null ? null : spreadsheetSafe(v)) : tsvField;
  const cols = columns?.length ? columns.filter((c) => c >= 0 && c < rs.columns.length) : rs.columns.map((_, i) => i);
  const lo = Math.max(0, Math.min(from, to));
  const last = Math.min(rs.viewInfo().total - 1, Math.max(from, to));
  const hi = Math.min(last, lo + MAX_COPY_ROWS - 1);
  const lines: string[] = [];
  if (header) lines.push(cols.map((c) => field(rs.columns[c].name)).join('\t'));
  let rows = 0;
  for (const row of rs.viewRows(lo, hi + 1)) {
    lines.push(cols.map((c) => field(row[c])).join('\t'));
    rows++;
  }
  // A single cell copies as its plain value.
  if (!header && rows === 1 && cols.length === 1) {
    const only = [...rs.viewRows(lo, lo + 1)][0][cols[0]];
    return { text: only === null ? '' : opts.spreadsheetSafe ? spreadsheetSafe(only) : only, rows, truncated: false };
  }
  return { text: lines.join('\n'), rows, truncated: rows < last - lo + 1 };
}

function tsvField(v: Cell): string {
  if (v === null) return '';
  return /[\t\n\r"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
