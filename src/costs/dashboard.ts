// The cost dashboard panel: one per window, restored after a restart by a WebviewPanelSerializer. The
// data stays in the host; the webview asks for it with `load` and keeps only its controls in setState.
import * as vscode from 'vscode';
import { Config } from '../config';
import { WebviewPanelHost } from '../webview/host';
import { check } from '../webview/validate';
import { dashboardChecks } from './dashboardChecks';
import { dashboardStrings } from './dashboardStrings';
import { DASHBOARD_VIEW_TYPE, type CostsDashboardSpec, type DashboardParams, type DashboardState, type Estimate, type LoadResult } from './dashboardProtocol';
import { chartCsv, csvFileName } from './csvExport';
import { rangeProblem } from './range';
import { inert } from '../util/inert';
import type { CostsFeature } from './feature';
import { ConsentRequiredError, type DashboardSource } from './feature';
import { formatAge } from './math';
import { ceDashboardText } from './ledger';
import { NoTagKeyError, priceText } from './plan';
import { NotCachedError } from './store';
import { OutsideScopeError, type CostService, type DashboardData } from './service';

export function defaultParams(): DashboardParams {
  return { rangeDays: 30, granularity: 'DAILY', dimension: 'SERVICE', metric: Config.costs.metric(), excludeCreditsRefundsTax: Config.costs.excludeCreditsRefundsTax() };
}

export class CostDashboard implements vscode.Disposable {
  private static current?: CostDashboard;

  static createOrShow(extensionUri: vscode.Uri, feature: CostsFeature, log: (message: string) => void): CostDashboard {
    if (CostDashboard.current) {
      CostDashboard.current.host.panel.reveal();
      return CostDashboard.current;
    }
    const host = WebviewPanelHost.create<CostsDashboardSpec>(extensionUri, { bundle: 'costs', viewType: DASHBOARD_VIEW_TYPE, title: vscode.l10n.t('Cost Dashboard'), log, strings: dashboardStrings(vscode.l10n) });
    return (CostDashboard.current = new CostDashboard(host, feature));
  }

  /** From the serializer after a restart: the webview restores its own controls from its state. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, feature: CostsFeature, _state: DashboardState | undefined, log: (message: string) => void): CostDashboard {
    CostDashboard.current?.dispose();
    const host = new WebviewPanelHost<CostsDashboardSpec>(panel, extensionUri, 'costs', log, dashboardStrings(vscode.l10n));
    return (CostDashboard.current = new CostDashboard(host, feature));
  }

  static get instance(): CostDashboard | undefined { return CostDashboard.current; }

  private constructor(readonly host: WebviewPanelHost<CostsDashboardSpec>, private readonly feature: CostsFeature) {
    const { endpoint, panel } = host;
    endpoint.on('ready', () => endpoint.notify('init', { params: defaultParams(), tagKey: Config.costs.tagKey() }));
    endpoint.handle('load', (p) => this.load(p.params, p.refresh), dashboardChecks.load);
    endpoint.handle('estimate', (p) => this.estimate(p.params), dashboardChecks.estimate);
    endpoint.handle('exportCsv', (p) => this.exportCsv(p.params), dashboardChecks.exportCsv);
    endpoint.on('allowRequests', () => void feature.askConsent().then((ok) => ok && endpoint.notify('changed', undefined)), check.none);
    endpoint.on('selectProfile', () => void vscode.commands.executeCommand('cloudMonitor.selectProfile'), check.none);
    endpoint.on('showLedger', () => void feature.showLedger(), check.none);
    endpoint.on('chooseTagKey', () => void vscode.commands.executeCommand('cloudMonitor.costs.chooseTagKey'), check.none);
    host.track(feature.onDidChange(() => endpoint.notify('changed', undefined)));
    host.track(panel.onDidChangeViewState(() => feature.setDashboardVisible(panel.visible)));
    feature.setDashboardVisible(panel.visible);
    host.onDidDispose(() => {
      feature.autoRefresh.forget('dashboard');
      feature.setDashboardVisible(false);
      if (CostDashboard.current === this) CostDashboard.current = undefined;
    });
  }

  async load(params: DashboardParams, refresh = false): Promise<LoadResult> {
    const f = this.feature;
    // After a restart the panel can be revived before the AWS files are read: wait, and when there is
    // no connection say so; the connection's change event makes the webview load again.
    if (!(await f.connected())) return { ok: false, reason: 'notConnected', message: vscode.l10n.t('No AWS connection: select a profile and a region.') };
    let source: DashboardSource;
    try {
      source = await f.dashboardSource();
    } catch (err) {
      return { ok: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    const result = await this.loadFrom(source, params, refresh);
    return source.note ? { ...result, scopeNote: source.note.text, scopeNoteKind: source.note.kind } : result;
  }

  /** The costs of the source: the profile's account, or a multi-account scope's accounts through its payer. */
  private async loadFrom(source: DashboardSource, params: DashboardParams, refresh: boolean): Promise<LoadResult> {
    const f = this.feature;
    if (!f.consented()) return { ok: false, reason: 'consent', message: vscode.l10n.t('Cost Explorer charges $0.01 per request. Nothing is requested until you allow it.') };
    const invalid = params.custom && rangeProblem(params.custom, source.store.today());
    if (invalid) return { ok: false, reason: 'invalid', message: invalid };
    const tagKey = Config.costs.tagKey();
    const n = Math.max(Config.costs.topN(), 6);
    // One question for the whole load (the chart, and the view's headline a refresh reloads too), before any request.
    // Under a payer-served scope the view's headline is every account's: its price is the Costs view's own.
    const more = refresh && source.scoped ? await f.scopeRefreshPrice() : 0;
    const loads = async (s: CostService) => { await s.dashboard(params, tagKey, n, 'auto'); if (refresh && !source.scoped) await s.overview(f.settings(), 'auto'); };
    try {
      if ((refresh || f.mode() === 'auto') && !(await f.confirmLoad(refresh ? 'This refresh' : 'This view', loads, refresh, source, more))) {
        return { ok: false, reason: 'error', message: vscode.l10n.t('Not sent: it would pass the daily budget (cloudMonitor.billing.dailyBudgetUsd). Refresh to be asked again.') };
      }
      if (refresh && source.scoped) f.markScopeStale();
      if (refresh) f.markRefreshed();
      const service = source.service(source.store);
      const data = await service.dashboard(params, tagKey, n, f.mode());
      f.autoRefresh.dataShown('dashboard', data.fetchedAt);
      this.shown = data;
      const s = await f.ceSummary();
      const filterValues = await service.filterValues(tagKey).catch(() => undefined);
      return { ok: true, data, filterValues, age: formatAge(Date.now() - data.fetchedAt), ledger: ceDashboardText(s) };
    } catch (err) {
      if (err instanceof NotCachedError) return { ok: false, reason: 'notLoaded', message: vscode.l10n.t('Automatic refresh is off and this view has no cached data yet. Refresh to request it.') };
      if (err instanceof NoTagKeyError) return { ok: false, reason: 'noTagKey', message: err.message };
      if (err instanceof ConsentRequiredError) return { ok: false, reason: 'consent', message: err.message };
      if (err instanceof OutsideScopeError) return { ok: false, reason: 'invalid', message: err.message };
      f.autoRefresh.update();
      return { ok: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** What the stacked chart shows now (the last load): what Export CSV writes. */
  private shown?: DashboardData;

  /**
   * The price of loading each of these now, from the same code path a load takes (CostStore.estimate): the
   * dashboard shows it on a switch before the person makes it. Nothing is requested.
   */
  async estimate(list: DashboardParams[]): Promise<Estimate[]> {
    let source: DashboardSource;
    try {
      source = await this.feature.dashboardSource();
    } catch (err) {
      return list.map(() => ({ invalid: err instanceof Error ? err.message : String(err) }));
    }
    const tagKey = Config.costs.tagKey();
    const n = Math.max(Config.costs.topN(), 6);
    const out: Estimate[] = [];
    for (const params of list) {
      const invalid = params.custom && rangeProblem(params.custom, source.store.today());
      if (invalid) {
        out.push({ invalid });
        continue;
      }
      try {
        const requests = await source.store.estimate((dry) => source.service(dry).dashboard(params, tagKey, n, 'auto'));
        out.push({ requests, text: priceText(requests) });
      } catch (err) {
        out.push({ invalid: err instanceof Error ? err.message : String(err) });
      }
    }
    return out;
  }

  /** Saves what the chart shows (the host's own copy, for the parameters the webview names) as CSV. */
  async exportCsv(params: DashboardParams): Promise<{ saved?: string; error?: string }> {
    const d = this.shown;
    if (!d || JSON.stringify(d.params) !== JSON.stringify(params)) return { error: 'The chart is still loading: export once it shows.' };
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = csvFileName(d);
    const target = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Export Chart as CSV'), saveLabel: 'Export', filters: { CSV: ['csv'] }, defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined });
    if (!target) return {};
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(chartCsv(d, Config.costs.tagKey())));
      return { saved: target.fsPath };
    } catch (err) {
      return { error: inert(err instanceof Error ? err.message : String(err), 300) };
    }
  }

  dispose(): void { this.host.dispose(); }
}
