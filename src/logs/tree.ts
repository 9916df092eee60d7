// The Logs view: the pipeline's log groups first, then every group a page at a time with
// "Load more", an optional name-prefix filter, and the workspace's saved Logs Insights queries.
import * as vscode from 'vscode';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Ctx } from '../context';
import { InfoNode, LoadMoreNode, type TreeNode } from '../tree/nodes';
import { Tooltip } from '../tree/tooltip';
import type { NodeTreeProvider } from '../tree/provider';
import { pipelineLogGroups } from '../alerts/pipelineStack';
import { PipelineLocator } from '../alerts/pipelines';
import { describeLogGroup, fetchLogGroupPage, fetchNamedGroups, logGroupNodeId, pipelineFirst, type LogGroupInfo } from './logGroups';
import type { ScopeMember } from '../aws/scope/scope';

const PAGE_SIZE = 50;

export class LogGroupNode implements TreeNode {
  readonly id: string;
  /**
   * `member` and `region`: the account and region of a scope of several accounts or regions the group is in
   * (tail and search ask that account in that region).
   */
  constructor(readonly group: LogGroupInfo, readonly pipeline: boolean, private readonly parent?: TreeNode, readonly member?: ScopeMember, idPrefix = 'logs/', readonly region?: string) {
    this.id = logGroupNodeId(idPrefix, group.name, pipeline);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = describeLogGroup(this.group);
    item.iconPath = new vscode.ThemeIcon(this.pipeline ? 'pulse' : 'output');
    const tip = new Tooltip().text(`${this.group.name}\n\n${item.description}`);
    if (this.pipeline) tip.text('\n\nA log group of the monitoring pipeline.');
    item.tooltip = tip.markdown;
    item.contextValue = `logGroup${this.pipeline ? '+pipeline' : ''}`;
    item.command = { command: 'cloudMonitor.logs.tail', title: vscode.l10n.t('Tail'), arguments: [this] };
    return item;
  }
  getParent() { return this.parent; }
}

export class SavedQueriesNode implements TreeNode {
  readonly id = 'logs/saved';
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Saved Logs Insights queries'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('search-view-icon');
    item.contextValue = 'savedQueries';
    return item;
  }
  async getChildren(): Promise<TreeNode[]> {
    const files = await vscode.workspace.findFiles('**/*.cwlogs', '**/node_modules/**', 200);
    if (!files.length) {
      return [new InfoNode('logs/saved/empty', vscode.l10n.t('No .cwlogs files in the workspace'), { icon: 'info', description: vscode.l10n.t('New Logs Insights Query…'), command: { command: 'cloudMonitor.logs.newInsightsQuery', title: vscode.l10n.t('New query') }, parent: this })];
    }
    return files.sort((a, b) => a.path.localeCompare(b.path)).map((uri) => new InfoNode(`logs/saved/${uri.toString()}`, vscode.workspace.asRelativePath(uri), {
      icon: 'file-code', command: { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [uri] }, contextValue: 'savedQuery', parent: this,
    }));
  }
}

/** One account and region of a scope of several, as the Logs view lists it (src/logs/register.ts). */
export interface LogsAccount {
  member: ScopeMember;
  /** The region the groups are in ('' for the connection's). */
  region: string;
  client(): CloudWatchLogsClient;
  /** The account's (or region's) node the groups hang under; their ids start with its id. */
  parent: TreeNode;
  /** The view's name-prefix filter, shared by every account. */
  prefix(): string;
}

/** The view's state: filter, loaded pages, and the pipeline's groups (of one account, under a multi-account scope). */
export class LogsModel {
  private ownPrefix = '';
  private groups: LogGroupInfo[] = [];
  private pipeline: LogGroupInfo[] = [];
  private nextToken?: string;
  private loaded = false;
  /** Bumped by reset() and each load: an answer for an older one is dropped. */
  private generation = 0;
  provider?: NodeTreeProvider;

  constructor(private readonly ctx: Ctx, private readonly account?: LogsAccount) {}

  get prefix(): string { return this.account ? this.account.prefix() : this.ownPrefix; }
  private get ids(): string { return this.account ? `${this.account.parent.id}/` : 'logs/'; }

  reset(): void {
    this.generation++;
    this.loaded = false;
    this.groups = [];
    this.pipeline = [];
    this.nextToken = undefined;
  }

  setPrefix(prefix: string): void {
    this.ownPrefix = prefix.trim();
    this.reset();
    void vscode.commands.executeCommand('setContext', 'cloudMonitor.logs.filtered', !!this.prefix);
    this.provider?.refresh();
  }

  private client() { return this.account ? this.account.client() : this.ctx.connection.client(CloudWatchLogsClient); }

  private async load(): Promise<void> {
    const client = this.client();
    const generation = ++this.generation;
    // The pipeline's groups are a bonus: a missing stack or a denied DescribeStacks must not hide the list, and
    // finding them (every DescribeStacks page, then a lookup per group) must not hold back the first page
    // either. They go on top when known. The pipeline stack is looked up in the profile's own account only.
    if (!this.account) {
      void PipelineLocator.for(this.ctx).stacks().then((stacks) => fetchNamedGroups(client, pipelineLogGroups(stacks))).then(
        (pipeline) => {
          if (generation !== this.generation || !pipeline.length) return;
          this.pipeline = pipeline;
          if (this.loaded) this.provider?.refresh();
        },
        (err: unknown) => this.ctx.log.warn(`Logs view: could not look up the pipeline stacks: ${(err as Error)?.message}`),
      );
    }
    const page = await fetchLogGroupPage(client, { prefix: this.prefix, limit: PAGE_SIZE });
    if (generation !== this.generation) return;
    this.groups = page.groups;
    this.nextToken = page.nextToken;
    this.loaded = true;
  }

  async loadMore(): Promise<void> {
    if (!this.nextToken) return;
    const page = await fetchLogGroupPage(this.client(), { prefix: this.prefix, nextToken: this.nextToken, limit: PAGE_SIZE });
    this.groups.push(...page.groups);
    this.nextToken = page.nextToken;
    this.provider?.refresh();
  }

  async roots(): Promise<TreeNode[]> {
    if (!this.loaded) await this.load();
    const { pipeline, others } = pipelineFirst(this.pipeline, this.groups, this.prefix);
    const nodes: TreeNode[] = [];
    const ids = this.ids;
    const parent = this.account?.parent;
    const node = (g: LogGroupInfo, isPipeline: boolean) => new LogGroupNode(g, isPipeline, parent, this.account?.member, ids, this.account?.region || undefined);
    if (this.prefix && !this.account) {
      nodes.push(new InfoNode('logs/filter', vscode.l10n.t('Filter: {0}', this.prefix), { icon: 'filter', description: vscode.l10n.t('click to clear'), command: { command: 'cloudMonitor.logs.clearFilter', title: vscode.l10n.t('Clear filter') }, contextValue: 'logsFilter' }));
    }
    nodes.push(...pipeline.map((g) => node(g, true)));
    nodes.push(...others.map((g) => node(g, false)));
    if (this.nextToken) nodes.push(new LoadMoreNode(`${ids}more`, () => this.loadMore(), parent));
    if (!pipeline.length && !others.length) {
      nodes.push(new InfoNode(`${ids}empty`, this.prefix ? vscode.l10n.t('No log groups start with {0}', this.prefix) : vscode.l10n.t('No log groups in this region'), { icon: 'info', parent }));
    }
    // The saved queries are the workspace's, shown once at the top level of a multi-account view.
    if (!this.account) nodes.push(new SavedQueriesNode());
    return nodes;
  }

  /** Every loaded group, for pickers. */
  known(): LogGroupInfo[] { return [...this.pipeline, ...this.groups]; }
}
