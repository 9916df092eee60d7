// CSV as Athena writes it (RFC 4180): every non-null value is quoted, a doubled quote escapes a quote,
// fields may hold newlines, and an UNQUOTED empty field is NULL while "" is the empty string.
// Unquoted non-empty fields (other writers) are accepted as text. Pure: no vscode, no DOM.
//
// Parsing is split in two so a million-row result stays cheap to hold:
//   CsvRowScanner  finds row boundaries incrementally (quote-aware), chunk by chunk;
//   decodeRow      turns one row's text into cells, only when a row is shown, sorted or exported.

export type Cell = string | null;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** A run of complete rows: `text` holds them back to back; row i spans starts[i] .. starts[i+1] (or text.length). */
export interface RowBlock {
  text: string;
  starts: number[];
}

/**
 * Incremental, quote-aware row splitter. push() text in any pieces (a chunk may end inside a quoted
 * field, or between \r and \n); it returns the complete rows seen so far and carries the rest.
 */
export class CsvRowScanner {
  private carry = '';
  private pending: string[] = [];
  private pendingLength = 0;
  private emitted = false;

  /**
   * Chunks shorter than `minBlockChars` are gathered first, so blocks are few and large; the first
   * block goes out as soon as it holds `firstBlockChars`, so the first rows show without waiting.
   */
  constructor(private readonly minBlockChars = 1 << 20, private readonly firstBlockChars = 1 << 14) {}

  push(chunk: string): RowBlock | undefined {
    if (!chunk) return undefined;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength < (this.emitted ? this.minBlockChars : Math.min(this.minBlockChars, this.firstBlockChars))) return undefined;
    const block = this.flush(false);
    if (block) this.emitted = true;
    return block;
  }

  /** Call at end of input: returns the remaining rows, including a last row without a newline. */
  end(): RowBlock | undefined {
    return this.flush(true);
  }

  private flush(final: boolean): RowBlock | undefined {
    const text = this.carry + this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    const starts: number[] = [];
    const n = text.length;
    let rowStart = 0;
    // Jump over quoted text with indexOf (a doubled quote closes and reopens, which is the same
    // thing); only the few characters between fields are looked at one by one.
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        const close = text.indexOf('"', i + 1);
        if (close < 0) break; // the row continues in the next chunk
        i = close + 1;
      } else if (c === LF) {
        starts.push(rowStart);
        rowStart = ++i;
      } else {
        i++;
      }
    }
    let complete = rowStart;
    if (final && rowStart < n) {
      starts.push(rowStart);
      complete = n;
    }
    this.carry = text.slice(complete);
    if (!starts.length) return undefined;
    return { text: complete === n ? text : text.slice(0, complete), starts };
  }
}

/** A run of complete rows as UTF-8 bytes: row i spans starts[i] .. starts[i+1] (or bytes.length). Valid until the scanner is pushed to again. */
export interface ByteRowBlock {
  bytes: Buffer;
  starts: number[];
}

/**
 * CsvRowScanner over UTF-8 bytes, for rows that go straight to a spill file: no string is made. The
 * bytes are gathered in one buffer, reused, and each byte is looked at once (the quote state carries
 * from one push to the next). Quotes and newlines are ASCII, and no byte of a multi-byte UTF-8
 * character is, so a byte scan splits rows exactly where the text scan does.
 */
export class CsvByteScanner {
  private buf = Buffer.allocUnsafe(0);
  /** Bytes held; scanned up to; the current (incomplete) row's start; whether inside quotes. */
  private held = 0;
  private scanned = 0;
  private rowStart = 0;
  private quoted = false;
  private starts: number[] = [];
  /** Bytes handed out in the last block, dropped at the next push. */
  private handedOut = 0;
  private emitted = false;
  private first = true;

  constructor(private readonly minBlockBytes = 1 << 16, private readonly firstBlockBytes = 1 << 14) {}

  push(chunk: Uint8Array): ByteRowBlock | undefined {
    this.compact();
    let from = 0;
    if (this.first && chunk.length) {
      this.first = false;
      // A UTF-8 byte order mark is not part of the first row (TextDecoder drops it too).
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) from = 3;
    }
    const n = chunk.length - from;
    if (!n) return undefined;
    if (this.buf.length < this.held + n) {
      const bigger = Buffer.allocUnsafe(Math.max(this.held + n, this.buf.length * 2, this.minBlockBytes * 2));
      this.buf.copy(bigger, 0, 0, this.held);
      this.buf = bigger;
    }
    this.buf.set(from ? chunk.subarray(from) : chunk, this.held);
    this.held += n;
    this.scan();
    return this.rowStart >= (this.emitted ? this.minBlockBytes : Math.min(this.minBlockBytes, this.firstBlockBytes)) ? this.block() : undefined;
  }

  /** Call at end of input: the remaining rows, including a last row without a newline. */
  end(): ByteRowBlock | undefined {
    this.compact();
    if (this.rowStart < this.held) {
      this.starts.push(this.rowStart);
      this.rowStart = this.held;
    }
    return this.starts.length ? this.block() : undefined;
  }

  private scan(): void {
    const buf = this.buf;
    const held = this.held;
    let i = this.scanned;
    while (i < held) {
      if (this.quoted) {
        const close = buf.indexOf(QUOTE, i);
        if (close < 0 || close >= held) {
          i = held;
          break;
        }
        this.quoted = false;
        i = close + 1;
        continue;
      }
      const c = buf[i++];
      if (c === QUOTE) this.quoted = true;
      else if (c === LF) {
        this.starts.push(this.rowStart);
        this.rowStart = i;
      }
    }
    this.scanned = i;
  }

  private block(): ByteRowBlock | undefined {
    if (!this.starts.length) return undefined;
    const block = { bytes: this.buf.subarray(0, this.rowStart), starts: this.starts };
    this.starts = [];
    this.handedOut = this.rowStart;
    this.emitted = true;
    return block;
  }

  /** Moves the incomplete row to the front once its block has been used. */
  private compact(): void {
    const k = this.handedOut;
    if (!k) return;
    this.buf.copy(this.buf, 0, k, this.held);
    this.held -= k;
    this.scanned -= k;
    this.rowStart -= k;
    this.handedOut = 0;
  }
}

/**
 * Decodes the row spanning text[start, end) (a trailing \n or \r\n is ignored) into `out`, and
 * returns the number of cells. `out` is reused by hot loops to avoid allocation.
 */
export function decodeRow(text: string, start: number, end: number, out: Cell[] = []): Cell[] {
  if (end > start && text.charCodeAt(end - 1) === LF) end--;
  if (end > start && text.charCodeAt(end - 1) === CR) end--;
  let k = 0;
  let i = start;
  if (start === end) {
    out.length = 0;
    return out;
  }
  for (;;) {
    if (i >= end) {
      // The row ended right after a comma: a last NULL field.
      out[k++] = null;
      break;
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let close = text.indexOf('"', i + 1);
      if (close < 0 || close >= end) close = end; // unterminated: take the rest
      let value = text.slice(i + 1, close);
      while (close + 1 < end && text.charCodeAt(close + 1) === QUOTE) {
        let next = text.indexOf('"', close + 2);
        if (next < 0 || next >= end) next = end;
        value += `"${text.slice(close + 2, next)}`;
        close = next;
      }
      out[k++] = value;
      // Skip to the comma after the closing quote (tolerates junk between them).
      let j = close + 1;
      while (j < end && text.charCodeAt(j) !== COMMA) j++;
      if (j >= end) break;
      i = j + 1;
    } else if (c === COMMA) {
      out[k++] = null;
      i++;
    } else {
      let j = i;
      while (j < end && text.charCodeAt(j) !== COMMA) j++;
      out[k++] = text.slice(i, j);
      if (j >= end) break;
      i = j + 1;
    }
  }
  out.length = k;
  return out;
}

/**
 * The k-th field of a row without decoding the others (for sorting and filtering by one column).
 * Returns undefined when the row has fewer fields.
 */
export function fieldAt(text: string, start: number, end: number, k: number): Cell | undefined {
  if (end > start && text.charCodeAt(end - 1) === LF) end--;
  if (end > start && text.charCodeAt(end - 1) === CR) end--;
  let i = start;
  // Skip k fields.
  for (let f = 0; f < k; f++) {
    if (i >= end) return undefined;
    if (text.charCodeAt(i) === QUOTE) {
      let close = text.indexOf('"', i + 1);
      while (close >= 0 && close + 1 < end && text.charCodeAt(close + 1) === QUOTE) close = text.indexOf('"', close + 2);
      if (close < 0 || close >= end) return undefined;
      i = close + 1;
    }
    while (i < end && text.charCodeAt(i) !== COMMA) i++;
    if (i >= end) return undefined;
    i++;
  }
  if (i >= end) return start === end ? undefined : null;
  const c = text.charCodeAt(i);
  if (c === COMMA) return null;
  if (c !== QUOTE) {
    let j = i;
    while (j < end && text.charCodeAt(j) !== COMMA) j++;
    return text.slice(i, j);
  }
  let close = text.indexOf('"', i + 1);
  if (close < 0 || close >= end) close = end;
  let value = text.slice(i + 1, close);
  while (close + 1 < end && text.charCodeAt(close + 1) === QUOTE) {
    let next = text.indexOf('"', close + 2);
    if (next < 0 || next >= end) next = end;
    value += `"${text.slice(close + 2, next)}`;
    close = next;
  }
  return value;
}

/** One row in Athena's CSV form: NULL unquoted and empty, everything else quoted. Ends with \n. */
/**
 * A cell as a spreadsheet will show it rather than run it: Excel and LibreOffice evaluate a cell that
 * starts with = + - @ (and one that starts with a tab or CR before them) as a formula, which can open
 * links or, through DDE, run programs. Such a cell gets a leading ' (the spreadsheet's own "this is
 * text" mark). A plain number (-3, +1.5e3) stays as it is: it is read as a number, not run.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
export function spreadsheetSafe(cell: string): string {
  const c = cell.charCodeAt(0);
  // = + - @ TAB CR
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== CR) return cell;
  return PLAIN_NUMBER.test(cell) ? cell : `'${cell}`;
}
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** One CSV line, every value exact. */
export function encodeRow(cells: readonly Cell[]): string {
  return encodeLine(cells, false);
}

/** One CSV line with every cell spreadsheetSafe (a NULL stays an unquoted empty field). */
export function encodeSpreadsheetSafeRow(cells: readonly Cell[]): string {
  return encodeLine(cells, true);
}

function encodeLine(cells: readonly Cell[], safe: boolean): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i) line += ',';
    let v = cells[i];
    if (v === null || v === undefined) continue;
    if (safe) v = spreadsheetSafe(v);
    line += v.indexOf('"') >= 0 ? `"${v.replace(/"/g, '""')}"` : `"${v}"`;
  }
  return `${line}\n`;
}

/** Parses a whole CSV text into rows of cells (tests, small inputs). */
export function parseCsv(text: string): Cell[][] {
  const scanner = new CsvRowScanner(0);
  const rows: Cell[][] = [];
  for (const block of [scanner.push(text), scanner.end()]) {
    if (!block) continue;
    for (let r = 0; r < block.starts.length; r++) {
      rows.push(decodeRow(block.text, block.starts[r], r + 1 < block.starts.length ? block.starts[r + 1] : block.text.length, []));
    }
  }
  return rows;
}
