// The Costs feature once something asks for costs: the store (cache, consent gate), the request ledger (a view of the billing ledger), the service,
// the refresh policy and the status bar item. Loaded lazily by register.ts so that activation stays light.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { Config } from '../config';
import type { Ctx } from '../context';
import { InfoNode, type TreeNode } from '../tree/nodes';
import type { NodeTreeProvider } from '../tree/provider';
import { costExplorerModule, costExplorerRegion, sdkCeApi, type CeApi } from './api';
import { AccountCostsView } from './accountsView';
import { payerScopeNote } from './accounts';
import { AutoRefresh } from './autoRefresh';
import { formatLedger, PRICE_PER_REQUEST, summarizeCe, ceTitleText, type CeSummary } from './ledger';
import { formatAge, formatChange, formatCurrency } from './math';
import type { FetchMode } from './plan';
import { CostService, type CostSettings, type Overview } from './service';
import { CostStore, NotCachedError } from './store';
import { AnomaliesNode, GroupNode, headlineNodes, staleNode, type CostTreeHost } from './tree';
import { notify } from '../util/notify';
import { inert } from '../util/inert';
import { keepRelativeTimesFresh } from '../tree/relativeTimes';
import { ReadOnlyMarkdownDoc } from '../util/readOnlyDoc';
import { WALKTHROUGH_DONE, walkthroughStepDone } from '../util/walkthrough';
import { setKept } from '../util/keptUpdate';

const CONSENT_KEY = 'cloudMonitor.costs.consent';
/** After Refresh, nodes rendered within this window may fetch even when automatic refresh is off. */
const MANUAL_WINDOW_MS = 60_000;

/** Where the cost dashboard's data comes from (CostsFeature.dashboardSource). */
export interface DashboardSource {
  store: CostStore;
  /** The service over this store, or over an estimating copy of it: with the scope's accounts when the payer serves them. */
  service(store: CostStore): CostService;
  /** Served by the scope's payer: a refresh refreshes every account of the Costs view too. */
  scoped: boolean;
  /** Under a multi-account scope: what the dashboard shows, said above everything. */
  note?: { kind: 'info' | 'warning'; text: string };
}

export class ConsentRequiredError extends Error {
  override name = 'ConsentRequired';
  constructor() { super('Cost Explorer requests are not allowed yet: each costs $0.01. Use "Allow Cost Explorer Requests" first.'); }
}

/** The ledger's read-only document. */
const LEDGER_URI = vscode.Uri.from({ scheme: 'cloudmonitor-ledger', path: '/Cost Explorer request ledger.md' });

export class CostsFeature implements CostTreeHost, vscode.Disposable {
  readonly store: CostStore;
  readonly service: CostService;
  readonly autoRefresh: AutoRefresh;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly statusItem = vscode.window.createStatusBarItem('cloudMonitor.costs', vscode.StatusBarAlignment.Left, 40);
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a manual refresh or a settings change: the dashboard reloads. */
  readonly onDidChange = this.changed.event;
  private manualUntil = 0;
  private dashboardVisible = false;
  private lastOverview?: Overview;

  constructor(private readonly ctx: Ctx, private readonly tree: { provider: NodeTreeProvider; view: vscode.TreeView<TreeNode> }, api?: CeApi) {
    const storage = ctx.extension.globalStorageUri.fsPath;
    this.store = new CostStore({
      cache: ctx.cache,
      // The client is made before anything is recorded: without a connection there is no request at all.
      api: async () => {
        if (api) return api;
        const { CostExplorerClient } = await costExplorerModule();
        const client = ctx.connection.client(CostExplorerClient, { region: costExplorerRegion(ctx.connection.region) });
        return sdkCeApi(() => client);
      },
      scope: () => this.scope(),
      ttlMs: () => Config.costs.cacheTtlMs(),
      lockDir: join(storage, 'costs', 'locks'),
      beforeRequest: () => { if (!this.consented()) throw new ConsentRequiredError(); },
      afterRequest: () => this.scheduleDescribe(),
      log: (m) => ctx.log.info(m),
    });
    this.service = new CostService(this.store);
    this.autoRefresh = new AutoRefresh({
      ttlMs: () => Config.costs.cacheTtlMs(),
      enabled: () => Config.costs.autoRefresh() && this.consented(),
      active: () => ctx.connection.isReady && (this.tree.view.visible || this.dashboardVisible || Config.costs.statusBar()),
      refresh: () => void this.refreshOnTimer(),
      now: () => ctx.clock.now(),
      setTimer: (fn, ms) => {
        const t = setTimeout(fn, ms);
        return { dispose: () => clearTimeout(t) };
      },
    });
    this.statusItem.name = 'Cloud Monitor: Month-to-date Cost';
    this.statusItem.command = 'cloudMonitor.costs.openDashboard';
    this.disposables.push(
      this.statusItem,
      this.changed,
      this.autoRefresh,
      tree.view.onDidChangeVisibility(() => this.autoRefresh.update()),
      ctx.connection.onDidChange(() => { this.lastOverview = undefined; this.accountsView?.clear(); this.updateStatusBar(); this.changed.fire(); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!Config.affects(e, 'costs')) return;
        if (Config.affects(e, 'costs.statusBar')) this.updateStatusBar();
        this.autoRefresh.update();
        tree.provider.refresh();
        this.changed.fire();
      }),
    );
    // "updated 3 min ago" keeps up while the view shows: redrawn from the overview already shown, no request.
    this.disposables.push(keepRelativeTimesFresh(tree.view as vscode.TreeView<unknown>, ctx.clock, () => {
      if (!this.lastOverview) return;
      void this.describe(this.lastOverview);
      this.renderStatusBar();
    }));
    this.updateStatusBar();
  }

  private scope(): string {
    const endpoint = this.ctx.connection.endpointFor('Cost Explorer')?.url ?? '';
    // Never keep credentials that someone put in an endpoint URL.
    return `${this.ctx.connection.profile ?? ''}|${endpoint.replace(/\/\/[^/@]*@/, '//')}`;
  }

  now(): number { return Date.now(); }

  /** Cost Explorer requests today and this month, from the billing ledger (every window's). */
  async ceSummary(): Promise<CeSummary> {
    return summarizeCe((await this.ctx.billing?.ledger.lines()) ?? [], this.store.today());
  }

  settings(): CostSettings {
    return { metric: Config.costs.metric(), filter: Config.costs.excludeCreditsRefundsTax() ? 'noCreditsRefundsTax' : 'all', topN: Config.costs.topN(), tagKey: Config.costs.tagKey() };
  }

  /** Waits for the shared AWS files to be read; false when no profile and region are selected. */
  async connected(): Promise<boolean> {
    await this.ctx.connection.load();
    return this.ctx.connection.isReady;
  }

  consented(): boolean { return this.ctx.extension.globalState.get<boolean>(CONSENT_KEY) === true; }

  /** Tells the user once what Cost Explorer costs; returns whether requests are allowed. */
  async askConsent(): Promise<boolean> {
    if (this.consented()) return true;
    const allow = 'Allow Requests';
    const pick = await notify.info(
      vscode.l10n.t('Cost Explorer charges $0.01 for each API request.'),
      {
        modal: true,
        detail: vscode.l10n.t('A refresh of the Costs view makes about 2 requests (more on the first day, or when a group needs its own data). Answers are cached for {0} hours and shared by every window; closed months are never requested again. Every request is recorded in the ledger (Show Cost Explorer Request Ledger). Automatic refresh can be turned off with cloudMonitor.costs.autoRefresh.', Config.costs.cacheTtlMs() / 3_600_000),
      },
      allow,
    );
    if (pick !== allow) return false;
    // Kept: a dropped write (microsoft/vscode#137132, beside the alert history's writes) left the view asking again.
    await setKept(this.ctx.extension.globalState, CONSENT_KEY, true);
    walkthroughStepDone(WALKTHROUGH_DONE.costsAllowed);
    this.redraw();
    return true;
  }

  /** How the node being rendered now may fetch. */
  mode(): FetchMode {
    if (!this.consented()) return 'cacheOnly';
    return Config.costs.autoRefresh() || Date.now() < this.manualUntil ? 'auto' : 'cacheOnly';
  }

  /**
   * Before a load the user starts: its Cost Explorer requests counted from the same code path (a dry run
   * on the cache) and, when they would pass the daily budget, one question for all of them, before any is
   * sent. False: declined, nothing is sent.
   */
  async confirmLoad(what: string, run: (service: CostService) => Promise<unknown>, refresh: boolean, source?: Pick<DashboardSource, 'store' | 'service'>, more = 0): Promise<boolean> {
    const billing = this.ctx.billing;
    if (!billing || !this.consented()) return true;
    const requests = more + await (source?.store ?? this.store).estimate((dry) => run(source ? source.service(dry) : new CostService(dry)), refresh);
    const ok = await billing.confirmAction('costs', { what, service: 'Cost Explorer', requests, usd: requests * PRICE_PER_REQUEST });
    if (!ok) this.ctx.log.info(`${what} of the costs was not sent: it would pass the daily budget (cloudMonitor.billing.dailyBudgetUsd).`);
    return ok;
  }

  /** The Refresh button: asks first when the refresh would pass the daily budget, then refreshes. */
  async refresh(): Promise<void> {
    if (await this.ctx.scope.isMulti()) return this.refreshAccounts();
    if (!(await this.confirmLoad('This refresh', (s) => s.overview(this.settings(), 'auto'), true))) return;
    this.markRefreshed();
  }

  private accountsView?: AccountCostsView;
  /** The Costs view of a scope of several accounts (src/costs/accountsView.ts). */
  private accounts(): AccountCostsView {
    return (this.accountsView ??= new AccountCostsView(this.ctx, {
      beforeRequest: () => { if (!this.consented()) throw new ConsentRequiredError(); },
      afterRequest: () => this.scheduleDescribe(),
      // The scope's oldest open data aims the automatic refresh, as the profile's overview does.
      shown: (fetchedAt) => this.autoRefresh.dataShown('view', fetchedAt),
      metric: () => this.settings().metric,
      filter: () => this.settings().filter,
    }));
  }

  /**
   * Refresh under a scope of several accounts: its price (one request from the payer, or one per account)
   * counted before anything is sent, one budget question for all of it, then every account's open months.
   */
  private async refreshAccounts(): Promise<void> {
    const billing = this.ctx.billing;
    if (billing && this.consented()) {
      const { requests } = await this.accounts().price(true);
      const ok = await billing.confirmAction('costs', { what: 'This refresh', service: 'Cost Explorer', requests, usd: requests * PRICE_PER_REQUEST });
      if (!ok) {
        this.ctx.log.info('This refresh of the costs was not sent: it would pass the daily budget (cloudMonitor.billing.dailyBudgetUsd).');
        return;
      }
    }
    this.accounts().markStale();
    this.markRefreshed();
  }

  /**
   * The timer's refresh, priced by the same dry run as Refresh. Within the daily budget (or allowed for
   * today) it goes; over it, it is skipped, since a timer must not ask, and the view says why until a
   * refresh goes (the timer tries again in 15 minutes; Refresh asks).
   */
  private async refreshOnTimer(): Promise<void> {
    const billing = this.ctx.billing;
    if (billing && this.consented()) {
      // Under a multi-account scope the redraw loads every account's costs (src/costs/accountsView.ts): price
      // those, as Refresh does, not the profile's alone.
      const requests = (await this.ctx.scope.isMulti())
        ? (await this.accounts().price(false)).requests
        : await this.store.estimate((dry) => new CostService(dry).overview(this.settings(), 'auto'));
      const verdict = await billing.actionVerdict('costs', { what: 'This automatic refresh', service: 'Cost Explorer', requests, usd: requests * PRICE_PER_REQUEST });
      if (!verdict.go) {
        this.autoSkipped = vscode.l10n.t('Automatic refresh skipped: {0} Refresh to load anyway.', verdict.message);
        this.ctx.log.info(this.autoSkipped);
        this.tree.view.message = this.autoSkipped;
        return;
      }
    }
    this.autoSkipped = undefined;
    this.redraw();
  }

  /**
   * Where the dashboard's costs come from. One profile: its own store, as ever. A multi-account scope holding
   * its organization's management (payer) account: the payer's store, every request filtered to the scope's
   * linked accounts (the same requests as for one account, recorded under the payer). A scope without one:
   * the profile's account alone, and a notice that says so and why.
   */
  async dashboardSource(): Promise<DashboardSource> {
    const own: DashboardSource = { store: this.store, service: (s) => (s === this.store ? this.service : new CostService(s)), scoped: false };
    if (!(await this.ctx.scope.isMulti())) return own;
    const { plan, accountIds, accounts, unknown, store } = await this.accounts().costs.dashboardScope();
    if (plan.kind === 'payer' && store) {
      return {
        store,
        service: (s) => new CostService(s, accountIds),
        scoped: true,
        note: payerScopeNote({ label: plan.payer.label, account: plan.payerAccount }, accountIds.length, unknown),
      };
    }
    const account = (await this.ctx.connection.identity().catch(() => undefined))?.account;
    const profile = inert(String(this.ctx.connection.profile), 100);
    return { ...own, note: { kind: 'warning', text: vscode.l10n.t('No management (payer) account in this scope: this dashboard and its forecast show one account only, the profile {0}{1}, not the {2} accounts of the scope. Cost Explorer in a member account answers for that account alone; with the organization\'s management account in the scope, this dashboard shows every account from the same requests. The Costs view shows each account of the scope.', profile, account ? ` (${account})` : '', accounts) } };
  }

  /** Before a dashboard refresh under a payer-served scope: the Costs view's accounts are refreshed too, priced with it. */
  scopeRefreshPrice(): Promise<number> {
    return this.accounts().price(true).then((p) => p.requests);
  }

  /** A dashboard refresh under a payer-served scope: every account's open months (the payer's store among them) are asked again once. */
  markScopeStale(): void {
    this.accounts().markStale();
  }

  /** Why the last automatic refresh did not go, shown as the view's message. */
  private autoSkipped?: string;

  /** Open data is requested again once; final months never are. */
  markRefreshed(): void {
    this.autoSkipped = undefined;
    this.store.markStale();
    this.manualUntil = Date.now() + MANUAL_WINDOW_MS;
    this.redraw();
  }

  private redraw(): void {
    this.tree.provider.refresh();
    this.changed.fire();
    if (Config.costs.statusBar() && !this.tree.view.visible) void this.loadForStatusBar();
  }

  setDashboardVisible(visible: boolean): void {
    this.dashboardVisible = visible;
    this.autoRefresh.update();
  }

  /** The view's roots. */
  async roots(): Promise<TreeNode[]> {
    if (await this.ctx.scope.isMulti()) {
      if (!this.consented()) return this.consentNodes();
      try {
        return await this.accounts().roots(this.mode());
      } catch (err) {
        if (err instanceof ConsentRequiredError) return this.consentNodes();
        throw err;
      }
    }
    if (!this.consented()) {
      const cached = await this.service.overview(this.settings(), 'cacheOnly').catch(() => undefined);
      if (!cached) return this.consentNodes();
    }
    const mode = this.mode();
    let o: Overview;
    try {
      o = await this.service.overview(this.settings(), mode);
    } catch (err) {
      if (err instanceof NotCachedError) return [new InfoNode('costs/notLoaded', vscode.l10n.t('Automatic refresh is off: Refresh to load costs'), { icon: 'cloud-download', tooltip: vscode.l10n.t('About 2 Cost Explorer requests (${0}).', (2 * PRICE_PER_REQUEST).toFixed(2)), command: { command: 'cloudMonitor.costs.refresh', title: vscode.l10n.t('Refresh Costs') } })];
      if (err instanceof ConsentRequiredError) return this.consentNodes();
      throw err;
    }
    this.shown(o);
    const tagKey = this.settings().tagKey;
    return [
      ...(o.error ? [staleNode('costs', o.fetchedAt, o.error, Date.now())] : []),
      ...headlineNodes(o),
      new GroupNode(this, 'SERVICE'),
      new GroupNode(this, 'LINKED_ACCOUNT'),
      new GroupNode(this, 'REGION'),
      new GroupNode(this, 'USAGE_TYPE'),
      tagKey
        ? new GroupNode(this, 'TAG')
        : new InfoNode('costs/group/TAG', vscode.l10n.t('By tag: choose a tag key…'), { icon: 'tag', tooltip: vscode.l10n.t('Group costs by a cost allocation tag such as cost_center.'), command: { command: 'cloudMonitor.costs.chooseTagKey', title: vscode.l10n.t('Choose Tag Key') }, contextValue: 'costGroup+TAG+tag' }),
      new AnomaliesNode(this),
    ];
  }

  private consentNodes(): TreeNode[] {
    return [
      new InfoNode('costs/consent', vscode.l10n.t('Cost Explorer charges $0.01 per request'), {
        icon: 'info',
        tooltip: vscode.l10n.t('This view asks Cost Explorer only when its cached answers expire (every 6 hours by default), and never again for closed months. Nothing is requested until you allow it.'),
      }),
      new InfoNode('costs/consent/allow', vscode.l10n.t('Allow requests and load costs…'), { icon: 'pass', command: { command: 'cloudMonitor.costs.allowRequests', title: vscode.l10n.t('Allow Cost Explorer Requests') } }),
    ];
  }

  /** After a render: the view's description, the status bar, the next automatic refresh. */
  private shown(o: Overview): void {
    this.lastOverview = o;
    this.autoRefresh.dataShown('view', o.fetchedAt);
    void this.describe(o);
    this.renderStatusBar();
  }

  private describeTimer?: ReturnType<typeof setTimeout>;
  /** Requests from any view (the dashboard too) update the view's count, once they settle. */
  private scheduleDescribe(): void {
    clearTimeout(this.describeTimer);
    this.describeTimer = setTimeout(() => { if (this.lastOverview) void this.describe(this.lastOverview); }, 300);
  }

  /** Counts describe() calls: only the latest one writes the title, whichever ledger read finishes first. */
  private describeSeq = 0;

  private async describe(o: Overview): Promise<void> {
    const seq = ++this.describeSeq;
    const s = await this.ceSummary().catch(() => undefined);
    if (seq !== this.describeSeq) return;
    const now = this.ctx.clock.now();
    const age = vscode.l10n.t('updated {0}', formatAge(now - o.fetchedAt));
    const spend = s ? ceTitleText(s) : '';
    this.tree.view.description = [age, spend].filter(Boolean).join(' · ');
    this.tree.view.message = o.error ? vscode.l10n.t('Could not refresh: showing data from {0}.', formatAge(now - o.fetchedAt)) : this.autoSkipped;
  }

  private updateStatusBar(): void {
    if (!Config.costs.statusBar() || !this.ctx.connection.isReady) {
      this.statusItem.hide();
      return;
    }
    this.renderStatusBar();
    if (!this.lastOverview) void this.loadForStatusBar();
  }

  private async loadForStatusBar(): Promise<void> {
    if (!(await this.connected())) return;
    try {
      this.shown(await this.service.overview(this.settings(), this.mode()));
    } catch (err) {
      this.ctx.log.warn(`Cost status bar: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private renderStatusBar(): void {
    const o = this.lastOverview;
    if (!Config.costs.statusBar() || !o) return;
    this.statusItem.text = `$(credit-card) ${formatCurrency(o.monthToDate, o.unit)} MTD`;
    this.statusItem.tooltip = vscode.l10n.t('Month-to-date cost: {0} ({1} vs same point last month), updated {2}. Click for the cost dashboard.', formatCurrency(o.monthToDate, o.unit), formatChange(o.change, o.unit), formatAge(this.ctx.clock.now() - o.fetchedAt));
    this.statusItem.show();
  }

  /**
   * The full ledger in a read-only editor: a virtual document (it never asks to be saved), read
   * afresh each time it is shown.
   */
  showLedger(): Promise<vscode.TextDocument> {
    if (!this.ledgerDoc) this.disposables.push((this.ledgerDoc = new ReadOnlyMarkdownDoc(LEDGER_URI, async () => formatLedger((await this.ctx.billing?.ledger.lines()) ?? [], this.store.today()))));
    return this.ledgerDoc.show();
  }

  private ledgerDoc?: ReadOnlyMarkdownDoc;

  dispose(): void {
    clearTimeout(this.describeTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
