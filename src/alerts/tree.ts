// The Alerts view: the pipeline's alert states (ALARM, then OK) read through the table's state
// index, and the region's CloudWatch alarms, ALARM first. A badge counts what is in ALARM.
import * as vscode from 'vscode';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Ctx } from '../context';
import { ErrorNode, InfoNode, treeItem, type TreeNode } from '../tree/nodes';
import { readingStacksNode, ROWS_PER_PAGE, ShownPages } from '../tree/paging';
import { textTooltip, Tooltip } from '../tree/tooltip';
import { readAlertStates, type AlertStateRow, type AlertStates } from './alertState';
import { fetchAlarms, type AlarmInfo } from './alarms';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PIPELINE_TAG } from '../pipeline/stack';
import { findPipelineStacks, type PipelineStack } from './pipelineStack';
import { PipelineLocator } from './pipelines';
import { inert } from '../util/inert';
import { ago, clockTime, inTime } from './times';
import { appMuteKey, type Mute } from './inbox/mutes';
import { OUTCOME_LABEL, type AlertHistory, type AlertHistoryEntry } from './history';

export { ago };

export class AlertStateNode implements TreeNode {
  readonly id: string;
  constructor(readonly row: AlertStateRow, readonly stack: PipelineStack, private readonly parent: TreeNode, private readonly model?: AlertsModel) {
    this.id = `${model?.ids ?? 'alerts/'}${stack.stackName}/${row.state}/${row.key}`;
  }
  /** The mute in force for this key (its own or its app's), if any. */
  get mute(): Mute | undefined { return this.model?.muteFor(this.row.key, this.row.appId, this.model.now()); }
  getTreeItem(): vscode.TreeItem {
    const r = this.row;
    const item = treeItem(this.id, r.key, vscode.TreeItemCollapsibleState.None);
    const alarm = r.state === 'ALARM';
    const mute = this.mute;
    item.iconPath = new vscode.ThemeIcon(mute ? 'bell-slash' : alarm ? 'error' : 'pass', new vscode.ThemeColor(alarm ? 'errorForeground' : 'testing.iconPassed'));
    item.description = [mute ? `muted until ${clockTime(mute.until, this.model?.now())}` : '', `since ${ago(r.since, this.model?.now())}`, r.suppressedCount ? `${r.suppressedCount} suppressed` : '', inert(r.lastMessage ?? '', 200)].filter(Boolean).join(' · ');
    const tip = new Tooltip();
    tip.text(`${r.key}: ${r.state}\n\n`);
    if (mute) tip.text(`Muted until ${new Date(mute.until).toLocaleString()} (${mute.key === r.key ? 'this alert' : `every alert from ${r.appId}`}): no notifications. Unmute lifts it.\n\n`);
    tip.text(`Since: ${r.since ? new Date(r.since).toISOString() : 'unknown'}\n\n`);
    tip.text(`Last notified: ${r.lastNotifiedAt ? new Date(r.lastNotifiedAt).toISOString() : 'never'}\n\n`);
    tip.text(`Suppressed since then: ${r.suppressedCount}\n\n`);
    if (r.lastMessage) tip.text(`Last message: ${r.lastMessage}`);
    item.tooltip = tip.markdown;
    item.contextValue = `alertState+${alarm ? 'alarm' : 'ok'}${r.appId ? '+app' : ''}${mute ? '+muted' : ''}`;
    return item;
  }
  getParent() { return this.parent; }
}

class StateGroupNode implements TreeNode {
  readonly id: string;
  constructor(private readonly state: 'ALARM' | 'OK', private readonly rows: AlertStateRow[], private readonly stack: PipelineStack, private readonly parent: TreeNode, private readonly model: AlertsModel, private readonly more = false) {
    this.id = `${model.ids}${stack.stackName}/${state}`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = treeItem(this.id, this.state, this.rows.length ? (this.state === 'ALARM' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    // The first Query page so far (the rest is being read): at least this many.
    item.description = `${this.rows.length}${this.more ? '+' : ''}`;
    item.iconPath = new vscode.ThemeIcon(this.state === 'ALARM' ? 'bell-dot' : 'bell');
    item.contextValue = `alertStateGroup+${this.state.toLowerCase()}`;
    return item;
  }
  getChildren(): TreeNode[] { return this.model.pages.page(this.id, this.rows, (r) => new AlertStateNode(r, this.stack, this, this.model), this); }
  getParent() { return this.parent; }
}

class PipelineAlertsNode implements TreeNode {
  readonly id: string;
  constructor(private readonly model: AlertsModel, private readonly stack: PipelineStack | undefined, private readonly multiple: boolean) {
    this.id = `${model.ids}pipeline/${stack?.stackName ?? 'none'}`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = treeItem(this.id, this.multiple && this.stack ? `Pipeline alerts (${this.stack.stackName})` : 'Pipeline alerts', vscode.TreeItemCollapsibleState.Expanded, 'server-process');
    const states = this.stack && this.model.states.get(this.stack.stackName);
    if (states && !(states instanceof Error)) item.description = states.more ? vscode.l10n.t('reading… {0} in ALARM · {1} OK so far', states.alarm.length, states.ok.length) : vscode.l10n.t('{0} in ALARM · {1} OK', states.alarm.length, states.ok.length);
    item.contextValue = 'pipelineAlerts';
    return item;
  }
  getChildren(): TreeNode[] {
    if (!this.stack) {
      return [new InfoNode(`${this.id}/info`, vscode.l10n.t('No pipeline stack in this region'), { icon: 'info', tooltip: vscode.l10n.t('Stacks tagged {0}. Deploy the pipeline from the Pipeline view.', `${PIPELINE_TAG.Key}=${PIPELINE_TAG.Value}`), parent: this })];
    }
    const states = this.model.states.get(this.stack.stackName);
    if (!states) return [new InfoNode(`${this.id}/missing`, vscode.l10n.t('This stack has no AlertStateTableName / AlertStateIndexName outputs'), { icon: 'warning', parent: this })];
    if (states instanceof Error) return [new ErrorNode(`${this.id}/error`, states, () => this.model.refresh(), this)];
    return [new StateGroupNode('ALARM', states.alarm, this.stack, this, this.model, states.more), new StateGroupNode('OK', states.ok, this.stack, this, this.model, states.more)];
  }
}

export class AlarmNode implements TreeNode {
  readonly id: string;
  constructor(readonly alarm: AlarmInfo, private readonly parent: TreeNode, private readonly model?: AlertsModel) {
    this.id = `${model?.ids ?? 'alerts/'}cw/${alarm.arn ?? alarm.name}`;
  }
  getTreeItem(): vscode.TreeItem {
    const a = this.alarm;
    const item = treeItem(this.id, a.name, vscode.TreeItemCollapsibleState.None);
    const icon = a.state === 'ALARM' ? ['error', 'errorForeground'] : a.state === 'OK' ? ['pass', 'testing.iconPassed'] : ['question', 'descriptionForeground'];
    item.iconPath = new vscode.ThemeIcon(icon[0], new vscode.ThemeColor(icon[1]));
    item.description = `${a.state}${a.updatedAt ? ` · ${ago(a.updatedAt, this.model?.now())}` : ''}${a.metric ? ` · ${a.metric}` : ''}`;
    const tip = new Tooltip().text(`${a.name}: ${a.state}\n\n`);
    if (a.reason) tip.text(a.reason);
    item.tooltip = tip.markdown;
    item.contextValue = `cloudWatchAlarm+${a.state.toLowerCase()}`;
    return item;
  }
  getParent() { return this.parent; }
}

class AlarmsNode implements TreeNode {
  readonly id: string;
  constructor(private readonly model: AlertsModel) {
    this.id = `${model.ids}cloudwatch`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = treeItem(this.id, 'CloudWatch alarms', vscode.TreeItemCollapsibleState.Expanded, 'graph-line');
    const a = this.model.alarms;
    if (Array.isArray(a)) item.description = vscode.l10n.t('{0} in ALARM · {1} total', a.filter((x) => x.state === 'ALARM').length, a.length);
    item.contextValue = 'cloudWatchAlarms';
    return item;
  }
  getChildren(): TreeNode[] {
    const a = this.model.alarms;
    if (a instanceof Error) return [new ErrorNode(`${this.id}/error`, a, () => this.model.refresh(), this)];
    if (!a?.length) return [new InfoNode(`${this.id}/empty`, vscode.l10n.t('No CloudWatch alarms in this region'), { icon: 'info', parent: this })];
    return this.model.pages.page(this.id, a, (x) => new AlarmNode(x, this, this.model), this);
  }
}

/** One account of a multi-account scope, as the Alerts view lists it (src/alerts/register.ts). */
export interface AlertsAccount {
  /** The member's client of a service (its credentials, the scope's concurrency limit). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each SDK client takes its own config type
  client<T extends { destroy(): void; config: { serviceId?: string } }>(ctor: new (config: any) => T): T;
  /** The account node the states and alarms hang under; their ids start with its id. */
  parent: TreeNode;
}

/** Loads both sources together so the badge counts both. */
export class AlertsModel {
  stacks: PipelineStack[] = [];
  stacksError?: unknown;
  states = new Map<string, AlertStates | Error>();
  alarms?: AlarmInfo[] | Error;
  /** Active mutes, read with the states (and again after a mute or unmute). */
  mutes: Mute[] = [];
  /** Reads the mutes (the inbox's MuteStore). */
  listMutes?: () => Promise<Mute[]>;
  /** What arrived and what changed; the History node lists it. */
  history?: AlertHistory;
  /** One instance, so Show Alert History can reveal it. */
  readonly historyNode = new HistoryRootNode(this);
  /** Long lists (alert states, stacks, alarms, history) a page at a time; Load more redraws from memory. */
  readonly pages = new ShownPages(ROWS_PER_PAGE, () => this.onRedraw?.());
  /** Redraws the view from the loaded data (no AWS call). */
  onRedraw?: () => void;
  private loaded = false;
  onRefresh?: () => void;
  onBadge?: () => void;

  constructor(private readonly ctx: Ctx, private readonly account?: AlertsAccount) {}

  /** The start of every node id: the view's, or the account node's under a multi-account scope. */
  get ids(): string { return this.account ? `${this.account.parent.id}/` : 'alerts/'; }

  /** The time relative labels are written against (the extension's clock). */
  now(): number { return this.ctx.clock.now(); }

  /** Whether the states and alarms are loaded, so a redraw needs no AWS call. */
  get isLoaded(): boolean { return this.loaded; }

  /** Loads again, and redraws. */
  refresh(): void {
    this.forget(true);
    this.onRefresh?.();
  }

  /**
   * The next draw loads again; `rereadStacks` false after a connection change, whose stacks the locator has not
   * read yet (the view itself redraws on that change if it had drawn, src/tree/view.ts).
   */
  forget(rereadStacks: boolean): void {
    this.loaded = false;
    this.loading = undefined;
    this.freshStacks = rereadStacks;
  }

  /**
   * Whether the next load reads the stacks again. The first load for a connection takes the locator's list (at
   * most 5 minutes old, or the read the Logs view started a moment ago): another read of every DescribeStacks
   * page as the side bar opens only delays the first rows. Every later load (a refresh, a new alert) reads them.
   */
  private freshStacks = false;
  /** The load in progress: `first` settles when the view can draw (the first rows, or everything). */
  private loading?: { first: Promise<void> };
  /** Whether DescribeStacks pages are still being read: the view shows what the pages so far brought. */
  stacksPending = false;
  /** Counts loads: what an older load read is not shown. */
  private generation = 0;

  /**
   * Starts a load unless one runs. Stacks are found by tag on every DescribeStacks page, so with many stacks
   * the view draws as soon as a page brought a stack with an alert-state table and its states are read,
   * then again, from memory, when every page is read.
   */
  private loadFirst(): Promise<void> {
    if (!this.loading) {
      let drawable!: () => void;
      const early = new Promise<void>((done) => (drawable = done));
      const full = this.load(() => drawable());
      const mine = (this.loading = { first: Promise.race([early, full]) });
      let drawnEarly = false;
      void early.then(() => (drawnEarly = true));
      full.then(() => {
        if (this.loading === mine && drawnEarly) this.onRedraw?.();
      }, () => {
        if (this.loading === mine) this.loading = undefined;
      });
    }
    return this.loading.first;
  }

  private async load(drawable: () => void): Promise<void> {
    const a = this.account;
    const ddb = a ? a.client(DynamoDBClient) : this.ctx.connection.client(DynamoDBClient);
    const fresh = this.freshStacks;
    this.freshStacks = true;
    const gen = ++this.generation;
    const current = () => gen === this.generation;
    const alarmsRead = fetchAlarms(a ? a.client(CloudWatchClient) : this.ctx.connection.client(CloudWatchClient));
    alarmsRead.catch(() => undefined);
    // Read into a new map and swap it in: clearing the shown one first would draw, for the length of the
    // reads, "no AlertStateTableName output" under every stack (a fresh-clone run saw the gap).
    const states = new Map<string, AlertStates | Error>();
    const reads = new Map<string, Promise<void>>();
    /** Per stack: settles once its states can be drawn (both Queries' first pages, or everything). */
    const drawables = new Map<string, Promise<void>>();
    const readStates = (stacks: readonly PipelineStack[]) => {
      for (const s of stacks) {
        const { AlertStateTableName: table, AlertStateIndexName: index } = s.outputs;
        if (!table || !index || reads.has(s.stackName)) continue;
        let firstIn!: () => void;
        const first = new Promise<void>((done) => (firstIn = done));
        const full = readAlertStates(ddb, table, index, undefined, (soFar) => {
          if (!states.has(s.stackName)) states.set(s.stackName, soFar);
          firstIn();
        }).catch(toError).then((r) => void states.set(s.stackName, r));
        reads.set(s.stackName, full);
        drawables.set(s.stackName, Promise.race([first, full]));
      }
    };
    // The inbox, its history, mutes and the badge are the window's profile's; an account's model only lists.
    const mutesRead = a ? Promise.resolve([]) : (this.listMutes?.().catch(() => []) ?? Promise.resolve([]));
    let early = false;
    /**
     * Draws what is read so far (stacks of the pages read, states of the first Query pages) once it is all in,
     * from the first page that brought a pipeline stack: the shared read holds the pages after it until the
     * side bar's first rows are drawn (src/aws/stackPages.ts), this view's among them.
     */
    const drawEarly = (soFar: readonly PipelineStack[], stacksPending: boolean) => {
      if (early || !soFar.length) return;
      early = true;
      const stacks = [...soFar];
      void Promise.all([Promise.allSettled([alarmsRead]), mutesRead, ...drawables.values()]).then(([[alarms], mutes]) => {
        if (!current() || this.loaded) return;
        this.alarms = alarms.status === 'fulfilled' ? alarms.value : toError(alarms.reason);
        this.stacks = stacks;
        this.stacksError = undefined;
        this.states = new Map(states);
        if (!a) this.mutes = mutes;
        this.stacksPending = stacksPending;
        drawable();
      });
    };
    const onPage = (soFar: readonly PipelineStack[]) => {
      readStates(soFar);
      drawEarly(soFar, true);
    };
    const [stacks, alarms] = await Promise.allSettled([
      a ? findPipelineStacks(a.client(CloudFormationClient), onPage) : PipelineLocator.for(this.ctx).stacks(fresh, onPage),
      alarmsRead,
    ]);
    // An account that refuses both (AccessDenied, an expired role): one error node under that account.
    if (a && stacks.status === 'rejected' && alarms.status === 'rejected') throw alarms.reason;
    const allStacks = stacks.status === 'fulfilled' ? stacks.value : [];
    readStates(allStacks);
    if (stacks.status === 'fulfilled') drawEarly(allStacks, false);
    await Promise.all(reads.values());
    const mutes = await mutesRead;
    if (!current()) return;
    this.alarms = alarms.status === 'fulfilled' ? alarms.value : toError(alarms.reason);
    this.stacks = allStacks;
    this.stacksError = stacks.status === 'rejected' ? stacks.reason : undefined;
    // A stack read on an early page that the last read no longer lists (deleted meanwhile) is not kept.
    this.states = new Map([...states].filter(([name]) => allStacks.some((s) => s.stackName === name)));
    this.stacksPending = false;
    // State changes the table shows that the history has not seen (while no window polled, say). The history
    // holds the new entries as soon as this is called; the wait is only for storage, so the view does not wait.
    const rows = [...this.states.values()].flatMap((s) => (s instanceof Error ? [] : [...s.alarm, ...s.ok]));
    if (!a) {
      void this.history?.addStates(rows, this.now()).catch(() => undefined);
      this.mutes = mutes;
    }
    this.loaded = true;
    if (!a) this.onBadge?.();
  }

  /** Re-reads the mutes only (a local file, no AWS call) and redraws. */
  async reloadMutes(): Promise<void> {
    this.mutes = (await this.listMutes?.().catch(() => [])) ?? [];
    this.onRefresh?.();
  }

  /** The mute in force for an alert key (its own, or its app's), the one that ends last. */
  muteFor(key: string, appId?: string, now = Date.now()): Mute | undefined {
    return this.mutes
      .filter((m) => m.until > now && (m.key === key || (appId !== undefined && m.key === appMuteKey(appId))))
      .sort((a, b) => b.until - a.until)[0];
  }

  alarmCount(): number {
    const { pipeline, cloudWatch } = this.alarmCounts();
    return pipeline + cloudWatch;
  }

  /** What the badge counts: pipeline alert states in ALARM and CloudWatch alarms in ALARM. */
  alarmCounts(): { pipeline: number; cloudWatch: number } {
    let pipeline = 0;
    for (const s of this.states.values()) if (!(s instanceof Error)) pipeline += s.alarm.length;
    const cloudWatch = Array.isArray(this.alarms) ? this.alarms.filter((a) => a.state === 'ALARM').length : 0;
    return { pipeline, cloudWatch };
  }

  async roots(): Promise<TreeNode[]> {
    if (!this.loaded) await this.loadFirst();
    const nodes: TreeNode[] = [];
    if (this.stacksError) nodes.push(new ErrorNode(`${this.ids}pipeline/error`, this.stacksError, () => this.refresh(), this.account?.parent));
    else if (!this.stacks.length) nodes.push(new PipelineAlertsNode(this, undefined, false));
    else {
      // Stacks with an alert-state table first: in an account with many pipeline-tagged stacks, the first page shows states.
      const withStates = (s: PipelineStack) => (s.outputs.AlertStateTableName && s.outputs.AlertStateIndexName ? 0 : 1);
      const stacks = [...this.stacks].sort((a, b) => withStates(a) - withStates(b));
      nodes.push(...this.pages.page(`${this.ids}pipelines`, stacks, (s) => new PipelineAlertsNode(this, s, this.stacks.length > 1)));
    }
    if (this.stacksPending) {
      nodes.push(readingStacksNode(`${this.ids}pipelines-reading`, this.stacks.length, this.account?.parent));
    }
    nodes.push(new AlarmsNode(this));
    if (this.account) return nodes;
    if (this.mutes.some((m) => m.until > this.now())) nodes.push(new MutesNode(this));
    if (this.history) nodes.push(this.historyNode);
    return nodes;
  }
}

/** Every active mute, each with its own Unmute. */
class MutesNode implements TreeNode {
  readonly id = 'alerts/mutes';
  constructor(private readonly model: AlertsModel) {}
  private active(): Mute[] { return this.model.mutes.filter((m) => m.until > this.model.now()).sort((a, b) => a.until - b.until); }
  getTreeItem(): vscode.TreeItem {
    const item = treeItem(this.id, 'Muted', vscode.TreeItemCollapsibleState.Expanded, 'bell-slash');
    item.description = `${this.active().length}`;
    item.tooltip = vscode.l10n.t('Muted alerts show no notification until the mute ends. Their states still show above.');
    item.contextValue = 'alertMutes';
    return item;
  }
  getChildren(): TreeNode[] { return this.active().map((m) => new MuteNode(m, this, this.model.now())); }
}

export class MuteNode implements TreeNode {
  readonly id: string;
  constructor(readonly mute: Mute, private readonly parent: TreeNode, private readonly now = Date.now()) {
    this.id = `alerts/mutes/${mute.key}`;
  }
  getTreeItem(): vscode.TreeItem {
    const m = this.mute;
    const app = m.key.startsWith('app:') ? m.key.slice(4) : undefined;
    const item = treeItem(this.id, inert(app ? `every alert from ${app}` : m.key, 200), vscode.TreeItemCollapsibleState.None, 'bell-slash');
    item.description = vscode.l10n.t('until {0} · {1}', clockTime(m.until, this.now), inTime(m.until, this.now));
    item.tooltip = textTooltip(`${app ? `Every alert from ${app}` : m.key} is muted until ${new Date(m.until).toLocaleString()}.`);
    item.contextValue = 'alertMute';
    return item;
  }
  getParent() { return this.parent; }
}

const OUTCOME_ICON: Record<AlertHistoryEntry['outcome'], string> = { shown: 'bell', summarised: 'list-flat', muted: 'bell-slash', table: 'database', dnd: 'bell-dot' };

/** The alert history, newest first: what arrived (shown, summarised, muted) and state changes from the table. */
export class HistoryRootNode implements TreeNode {
  readonly id = 'alerts/history';
  constructor(private readonly model: AlertsModel) {}
  getTreeItem(): vscode.TreeItem {
    const n = this.model.history?.list().length ?? 0;
    const item = treeItem(this.id, 'History', vscode.TreeItemCollapsibleState.Collapsed, 'history');
    item.description = `${n}`;
    item.tooltip = vscode.l10n.t('What arrived in the inbox (shown, in a summary, or muted) and the state changes read from the alert-state table, newest first (the last 500).');
    item.contextValue = 'alertHistory';
    return item;
  }
  getChildren(): TreeNode[] {
    const entries = this.model.history?.list() ?? [];
    if (!entries.length) return [new InfoNode(`${this.id}/empty`, vscode.l10n.t('Nothing has arrived yet'), { icon: 'info', parent: this })];
    const now = this.model.now();
    return this.model.pages.page(this.id, entries.map((e, i) => [e, i] as const), ([e, i]) => new HistoryEntryNode(e, i, this, now), this);
  }
}

export class HistoryEntryNode implements TreeNode {
  readonly id: string;
  constructor(readonly entry: AlertHistoryEntry, index: number, private readonly parent: TreeNode, private readonly now: number) {
    this.id = `alerts/history/${entry.at}/${index}`;
  }
  getTreeItem(): vscode.TreeItem {
    const e = this.entry;
    const item = treeItem(this.id, inert(e.key, 200), vscode.TreeItemCollapsibleState.None, OUTCOME_ICON[e.outcome] ?? 'circle-small', e.state === 'ALARM' ? 'errorForeground' : undefined);
    item.description = [clockTime(e.at, this.now), e.state, OUTCOME_LABEL[e.outcome] ?? e.outcome, inert(e.text, 200)].filter(Boolean).join(' · ');
    const tip = new Tooltip();
    tip.text(`${e.key}: ${e.state} (${OUTCOME_LABEL[e.outcome] ?? e.outcome})\n\n`);
    tip.text(`Seen: ${new Date(e.at).toLocaleString()}\n\n`);
    if (e.happenedAt) tip.text(`${e.outcome === 'table' ? 'Since' : 'Sent'}: ${new Date(e.happenedAt).toLocaleString()}\n\n`);
    if (e.text) tip.text(e.text);
    item.tooltip = tip.markdown;
    item.contextValue = `alertHistoryEntry+${e.outcome}`;
    return item;
  }
  getParent() { return this.parent; }
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
