// A result set on the extension host: columns, rows (in a RowStore), load status, and the current
// sorted/filtered view. Any producer fills it (Athena's S3 CSV stream, GetQueryResults pages, Logs
// Insights results); the results panel shows it. Pure: no vscode.
import type { Cell } from './csv';
import type { ChartData, ChartRequest, Detail, FilterSpec, LoadStatus, ResultColumn, SortSpec, ViewInfo, ViewSpec } from './protocol';
import { RowStore } from './rowStore';
import type { SpillOptions } from './spillFile';
import { externalSort } from './externalSort';
import { isNumericKind, numericValue } from './values';

export type ResultSetEvent =
  | { type: 'rows'; loaded: number }
  | { type: 'status'; status: LoadStatus }
  | { type: 'view'; view: ViewInfo }
  | { type: 'details'; details: Detail[]; source?: string }
  /** A sort or filter under way: how far (`done` of `total` steps). */
  | { type: 'viewProgress'; done: number; total: number };

/** Cap on points sent to the chart; above it rows are sampled evenly. */
export const MAX_CHART_POINTS = 200_000;
/** Cap on bars for a category axis. */
export const MAX_CATEGORIES = 200;
/** Cap on series when splitting by a category. */
export const MAX_SERIES = 12;

/** Above this many rows a sort goes through externalSort (when the set has spill options) so the host never blocks long. */
const EXTERNAL_SORT_ROWS = 65_536;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ResultSet {
  readonly store: RowStore;
  private _status: LoadStatus = { phase: 'loading', loaded: 0 };
  private order: Uint32Array | null = null;
  private viewSpec: ViewSpec = {};
  private viewVersion = 1;
  private viewPartial = false;
  private viewGeneration = 0;
  private readonly listeners = new Set<(e: ResultSetEvent) => void>();
  details: Detail[] = [];
  source?: string;
  private readonly spill?: SpillOptions;

  /**
   * `csvHeader`: CSV pushed in starts with a header row, which is dropped (rows appended as arrays are kept).
   * `spill`: past a threshold rows go to a file (see RowStore); the producers then throw ResultLimitError
   * at the cap or when the disk is full, and the rows read so far stay.
   */
  constructor(readonly columns: ResultColumn[], opts: { csvHeader?: boolean; spill?: SpillOptions } = {}) {
    this.spill = opts.spill;
    this.store = new RowStore(columns.length, opts.csvHeader ? 1 : 0, opts.spill);
  }

  get status(): LoadStatus { return this._status; }
  get length(): number { return this.store.length; }

  on(listener: (e: ResultSetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: ResultSetEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private added(n: number): void {
    if (!n) return;
    this._status = { ...this._status, loaded: this.store.length };
    this.emit({ type: 'rows', loaded: this.store.length });
  }

  // ---- producers ----
  /** How much text is coming, when the producer knows (see RowStore.expectChars). */
  expectChars(total: number): void { this.store.expectChars(total); }
  pushCsv(chunk: string): void { this.added(this.store.pushCsv(chunk)); }
  endCsv(): void { this.added(this.store.endCsv()); }
  /** Whether CSV may be pushed as UTF-8 bytes (see RowStore.takesBytes). */
  get takesBytes(): boolean { return this.store.takesBytes; }
  pushCsvBytes(chunk: Uint8Array): void { this.added(this.store.pushCsvBytes(chunk)); }
  endCsvBytes(): void { this.added(this.store.endCsvBytes()); }
  appendRows(rows: readonly (readonly Cell[])[]): void { this.added(this.store.appendRows(rows)); }

  setDetails(details: Detail[], source = this.source): void {
    this.details = details;
    this.source = source;
    this.emit({ type: 'details', details, source });
  }

  /** Loading finished. A sort or filter made while loading is remade over every row. */
  async finish(message?: string): Promise<void> {
    this._status = { phase: 'done', loaded: this.store.length, message };
    this.emit({ type: 'status', status: this._status });
    if (this.viewPartial) await this.setView(this.viewSpec);
  }

  /** Frees the rows (and deletes a spill file); a sort or filter under way stops. */
  dispose(): void {
    this.viewGeneration++;
    this.store.dispose();
  }

  fail(message: string): void {
    this._status = { phase: 'error', loaded: this.store.length, message };
    this.emit({ type: 'status', status: this._status });
  }

  // ---- the view ----
  viewInfo(): ViewInfo {
    return { version: this.viewVersion, total: this.order ? this.order.length : this.store.length, spec: this.viewSpec, partial: this.viewPartial || undefined };
  }

  /** Row index in the store of view position i. */
  rowAt(i: number): number { return this.order ? this.order[i] : i; }

  /** Stops a sort or filter under way (its setView resolves with the view as it was). */
  cancelView(): ViewInfo {
    this.viewGeneration++;
    return this.viewInfo();
  }

  /** Applies a sort and/or filter; resolves with the new view (or the newest, if superseded). */
  async setView(spec: ViewSpec): Promise<ViewInfo> {
    const generation = ++this.viewGeneration;
    const filter = spec.filter && spec.filter.text.trim() ? spec.filter : undefined;
    const sort = spec.sort && spec.sort.column >= 0 && spec.sort.column < this.columns.length ? spec.sort : undefined;
    let order: Uint32Array | null = null;
    if (filter) order = await this.filterRows(filter, () => generation !== this.viewGeneration);
    if (generation !== this.viewGeneration) return this.viewInfo();
    if (sort) order = await this.sortRows(sort, order, () => generation !== this.viewGeneration);
    if (generation !== this.viewGeneration) return this.viewInfo();
    this.order = order;
    this.viewSpec = { sort, filter };
    this.viewPartial = (!!sort || !!filter) && this._status.phase === 'loading';
    this.viewVersion++;
    const info = this.viewInfo();
    this.emit({ type: 'view', view: info });
    return info;
  }

  private async filterRows(filter: FilterSpec, cancelled: () => boolean): Promise<Uint32Array> {
    const n = this.store.length;
    const matches = new Uint32Array(n);
    let count = 0;
    const test = cellTest(filter, this.columns);
    const row: Cell[] = [];
    const across = filter.column < 0 ? rowTest(filter.text, this.columns) : undefined;
    if (filter.column < 0 && !across) {
      const needle = filter.text.trim().toLowerCase();
      // Raw-text pre-filter, then confirm on the decoded cells (the raw text holds quotes and commas).
      const prefilter = !needle.includes('"') && !needle.includes(',');
      const candidates = prefilter ? this.store.rowsWithText(needle) : range(n);
      let seen = 0;
      for (const i of candidates) {
        if (i >= n) break;
        this.store.row(i, row);
        if (row.some((c) => c !== null && c.toLowerCase().includes(needle))) matches[count++] = i;
        if (++seen % 50_000 === 0) {
          this.emit({ type: 'viewProgress', done: Math.min(i, n), total: n });
          await yieldToEventLoop();
          if (cancelled()) break;
        }
      }
    } else if (across) {
      for (let i = 0; i < n; i++) {
        this.store.row(i, row);
        if (across(row)) matches[count++] = i;
        if (i % 50_000 === 49_999) {
          this.emit({ type: 'viewProgress', done: i, total: n });
          await yieldToEventLoop();
          if (cancelled()) break;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (test(this.store.field(i, filter.column))) matches[count++] = i;
        if (i % 100_000 === 99_999) {
          this.emit({ type: 'viewProgress', done: i, total: n });
          await yieldToEventLoop();
          if (cancelled()) break;
        }
      }
    }
    return matches.slice(0, count);
  }

  private async sortRows(sort: SortSpec, subset: Uint32Array | null, cancelled: () => boolean): Promise<Uint32Array> {
    const n = subset ? subset.length : this.store.length;
    if (this.spill && (this.store.spilled || n > EXTERNAL_SORT_ROWS)) {
      // Rows in a file, or enough rows that one sort would block the host: sort runs and merge them in
      // short slices, never holding every key (externalSort.ts).
      const kind = this.columns[sort.column].kind;
      const numeric = isNumericKind(kind);
      let lastReport = 0;
      const order = await externalSort({
        rows: subset ?? this.store.length,
        key: numeric ? (r) => numericValue(kind, this.store.field(r, sort.column)) : (r) => this.store.field(r, sort.column),
        numeric, descending: sort.descending, spill: this.spill, cancelled, runRows: this.spill.sortRunRows,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - lastReport < 200 && done < total) return;
          lastReport = now;
          this.emit({ type: 'viewProgress', done, total });
        },
      });
      return order ?? new Uint32Array(0);
    }
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = subset ? subset[i] : i;
    const kind = this.columns[sort.column].kind;
    const dir = sort.descending ? -1 : 1;
    // Keys are indexed by position in idx; we sort positions, then map back. NULLs go last either way.
    const positions = new Uint32Array(n);
    for (let i = 0; i < n; i++) positions[i] = i;
    if (isNumericKind(kind)) {
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        keys[i] = numericValue(kind, this.store.field(idx[i], sort.column));
        if (i % 100_000 === 99_999) {
          await yieldToEventLoop();
          if (cancelled()) return idx;
        }
      }
      positions.sort((a, b) => {
        const ka = keys[a];
        const kb = keys[b];
        const na = ka !== ka;
        const nb = kb !== kb;
        if (na || nb) return na === nb ? a - b : na ? 1 : -1;
        return ka === kb ? a - b : (ka < kb ? -dir : dir);
      });
    } else {
      const keys: Cell[] = new Array(n);
      for (let i = 0; i < n; i++) {
        keys[i] = this.store.field(idx[i], sort.column);
        if (i % 100_000 === 99_999) {
          await yieldToEventLoop();
          if (cancelled()) return idx;
        }
      }
      positions.sort((a, b) => {
        const ka = keys[a];
        const kb = keys[b];
        if (ka === null || kb === null) return ka === kb ? a - b : ka === null ? 1 : -1;
        return ka === kb ? a - b : (ka < kb ? -dir : dir);
      });
    }
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = idx[positions[i]];
    return out;
  }

  /** A window of the current view. Rows past the end are simply not returned. */
  getRows(offset: number, count: number): Cell[][] {
    const total = this.order ? this.order.length : this.store.length;
    const end = Math.min(total, Math.max(0, offset) + Math.max(0, count));
    const rows: Cell[][] = [];
    for (let i = Math.max(0, offset); i < end; i++) rows.push(this.store.row(this.rowAt(i)));
    return rows;
  }

  /** Rows of the current view, in order, [from, to). */
  *viewRows(from = 0, to = Number.POSITIVE_INFINITY): Generator<Cell[]> {
    const total = this.order ? this.order.length : this.store.length;
    const end = Math.min(total, to);
    for (let i = Math.max(0, from); i < end; i++) yield this.store.row(this.rowAt(i));
  }

  /** Series for the chart tab, computed here so the webview never holds every row. */
  chartData(req: ChartRequest): ChartData {
    const xCol = this.columns[req.x];
    if (!xCol) throw new Error(`No column ${req.x}`);
    const ys = req.ys.filter((y) => this.columns[y]);
    const total = this.order ? this.order.length : this.store.length;
    const xKind: ChartData['xKind'] = xCol.kind === 'timestamp' || xCol.kind === 'date' ? 'time' : xCol.kind === 'number' ? 'number' : 'category';
    if (xKind === 'category') {
      const sums = new Map<string, (number | null)[]>();
      for (let i = 0; i < total; i++) {
        const r = this.rowAt(i);
        const key = this.store.field(r, req.x) ?? 'NULL';
        let acc = sums.get(key);
        if (!acc) sums.set(key, (acc = ys.map(() => null)));
        for (let j = 0; j < ys.length; j++) {
          const v = numericValue(this.columns[ys[j]].kind, this.store.field(r, ys[j]));
          if (Number.isFinite(v)) acc[j] = (acc[j] ?? 0) + v;
        }
      }
      let entries = [...sums.entries()];
      let note: string | undefined;
      if (entries.length > MAX_CATEGORIES) {
        entries = entries.sort((a, b) => (b[1][0] ?? 0) - (a[1][0] ?? 0)).slice(0, MAX_CATEGORIES);
        note = `Top ${MAX_CATEGORIES} of ${sums.size} categories by ${this.columns[ys[0]]?.name ?? 'value'}.`;
      }
      return {
        xKind, rows: total, note,
        categories: entries.map(([k]) => k),
        x: entries.map((_, i) => i),
        ys: ys.map((_, j) => entries.map(([, acc]) => acc[j])),
      };
    }
    const split = req.splitBy !== undefined && req.splitBy !== req.x && this.columns[req.splitBy] ? req.splitBy : undefined;
    if (split !== undefined && ys.length) return this.splitSeries(req.x, ys[0], split, xKind);
    const count = Math.min(total, MAX_CHART_POINTS);
    const points: { x: number; y: (number | null)[] }[] = [];
    for (let k = 0; k < count; k++) {
      const r = this.rowAt(count < total ? Math.floor((k * total) / count) : k);
      const x = numericValue(xCol.kind, this.store.field(r, req.x));
      if (!Number.isFinite(x)) continue;
      points.push({
        x: xKind === 'time' ? x / 1000 : x,
        y: ys.map((y) => { const v = numericValue(this.columns[y].kind, this.store.field(r, y)); return Number.isFinite(v) ? v : null; }),
      });
    }
    const valid = points.sort((a, b) => a.x - b.x);
    return {
      xKind, rows: total,
      note: count < total ? `Sampled ${valid.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows evenly.` : undefined,
      x: valid.map((p) => p.x),
      ys: ys.map((_, j) => valid.map((p) => p.y[j])),
    };
  }

  /** One series per value of `split` (the first y only), on the union of x values; the biggest MAX_SERIES. */
  private splitSeries(xi: number, yi: number, split: number, xKind: ChartData['xKind']): ChartData {
    const xCol = this.columns[xi];
    const yCol = this.columns[yi];
    const total = this.order ? this.order.length : this.store.length;
    const groups = new Map<string, { sum: number; points: Map<number, number> }>();
    const xs = new Set<number>();
    const count = Math.min(total, MAX_CHART_POINTS);
    for (let k = 0; k < count; k++) {
      const r = this.rowAt(count < total ? Math.floor((k * total) / count) : k);
      let x = numericValue(xCol.kind, this.store.field(r, xi));
      const y = numericValue(yCol.kind, this.store.field(r, yi));
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (xKind === 'time') x /= 1000;
      const key = this.store.field(r, split) ?? 'NULL';
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { sum: 0, points: new Map() }));
      g.sum += y;
      g.points.set(x, (g.points.get(x) ?? 0) + y);
      xs.add(x);
    }
    const kept = [...groups.entries()].sort((a, b) => b[1].sum - a[1].sum).slice(0, MAX_SERIES);
    const x = [...xs].sort((a, b) => a - b);
    const notes: string[] = [];
    if (groups.size > MAX_SERIES) notes.push(`The ${MAX_SERIES} largest of ${groups.size} ${this.columns[split].name} values.`);
    if (count < total) notes.push(`Sampled ${count.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows evenly.`);
    return {
      xKind, rows: total, x,
      series: kept.map(([k]) => k),
      ys: kept.map(([, g]) => x.map((v) => g.points.get(v) ?? null)),
      note: notes.join(' ') || undefined,
    };
  }
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

const OPERATOR = /^(>=|<=|!=|<>|=|>|<)\s*(.*)$/;
const IS_NULL = /^is\s+(not\s+)?null$/i;

/**
 * A filter over all columns in operator form (`> 10`, `= abc`, `is null`), or undefined for plain text
 * (a "contains" over every cell). A comparison with a number looks at the number columns only, one
 * with a date (2024-05-01…) at the date and time columns, one with other text at the text columns; `=`, `<`, `>` and `is null` keep a row when some column passes,
 * `!=`/`<>` and `is not null` when every one does.
 */
export function rowTest(text: string, columns: ResultColumn[]): ((row: Cell[]) => boolean) | undefined {
  const t = text.trim();
  const cmp = OPERATOR.exec(t);
  const isNull = IS_NULL.exec(t);
  if (!cmp && !isNull) return undefined;
  let indexes = columns.map((_, i) => i);
  if (cmp) {
    const raw = cmp[2].trim();
    const numeric = raw !== '' && Number.isFinite(Number(raw));
    const dateLike = /^\d{4}-\d{2}-\d{2}/.test(raw);
    const fits = indexes.filter((i) => {
      const kind = columns[i].kind;
      if (numeric) return kind === 'number';
      if (dateLike) return kind === 'date' || kind === 'timestamp';
      return !isNumericKind(kind);
    });
    // A number compared with text columns only (no number column) still compares as text.
    indexes = fits.length ? fits : indexes;
  }
  const tests = indexes.map((i) => ({ i, test: cellTest({ column: i, text: t }, columns) }));
  const every = (cmp && (cmp[1] === '!=' || cmp[1] === '<>')) || (isNull && !!isNull[1]);
  return every ? (row) => tests.every(({ i, test }) => test(row[i] ?? null)) : (row) => tests.some(({ i, test }) => test(row[i] ?? null));
}

/**
 * A one-column filter: `is null`, `is not null`, comparisons (`> 10`, `<= 2024-01-31`, `= abc`,
 * `!= x`) on the column's kind, else a case-insensitive "contains".
 */
export function cellTest(filter: FilterSpec, columns: ResultColumn[]): (cell: Cell) => boolean {
  const text = filter.text.trim();
  const kind = columns[filter.column]?.kind ?? 'text';
  if (/^is\s+null$/i.test(text)) return (c) => c === null;
  if (/^is\s+not\s+null$/i.test(text)) return (c) => c !== null;
  const cmp = OPERATOR.exec(text);
  if (cmp) {
    const op = cmp[1];
    const raw = cmp[2].trim();
    if (isNumericKind(kind)) {
      const target = numericValue(kind, raw);
      if (Number.isFinite(target)) {
        return (c) => {
          const v = numericValue(kind, c);
          if (!Number.isFinite(v)) return false;
          switch (op) {
            case '>': return v > target;
            case '>=': return v >= target;
            case '<': return v < target;
            case '<=': return v <= target;
            case '=': return v === target;
            default: return v !== target;
          }
        };
      }
    }
    if (op === '=') return (c) => c === raw;
    if (op === '!=' || op === '<>') return (c) => c !== raw;
    return (c) => {
      if (c === null) return false;
      switch (op) {
        case '>': return c > raw;
        case '>=': return c >= raw;
        case '<': return c < raw;
        default: return c <= raw;
      }
    };
  }
  const needle = text.toLowerCase();
  return (c) => c !== null && c.toLowerCase().includes(needle);
}
