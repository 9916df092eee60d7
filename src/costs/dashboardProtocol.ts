// The cost dashboard's messages, on the shared protocol (src/webview/protocol.ts). Types only: both the
// host and the webview bundle import this.
import type { DashboardData, DashboardParams, FilterValues } from './service';
import type { DashboardStrings } from './dashboardStrings';

export type { DashboardData, DashboardParams, FilterValues };

/** The price of loading one set of parameters now ('cached', '2 requests, $0.02'); invalid says why it cannot be asked. */
export type Estimate = { requests: number; text: string } | { invalid: string };

export type LoadResult = (
  | { ok: true; data: DashboardData; ledger: string; age: string; filterValues?: FilterValues }
  /** consent: nothing may be requested yet; notLoaded: automatic refresh is off and nothing is cached; noTagKey: grouped by tag with no tag key set. */
  | { ok: false; reason: 'notConnected' | 'consent' | 'notLoaded' | 'noTagKey' | 'error' | 'invalid'; message: string }
) & {
  /** Under a multi-account scope: which accounts the dashboard shows (shown above everything). */
  scopeNote?: string;
  /** info: every account of the scope; warning: one account only. */
  scopeNoteKind?: 'info' | 'warning';
};

export interface DashboardInit {
  /** Defaults from the settings; the webview's saved state wins. */
  params: DashboardParams;
  tagKey: string;
}

export type CostsDashboardSpec = {
  hostRequests: {
    load: { params: { params: DashboardParams; refresh?: boolean }; result: LoadResult };
    estimate: { params: { params: DashboardParams[] }; result: Estimate[] };
    /** Writes what the stacked chart shows as CSV to a file the person picks; the host builds it from its own data. */
    exportCsv: { params: { params: DashboardParams }; result: { saved?: string; error?: string } };
  };
  toWebview: {
    init: DashboardInit;
    /** Data or settings changed (Refresh in the view, a settings change): load again. */
    changed: undefined;
  };
  toHost: {
    allowRequests: undefined;
    selectProfile: undefined;
    showLedger: undefined;
    chooseTagKey: undefined;
  };
  strings: DashboardStrings;
};

/** What the webview keeps with setState, so a hidden or restored panel comes back as it was. */
export interface DashboardState {
  params: DashboardParams;
}

export const DASHBOARD_VIEW_TYPE = 'cloudMonitor.costs.dashboard';
