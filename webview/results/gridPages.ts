// The rows the grid has fetched from the host: pages of PAGE rows for one view version, a few requests
// in flight at a time, the farthest pages dropped past MAX_PAGES. The host keeps every row; this is
// only what is near the visible window.
import type { Cell } from '../../src/webview/results/protocol';

/**
 * Rows a page holds. A window is about 50 rows; while the scrollbar is dragged every frame lands on a
 * new one, and pages of 100 fetched up to 200 rows a frame, most of them never drawn: each one's cells
 * are serialized by the host, copied into the webview and collected later (message tasks and GC in the
 * frames, a Chromium trace of the athena-scale grid). Pages of 32 fetch at most 96.
 */
export const PAGE = 32;
/**
 * Pages kept (4,096 rows, about 80 screens), the farthest from the last one fetched dropped first.
 * Every cached cell is a string the webview's garbage collector marks again in each major GC: 40,000
 * rows × 20 columns kept V8's marking tasks at 3-8 ms each, several a frame, late in a scroll.
 */
const MAX_PAGES = 128;
const MAX_IN_FLIGHT = 6;

export type FetchRows = (version: number, offset: number, count: number) => Promise<{ version: number; offset: number; rows: Cell[][] }>;

export class GridPages {
  private readonly pages = new Map<number, Cell[][]>();
  private readonly inFlight = new Set<number>();
  version = 0;

  /** `onPage` runs when a page of the current version arrives (with its rows). */
  constructor(private readonly fetchRows: FetchRows, private readonly onPage: (rows: Cell[][]) => void) {}

  row(index: number): Cell[] | undefined {
    return this.pages.get(Math.floor(index / PAGE))?.[index % PAGE];
  }

  /** A new view version drops every page. */
  reset(version: number): void {
    this.version = version;
    this.pages.clear();
    this.inFlight.clear();
  }

  /** Rows were appended: the page that held the old last row may have been short. */
  grew(oldTotal: number): void {
    const lastPage = Math.floor(Math.max(0, oldTotal - 1) / PAGE);
    const cached = this.pages.get(lastPage);
    if (cached && cached.length < PAGE) this.pages.delete(lastPage);
  }

  /** Fetches the pages rows [first, last] need, nearest first, a few at a time. */
  request(first: number, last: number): void {
    if (last < first) return;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
      if (this.pages.has(p) || this.inFlight.has(p) || this.inFlight.size >= MAX_IN_FLIGHT) continue;
      this.fetchPage(p);
    }
  }

  private fetchPage(page: number): void {
    const version = this.version;
    this.inFlight.add(page);
    this.fetchRows(version, page * PAGE, PAGE).then(
      (res) => {
        if (res.version !== this.version || version !== this.version) return;
        this.inFlight.delete(page);
        if (res.rows.length) this.pages.set(page, res.rows);
        this.evict(page);
        this.onPage(res.rows);
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
}
