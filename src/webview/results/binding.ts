// Serves one ResultSet to the results webview over the shared protocol: windows of rows, the
// sort/filter view, chart series, copy. Pure (no vscode), so tests drive it with a real webview page.
import type { Endpoint } from '../protocol';
import { check } from '../validate';
import { copyText } from './export';
import { MAX_FILTER_TEXT, type ChartRequest, type RestoreDescriptor, type ResultsSpec, type ResultsState, type ViewSpec } from './protocol';
import type { ResultSet, ResultSetEvent } from './resultSet';

export interface ResultsContent {
  title: string;
  resultSet: ResultSet;
  /** Query text for the Stats tab. */
  query?: string;
  /** How to reopen these results after a restart: handed to the restorer registered for `kind`. */
  restore?: RestoreDescriptor;
}

export interface BindingHooks {
  writeClipboard(text: string): Promise<void>;
  /** Streams the current view to a file the user picks. */
  exportToFile(content: ResultsContent, format: 'csv' | 'json'): Promise<{ path?: string }>;
  info?(message: string): void;
}

/** Minimum gap between progress notifications to the webview while rows stream in. */
export const NOTIFY_INTERVAL_MS = 100;
/** Largest window one getRows answers. */
export const MAX_WINDOW_ROWS = 2000;

type Params<M extends keyof ResultsSpec['hostRequests']> = ResultsSpec['hostRequests'][M]['params'];

// What the webview may ask, checked before a handler runs (src/webview/validate.ts).
const ROW = check.int(0, 2 ** 31 - 1);
const MAX_COLUMNS = 10_000;
const COLUMN = check.int(0, MAX_COLUMNS);
export const resultsChecks = {
  getRows: check.object<Params<'getRows'>>({ version: ROW, offset: ROW, count: check.int(0, MAX_WINDOW_ROWS) }),
  setView: check.object<ViewSpec>({
    sort: check.optional(check.object({ column: COLUMN, descending: check.boolean })),
    filter: check.optional(check.object({ column: check.int(-1, MAX_COLUMNS), text: check.string(MAX_FILTER_TEXT) })),
  }),
  cancelView: check.object<Params<'cancelView'>>({}),
  chartData: check.object<ChartRequest>({ x: COLUMN, ys: check.array(COLUMN, MAX_COLUMNS), splitBy: check.optional(COLUMN) }),
  copy: check.object<Params<'copy'>>({ from: ROW, to: ROW, columns: check.optional(check.array(COLUMN, MAX_COLUMNS)), header: check.optional(check.boolean), spreadsheetSafe: check.optional(check.boolean) }),
  export: check.object<Params<'export'>>({ format: check.oneOf(['csv', 'json'] as const) }),
};

export class ResultsBinding {
  private content!: ResultsContent;
  private unsubscribe?: () => void;
  private throttle?: ReturnType<typeof setTimeout>;
  private lastNotify = 0;

  constructor(private readonly ep: Endpoint<ResultsSpec, 'host'>, hooks: BindingHooks, content: ResultsContent) {
    ep.on('ready', () => ep.notify('state', this.state()));
    ep.handle('getRows', ({ version, offset, count }) => {
      const rs = this.content.resultSet;
      // A window asked for before the view changed: answer with the current version so the webview drops it.
      const current = rs.viewInfo().version;
      return { version: current, offset, rows: version === current ? rs.getRows(offset, count) : [] };
    }, resultsChecks.getRows);
    ep.handle('setView', (spec) => this.content.resultSet.setView(spec), resultsChecks.setView);
    ep.handle('cancelView', () => this.content.resultSet.cancelView(), resultsChecks.cancelView);
    ep.handle('chartData', (req) => this.content.resultSet.chartData(req), resultsChecks.chartData);
    ep.handle('copy', async ({ from, to, columns, header, spreadsheetSafe }) => {
      const { text, rows, truncated } = copyText(this.content.resultSet, from, to, columns, { header, spreadsheetSafe });
      await hooks.writeClipboard(text);
      if (truncated) hooks.info?.(`Copied the first ${rows.toLocaleString('en-US')} rows of the selection.`);
      return { rows };
    }, resultsChecks.copy);
    ep.handle('export', ({ format }) => hooks.exportToFile(this.content, format), resultsChecks.export);
    this.setContent(content);
  }

  get current(): ResultsContent { return this.content; }

  /** Replaces what the webview shows (e.g. the same statement run again) and sends the full state. */
  setContent(content: ResultsContent): void {
    this.unsubscribe?.();
    this.content = content;
    this.unsubscribe = content.resultSet.on((e) => this.onEvent(e));
    this.ep.notify('state', this.state());
  }

  state(): ResultsState {
    const rs = this.content.resultSet;
    return {
      title: this.content.title,
      columns: rs.columns,
      status: rs.status,
      view: rs.viewInfo(),
      details: rs.details,
      source: rs.source,
      query: this.content.query,
      restore: this.content.restore,
      canExport: true,
    };
  }

  private onEvent(e: ResultSetEvent): void {
    const rs = this.content.resultSet;
    switch (e.type) {
      case 'rows': {
        // Rows arrive in bursts: tell the webview at most every NOTIFY_INTERVAL_MS.
        if (this.throttle) return;
        const wait = Math.max(0, this.lastNotify + NOTIFY_INTERVAL_MS - Date.now());
        this.throttle = setTimeout(() => {
          this.throttle = undefined;
          this.lastNotify = Date.now();
          this.ep.notify('status', rs.status);
          this.ep.notify('view', rs.viewInfo());
        }, wait);
        return;
      }
      case 'status':
        if (this.throttle) {
          clearTimeout(this.throttle);
          this.throttle = undefined;
        }
        this.ep.notify('status', e.status);
        this.ep.notify('view', rs.viewInfo());
        return;
      case 'view':
        this.ep.notify('view', e.view);
        return;
      case 'details':
        this.ep.notify('details', { details: e.details, source: e.source });
        return;
      case 'viewProgress':
        this.ep.notify('viewProgress', { done: e.done, total: e.total });
    }
  }

  dispose(): void {
    this.unsubscribe?.();
    if (this.throttle) clearTimeout(this.throttle);
  }
}
