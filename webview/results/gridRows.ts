// Which rows are visible: rows all have the same height, so the window is arithmetic (no per-row
// measurement). @tanstack/virtual-core keeps the columns, whose widths differ; for rows it builds a
// measurement per row (two float64s and a key each: about 240 MB and a pass over every row whenever the
// count changes, at 10M rows), which a fixed height does not need. Browsers cap element heights (Chromium
// ~33.5M px), so past MAX_SCROLL_PX the scrollbar is scaled: `scale` virtual pixels per physical one.

export const ROW_H = 22;
export const HEADER_H = 26;
const MAX_SCROLL_PX = 15_000_000;
const OVERSCAN = 6;

export interface RowWindow { first: number; last: number }

/**
 * Rows whose data a frame writes into the DOM, at most this many: a frame that fills every row of the
 * window at once (about 50 rows × the visible columns of new text, after a scrollbar jump or when
 * their pages land together) spent 50-80 ms of the renderer's CPU in style, layout and paint (a
 * Chromium trace of the athena-scale grid). The rest show as loading and fill on the next frames.
 */
export const FILL_ROWS_PER_FRAME = 12;

/**
 * Rows a frame fills when its window does not overlap the last frame's (a scrollbar drag or a jump):
 * such a frame also rewrites every row's number and position, and while a drag goes on its rows are
 * gone by the next frame. A Chromium trace of the athena-scale drag: a frame that filled 12 rows took
 * about twice the renderer's CPU of one that filled none.
 */
export const FILL_ROWS_AFTER_JUMP = 6;

/** The fill budget of a frame drawing `cur` after `prev`: FILL_ROWS_AFTER_JUMP when they share no row. */
export function fillBudget(prev: RowWindow | undefined, cur: RowWindow): number {
  const jumped = !prev || prev.last < prev.first || cur.first > prev.last || cur.last < prev.first;
  return jumped ? FILL_ROWS_AFTER_JUMP : FILL_ROWS_PER_FRAME;
}

/**
 * Which rows of [first, last] this frame fills, given which ones `need` a fill (their data has come
 * and they do not show it yet): the rows in view (from `viewFirst` down) before the overscan rows,
 * at most `budget` of them.
 */
export function rowsToFill(first: number, last: number, viewFirst: number, need: (row: number) => boolean, budget = FILL_ROWS_PER_FRAME): Set<number> {
  const out = new Set<number>();
  const start = Math.min(Math.max(viewFirst, first), last + 1);
  for (let i = start; i <= last && out.size < budget; i++) if (need(i)) out.add(i);
  for (let i = start - 1; i >= first && out.size < budget; i--) if (need(i)) out.add(i);
  return out;
}

export class GridRows {
  total = 0;
  scale = 1;

  /** Sets the row count and view height; returns the height of the scrolled content. */
  size(total: number, viewH: number): number {
    this.total = total;
    const virtualH = total * ROW_H;
    const physicalH = Math.min(virtualH, MAX_SCROLL_PX);
    this.scale = virtualH > physicalH && physicalH > viewH ? (virtualH - viewH) / (physicalH - viewH) : 1;
    return physicalH;
  }

  /** The virtual offset of the top of the view for a scrollTop. */
  offset(scrollTop: number): number {
    return scrollTop * this.scale;
  }

  /** Rows [first, last] drawn for a view `viewH` high at `scrollTop` (with a few rows either side); last < first when none. */
  window(scrollTop: number, viewH: number): RowWindow {
    if (!this.total || viewH <= 0) return { first: 0, last: -1 };
    const top = this.offset(scrollTop);
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const last = Math.min(this.total - 1, Math.ceil((top + viewH) / ROW_H) + OVERSCAN);
    return { first, last };
  }

  /** The first row in view at `scrollTop` (the window without the overscan above it). */
  firstInView(scrollTop: number): number {
    return Math.floor(this.offset(scrollTop) / ROW_H);
  }

  /** The row under a point `y` pixels below the header. */
  rowAt(scrollTop: number, y: number): number {
    return Math.floor((y + this.offset(scrollTop)) / ROW_H);
  }

  /** The scrollTop that brings `row` into a view `viewH` high, or undefined when it is already in view. */
  scrollTopFor(row: number, scrollTop: number, viewH: number): number | undefined {
    const top = this.offset(scrollTop);
    const start = row * ROW_H;
    if (start < top) return start / this.scale;
    if (start + ROW_H > top + viewH) return (start + ROW_H - viewH) / this.scale;
    return undefined;
  }
}
