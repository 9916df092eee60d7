// The grid's DOM: pooled elements for rows, cells and column headers, reused as the window moves and
// placed with transforms (a row's cells are in flow inside its body: see styles.css). Each remembers what it shows (_key, or numbers for a body cell: a frame
// compares them without making a string per cell) and where (_x, _y, _w), so a frame writes only what
// changed. A row element belongs to the rows `index % capacity` (the slot), so a
// scroll of a few rows rewrites only the rows that came into the window, not every row's cells.
// A row's cells sit in one body element, invisible while the row's data is not there (the row's class:
// `visibility`, not `display`, so its cells keep their layout boxes and filling it lays out only the
// cells whose text changed). Text goes in with textContent or a Text node only.
import type { ResultColumn, ResultsSpec } from '../../src/webview/results/protocol';
import { fill } from '../../src/webview/strings';
import { hostStrings } from '../shared/ipc';

export interface CellEl extends HTMLDivElement {
  _key?: string; _x?: number; _y?: number; _w?: number; _text?: Text;
  /** What a body or gutter cell shows: the view version (-1: redraw), row, column, and selected (1) / focused (2). */
  _v?: number; _r?: number; _c?: number; _f?: number;
}
export interface RowEl extends HTMLDivElement {
  _y?: number; _g: CellEl; _body: HTMLDivElement; _cells: CellEl[]; _loading?: boolean;
  /** The view version and row the cells show, once filled (version -1: none). */
  _showsV?: number; _showsR?: number;
  /** The frame that last used this row. */
  _frame?: number;
}

export class CellPool {
  readonly rows: RowEl[] = [];
  readonly heads: CellEl[] = [];
  /** Row elements in use: at least the rows of the largest window so far (it never shrinks, so rows keep their slot). */
  private capacity = 0;

  constructor(private readonly layer: HTMLElement) {}

  /** Makes room for a window of `rows` rows. Growing moves rows to other slots: they refill. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = rows;
    for (const r of this.rows) r._showsV = -1;
    this.forgetKeys();
  }

  /** The element in row `index`'s slot, if made (it may draw another row). */
  peek(index: number): RowEl | undefined {
    return this.capacity ? this.rows[index % this.capacity] : undefined;
  }

  /** The element that draws row `index` (made on first use), marked as used in `frame`. */
  row(index: number, frame: number): RowEl {
    const slot = index % this.capacity;
    let row = this.rows[slot];
    if (!row) {
      row = document.createElement('div') as RowEl;
      row.className = 'r';
      const g = textCell('g');
      row._g = g;
      row._body = document.createElement('div');
      row._body.className = 'rb';
      row._cells = [];
      row.append(row._body, g);
      this.rows[slot] = row;
      this.layer.append(row);
    }
    row._frame = frame;
    if (row.hidden) row.hidden = false;
    return row;
  }

  /** The i-th visible cell of `row`. */
  cell(row: RowEl, i: number): CellEl {
    let cell = row._cells[i];
    if (!cell) {
      cell = textCell('c');
      row._cells[i] = cell;
      row._body.append(cell);
    }
    if (cell.hidden) cell.hidden = false;
    return cell;
  }

  /** The i-th visible column header. */
  head(i: number): CellEl {
    let el = this.heads[i];
    if (!el) {
      el = document.createElement('div') as CellEl;
      el.className = 'h';
      this.heads[i] = el;
      this.layer.append(el);
    }
    el.hidden = false;
    return el;
  }

  /** Hides the rows `frame` did not use, and the headers from `heads` on. */
  hideUnused(frame: number, heads: number): void {
    for (const r of this.rows) if (r._frame !== frame && !r.hidden) r.hidden = true;
    for (let i = heads; i < this.heads.length; i++) this.heads[i].hidden = true;
  }

  /** Every cell redraws on the next frame. */
  forgetKeys(): void {
    for (const r of this.rows) {
      r._g._v = -1;
      for (const c of r._cells) c._v = -1;
    }
  }
}

/** Whether `row` shows row `index` of view `version` (filled, not loading). */
export function shows(row: RowEl | undefined, version: number, index: number): boolean {
  return !!row && row._showsV === version && row._showsR === index;
}

function textCell(cls: string): CellEl {
  const cell = document.createElement('div') as CellEl;
  cell.className = cls;
  cell._text = document.createTextNode('');
  cell.append(cell._text);
  return cell;
}

export function place(el: CellEl, x: number, y: number, w: number): void {
  if (el._x !== x || el._y !== y) {
    el._x = x;
    el._y = y;
    el.style.transform = `translate(${x}px,${y}px)`;
  }
  setWidth(el, w);
}

export function setWidth(el: CellEl, w: number): void {
  if (el._w !== w) {
    el._w = w;
    el.style.width = `${w}px`;
  }
}

/** A row's body: `x` from the layer's left, `w` wide (the visible columns). */
export function placeBody(row: RowEl, x: number, w: number): void {
  const body = row._body as CellEl;
  if (body._x !== x) {
    body._x = x;
    body.style.transform = `translateX(${x}px)`;
  }
  setWidth(body, w);
}

/** A column header's content: the name, the sort arrow, a resize handle; the tooltip names the type. */
export function fillHeader(h: CellEl, index: number, c: ResultColumn, arrow: string): void {
  const key = `${index}:${c.name}:${arrow}`;
  if (h._key === key) return;
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
  h.title = fill(hostStrings<ResultsSpec>().headerTitle, c.name, c.type ?? c.kind);
  h.dataset.col = String(index);
}
