// Sorting a spilled result without holding every key: keys are read a run at a time (in row order,
// so the rows file is read front to back), each run is sorted and written to a run file as
// (key, row) records, and the runs are merged k-way into the final order, a Uint32Array of row
// indexes. The work runs in slices of about 20 ms that yield to the event loop, so the shared
// extension host never blocks long, and stops when `cancelled()` says so. Pure: no vscode.
//
// The order is the in-memory sort's exactly: NULL (and text that is not a number, for number
// columns) last in both directions, ties in row order.
import type { Cell } from './csv';
import { SpillFile, type SpillOptions } from './spillFile';

export interface SortInput {
  /** Rows to sort, ascending (all rows, or a filter's matches). */
  rows: Uint32Array | number;
  /** The sort key of a row: a number (NaN = last) for number-like columns, text (null = last) otherwise. */
  key: (row: number) => number | Cell;
  numeric: boolean;
  descending: boolean;
  spill: SpillOptions;
  cancelled: () => boolean;
  onProgress?: (done: number, total: number) => void;
  /** Rows per run (sorted in one go, so this bounds the longest task). */
  runRows?: number;
  sliceMs?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const READ_BUFFER = 32 * 1024;

/** The sorted row order, or undefined when cancelled. */
export async function externalSort(input: SortInput): Promise<Uint32Array | undefined> {
  const n = typeof input.rows === 'number' ? input.rows : input.rows.length;
  const rowAt = typeof input.rows === 'number' ? (i: number) => i : (i: number) => (input.rows as Uint32Array)[i];
  const runRows = input.runRows ?? 32_768;
  const sliceMs = input.sliceMs ?? 20;
  const dir = input.descending ? -1 : 1;
  // Merging counts for as much as reading keys: progress goes 0..n over the runs, n..2n over the merge.
  const progress = (done: number) => input.onProgress?.(done, 2 * n);
  let sliceStart = performance.now();
  const pause = async (): Promise<boolean> => {
    if (performance.now() - sliceStart < sliceMs) return false;
    await yieldToEventLoop();
    sliceStart = performance.now();
    return input.cancelled();
  };

  const file = new SpillFile(input.spill, 'run');
  try {
    const runs: { offset: number; bytes: number }[] = [];
    const numKeys = new Float64Array(input.numeric ? runRows : 0);
    const textKeys: Cell[] = input.numeric ? [] : new Array(runRows);
    const rowsOf = new Uint32Array(runRows);
    const positions = new Uint32Array(runRows);
    // Number runs are written from one buffer (a run goes to the file before the next is made).
    const runBuf = Buffer.allocUnsafeSlow(input.numeric ? runRows * 12 : 0);
    for (let from = 0; from < n; from += runRows) {
      const count = Math.min(runRows, n - from);
      for (let j = 0; j < count; j++) {
        const row = rowAt(from + j);
        rowsOf[j] = row;
        if (input.numeric) numKeys[j] = input.key(row) as number;
        else textKeys[j] = input.key(row) as Cell;
        positions[j] = j;
        if ((j & 1023) === 1023 && await pause()) return undefined;
      }
      const order = positions.subarray(0, count);
      order.sort(input.numeric ? (a, b) => compareNumbers(numKeys[a], numKeys[b], a, b, dir) : (a, b) => compareText(textKeys[a], textKeys[b], a, b, dir));
      const buf = input.numeric ? encodeNumberRun(order, numKeys, rowsOf, runBuf) : encodeTextRun(order, textKeys, rowsOf);
      runs.push({ offset: file.append(buf, from), bytes: buf.length });
      progress(from + count);
      if (await pause()) return undefined;
    }
    textKeys.length = 0;

    // k-way merge: a binary heap of run readers, smallest (key, row) on top.
    const readers = runs.map((r) => new RunReader(file, r.offset, r.bytes, input.numeric));
    const less = (a: RunReader, b: RunReader) => (input.numeric
      ? compareNumbers(a.num, b.num, a.row, b.row, dir)
      : compareText(a.text, b.text, a.row, b.row, dir)) < 0;
    const heap = readers.filter((r) => r.next());
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i, less);
    const out = new Uint32Array(n);
    let k = 0;
    while (heap.length) {
      const top = heap[0];
      out[k++] = top.row;
      if (!top.next()) {
        const last = heap.pop()!;
        if (heap.length) heap[0] = last;
      }
      if (heap.length) siftDown(heap, 0, less);
      if ((k & 4095) === 0) {
        progress(n + k);
        if (await pause()) return undefined;
      }
    }
    progress(2 * n);
    return out;
  } finally {
    file.dispose();
  }
}

function compareNumbers(ka: number, kb: number, a: number, b: number, dir: number): number {
  const na = ka !== ka;
  const nb = kb !== kb;
  if (na || nb) return na === nb ? a - b : na ? 1 : -1;
  return ka === kb ? a - b : (ka < kb ? -dir : dir);
}

function compareText(ka: Cell, kb: Cell, a: number, b: number, dir: number): number {
  if (ka === null || kb === null) return ka === kb ? a - b : ka === null ? 1 : -1;
  return ka === kb ? a - b : (ka < kb ? -dir : dir);
}

function siftDown<T>(heap: T[], i: number, less: (a: T, b: T) => boolean): void {
  const n = heap.length;
  const item = heap[i];
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && less(heap[child + 1], heap[child])) child++;
    if (!less(heap[child], item)) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = item;
}

/** Number runs: per record the key (float64) and the row (uint32). */
function encodeNumberRun(order: Uint32Array, keys: Float64Array, rows: Uint32Array, into: Buffer): Buffer {
  const buf = into.subarray(0, order.length * 12);
  for (let i = 0; i < order.length; i++) {
    buf.writeDoubleLE(keys[order[i]], i * 12);
    buf.writeUInt32LE(rows[order[i]], i * 12 + 8);
  }
  return buf;
}

/** Text runs: per record the row (uint32), the key's UTF-8 length (0xFFFFFFFF for NULL), the key. */
function encodeTextRun(order: Uint32Array, keys: Cell[], rows: Uint32Array): Buffer {
  let buf = Buffer.allocUnsafe(order.length * 24);
  let at = 0;
  for (let i = 0; i < order.length; i++) {
    const key = keys[order[i]];
    const room = 8 + (key === null ? 0 : key.length * 3);
    if (at + room > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, at + room));
      buf.copy(bigger, 0, 0, at);
      buf = bigger;
    }
    buf.writeUInt32LE(rows[order[i]], at);
    if (key === null) {
      buf.writeUInt32LE(0xffffffff, at + 4);
      at += 8;
    } else {
      const len = buf.write(key, at + 8, 'utf8');
      buf.writeUInt32LE(len, at + 4);
      at += 8 + len;
    }
  }
  return buf.subarray(0, at);
}

/** Reads one run's records in order through a small buffer. */
class RunReader {
  private buf = Buffer.allocUnsafe(READ_BUFFER);
  private pos = 0;
  private end = 0;
  private read = 0;
  row = 0;
  num = 0;
  text: Cell = null;

  constructor(private readonly file: SpillFile, private readonly offset: number, private readonly bytes: number, private readonly numeric: boolean) {}

  /** Has `need` bytes at pos, reading more from the file; false at the end of the run. */
  private ensure(need: number): boolean {
    if (this.end - this.pos >= need) return true;
    const left = this.end - this.pos;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(need * 2);
      this.buf.copy(bigger, 0, this.pos, this.end);
      this.buf = bigger;
    } else {
      this.buf.copy(this.buf, 0, this.pos, this.end);
    }
    this.pos = 0;
    this.end = left;
    const want = Math.min(this.buf.length - left, this.bytes - this.read);
    if (want > 0) {
      this.file.read(this.offset + this.read, want, this.buf.subarray(left));
      this.read += want;
      this.end += want;
    }
    return this.end - this.pos >= need;
  }

  next(): boolean {
    if (this.numeric) {
      if (!this.ensure(12)) return false;
      this.num = this.buf.readDoubleLE(this.pos);
      this.row = this.buf.readUInt32LE(this.pos + 8);
      this.pos += 12;
      return true;
    }
    if (!this.ensure(8)) return false;
    this.row = this.buf.readUInt32LE(this.pos);
    const len = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    if (len === 0xffffffff) {
      this.text = null;
      return true;
    }
    if (!this.ensure(len)) return false;
    this.text = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return true;
  }
}
