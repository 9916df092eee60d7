// The file a large result's rows spill to, under the extension's storage: the rows' CSV text back to
// back, appended once and read at offsets. Its name is a random id (never text from a query or a
// service); it is created 0600 in a 0700 folder, deleted when the results close, and any left behind
// (a crash, a killed window) is swept at the next start. Pure: no vscode.
//
// Writes and reads are synchronous on purpose: the row store's readers (a grid window, a sort key, an
// export line) are synchronous, and each call moves at most one block (about 1-2 MB, a millisecond or two).
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, ftruncateSync, mkdirSync, openSync, readSync, readdirSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../cache/privateFiles';

const MB = 1_048_576;

export interface SpillOptions {
  /** Folder for spill files (the extension's storage; created 0700 when first needed). */
  dir: string;
  /** Rows spill once the text held in memory passes this many characters. */
  thresholdChars: number;
  /** Reading stops once the spill file would pass this many bytes (cloudMonitor.results.maxSpillMb). */
  maxBytes: number;
  /** Free disk space always left (default 256 MB): reading stops before a block would eat into it. */
  reserveBytes?: number;
  /** Free bytes on the disk holding `dir` (statfs by default; tests pass their own). */
  freeBytes?: (dir: string) => number;
  /** The disk is asked again after this many bytes written (default 64 MB). */
  diskCheckBytes?: number;
  /** Rows per sort run (default 32,768; tests make it small to exercise the merge). */
  sortRunRows?: number;
}

/** Reading stopped because the result is larger than the cap or the free disk space; the rows read so far stay. */
export class ResultLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultLimitError';
  }
}

/** Spill files are `<uuid>.rows` (rows) and `<uuid>.run` (sort runs): nothing else in the folder is touched. */
const SPILL_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(rows|run)$/;

export function statfsFreeBytes(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

const mb = (bytes: number) => `${Math.round(bytes / MB).toLocaleString('en-US')} MB`;

export class SpillFile {
  readonly path: string;
  private fd: number | undefined;
  /** Bytes written. */
  size = 0;
  private checkedAt = -Infinity;
  private readonly reserve: number;
  private readonly free: (dir: string) => number;

  constructor(private readonly opts: SpillOptions, kind: 'rows' | 'run' = 'rows') {
    mkdirSync(opts.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    chmodSync(opts.dir, PRIVATE_DIR_MODE);
    this.path = join(opts.dir, `${randomUUID()}.${kind}`);
    this.fd = openSync(this.path, 'wx+', PRIVATE_FILE_MODE);
    this.reserve = opts.reserveBytes ?? 256 * MB;
    this.free = opts.freeBytes ?? statfsFreeBytes;
  }

  get open(): boolean { return this.fd !== undefined; }

  /**
   * Appends `data` and returns its offset, or throws ResultLimitError (nothing written) when it would
   * pass the cap or leave less than the reserve free on the disk. `rowsSoFar` goes into the message.
   */
  append(data: Buffer, rowsSoFar: number): number {
    if (this.fd === undefined) throw new ResultLimitError('The results were closed.');
    const after = this.size + data.length;
    if (after > this.opts.maxBytes) {
      throw new ResultLimitError(`Stopped at ${rowsSoFar.toLocaleString('en-US')} rows: the result is larger than ${mb(this.opts.maxBytes)}, the cap set by cloudMonitor.results.maxSpillMb. The rows read so far are shown.`);
    }
    // Ask the disk at the start and after every 64 MB written (statfs is cheap, but not free).
    if (after - this.checkedAt >= (this.opts.diskCheckBytes ?? 64 * MB)) {
      const free = this.free(this.opts.dir);
      if (free - data.length < this.reserve) throw this.diskFull(rowsSoFar, free);
      this.checkedAt = this.size;
    }
    const offset = this.size;
    try {
      let done = 0;
      while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, offset + done);
    } catch (err) {
      // A full disk despite the check (another writer): drop the partial block, keep the rows before it.
      try { ftruncateSync(this.fd, offset); } catch { /* the next check reports it */ }
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw this.diskFull(rowsSoFar, 0);
      throw err;
    }
    this.size = after;
    return offset;
  }

  private diskFull(rows: number, free: number): ResultLimitError {
    return new ResultLimitError(`Stopped at ${rows.toLocaleString('en-US')} rows: the disk holding the extension's storage has ${mb(free)} free, too little for the rest of the result. The rows read so far are shown.`);
  }

  /** Reads `length` bytes at `offset` into `into` from `at` (which must have room); returns `into`. */
  read(offset: number, length: number, into: Buffer, at = 0): Buffer {
    if (this.fd === undefined) throw new Error('The results were closed.');
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, into, at + done, length - done, offset + done);
      if (!n) break;
      done += n;
    }
    return into;
  }

  /** Closes and deletes the file. Safe to call twice. */
  dispose(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(this.path); } catch { /* already gone (a sweep from another window) */ }
  }
}

/**
 * Deletes spill files left in `dir` by an earlier session. A file another window still reads stays
 * readable there until it closes it (POSIX keeps an open file's data; Windows refuses the delete).
 */
export function sweepSpillDir(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!SPILL_NAME.test(name)) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed++;
    } catch { /* in use on Windows: the next start tries again */ }
  }
  return removed;
}
