// The Costs view's nodes. They only render what CostService returns; fetching policy lives in the feature.
import * as vscode from 'vscode';
import { InfoNode, treeItem, type TreeNode } from '../tree/nodes';
import { textTooltip, Tooltip } from '../tree/tooltip';
import { shortDay, shortMonth } from './dates';
import { FORECAST_UNAVAILABLE, FORECAST_UNAVAILABLE_WHY, formatAge, formatChange, formatCurrency, type Change } from './math';
import { inert } from '../util/inert';
import { DIMENSION_LABEL, type Dimension, type FetchMode } from './plan';
import { errorText, type CostService, type CostSettings, type GroupEntry, type Overview } from './service';
import type { AnomalySummary, CostStore } from './store';
import { NotCachedError } from './store';

/** What the nodes need from the feature. */
export interface CostTreeHost {
  service: CostService;
  store: CostStore;
  settings(): CostSettings;
  /** The fetch mode for the node being rendered now (auto, cacheOnly, or force after Refresh). */
  mode(): FetchMode;
  now(): number;
}

const METRIC_LABEL = { UnblendedCost: 'unblended', AmortizedCost: 'amortized', NetUnblendedCost: 'net unblended' } as const;

function changeText(c: Change, unit: string, against: string): string {
  return `${formatChange(c, unit)} vs ${against}`;
}

/** A warning line shown above data that could not be refreshed. */
export function staleNode(id: string, fetchedAt: number, error: unknown, now: number): TreeNode {
  const reason = error instanceof Error ? error.message : String(error);
  return new InfoNode(`${id}/stale`, vscode.l10n.t('Showing data from {0}', formatAge(now - fetchedAt)), {
    icon: 'warning',
    tooltip: vscode.l10n.t('The last refresh failed, so cached data is shown.\n\n{0}', reason),
    contextValue: 'costStale',
  });
}

/** The headline lines: month to date, forecast, last month. */
export function headlineNodes(o: Overview): TreeNode[] {
  const u = o.unit;
  const metric = METRIC_LABEL[o.metric];
  const nodes: TreeNode[] = [
    new InfoNode('costs/mtd', vscode.l10n.t('Month to date: {0}', formatCurrency(o.monthToDate, u)), {
      icon: 'graph',
      description: changeText(o.change, u, 'same point last month'),
      tooltip: [
        `Month to date (${shortDay(`${o.today.slice(0, 8)}01`)} – ${shortDay(o.today)}, UTC, ${metric}): ${formatCurrency(o.monthToDate, u)}`,
        `Same point last month: ${formatCurrency(o.samePointLastMonth, u)}`,
        `Change: ${formatChange(o.change, u)}`,
        o.estimated ? 'Recent days are still estimated by Cost Explorer.' : '',
      ].filter(Boolean).join('\n'),
      contextValue: 'costHeadline',
    }),
  ];
  if (o.forecast) {
    const f = o.forecast;
    const band = f.lower !== undefined && f.upper !== undefined ? `80%: ${formatCurrency(f.lower, u)} – ${formatCurrency(f.upper, u)}` : undefined;
    nodes.push(new InfoNode('costs/forecast', vscode.l10n.t('Forecast for month end: {0}', formatCurrency(f.monthEnd, u)), {
      icon: 'telescope',
      description: band,
      tooltip: band ? vscode.l10n.t('Spent before today plus Cost Explorer\'s forecast (GetCostForecast) from today to the end of the month.\nPrediction interval {0}', band) : vscode.l10n.t('Spent before today plus Cost Explorer\'s forecast (GetCostForecast) from today to the end of the month.'),
      contextValue: 'costHeadline',
    }));
  } else if (o.forecastUnavailable !== undefined && !o.forecastError) {
    // Too little history is an answer: an info line, no Retry.
    nodes.push(new InfoNode('costs/forecast', FORECAST_UNAVAILABLE, {
      icon: 'telescope',
      tooltip: vscode.l10n.t('{0}\n\nCost Explorer: {1}', FORECAST_UNAVAILABLE_WHY, inert(o.forecastUnavailable, 300)),
      contextValue: 'costHeadline+forecastUnavailable',
    }));
  } else {
    const why = errorText(o.forecastError) ?? 'no forecast for the rest of this month';
    nodes.push(new InfoNode('costs/forecast', vscode.l10n.t('Forecast for month end: not available'), { icon: 'telescope', tooltip: why, contextValue: 'costHeadline' }));
  }
  nodes.push(new InfoNode('costs/lastMonth', vscode.l10n.t('Last month ({0}): {1}', shortMonth(o.lastMonth.month), formatCurrency(o.lastMonth.total, u)), { icon: 'history', contextValue: 'costHeadline' }));
  return nodes;
}

/** "By service", "By account"…: expands into top N + Other. */
export class GroupNode implements TreeNode {
  readonly id: string;
  constructor(private readonly host: CostTreeHost, readonly dimension: Dimension) {
    this.id = `costs/group/${dimension}`;
  }

  getTreeItem(): vscode.TreeItem {
    const tagKey = this.host.settings().tagKey;
    const label = this.dimension === 'TAG' ? `By tag: ${tagKey}` : `By ${DIMENSION_LABEL[this.dimension]}`;
    const item = treeItem(this.id, label, vscode.TreeItemCollapsibleState.Collapsed, ({ SERVICE: 'symbol-class', LINKED_ACCOUNT: 'organization', REGION: 'globe', USAGE_TYPE: 'symbol-field', TAG: 'tag' } as const)[this.dimension]);
    item.description = vscode.l10n.t('this month, top by cost');
    item.contextValue = `costGroup+${this.dimension}${this.dimension === 'TAG' ? '+tag' : ''}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    let g;
    try {
      g = await this.host.service.group(this.dimension, this.host.settings(), this.host.mode());
    } catch (err) {
      if (err instanceof NotCachedError) return [notLoadedNode(this.id)];
      throw err;
    }
    const nodes: TreeNode[] = [];
    if (g.error) nodes.push(staleNode(this.id, g.fetchedAt, g.error, this.host.now()));
    for (const e of g.entries) nodes.push(new EntryNode(this, e, g.unit, g.days));
    if (g.other) nodes.push(new EntryNode(this, g.other, g.unit, g.days));
    if (!g.entries.length) nodes.push(new InfoNode(`${this.id}/empty`, vscode.l10n.t('No costs this month'), { icon: 'info', parent: this }));
    return nodes;
  }
}

function notLoadedNode(id: string): TreeNode {
  return new InfoNode(`${id}/notLoaded`, vscode.l10n.t('Not loaded: Refresh to request it'), {
    icon: 'cloud-download',
    tooltip: vscode.l10n.t('Automatic refresh is off (cloudMonitor.costs.autoRefresh), or requests are not allowed yet. Refresh makes the Cost Explorer requests ($0.01 each).'),
    command: { command: 'cloudMonitor.costs.refresh', title: vscode.l10n.t('Refresh Costs') },
  });
}

/** One service (account, region…) with its change; expands into its daily series for the month. */
export class EntryNode implements TreeNode {
  readonly id: string;
  constructor(private readonly parent: GroupNode, private readonly entry: GroupEntry, private readonly unit: string, private readonly days: string[]) {
    this.id = `${parent.id}/${entry.key}`;
  }

  getTreeItem(): vscode.TreeItem {
    const e = this.entry;
    const item = treeItem(this.id, e.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${formatCurrency(e.amount, this.unit)} · ${formatChange(e.change, this.unit)}`;
    const md = new Tooltip();
    md.text(`${e.label}\n\nThis month to date: ${formatCurrency(e.amount, this.unit)}\nSame point last month: ${formatCurrency(e.previous, this.unit)}\nChange: ${formatChange(e.change, this.unit)}`);
    if (e.count) md.text(`\n\n${e.count} entries below the top ones, summed.`);
    item.tooltip = md.markdown;
    item.iconPath = new vscode.ThemeIcon(e.change.delta > 0.005 ? 'arrow-up' : e.change.delta < -0.005 ? 'arrow-down' : 'dash');
    item.contextValue = `costEntry${e.count ? '+other' : ''}`;
    return item;
  }

  getChildren(): TreeNode[] {
    return this.days.map((d, i) => new InfoNode(`${this.id}/${d}`, shortDay(d), { description: formatCurrency(this.entry.daily[i], this.unit), contextValue: 'costDay', parent: this })).reverse();
  }

  getParent() { return this.parent; }
}

/** Cost Anomaly Detection: asked for only when a monitor exists. */
export class AnomaliesNode implements TreeNode {
  readonly id = 'costs/anomalies';
  constructor(private readonly host: CostTreeHost) {}

  getTreeItem(): vscode.TreeItem {
    const item = treeItem(this.id, 'Anomalies', vscode.TreeItemCollapsibleState.Collapsed, 'pulse');
    item.description = vscode.l10n.t('last 30 days');
    item.contextValue = 'costAnomalies';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const mode = this.host.mode();
    try {
      const monitors = await this.host.store.anomalyMonitors(mode);
      if (!monitors.value.monitors.length) {
        return [new InfoNode(`${this.id}/noMonitor`, vscode.l10n.t('No anomaly monitor in this account'), {
          icon: 'info',
          tooltip: vscode.l10n.t('Cost Anomaly Detection finds anomalies only for accounts with a monitor. Create one in the Billing and Cost Management console.'),
          command: { command: 'vscode.open', title: vscode.l10n.t('Open Cost Anomaly Detection'), arguments: [vscode.Uri.parse('https://console.aws.amazon.com/cost-management/home#/anomaly-detection/overview')] },
          parent: this,
        })];
      }
      const a = await this.host.store.anomalies(mode);
      const nodes: TreeNode[] = [];
      if (a.error) nodes.push(staleNode(this.id, a.fetchedAt, a.error, this.host.now()));
      nodes.push(...a.value.anomalies.map((x) => new AnomalyNode(this, x)));
      if (!a.value.anomalies.length) nodes.push(new InfoNode(`${this.id}/none`, vscode.l10n.t('No anomalies in the last 30 days'), { icon: 'pass', parent: this }));
      if (a.value.more) nodes.push(new InfoNode(`${this.id}/more`, vscode.l10n.t('More anomalies in the console'), { icon: 'ellipsis', parent: this }));
      return nodes;
    } catch (err) {
      if (err instanceof NotCachedError) return [notLoadedNode(this.id)];
      throw err;
    }
  }
}

export class AnomalyNode implements TreeNode {
  readonly id: string;
  constructor(private readonly parent: AnomaliesNode, private readonly a: AnomalySummary) {
    this.id = `${parent.id}/${a.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const a = this.a;
    const item = treeItem(this.id, a.dimension || 'Anomaly', a.rootCauses.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None, 'warning', 'list.warningForeground');
    const impact = a.totalImpact ?? a.maxImpact;
    const when = a.start ? `${shortDay(a.start)}${a.end && a.end !== a.start ? ` – ${shortDay(a.end)}` : ''}` : '';
    item.description = vscode.l10n.t('{0} impact{1}{2}', formatCurrency(impact), a.impactPercent !== undefined ? ` (+${a.impactPercent.toFixed(0)}%)` : '', when ? ` · ${when}` : '');
    item.tooltip = textTooltip(`${a.dimension ?? 'Anomaly'}\n\nTotal impact: ${formatCurrency(impact)}\nLargest daily impact: ${formatCurrency(a.maxImpact)}${when ? `\nWhen: ${when}` : ''}`);
    item.contextValue = 'costAnomaly';
    return item;
  }

  getChildren(): TreeNode[] {
    return this.a.rootCauses.map((c, i) => {
      const account = c.accountName ? `${c.accountName} (${c.account})` : c.account;
      const label = [c.service, c.region, account, c.usageType].filter(Boolean).join(' · ') || 'Root cause';
      return new InfoNode(`${this.id}/cause/${i}`, label, { icon: 'debug-stackframe-dot', description: c.contribution !== undefined ? vscode.l10n.t('{0} of the impact', formatCurrency(c.contribution)) : undefined, contextValue: 'costRootCause', parent: this });
    });
  }

  getParent() { return this.parent; }
}
