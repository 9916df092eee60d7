// The results grid's messages, on top of the one shared protocol (src/webview/protocol.ts).
// Bundled by both the extension host and webview/results. No vscode or DOM import.
// The host keeps the rows; the webview only ever asks for the window it shows.
import type { Spec } from '../protocol';
import type { ResultsStrings } from './strings';

export type Cell = string | null;

/** How a column is shown, sorted and charted. Not tied to any one service's type names. */
export type ColumnKind = 'number' | 'boolean' | 'date' | 'timestamp' | 'time' | 'text' | 'json' | 'binary';

export interface ResultColumn {
  name: string;
  kind: ColumnKind;
  /** The service's own type, shown in the header tooltip (e.g. `decimal(10,2)`). */
  type?: string;
}

/** One line of the Stats tab. Values are plain text. */
export interface Detail {
  label: string;
  value: string;
  tone?: 'warning' | 'error';
  /** Tooltip text. */
  hint?: string;
}

export type LoadPhase = 'loading' | 'done' | 'error';

export interface LoadStatus {
  phase: LoadPhase;
  /** Rows received so far. */
  loaded: number;
  message?: string;
}

export interface SortSpec { column: number; descending: boolean }
/** The filter box's longest text (the host refuses longer ones). */
export const MAX_FILTER_TEXT = 1000;

/** column -1 filters on every column. */
export interface FilterSpec { column: number; text: string }

export interface ViewSpec {
  sort?: SortSpec;
  filter?: FilterSpec;
}

/** The current sorted/filtered view of the rows: `version` changes whenever the order or row count does. */
export interface ViewInfo {
  version: number;
  total: number;
  spec: ViewSpec;
  /** The view covers only the rows loaded when it was made; it is remade when loading ends. */
  partial?: boolean;
}

export interface ChartRequest {
  x: number;
  ys: number[];
  /** A category column: one series per value of it (for the first y), e.g. errors over time per app. */
  splitBy?: number;
}

export interface ChartData {
  /** time: x in seconds since epoch; category: x are indexes into `categories`; number: plain. */
  xKind: 'time' | 'category' | 'number';
  x: number[];
  ys: (number | null)[][];
  categories?: string[];
  /** Series names, when they are not the y columns' names (split by a category). */
  series?: string[];
  /** Rows the series came from, and whether they were sampled or capped. */
  rows: number;
  note?: string;
}

export interface ResultsState {
  title: string;
  columns: ResultColumn[];
  status: LoadStatus;
  view: ViewInfo;
  details: Detail[];
  /** The query text, shown on the Stats tab. */
  query?: string;
  /** Which path the rows came by, e.g. "S3 (CSV stream)". */
  source?: string;
  /** Opaque; kept in the webview's state so a restart can ask the feature to reopen these results. */
  restore?: RestoreDescriptor;
  /** Export to file is offered (false while the host has nowhere to stream from). */
  canExport: boolean;
}

export interface RestoreDescriptor { kind: string; data: unknown }

export interface ResultsSpec extends Spec {
  hostRequests: {
    getRows: { params: { version: number; offset: number; count: number }; result: { version: number; offset: number; rows: Cell[][] } };
    setView: { params: ViewSpec; result: ViewInfo };
    /** Stops a sort or filter under way; the view stays as it was. */
    cancelView: { params: Record<string, never>; result: ViewInfo };
    /** spreadsheetSafe: cells a spreadsheet would run as formulas get a leading ' (see csv.ts spreadsheetSafe). */
    copy: { params: { from: number; to: number; columns?: number[]; header?: boolean; spreadsheetSafe?: boolean }; result: { rows: number } };
    export: { params: { format: 'csv' | 'json' }; result: { path?: string } };
    chartData: { params: ChartRequest; result: ChartData };
  };
  toWebview: {
    state: ResultsState;
    status: LoadStatus;
    view: ViewInfo;
    details: { details: Detail[]; source?: string };
    /** A sort or filter under way (large results): `done` of `total` steps. */
    viewProgress: { done: number; total: number };
  };
  toHost: Record<string, never>;
  strings: ResultsStrings;
}

/** The webview's own state (getState/setState): survives hide/show and, via the serializer, restarts. */
export interface ResultsWebviewState {
  tab: 'grid' | 'chart' | 'stats';
  scrollTop: number;
  scrollLeft: number;
  view: ViewSpec;
  chart?: { type: ChartType; x: number; ys: number[]; splitBy?: number };
  restore?: RestoreDescriptor;
  title?: string;
}

export type ChartType = 'line' | 'bar' | 'area' | 'scatter';
