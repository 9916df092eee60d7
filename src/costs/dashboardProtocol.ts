// The cost dashboard's messages, on the shared protocol (src/webview/protocol.ts). Types only: both the
// host and the webview bundle import this.
import type { DashboardData, DashboardParams } from './service';

export type { DashboardData, DashboardParams };

export type LoadResult =
  | { ok: true; data: DashboardData; ledger: string; age: string }
  /** consent: nothing may be requested yet; notLoaded: automatic refresh is off and nothing is cached. */
  | { ok: false; reason: 'notConnected' | 'consent' | 'notLoaded' | 'error'; message: string };

export interface DashboardInit {
  /** Defaults from the settings; the webview's saved state wins. */
  params: DashboardParams;
  tagKey: string;
}

export type CostsDashboardSpec = {
  hostRequests: {
    load: { params: { params: DashboardParams; refresh?: boolean }; result: LoadResult };
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
};

/** What the webview keeps with setState, so a hidden or restored panel comes back as it was. */
export interface DashboardState {
  params: DashboardParams;
}

export const DASHBOARD_VIEW_TYPE = 'cloudMonitor.costs.dashboard';
