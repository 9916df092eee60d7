// The grid's DOM: pooled elements for rows, cells and column headers, reused as the window moves and
// placed with transforms. Each remembers what it shows (_key) and where (_x, _y, _w), so a frame
// writes only what changed. Text goes in with textContent or a Text node only.
import type { ResultColumn, ResultsSpec } from '../../src/webview/results/protocol';
import { fill } from '../../src/webview/strings';
import { hostStrings } from '../shared/ipc';

export interface CellEl extends HTMLDivElement { _key?: string; _x?: number; _y?: number; _w?: number; _text?: Text }
export interface RowEl extends HTMLDivElement { _y?: number; _g: CellEl; _cells: CellEl[]; _loading?: boolean }

export class CellPool {
  readonly rows: RowEl[] = [];
  readonly heads: CellEl[] = [];

  constructor(private readonly layer: HTMLElement) {}

  /** The i-th visible row's element (made on first use). */
  row(i: number): RowEl {
    let row = this.rows[i];
    if (!row) {
      row = document.createElement('div') as RowEl;
      row.className = 'r';
      const g = textCell('g');
      row._g = g;
      row._cells = [];
      row.append(g);
      this.rows[i] = row;
      this.layer.append(row);
    }
    row.hidden = false;
    return row;
  }

  /** The i-th visible cell of `row`. */
  cell(row: RowEl, i: number): CellEl {
    let cell = row._cells[i];
    if (!cell) {
      cell = textCell('c');
      row._cells[i] = cell;
      row.insertBefore(cell, row._g);
    }
    cell.hidden = false;
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

  /** Hides pooled elements from `rows` rows and `heads` headers on. */
  hideFrom(rows: number, heads: number): void {
    for (let i = rows; i < this.rows.length; i++) this.rows[i].hidden = true;
    for (let i = heads; i < this.heads.length; i++) this.heads[i].hidden = true;
  }

  /** Every cell redraws on the next frame. */
  forgetKeys(): void {
    for (const r of this.rows) {
      r._g._key = undefined;
      for (const c of r._cells) c._key = undefined;
    }
  }
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
  if (el._w !== w) {
    el._w = w;
    el.style.width = `${w}px`;
  }
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
