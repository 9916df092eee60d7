// The virtualized grid: fixed-height rows (gridRows.ts) × columns from a @tanstack/virtual-core
// virtualizer, drawn into a sticky layer inside a native scroller (so scrolling, scrollbars and wheel
// stay native). Only the visible window of cells exists in the DOM (gridCells.ts); rows come from the
// host in pages (gridPages.ts); mouse and keys are in gridInput.ts. Cell text goes in as text only.
import { Virtualizer } from '@tanstack/virtual-core';
import type { Cell, ResultColumn } from '../../src/webview/results/protocol';
import { CellPool, fillHeader, place, placeBody, setWidth, shows } from './gridCells';
import { attachInput, type Anchor, type GridSurface, type Selection } from './gridInput';
import { GridPages } from './gridPages';
import { fillBudget, GridRows, HEADER_H, ROW_H, rowsToFill, type RowWindow } from './gridRows';

export { HEADER_H, ROW_H } from './gridRows';
export type { Selection } from './gridInput';

export interface GridHost {
  fetchRows(version: number, offset: number, count: number): Promise<{ version: number; offset: number; rows: Cell[][] }>;
  onSort(column: number): void;
  onCopy(sel: Selection, withHeader: boolean): void;
  onScroll(top: number, left: number): void;
  onFirstPaint?(): void;
}

export class Grid implements GridSurface {
  readonly element: HTMLDivElement;
  private readonly inner: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private columns: ResultColumn[] = [];
  private widths: number[] = [];
  private sort?: { column: number; descending: boolean };
  private readonly pages: GridPages;
  private readonly rows = new GridRows();
  private readonly colV: Virtualizer<HTMLDivElement, HTMLDivElement>;
  gutter = 56;
  private readonly cells: CellPool;
  private readonly corner: HTMLDivElement;
  private frame = 0;
  private frameNo = 0;
  /** The rows the last frame drew. */
  private lastWindow?: RowWindow;
  selection?: Selection;
  anchor?: Anchor;
  private painted = false;
  private readonly cleanups: (() => void)[] = [];
  private charWidth = 7.5;
  private sizedFromData = false;

  constructor(private readonly host: GridHost) {
    this.element = document.createElement('div');
    this.element.className = 'grid';
    this.element.tabIndex = 0;
    this.inner = document.createElement('div');
    this.inner.className = 'grid-inner';
    this.layer = document.createElement('div');
    this.layer.className = 'grid-layer';
    this.corner = document.createElement('div');
    this.corner.className = 'corner';
    this.corner.textContent = '#';
    this.layer.append(this.corner);
    this.inner.append(this.layer);
    this.element.append(this.inner);
    this.cells = new CellPool(this.layer);
    this.pages = new GridPages((version, offset, count) => host.fetchRows(version, offset, count), (rows) => {
      if (!this.painted) performance.mark('results:first-window');
      this.sizeFromRows(rows);
      this.schedule();
    });

    this.colV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      count: 0,
      horizontal: true,
      getScrollElement: () => this.element,
      estimateSize: (i) => this.widths[i] ?? 120,
      overscan: 2,
      observeElementRect: (_inst, cb) => {
        const ro = new ResizeObserver(() => {
          cb({ width: Math.max(0, this.element.clientWidth - this.gutter), height: this.element.clientHeight });
          this.layout();
        });
        ro.observe(this.element);
        cb({ width: Math.max(0, this.element.clientWidth - this.gutter), height: this.element.clientHeight });
        return () => ro.disconnect();
      },
      observeElementOffset: (_inst, cb) => {
        const handler = () => cb(this.element.scrollLeft, false);
        this.element.addEventListener('scroll', handler, { passive: true });
        cb(this.element.scrollLeft, false);
        return () => this.element.removeEventListener('scroll', handler);
      },
      scrollToFn: (offset) => { this.element.scrollLeft = offset; },
      onChange: () => this.schedule(),
    });
    this.element.addEventListener('scroll', () => {
      this.schedule();
      this.host.onScroll(this.element.scrollTop, this.element.scrollLeft);
    }, { passive: true });
    attachInput(this);
  }

  /** Call once the element is in the document. */
  mount(): void {
    const probe = document.createElement('canvas').getContext('2d');
    if (probe) {
      const cs = getComputedStyle(this.element);
      probe.font = `${cs.fontSize} ${cs.fontFamily}`;
      this.charWidth = probe.measureText('0000000000').width / 10 || this.charWidth;
    }
    this.cleanups.push(this.colV._didMount());
    this.colV._willUpdate();
    this.layout();
  }

  setColumns(columns: ResultColumn[]): void {
    const same = columns.length === this.columns.length && columns.every((c, i) => c.name === this.columns[i].name && c.kind === this.columns[i].kind);
    this.columns = columns;
    if (!same) {
      this.widths = columns.map((c) => this.initialWidth(c));
      this.sizedFromData = false;
      this.selection = undefined;
      this.colV.setOptions({ ...this.colV.options, count: columns.length });
      this.colV.measure();
      this.colV._willUpdate();
    }
    this.layout();
  }

  private initialWidth(c: ResultColumn): number {
    const byKind = c.kind === 'timestamp' ? 23 : c.kind === 'date' ? 11 : c.kind === 'number' ? 10 : c.kind === 'boolean' ? 6 : 16;
    return Math.round(Math.min(360, Math.max(64, Math.max(byKind, c.name.length + 3) * this.charWidth + 16)));
  }

  /** Sizes columns to their content once the first rows arrive. */
  private sizeFromRows(rows: Cell[][]): void {
    if (this.sizedFromData || !rows.length) return;
    this.sizedFromData = true;
    this.widths = this.columns.map((c, i) => {
      let longest = c.name.length + 3;
      for (const r of rows.slice(0, 50)) longest = Math.max(longest, Math.min(60, (r[i] ?? 'NULL').length));
      return Math.round(Math.min(420, Math.max(56, longest * this.charWidth + 16)));
    });
    this.colV.measure();
    this.layout();
  }

  get total(): number { return this.rows.total; }
  get columnCount(): number { return this.columns.length; }

  /** A new view (sort/filter) or more rows. A new version drops every cached page. */
  setView(version: number, total: number, sort?: { column: number; descending: boolean }): void {
    if (version !== this.pages.version) {
      this.pages.reset(version);
      this.cells.forgetKeys();
    } else if (total !== this.rows.total) {
      this.pages.grew(this.rows.total);
    }
    this.sort = sort;
    this.rows.total = total;
    if (this.selection) this.clampSelection();
    this.layout();
  }

  private clampSelection(): void {
    const s = this.selection!;
    if (this.total === 0) this.selection = undefined;
    else this.selection = { ...s, r0: Math.min(s.r0, this.total - 1), r1: Math.min(s.r1, this.total - 1) };
  }

  private get viewH(): number { return Math.max(0, this.element.clientHeight - HEADER_H); }

  /** Recomputes sizes (content size, gutter, scale), then renders. */
  private layout(): void {
    const digits = String(Math.max(1, this.total)).length;
    const gutter = Math.max(40, Math.round(digits * this.charWidth + 18));
    if (gutter !== this.gutter) {
      this.gutter = gutter;
      this.colV.setOptions({ ...this.colV.options });
    }
    const physicalH = this.rows.size(this.total, this.viewH);
    const width = this.gutter + this.widths.reduce((a, b) => a + b, 0);
    this.inner.style.width = `${width}px`;
    this.inner.style.height = `${HEADER_H + physicalH}px`;
    this.layer.style.width = `${this.element.clientWidth}px`;
    this.layer.style.height = `${this.element.clientHeight}px`;
    this.corner.style.width = `${this.gutter}px`;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  scrollTo(top: number, left: number): void {
    this.element.scrollTop = top;
    this.element.scrollLeft = left;
  }

  private render(): void {
    const scrollTop = this.element.scrollTop;
    const { first, last } = this.rows.window(scrollTop, this.viewH);
    const cols = this.colV.getVirtualItems();
    this.pages.request(first, last);
    const top = this.rows.offset(scrollTop);
    const left = this.element.scrollLeft;
    const sel = this.selection;
    let anyLoaded = false;
    for (let ci = 0; ci < cols.length; ci++) {
      const col = cols[ci];
      const h = this.cells.head(ci);
      place(h, Math.round(this.gutter + col.start - left), 0, col.size);
      const c = this.columns[col.index];
      if (c) fillHeader(h, col.index, c, this.sort?.column === col.index ? (this.sort.descending ? '▼' : '▲') : '');
    }
    // One element per visible row, moved as a whole; its cells only move when columns scroll. A row
    // keeps its element while it stays in the window, and at most FILL_ROWS_PER_FRAME rows get new
    // data a frame (those in view first); the others show as loading until a next frame fills them.
    const frameNo = ++this.frameNo;
    const version = this.pages.version;
    this.cells.reserve(last - first + 1);
    const fill = rowsToFill(first, last, this.rows.firstInView(scrollTop), (index) => !shows(this.cells.peek(index), version, index) && !!this.pages.row(index), fillBudget(this.lastWindow, { first, last }));
    this.lastWindow = { first, last };
    const selR0 = sel ? Math.min(sel.r0, sel.r1) : 0;
    const selR1 = sel ? Math.max(sel.r0, sel.r1) : -1;
    const selC0 = sel ? Math.min(sel.c0, sel.c1) : 0;
    const selC1 = sel ? Math.max(sel.c0, sel.c1) : -1;
    const multi = !!sel && (sel.r0 !== sel.r1 || sel.c0 !== sel.c1);
    let unfilled = false;
    // The visible columns are consecutive: a row's cells flow left to right in its body, which moves as
    // one when columns scroll (cells in flow, not each placed and clipped on its own layer).
    const bodyX = cols.length ? Math.round(this.gutter + cols[0].start - left) : 0;
    const bodyW = cols.length ? cols[cols.length - 1].end - cols[0].start : 0;
    for (let index = first; index <= last; index++) {
      const row = this.cells.row(index, frameNo);
      const y = Math.round(HEADER_H + index * ROW_H - top);
      if (row._y !== y) {
        row._y = y;
        row.style.transform = `translateY(${y}px)`;
      }
      let data = this.pages.row(index);
      if (data && !shows(row, version, index)) {
        if (fill.has(index)) {
          row._showsV = version;
          row._showsR = index;
        } else {
          data = undefined;
          unfilled = true;
        }
      }
      if (data) anyLoaded = true;
      const rowSelected = index >= selR0 && index <= selR1;
      const g = row._g;
      if (g._w !== this.gutter) {
        g._w = this.gutter;
        g.style.width = `${this.gutter}px`;
      }
      const gf = rowSelected ? 1 : 0;
      if (g._v !== 0 || g._r !== index || g._f !== gf) {
        g._v = 0;
        g._r = index;
        g._f = gf;
        g._text!.data = String(index + 1);
        g.className = rowSelected ? 'g sel' : 'g';
      }
      // A row whose data is not drawn yet shows only its number: its cells' body is invisible (the
      // row's class), which keeps frames short while the scrollbar is dragged across a million rows.
      const loading = !data;
      if (row._loading !== loading) {
        row._loading = loading;
        row.className = loading ? 'r loading' : 'r';
      }
      if (!data) continue;
      placeBody(row, bodyX, bodyW);
      for (let ci = 0; ci < cols.length; ci++) {
        const col = cols[ci];
        const cell = this.cells.cell(row, ci);
        setWidth(cell, col.size);
        const selected = rowSelected && col.index >= selC0 && col.index <= selC1;
        const focused = selected && multi && this.anchor?.r === index && this.anchor.c === col.index;
        const flags = (selected ? 1 : 0) | (focused ? 2 : 0);
        if (cell._v === version && cell._r === index && cell._c === col.index && cell._f === flags) continue;
        cell._v = version;
        cell._r = index;
        cell._c = col.index;
        cell._f = flags;
        const kind = this.columns[col.index]?.kind;
        let cls = kind === 'number' ? 'c num' : 'c';
        if (index % 2) cls += ' odd';
        let text: string;
        const v = data[col.index];
        if (v === null || v === undefined) {
          text = 'NULL';
          cls += ' null';
        } else {
          text = v.length > 500 ? `${v.slice(0, 500)}…` : v;
        }
        if (cell._text!.data !== text) cell._text!.data = text;
        if (selected) cls += ' sel';
        if (focused) cls += ' focus';
        if (cell.className !== cls) cell.className = cls;
      }
      for (let ci = cols.length; ci < row._cells.length; ci++) if (!row._cells[ci].hidden) row._cells[ci].hidden = true;
    }
    this.cells.hideUnused(frameNo, cols.length);
    if (unfilled) this.schedule();
    if (anyLoaded && !this.painted) {
      this.painted = true;
      // After the next frame is painted: rAF, then a task.
      requestAnimationFrame(() => setTimeout(() => {
        performance.mark('results:first-paint');
        this.host.onFirstPaint?.();
      }, 0));
    }
  }

  // ---- GridSurface (gridInput.ts) ----
  columnAt(x: number): { col: number; resize: boolean } {
    for (const c of this.colV.getVirtualItems()) {
      if (x >= c.start && x < c.end) return { col: c.index, resize: c.end - x <= 6 };
    }
    return { col: -1, resize: false };
  }

  rowAt(y: number): number { return this.rows.rowAt(this.element.scrollTop, y); }
  cellValue(row: number, col: number): Cell | undefined { return this.pages.row(row)?.[col]; }
  columnWidth(col: number): number { return this.widths[col]; }

  resizeColumn(col: number, width: number): void {
    this.widths[col] = width;
    this.colV.measure();
    this.layout();
  }

  sortBy(col: number): void { this.host.onSort(col); }
  copy(sel: Selection, withHeader: boolean): void { this.host.onCopy(sel, withHeader); }

  reveal(row: number, col: number): void {
    const top = this.rows.scrollTopFor(row, this.element.scrollTop, this.viewH);
    if (top !== undefined) this.element.scrollTop = top;
    this.colV.scrollToIndex(col, { align: 'auto' });
  }

  select(sel: Selection | undefined, anchor?: Anchor): void {
    this.selection = sel;
    this.anchor = anchor;
    this.cells.forgetKeys();
    this.schedule();
  }

  getSelection(): Selection | undefined { return this.selection; }

  dispose(): void {
    for (const c of this.cleanups.splice(0)) c();
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}
