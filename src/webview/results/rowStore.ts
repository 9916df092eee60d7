// Holds result rows compactly on the extension host: the rows' CSV text in large blocks plus two
// typed arrays (block, offset) per row. A million rows × 20 columns costs roughly the CSV's size,
// not twenty million JS strings. Rows are decoded only when shown, sorted, filtered or exported.
// Pure: no vscode.
import { CsvRowScanner, decodeRow, encodeRow, fieldAt, type Cell, type RowBlock } from './csv';

export class RowStore {
  private readonly blocks: string[] = [];
  private blockOf = new Uint32Array(1024);
  private starts = new Uint32Array(1024);
  private count = 0;
  private skip: number;
  private readonly scanner = new CsvRowScanner();
  /** Characters of CSV text held. */
  textLength = 0;

  /** `skipRows`: leading CSV rows to drop (a header). Rows appended as arrays are never skipped. */
  constructor(readonly columnCount: number, skipRows = 0) {
    this.skip = skipRows;
  }

  get length(): number { return this.count; }

  /** Appends CSV text in any pieces; rows become visible as soon as they are complete. Returns rows added. */
  pushCsv(chunk: string): number {
    const block = this.scanner.push(chunk);
    return block ? this.appendCsvBlock(block) : 0;
  }

  /** Ends CSV input (a last row without a newline). Returns rows added. */
  endCsv(): number {
    const block = this.scanner.end();
    return block ? this.appendCsvBlock(block) : 0;
  }

  /** CSV blocks may start with the header row, which is dropped. */
  private appendCsvBlock(block: RowBlock): number {
    let first = 0;
    if (this.skip > 0) {
      first = Math.min(this.skip, block.starts.length);
      this.skip -= first;
    }
    if (first >= block.starts.length) return 0;
    if (!first) return this.appendBlock(block);
    // Keep only the text from the first kept row on, so skipped header text is not retained.
    const base = block.starts[first];
    return this.appendBlock({ text: block.text.slice(base), starts: block.starts.slice(first).map((s) => s - base) });
  }

  appendRows(rows: readonly (readonly Cell[])[]): number {
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

  /** Appends complete rows (no header handling). */
  appendBlock(block: RowBlock): number {
    const n = block.starts.length;
    if (!n) return 0;
    const blockIndex = this.blocks.length;
    this.blocks.push(block.text);
    this.textLength += block.text.length;
    this.reserve(this.count + n);
    for (let i = 0; i < n; i++) {
      this.blockOf[this.count + i] = blockIndex;
      this.starts[this.count + i] = block.starts[i];
    }
    this.count += n;
    return n;
  }

  private reserve(n: number): void {
    if (n <= this.starts.length) return;
    let cap = this.starts.length;
    while (cap < n) cap *= 2;
    const b = new Uint32Array(cap);
    b.set(this.blockOf.subarray(0, this.count));
    this.blockOf = b;
    const s = new Uint32Array(cap);
    s.set(this.starts.subarray(0, this.count));
    this.starts = s;
  }

  private span(i: number): { text: string; start: number; end: number } {
    const b = this.blockOf[i];
    const text = this.blocks[b];
    const end = i + 1 < this.count && this.blockOf[i + 1] === b ? this.starts[i + 1] : text.length;
    return { text, start: this.starts[i], end };
  }

  /** Row i's cells, padded with NULL to the column count. */
  row(i: number, out: Cell[] = []): Cell[] {
    const { text, start, end } = this.span(i);
    decodeRow(text, start, end, out);
    while (out.length < this.columnCount) out.push(null);
    if (out.length > this.columnCount) out.length = this.columnCount;
    return out;
  }

  /** One cell of row i, without decoding the rest of the row. */
  field(i: number, column: number): Cell {
    const { text, start, end } = this.span(i);
    return fieldAt(text, start, end, column) ?? null;
  }

  /**
   * Rows whose CSV text contains `lowerNeedle` (already lower-cased), in order. A cheap pre-filter:
   * the caller confirms against decoded cells, because the raw text holds quotes and separators.
   */
  *rowsWithText(lowerNeedle: string): Generator<number> {
    let row = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      // Rows of block b are contiguous: find the first.
      while (row < this.count && this.blockOf[row] < b) row++;
      const text = this.blocks[b];
      const lower = text.toLowerCase();
      if (lower.length !== text.length) {
        // Lower-casing changed lengths (rare Unicode): offsets no longer line up, check rows one by one.
        for (; row < this.count && this.blockOf[row] === b; row++) {
          const { start, end } = this.span(row);
          if (text.slice(start, end).toLowerCase().includes(lowerNeedle)) yield row;
        }
        continue;
      }
      let pos = lower.indexOf(lowerNeedle);
      while (pos >= 0 && row < this.count && this.blockOf[row] === b) {
        // Advance to the row containing pos.
        while (row + 1 < this.count && this.blockOf[row + 1] === b && this.starts[row + 1] <= pos) row++;
        yield row;
        const { end } = this.span(row);
        row++;
        pos = lower.indexOf(lowerNeedle, end);
      }
      while (row < this.count && this.blockOf[row] === b) row++;
    }
  }
}
