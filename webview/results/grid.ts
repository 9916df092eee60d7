// The virtualized grid: rows × columns from two @tanstack/virtual-core virtualizers, drawn into a
// sticky layer inside a native scroller (so scrolling, scrollbars and wheel stay native). Only the
// visible window of cells exists in the DOM; rows are fetched from the host in pages and cached.
// Cell text goes in with textContent only.
import { Virtualizer, type VirtualItem } from '@tanstack/virtual-core';
import type { Cell, ResultColumn } from '../../src/webview/results/protocol';

export const ROW_H = 22;
export const HEADER_H = 26;
const PAGE = 100;
const MAX_PAGES = 400;
const MAX_IN_FLIGHT = 6;
/** Browsers cap element heights (Chromium ~33.5M px): beyond this the scrollbar is scaled. */
const MAX_SCROLL_PX = 15_000_000;

export interface Selection { r0: number; c0: number; r1: number; c1: number }

export interface GridHost {
  fetchRows(version: number, offset: number, count: number): Promise<{ version: number; offset: number; rows: Cell[][] }>;
  onSort(column: number): void;
  onCopy(sel: Selection, withHeader: boolean): void;
  onScroll(top: number, left: number): void;
  onFirstPaint?(): void;
}

interface CellEl extends HTMLDivElement { _key?: string; _x?: number; _y?: number; _w?: number; _text?: Text }
interface RowEl extends HTMLDivElement { _y?: number; _g: CellEl; _cells: CellEl[]; _loading?: boolean }

export class Grid {
  readonly element: HTMLDivElement;
  private readonly inner: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private columns: ResultColumn[] = [];
  private widths: number[] = [];
  private total = 0;
  private version = 0;
  private sort?: { column: number; descending: boolean };
  private readonly pages = new Map<number, Cell[][]>();
  private readonly inFlight = new Set<number>();
  private readonly rowV: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private readonly colV: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private scale = 1;
  private gutter = 56;
  private readonly rowEls: RowEl[] = [];
  private readonly heads: CellEl[] = [];
  private readonly corner: HTMLDivElement;
  private frame = 0;
  private selection?: Selection;
  private anchor?: { r: number; c: number };
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

    let scrollTimer: ReturnType<typeof setTimeout> | undefined;
    this.rowV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      count: 0,
      getScrollElement: () => this.element,
      estimateSize: () => ROW_H,
      overscan: 6,
      observeElementRect: (_inst, cb) => this.observeSize(() => cb({ width: this.element.clientWidth, height: Math.max(0, this.element.clientHeight - HEADER_H) })),
      observeElementOffset: (_inst, cb) => {
        const handler = () => {
          cb(this.element.scrollTop * this.scale, true);
          if (scrollTimer) clearTimeout(scrollTimer);
          scrollTimer = setTimeout(() => cb(this.element.scrollTop * this.scale, false), 150);
        };
        this.element.addEventListener('scroll', handler, { passive: true });
        cb(this.element.scrollTop * this.scale, false);
        return () => this.element.removeEventListener('scroll', handler);
      },
      scrollToFn: (offset) => { this.element.scrollTop = offset / this.scale; },
      onChange: () => this.schedule(),
    });
    this.colV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      count: 0,
      horizontal: true,
      getScrollElement: () => this.element,
      estimateSize: (i) => this.widths[i] ?? 120,
      overscan: 2,
      observeElementRect: (_inst, cb) => this.observeSize(() => cb({ width: Math.max(0, this.element.clientWidth - this.gutter), height: this.element.clientHeight })),
      observeElementOffset: (_inst, cb) => {
        const handler = () => cb(this.element.scrollLeft, false);
        this.element.addEventListener('scroll', handler, { passive: true });
        cb(this.element.scrollLeft, false);
        return () => this.element.removeEventListener('scroll', handler);
      },
      scrollToFn: (offset) => { this.element.scrollLeft = offset; },
      onChange: () => this.schedule(),
    });
    this.element.addEventListener('scroll', () => this.host.onScroll(this.element.scrollTop, this.element.scrollLeft), { passive: true });
    this.element.addEventListener('mousedown', (e) => this.onMouseDown(e));
    this.element.addEventListener('mouseover', (e) => this.onHover(e));
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Call once the element is in the document. */
  mount(): void {
    const probe = document.createElement('canvas').getContext('2d');
    if (probe) {
      const cs = getComputedStyle(this.element);
      probe.font = `${cs.fontSize} ${cs.fontFamily}`;
      this.charWidth = probe.measureText('0000000000').width / 10 || this.charWidth;
    }
    this.cleanups.push(this.rowV._didMount(), this.colV._didMount());
    this.rowV._willUpdate();
    this.colV._willUpdate();
    this.layout();
  }

  private observeSize(cb: () => void): () => void {
    const ro = new ResizeObserver(() => {
      cb();
      this.layout();
    });
    ro.observe(this.element);
    cb();
    return () => ro.disconnect();
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

  /** A new view (sort/filter) or more rows. A new version drops every cached page. */
  setView(version: number, total: number, sort?: { column: number; descending: boolean }): void {
    if (version !== this.version) {
      this.version = version;
      this.pages.clear();
      this.inFlight.clear();
      this.forgetKeys();
    } else if (total !== this.total) {
      // Rows appended: the last page may have been short.
      const lastPage = Math.floor(Math.max(0, this.total - 1) / PAGE);
      const cached = this.pages.get(lastPage);
      if (cached && cached.length < PAGE) this.pages.delete(lastPage);
    }
    this.sort = sort;
    this.total = total;
    if (this.selection) this.clampSelection();
    this.rowV.setOptions({ ...this.rowV.options, count: total });
    this.rowV._willUpdate();
    this.layout();
  }

  private clampSelection(): void {
    const s = this.selection!;
    if (this.total === 0) this.selection = undefined;
    else this.selection = { ...s, r0: Math.min(s.r0, this.total - 1), r1: Math.min(s.r1, this.total - 1) };
  }

  /** Recomputes sizes (content size, gutter, scale), then renders. */
  private layout(): void {
    const digits = String(Math.max(1, this.total)).length;
    const gutter = Math.max(40, Math.round(digits * this.charWidth + 18));
    if (gutter !== this.gutter) {
      this.gutter = gutter;
      this.colV.setOptions({ ...this.colV.options });
    }
    const viewH = Math.max(0, this.element.clientHeight - HEADER_H);
    const virtualH = this.total * ROW_H;
    const physicalH = Math.min(virtualH, MAX_SCROLL_PX);
    this.scale = virtualH > physicalH && physicalH > viewH ? (virtualH - viewH) / (physicalH - viewH) : 1;
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

  private rowAt(index: number): Cell[] | undefined {
    return this.pages.get(Math.floor(index / PAGE))?.[index % PAGE];
  }

  private render(): void {
    const rows = this.rowV.getVirtualItems();
    const cols = this.colV.getVirtualItems();
    this.request(rows);
    const top = this.element.scrollTop * this.scale;
    const left = this.element.scrollLeft;
    const sel = this.selection;
    let anyLoaded = false;
    for (let ci = 0; ci < cols.length; ci++) this.placeHeader(ci, cols[ci], left);
    for (let i = cols.length; i < this.heads.length; i++) this.heads[i].hidden = true;
    // One element per visible row, moved as a whole; its cells only move when columns scroll.
    for (let ri = 0; ri < rows.length; ri++) {
      const item = rows[ri];
      const row = this.rowSlot(ri);
      const y = Math.round(HEADER_H + item.start - top);
      if (row._y !== y) {
        row._y = y;
        row.style.transform = `translateY(${y}px)`;
      }
      const data = this.rowAt(item.index);
      if (data) anyLoaded = true;
      const rowSelected = !!sel && item.index >= Math.min(sel.r0, sel.r1) && item.index <= Math.max(sel.r0, sel.r1);
      const g = row._g;
      if (g._w !== this.gutter) {
        g._w = this.gutter;
        g.style.width = `${this.gutter}px`;
      }
      const gkey = `${item.index}:${rowSelected ? 1 : 0}`;
      if (g._key !== gkey) {
        g._key = gkey;
        g._text!.data = String(item.index + 1);
        g.className = rowSelected ? 'g sel' : 'g';
      }
      // A row whose page has not arrived shows only its number: one class change instead of a write
      // per cell, which keeps frames short while the scrollbar is dragged across a million rows.
      const loading = !data;
      if (row._loading !== loading) {
        row._loading = loading;
        row.className = loading ? 'r loading' : 'r';
      }
      if (loading) continue;
      for (let ci = 0; ci < cols.length; ci++) {
        const col = cols[ci];
        const cell = this.cellSlot(row, ci);
        this.place(cell, Math.round(this.gutter + col.start - left), 0, col.size);
        const selected = rowSelected && col.index >= Math.min(sel!.c0, sel!.c1) && col.index <= Math.max(sel!.c0, sel!.c1);
        const focused = selected && this.anchor?.r === item.index && this.anchor.c === col.index && (sel!.r0 !== sel!.r1 || sel!.c0 !== sel!.c1);
        const key = `${this.version}:${item.index}:${col.index}:${selected ? 1 : 0}${focused ? 1 : 0}`;
        if (cell._key === key) continue;
        cell._key = key;
        const kind = this.columns[col.index]?.kind;
        let cls = kind === 'number' ? 'c num' : 'c';
        if (item.index % 2) cls += ' odd';
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
      for (let ci = cols.length; ci < row._cells.length; ci++) row._cells[ci].hidden = true;
    }
    for (let i = rows.length; i < this.rowEls.length; i++) this.rowEls[i].hidden = true;
    if (anyLoaded && !this.painted) {
      this.painted = true;
      // After the next frame is painted: rAF, then a task.
      requestAnimationFrame(() => setTimeout(() => {
        performance.mark('results:first-paint');
        this.host.onFirstPaint?.();
      }, 0));
    }
  }

  private rowSlot(i: number): RowEl {
    let row = this.rowEls[i];
    if (!row) {
      row = document.createElement('div') as RowEl;
      row.className = 'r';
      const g = document.createElement('div') as CellEl;
      g.className = 'g';
      g._text = document.createTextNode('');
      g.append(g._text);
      row._g = g;
      row._cells = [];
      row.append(g);
      this.rowEls[i] = row;
      this.layer.append(row);
    }
    row.hidden = false;
    return row;
  }

  private cellSlot(row: RowEl, i: number): CellEl {
    let cell = row._cells[i];
    if (!cell) {
      cell = document.createElement('div') as CellEl;
      cell.className = 'c';
      cell._text = document.createTextNode('');
      cell.append(cell._text);
      row._cells[i] = cell;
      row.insertBefore(cell, row._g);
    }
    cell.hidden = false;
    return cell;
  }

  private placeHeader(ci: number, col: VirtualItem, left: number): void {
    const h = this.slot(this.heads, ci, 'h');
    this.place(h, Math.round(this.gutter + col.start - left), 0, col.size);
    const c = this.columns[col.index];
    const arrow = this.sort?.column === col.index ? (this.sort.descending ? '▼' : '▲') : '';
    const key = `${col.index}:${c?.name}:${arrow}`;
    if (h._key === key || !c) return;
    h._key = key;
    h.className = c.kind === 'number' ? 'h num' : 'h';
    h.replaceChildren();
    const name = document.createElement('span');
    name.textContent = c.name;
    h.append(name);
    if (arrow) {
      const a = document.createElement('span');
      a.className = 'arrow';
      a.textContent = arrow;
      h.append(a);
    }
    const resize = document.createElement('div');
    resize.className = 'resize';
    h.append(resize);
    h.title = `${c.name}: ${c.type ?? c.kind}\nClick to sort.`;
    h.dataset.col = String(col.index);
  }

  private slot(pool: CellEl[], i: number, cls: string): CellEl {
    let el = pool[i];
    if (!el) {
      el = document.createElement('div') as CellEl;
      el.className = cls;
      pool[i] = el;
      this.layer.append(el);
    }
    el.hidden = false;
    return el;
  }

  private place(el: CellEl, x: number, y: number, w: number): void {
    if (el._x !== x || el._y !== y) {
      el._x = x;
      el._y = y;
      el.style.transform = `translate(${x}px,${y}px)`;
    }
    if (el._w !== w) {
      el._w = w;
      el.style.width = `${w}px`;
    }
  }

  /** Fetches the pages the visible rows need, nearest first, a few at a time. */
  private request(rows: VirtualItem[]): void {
    if (!rows.length) return;
    const first = Math.floor(rows[0].index / PAGE);
    const last = Math.floor(rows[rows.length - 1].index / PAGE);
    for (let p = first; p <= last; p++) {
      if (this.pages.has(p) || this.inFlight.has(p) || this.inFlight.size >= MAX_IN_FLIGHT) continue;
      this.fetchPage(p);
    }
  }

  private fetchPage(page: number): void {
    const version = this.version;
    this.inFlight.add(page);
    this.host.fetchRows(version, page * PAGE, PAGE).then(
      (res) => {
        if (res.version !== this.version || version !== this.version) return;
        this.inFlight.delete(page);
        if (res.rows.length) this.pages.set(page, res.rows);
        if (!this.painted) performance.mark('results:first-window');
        this.sizeFromRows(res.rows);
        this.evict(page);
        this.schedule();
      },
      () => {
        if (version === this.version) this.inFlight.delete(page);
      },
    );
  }

  private evict(near: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
    for (const p of far.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(p);
  }

  // ---- interaction ----
  private hit(e: MouseEvent): { area: 'header' | 'gutter' | 'cell' | 'none'; row: number; col: number; resize?: boolean } {
    const rect = this.element.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    if (x > this.element.clientWidth || y > this.element.clientHeight) return { area: 'none', row: -1, col: -1 };
    let col = -1;
    let resize = false;
    const cx = x - this.gutter + this.element.scrollLeft;
    for (const c of this.colV.getVirtualItems()) {
      if (cx >= c.start && cx < c.end) {
        col = c.index;
        resize = c.end - cx <= 6;
        break;
      }
    }
    const row = Math.floor((y - HEADER_H + this.element.scrollTop * this.scale) / ROW_H);
    if (y < HEADER_H) return { area: x < this.gutter ? 'none' : 'header', row: -1, col, resize };
    if (row < 0 || row >= this.total) return { area: 'none', row: -1, col: -1 };
    if (x < this.gutter) return { area: 'gutter', row, col: -1 };
    return { area: col >= 0 ? 'cell' : 'none', row, col };
  }

  private onMouseDown(e: MouseEvent): void {
    if (e.button !== 0) return;
    const h = this.hit(e);
    if (h.area === 'header' && h.col >= 0) {
      if (h.resize) this.startResize(h.col, e.clientX);
      else this.host.onSort(h.col);
      e.preventDefault();
      return;
    }
    if (h.area === 'gutter') {
      const r0 = e.shiftKey && this.selection ? this.selection.r0 : h.row;
      this.select({ r0, r1: h.row, c0: 0, c1: this.columns.length - 1 }, { r: h.row, c: 0 });
    } else if (h.area === 'cell') {
      if (e.shiftKey && this.anchor) this.select({ r0: this.anchor.r, c0: this.anchor.c, r1: h.row, c1: h.col }, this.anchor);
      else this.select({ r0: h.row, c0: h.col, r1: h.row, c1: h.col }, { r: h.row, c: h.col });
    }
  }

  private startResize(col: number, startX: number): void {
    const startW = this.widths[col];
    const move = (ev: MouseEvent) => {
      this.widths[col] = Math.max(40, Math.round(startW + ev.clientX - startX));
      this.colV.measure();
      this.layout();
    };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }

  private onHover(e: MouseEvent): void {
    const t = e.target as CellEl;
    if (!t.classList?.contains('c')) return;
    const h = this.hit(e);
    if (h.area !== 'cell') return;
    const v = this.rowAt(h.row)?.[h.col];
    t.title = v === undefined ? '' : v === null ? 'NULL' : v === '' ? '(empty string)' : v.length > 2000 ? `${v.slice(0, 2000)}…` : v;
  }

  select(sel: Selection | undefined, anchor?: { r: number; c: number }): void {
    this.selection = sel;
    this.anchor = anchor;
    this.forgetKeys();
    this.schedule();
  }

  getSelection(): Selection | undefined { return this.selection; }

  /** Every cell redraws on the next frame. */
  private forgetKeys(): void {
    for (const r of this.rowEls) {
      r._g._key = undefined;
      for (const c of r._cells) c._key = undefined;
    }
  }

  private onKey(e: KeyboardEvent): void {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 'c') {
      if (this.selection) this.host.onCopy(this.selection, e.shiftKey);
      e.preventDefault();
      return;
    }
    if (mod && e.key.toLowerCase() === 'a') {
      if (this.total) this.select({ r0: 0, c0: 0, r1: this.total - 1, c1: this.columns.length - 1 }, { r: 0, c: 0 });
      e.preventDefault();
      return;
    }
    const page = Math.max(1, Math.floor((this.element.clientHeight - HEADER_H) / ROW_H) - 1);
    const moves: Record<string, [number, number]> = {
      ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1], PageDown: [page, 0], PageUp: [-page, 0],
    };
    let target: { r: number; c: number } | undefined;
    const cur = this.selection ? { r: this.selection.r1, c: this.selection.c1 } : { r: 0, c: 0 };
    if (moves[e.key]) target = { r: cur.r + moves[e.key][0], c: cur.c + moves[e.key][1] };
    else if (e.key === 'Home') target = { r: mod ? 0 : cur.r, c: 0 };
    else if (e.key === 'End') target = { r: mod ? this.total - 1 : cur.r, c: this.columns.length - 1 };
    if (!target || !this.total) return;
    e.preventDefault();
    target = { r: Math.max(0, Math.min(this.total - 1, target.r)), c: Math.max(0, Math.min(this.columns.length - 1, target.c)) };
    if (e.shiftKey && this.anchor) this.select({ r0: this.anchor.r, c0: this.anchor.c, r1: target.r, c1: target.c }, this.anchor);
    else this.select({ r0: target.r, c0: target.c, r1: target.r, c1: target.c }, target);
    this.rowV.scrollToIndex(target.r, { align: 'auto' });
    this.colV.scrollToIndex(target.c, { align: 'auto' });
  }

  dispose(): void {
    for (const c of this.cleanups.splice(0)) c();
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}
