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
