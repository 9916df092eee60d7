// Mouse and keyboard on the grid: hit testing, selection by click, shift-click, gutter and keys,
// column resize by dragging a header's edge, sort by clicking a header, copy (Ctrl+C / Ctrl+Shift+C),
// and a cell's full value as its tooltip.
import type { Cell, ResultsSpec } from '../../src/webview/results/protocol';
import { hostStrings } from '../shared/ipc';
import { HEADER_H, ROW_H } from './gridRows';

export interface Selection { r0: number; c0: number; r1: number; c1: number }
export interface Anchor { r: number; c: number }

/** What the input handlers need from the grid. */
export interface GridSurface {
  readonly element: HTMLDivElement;
  readonly gutter: number;
  readonly total: number;
  readonly columnCount: number;
  selection?: Selection;
  anchor?: Anchor;
  /** The column at content x (past the gutter), and whether x is on its right edge. */
  columnAt(x: number): { col: number; resize: boolean };
  /** The row at y pixels below the header. */
  rowAt(y: number): number;
  cellValue(row: number, col: number): Cell | undefined;
  columnWidth(col: number): number;
  resizeColumn(col: number, width: number): void;
  select(sel: Selection | undefined, anchor?: Anchor): void;
  reveal(row: number, col: number): void;
  sortBy(col: number): void;
  copy(sel: Selection, withHeader: boolean): void;
}

type Hit = { area: 'header' | 'gutter' | 'cell' | 'none'; row: number; col: number; resize?: boolean };

export function attachInput(g: GridSurface): void {
  g.element.addEventListener('mousedown', (e) => onMouseDown(g, e));
  g.element.addEventListener('mouseover', (e) => onHover(g, e));
  g.element.addEventListener('keydown', (e) => onKey(g, e));
}

function hit(g: GridSurface, e: MouseEvent): Hit {
  const el = g.element;
  const rect = el.getBoundingClientRect();
  const x = e.clientX - rect.left;
  const y = e.clientY - rect.top;
  if (x > el.clientWidth || y > el.clientHeight) return { area: 'none', row: -1, col: -1 };
  const { col, resize } = g.columnAt(x - g.gutter + el.scrollLeft);
  if (y < HEADER_H) return { area: x < g.gutter ? 'none' : 'header', row: -1, col, resize };
  const row = g.rowAt(y - HEADER_H);
  if (row < 0 || row >= g.total) return { area: 'none', row: -1, col: -1 };
  if (x < g.gutter) return { area: 'gutter', row, col: -1 };
  return { area: col >= 0 ? 'cell' : 'none', row, col };
}

function onMouseDown(g: GridSurface, e: MouseEvent): void {
  if (e.button !== 0) return;
  const h = hit(g, e);
  if (h.area === 'header' && h.col >= 0) {
    if (h.resize) startResize(g, h.col, e.clientX);
    else g.sortBy(h.col);
    e.preventDefault();
    return;
  }
  if (h.area === 'gutter') {
    const r0 = e.shiftKey && g.selection ? g.selection.r0 : h.row;
    g.select({ r0, r1: h.row, c0: 0, c1: g.columnCount - 1 }, { r: h.row, c: 0 });
  } else if (h.area === 'cell') {
    if (e.shiftKey && g.anchor) g.select({ r0: g.anchor.r, c0: g.anchor.c, r1: h.row, c1: h.col }, g.anchor);
    else g.select({ r0: h.row, c0: h.col, r1: h.row, c1: h.col }, { r: h.row, c: h.col });
  }
}

function startResize(g: GridSurface, col: number, startX: number): void {
  const startW = g.columnWidth(col);
  const move = (ev: MouseEvent) => g.resizeColumn(col, Math.max(40, Math.round(startW + ev.clientX - startX)));
  const up = () => {
    window.removeEventListener('mousemove', move);
    window.removeEventListener('mouseup', up);
  };
  window.addEventListener('mousemove', move);
  window.addEventListener('mouseup', up);
}

function onHover(g: GridSurface, e: MouseEvent): void {
  const t = e.target as HTMLElement;
  if (!t.classList?.contains('c')) return;
  const h = hit(g, e);
  if (h.area !== 'cell') return;
  const v = g.cellValue(h.row, h.col);
  t.title = v === undefined ? '' : v === null ? 'NULL' : v === '' ? hostStrings<ResultsSpec>().emptyString : v.length > 2000 ? `${v.slice(0, 2000)}…` : v;
}

function onKey(g: GridSurface, e: KeyboardEvent): void {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key.toLowerCase() === 'c') {
    if (g.selection) g.copy(g.selection, e.shiftKey);
    e.preventDefault();
    return;
  }
  if (mod && e.key.toLowerCase() === 'a') {
    if (g.total) g.select({ r0: 0, c0: 0, r1: g.total - 1, c1: g.columnCount - 1 }, { r: 0, c: 0 });
    e.preventDefault();
    return;
  }
  const page = Math.max(1, Math.floor((g.element.clientHeight - HEADER_H) / ROW_H) - 1);
  const moves: Record<string, [number, number]> = {
    ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1], PageDown: [page, 0], PageUp: [-page, 0],
  };
  let target: Anchor | undefined;
  const cur = g.selection ? { r: g.selection.r1, c: g.selection.c1 } : { r: 0, c: 0 };
  if (moves[e.key]) target = { r: cur.r + moves[e.key][0], c: cur.c + moves[e.key][1] };
  else if (e.key === 'Home') target = { r: mod ? 0 : cur.r, c: 0 };
  else if (e.key === 'End') target = { r: mod ? g.total - 1 : cur.r, c: g.columnCount - 1 };
  if (!target || !g.total) return;
  e.preventDefault();
  target = { r: Math.max(0, Math.min(g.total - 1, target.r)), c: Math.max(0, Math.min(g.columnCount - 1, target.c)) };
  if (e.shiftKey && g.anchor) g.select({ r0: g.anchor.r, c0: g.anchor.c, r1: target.r, c1: target.c }, g.anchor);
  else g.select({ r0: target.r, c0: target.c, r1: target.r, c1: target.c }, target);
  g.reveal(target.r, target.c);
}
