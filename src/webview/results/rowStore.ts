// Holds result rows compactly on the extension host: the rows' CSV text in large blocks plus one
// compact index of where each row starts in its block. A million rows × 20 columns costs roughly
// the CSV's size, not twenty million JS strings. Rows are decoded only when shown, sorted, filtered or
// exported. Past a threshold (SpillOptions) the blocks go to a file under the extension's storage and
// only the index stays in memory, so a result of any size fits the shared host.
//
// The index: each row's length (2 bytes; a row of 64K or more is kept apart) and, every 16 rows, the
// row's offset in its block (4 bytes): 2.25 bytes a row (22.5 MB at 10M rows, where one 4-byte offset
// a row took 40 MB). A row's offset is its group's offset plus at most 15 lengths.
// Pure: no vscode.
import { isAscii } from 'node:buffer';
import { CsvByteScanner, CsvRowScanner, decodeRow, encodeRow, fieldAt, type ByteRowBlock, type Cell, type RowBlock } from './csv';
import { ResultLimitError, SpillFile, type SpillOptions } from './spillFile';

/** The index lives in pages of this many rows, so growing never copies (or doubles) one big array. */
const PAGE_BITS = 20;
const PAGE_ROWS = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_ROWS - 1;
/** One offset is kept every 1 << GROUP_BITS rows. */
const GROUP_BITS = 4;
const GROUP_MASK = (1 << GROUP_BITS) - 1;
/** A length of this or more is in `longRows`. */
const LONG_ROW = 0xffff;
/** Spilled blocks kept decoded in memory. */
const CACHED_BLOCKS = 4;
/** Block size when rows may spill (see the constructor). */
const SPILL_BLOCK_CHARS = 1 << 16;

interface LoadedBlock {
  buf: Buffer;
  /** The whole buffer `buf` is read into, reused for the next block once this one leaves the cache. */
  backing: Buffer;
  /** Whether every byte is ASCII (latin1 decoding is then exact). */
  ascii: boolean;
}

export class RowStore {
  /** Per block: its text while in memory (undefined once spilled), its first row, its length (chars in memory, bytes spilled). */
  private texts: (string | undefined)[] = [];
  private firstRow: number[] = [];
  private blockLength: number[] = [];
  /** Spilled blocks: where in the file, and whether every byte is ASCII. */
  private fileOffset: number[] = [];
  private ascii: boolean[] = [];
  /** Row i's length, and every 16th row's offset in its block: chars for a block in memory, bytes for a spilled one. */
  private lengths: Uint16Array[] = [];
  private groupOffsets: Uint32Array[] = [];
  private readonly longRows = new Map<number, number>();
  private count = 0;
  private skip: number;
  private readonly scanner: CsvRowScanner;
  private byteScanner?: CsvByteScanner;
  /** Whether CSV text (not bytes) has been pushed: the two inputs do not mix. */
  private tookText = false;
  private file?: SpillFile;
  private stopped?: ResultLimitError;
  private disposed = false;
  private readonly cache = new Map<number, LoadedBlock>();
  private scratch = Buffer.alloc(0);
  private encoded = Buffer.alloc(0);
  private lastRow = -2;
  private lastBlock = 0;
  /** Characters of CSV text held in memory. */
  textLength = 0;

  /**
   * `skipRows`: leading CSV rows to drop (a header). Rows appended as arrays are never skipped.
   * `spill`: where and when rows go to a file, and the cap; without it every row stays in memory.
   */
  constructor(readonly columnCount: number, skipRows = 0, private readonly spill?: SpillOptions) {
    this.skip = skipRows;
    // Blocks that may spill stay small (64K characters): a block's text and a spilled block read back
    // are then ordinary short-lived strings, not large-object-space ones that each wait for a full
    // GC, which let the extension host's memory climb by hundreds of MB while 10M rows streamed in.
    this.scanner = new CsvRowScanner(spill ? SPILL_BLOCK_CHARS : undefined);
  }

  get length(): number { return this.count; }
  /** Whether rows live in a spill file. */
  get spilled(): boolean { return !!this.file; }
  get spillPath(): string | undefined { return this.file?.path; }
  /** Bytes in the spill file. */
  get spilledBytes(): number { return this.file?.size ?? 0; }

  /**
   * The producer knows how much is coming (S3's Content-Length): past the threshold the rows go to the
   * file from the first one, so the threshold's worth of text is never held first. Throws
   * ResultLimitError when the file cannot be made.
   */
  expectChars(total: number): void {
    if (!this.file && this.spill && total > this.spill.thresholdChars && !this.stopped) this.startSpill();
  }

  /**
   * Whether CSV can be pushed as UTF-8 bytes (pushCsvBytes): the rows go to the spill file from the
   * first one (expectChars) and no text was pushed. Bytes then go to the file as they came, with no
   * string decoded and encoded back: at 300 MB/s of CSV those strings were most of what V8 allocated.
   */
  get takesBytes(): boolean {
    return !!this.file && !this.tookText && !this.texts.length && !this.stopped;
  }

  /** Whether CSV came as bytes (pushCsvBytes). */
  get tookBytes(): boolean { return !!this.byteScanner; }

  /** Appends CSV as UTF-8 bytes in any pieces (only while takesBytes). Returns rows added. */
  pushCsvBytes(chunk: Uint8Array): number {
    if (this.stopped) throw this.stopped;
    if (!this.byteScanner && !this.takesBytes) throw new Error('CSV bytes are taken only by a store that spills from its first row.');
    const block = (this.byteScanner ??= new CsvByteScanner(SPILL_BLOCK_CHARS)).push(chunk);
    return block ? this.appendCsvBytes(block) : 0;
  }

  /** Ends CSV input given as bytes (a last row without a newline). Returns rows added. */
  endCsvBytes(): number {
    if (this.stopped) throw this.stopped;
    const block = this.byteScanner?.end();
    return block ? this.appendCsvBytes(block) : 0;
  }

  private appendCsvBytes(block: ByteRowBlock): number {
    const kept = this.afterHeader(block.starts);
    if (!kept) return 0;
    if (this.disposed) throw (this.stopped = new ResultLimitError('The results were closed.'));
    const bytes = block.bytes.subarray(kept.base);
    return this.addBlock(undefined, bytes.length, this.toFile(bytes, this.count), isAscii(bytes), kept.starts);
  }

  /** Appends CSV text in any pieces; rows become visible as soon as they are complete. Returns rows added. */
  pushCsv(chunk: string): number {
    if (this.stopped) throw this.stopped;
    if (this.byteScanner) throw new Error('CSV text cannot follow CSV bytes.');
    this.tookText = true;
    const block = this.scanner.push(chunk);
    return block ? this.appendCsvBlock(block) : 0;
  }

  /** Ends CSV input (a last row without a newline). Returns rows added. */
  endCsv(): number {
    if (this.stopped) throw this.stopped;
    const block = this.scanner.end();
    return block ? this.appendCsvBlock(block) : 0;
  }

  /** CSV blocks may start with the header row, which is dropped. */
  private appendCsvBlock(block: RowBlock): number {
    const kept = this.afterHeader(block.starts);
    if (!kept) return 0;
    // Keep only the text from the first kept row on, so skipped header text is not retained.
    return this.appendBlock(kept.starts === block.starts ? block : { text: block.text.slice(kept.base), starts: kept.starts });
  }

  /**
   * Drops the header rows still to skip from a block's row starts: the rows kept, their starts counted from
   * `base` (the first kept row's start), or undefined when every row was a header row.
   */
  private afterHeader(starts: number[]): { base: number; starts: number[] } | undefined {
    const first = Math.min(this.skip, starts.length);
    this.skip -= first;
    if (first >= starts.length) return undefined;
    if (!first) return { base: 0, starts };
    const base = starts[first];
    return { base, starts: starts.slice(first).map((s) => s - base) };
  }

  appendRows(rows: readonly (readonly Cell[])[]): number {
    if (this.stopped) throw this.stopped;
    if (!rows.length) return 0;
    const parts: string[] = new Array(rows.length);
    const starts: number[] = new Array(rows.length);
    let offset = 0;
    for (let i = 0; i < rows.length; i++) {
      const line = encodeRow(rows[i]);
      parts[i] = line;
      starts[i] = offset;
      offset += line.length;
    }
    return this.appendBlock({ text: parts.join(''), starts });
  }

  /**
   * Appends complete rows (no header handling). Throws ResultLimitError, adding none of them, when the
   * spill file would pass the cap or the free disk space; every later append throws it too.
   */
  appendBlock(block: RowBlock): number {
    if (this.stopped) throw this.stopped;
    if (this.disposed) throw (this.stopped = new ResultLimitError('The results were closed.'));
    const n = block.starts.length;
    if (!n) return 0;
    if (!this.file && this.spill && this.textLength + block.text.length > this.spill.thresholdChars) this.startSpill();
    if (!this.file) {
      this.textLength += block.text.length;
      return this.addBlock(block.text, block.text.length, 0, true, block.starts);
    }
    const buf = this.encode(block.text);
    const ascii = buf.length === block.text.length;
    const starts = ascii ? block.starts : byteStarts(block.text, block.starts);
    return this.addBlock(undefined, buf.length, this.toFile(buf, this.count), ascii, starts);
  }

  /** Appends `buf` to the spill file; a ResultLimitError (nothing written) stops every later append too. */
  private toFile(buf: Buffer, rowsSoFar: number): number {
    try {
      return this.file!.append(buf, rowsSoFar);
    } catch (err) {
      if (err instanceof ResultLimitError) this.stopped = err;
      throw err;
    }
  }

  /** Indexes a block of rows: its text while in memory, its length (chars in memory, bytes spilled), where in the file. Returns its rows. */
  private addBlock(text: string | undefined, length: number, offset: number, ascii: boolean, starts: ArrayLike<number>): number {
    this.texts.push(text);
    this.firstRow.push(this.count);
    this.blockLength.push(length);
    this.fileOffset.push(offset);
    this.ascii.push(ascii);
    this.setRows(this.count, starts, length);
    this.count += starts.length;
    return starts.length;
  }

  /** Moves the blocks held so far to a new spill file; a block that does not fit stays in memory. */
  private startSpill(): void {
    try {
      this.file = new SpillFile(this.spill!);
    } catch (err) {
      throw (this.stopped = new ResultLimitError(`Stopped at ${this.count.toLocaleString('en-US')} rows: could not create a file for the rest of the result (${(err as Error).message}). The rows read so far are shown.`));
    }
    for (let b = 0; b < this.texts.length; b++) {
      const text = this.texts[b]!;
      const buf = this.encode(text);
      const first = this.firstRow[b];
      const end = this.rowEnd(b);
      const ascii = buf.length === text.length;
      let bytes: ArrayLike<number> | undefined;
      if (!ascii) {
        const chars: number[] = [];
        for (let i = first; i < end; i++) chars.push(this.startOf(i, b));
        bytes = byteStarts(text, chars);
      }
      this.fileOffset[b] = this.toFile(buf, first);
      if (bytes) this.setRows(first, bytes, buf.length);
      this.ascii[b] = ascii;
      this.blockLength[b] = buf.length;
      this.texts[b] = undefined;
      this.textLength -= text.length;
    }
  }

  /**
   * `text` as UTF-8 in a buffer reused for every block: the bytes go straight to the file, so a new
   * buffer per block (gigabytes of short-lived native memory over a large result) is never made.
   */
  private encode(text: string): Buffer {
    if (this.encoded.length < text.length * 3) this.encoded = Buffer.allocUnsafe(text.length * 3);
    return this.encoded.subarray(0, this.encoded.write(text, 0, 'utf8'));
  }

  /** Bytes of the index (for the tests and the bench). */
  get indexBytes(): number {
    return this.lengths.length * PAGE_ROWS * 2 + this.groupOffsets.length * (PAGE_ROWS >>> GROUP_BITS) * 4 + this.longRows.size * 16;
  }

  private lengthOf(i: number): number {
    const len = this.lengths[i >>> PAGE_BITS][i & PAGE_MASK];
    return len === LONG_ROW ? this.longRows.get(i)! : len;
  }

  /** Row i's offset in block b (its block): its group's offset, or the block's start, plus the lengths between. */
  private startOf(i: number, b: number): number {
    const group = i & ~GROUP_MASK;
    let row = this.firstRow[b];
    let at = 0;
    if (group >= row) {
      row = group;
      at = this.groupOffsets[group >>> PAGE_BITS][(group & PAGE_MASK) >>> GROUP_BITS];
    }
    for (; row < i; row++) at += this.lengthOf(row);
    return at;
  }

  /** Indexes rows first.. of a block: `starts` their offsets in it, `blockLength` its length. */
  private setRows(first: number, starts: ArrayLike<number>, blockLength: number): void {
    const n = starts.length;
    for (let k = 0; k < n; k++) {
      const i = first + k;
      const p = i >>> PAGE_BITS;
      while (this.lengths.length <= p) {
        this.lengths.push(new Uint16Array(PAGE_ROWS));
        this.groupOffsets.push(new Uint32Array(PAGE_ROWS >>> GROUP_BITS));
      }
      const len = (k + 1 < n ? starts[k + 1] : blockLength) - starts[k];
      if (len >= LONG_ROW) {
        this.lengths[p][i & PAGE_MASK] = LONG_ROW;
        this.longRows.set(i, len);
      } else {
        this.lengths[p][i & PAGE_MASK] = len;
        this.longRows.delete(i);
      }
      if (!(i & GROUP_MASK)) this.groupOffsets[p][(i & PAGE_MASK) >>> GROUP_BITS] = starts[k];
    }
  }

  private rowEnd(b: number): number { return b + 1 < this.firstRow.length ? this.firstRow[b + 1] : this.count; }

  private blockOf(i: number): number {
    const lb = this.lastBlock;
    if (lb < this.firstRow.length && this.firstRow[lb] <= i && i < this.rowEnd(lb)) return lb;
    let lo = 0;
    let hi = this.firstRow.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.firstRow[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    this.lastBlock = lo;
    return lo;
  }

  /** A spilled block read whole (kept among the last few), for scans that walk its rows in order. */
  private load(b: number): LoadedBlock {
    let loaded = this.cache.get(b);
    if (loaded) return loaded;
    if (!this.file?.open) throw new Error('The results were closed.');
    // The oldest cached block's buffer is reused: a scan over every block allocates nothing new.
    let backing: Buffer | undefined;
    if (this.cache.size >= CACHED_BLOCKS) {
      const oldest = this.cache.keys().next().value!;
      backing = this.cache.get(oldest)!.backing;
      this.cache.delete(oldest);
    }
    const length = this.blockLength[b];
    if (!backing || backing.length < length) backing = Buffer.allocUnsafeSlow(Math.max(length, SPILL_BLOCK_CHARS * 2));
    const buf = this.file.read(this.fileOffset[b], length, backing).subarray(0, length);
    // No string of the whole block: a sort or a filter over a large result would make one per block
    // (64-128K characters each, gigabytes in all), and as the last few blocks stay cached those
    // strings outlive the young generation and pile up in the old one until a full GC. Rows are
    // decoded one by one instead (short strings that die young).
    loaded = { buf, backing, ascii: this.ascii[b] };
    this.cache.set(b, loaded);
    return loaded;
  }

  private span(i: number): { text: string; start: number; end: number } {
    const b = this.blockOf(i);
    const start = this.startOf(i, b);
    const end = start + this.lengthOf(i);
    const text = this.texts[b];
    if (text !== undefined) return { text, start, end };
    // Spilled: a scan moving forward reads the whole block once; a lone row (a sorted window) reads just its bytes.
    const forward = i > this.lastRow && i - this.lastRow <= 64;
    this.lastRow = i;
    const loaded = this.cache.get(b) ?? (forward ? this.load(b) : undefined);
    if (loaded) return { text: loaded.buf.toString(loaded.ascii ? 'latin1' : 'utf8', start, end), start: 0, end: -1 };
    if (!this.file?.open) throw new Error('The results were closed.');
    const length = end - start;
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.max(length, 4096));
    this.file.read(this.fileOffset[b] + start, length, this.scratch);
    return { text: this.scratch.toString('utf8', 0, length), start: 0, end: -1 };
  }

  /**
   * Copies row i's stored CSV bytes into `out` at `at` when they are already the line encodeRow would
   * write (Athena's form: every value quoted, NULL empty, \n at the end, `columnCount` fields) and, with
   * `spreadsheetSafe`, no value starts with a character a spreadsheet would run. Returns the bytes
   * written, or -1 when the caller must encode the row itself (or `out` lacks room). A spilled row is
   * read from the file straight into `out`: no string, no cells.
   */
  copyLine(i: number, out: Buffer, at: number, spreadsheetSafe: boolean): number {
    const b = this.blockOf(i);
    const start = this.startOf(i, b);
    const end = start + this.lengthOf(i);
    const text = this.texts[b];
    let length: number;
    if (text !== undefined) {
      // In memory: at most 3 bytes a character.
      if (out.length - at < (end - start) * 3) return -1;
      length = out.write(text.slice(start, end), at, 'utf8');
    } else {
      length = end - start;
      if (out.length - at < length) return -1;
      const loaded = this.cache.get(b);
      if (loaded) loaded.buf.copy(out, at, start, end);
      else this.file!.read(this.fileOffset[b] + start, length, out, at);
    }
    return isCanonicalLine(out, at, at + length, this.columnCount, spreadsheetSafe) ? length : -1;
  }

  /** Row i's cells, padded with NULL to the column count. */
  row(i: number, out: Cell[] = []): Cell[] {
    const s = this.span(i);
    decodeRow(s.text, s.start, s.end < 0 ? s.text.length : s.end, out);
    while (out.length < this.columnCount) out.push(null);
    if (out.length > this.columnCount) out.length = this.columnCount;
    return out;
  }

  /** One cell of row i, without decoding the rest of the row. */
  field(i: number, column: number): Cell {
    const s = this.span(i);
    return fieldAt(s.text, s.start, s.end < 0 ? s.text.length : s.end, column) ?? null;
  }

  /**
   * Rows whose CSV text contains `lowerNeedle` (already lower-cased), in order. A cheap pre-filter:
   * the caller confirms against decoded cells, because the raw text holds quotes and separators.
   */
  *rowsWithText(lowerNeedle: string): Generator<number> {
    for (let b = 0; b < this.firstRow.length; b++) {
      const first = this.firstRow[b];
      const last = this.rowEnd(b);
      const loaded = this.texts[b] === undefined ? this.load(b) : undefined;
      const text = this.texts[b] ?? (loaded!.ascii ? loaded!.buf.toString('latin1') : undefined);
      const lower = text?.toLowerCase();
      if (text === undefined || lower!.length !== text.length) {
        // Offsets do not line up with the text (UTF-8 bytes, or lower-casing changed lengths): row by row.
        for (let row = first; row < last; row++) {
          const s = this.span(row);
          if (s.text.slice(s.start, s.end < 0 ? undefined : s.end).toLowerCase().includes(lowerNeedle)) yield row;
        }
        continue;
      }
      let row = first;
      let start = this.startOf(first, b);
      let pos = lower!.indexOf(lowerNeedle);
      while (pos >= 0 && row < last) {
        // Advance to the row containing pos.
        while (row + 1 < last && start + this.lengthOf(row) <= pos) start += this.lengthOf(row++);
        yield row;
        start += this.lengthOf(row++);
        pos = lower!.indexOf(lowerNeedle, start);
      }
    }
  }

  /** Frees the rows and deletes the spill file. Reading afterwards throws. */
  dispose(): void {
    this.disposed = true;
    this.cache.clear();
    this.file?.dispose();
    this.texts = [];
    this.textLength = 0;
  }
}

/** UTF-8 byte offsets of rows given by their character offsets in `text`. */
function byteStarts(text: string, chars: ArrayLike<number>): number[] {
  const out: number[] = new Array(chars.length);
  let bytes = 0;
  let prev = 0;
  for (let i = 0; i < chars.length; i++) {
    bytes += Buffer.byteLength(text.slice(prev, chars[i]), 'utf8');
    prev = chars[i];
    out[i] = bytes;
  }
  return out;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;

/**
 * Whether bytes [start, end) are one CSV line exactly as encodeRow writes it for `columns` cells; with
 * `safe`, also unchanged by spreadsheetSafe (no value starts with = + - @ TAB CR: such rows are
 * re-encoded, which keeps a plain number like -3 as it is). UTF-8 continuation bytes are never ASCII,
 * so a byte scan is exact.
 */
export function isCanonicalLine(buf: Uint8Array, start: number, end: number, columns: number, safe: boolean): boolean {
  if (end <= start || buf[end - 1] !== LF) return false;
  const last = end - 1;
  let i = start;
  let fields = 0;
  for (;;) {
    fields++;
    if (i < last && buf[i] === QUOTE) {
      i++;
      if (safe && i < last) {
        const c = buf[i];
        if (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) return false;
      }
      // To the closing quote: "" inside is an escaped quote.
      for (;;) {
        while (i < last && buf[i] !== QUOTE) i++;
        if (i >= last) return false;
        if (i + 1 < last && buf[i + 1] === QUOTE) i += 2;
        else break;
      }
      i++;
    } else if (i < last && buf[i] !== COMMA) {
      return false; // an unquoted value: another writer's form
    }
    if (i === last) return fields === columns;
    if (buf[i] !== COMMA) return false;
    i++;
  }
}
