// The Pipeline view's nodes: stacks with their resources (and live figures), outputs and last events.
import * as vscode from 'vscode';
import type { StackEvent, StackResourceDrift, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { InfoNode, type TreeNode } from '../tree/nodes';
import type { OnPage } from '../tree/firstPage';
import { stackPhase } from './deploy';
import { differenceLines, type StackDrift } from './drift';
import { describeConsumer, describeQueue, type ConsumerFigures, type PipelineStack, type QueueFigures } from './inspect';
import { OUTPUT_KEYS, type PipelineOutputs } from './stack';

/** What the nodes need from the view: data fetches, bound to the current connection. */
export interface PipelineApi {
  region: string;
  /** `onPage`: the stacks so far after each DescribeStacks page that more follow (src/tree/firstPage.ts). */
  listStacks(onPage?: OnPage<PipelineStack>): Promise<PipelineStack[]>;
  resources(stack: PipelineStack): Promise<StackResourceSummary[]>;
  endpoints(stack: PipelineStack, resources: StackResourceSummary[]): Promise<Partial<PipelineOutputs>>;
  queue(url: string): Promise<QueueFigures>;
  consumer(endpoints: Partial<PipelineOutputs>): Promise<ConsumerFigures>;
  events(stack: PipelineStack): Promise<StackEvent[]>;
  /** The stack's drift: the newer of this window's last detection and DescribeStacks' DriftInformation. */
  driftOf(stack: PipelineStack): StackDrift | undefined;
  /** The resources found MODIFIED or DELETED by the stack's last drift detection. */
  resourceDrifts(stack: PipelineStack): Promise<StackResourceDrift[]>;
  /** The time "just now" / "5 min ago" is written against (the extension's clock). */
  now(): number;
  /** Where node ids start: 'pipeline/', or an account node's id under a multi-account scope. */
  idPrefix?: string;
}

// Tooltips are plain strings: they carry outside text (status reasons, physical ids, output values), and a
// MarkdownString turns a bare URL into a link even through appendText.
const text = (s: string) => s;
const ago = (d: Date | undefined, now: number) => {
  if (!d) return '';
  const s = Math.max(0, (now - d.getTime()) / 1000);
  return s < 90 ? 'just now' : s < 5400 ? `${Math.round(s / 60)} min ago` : s < 129_600 ? `${Math.round(s / 3600)} h ago` : `${Math.round(s / 86_400)} d ago`;
};

function statusIcon(status: string): vscode.ThemeIcon {
  const phase = stackPhase(status);
  if (phase === 'busy' || phase === 'review') return new vscode.ThemeIcon('sync~spin');
  if (/FAILED|ROLLBACK/.test(status)) return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
}

export class StackNode implements TreeNode {
  readonly id: string;
  /** Kept, with what each folder loaded, so redrawing this item for its relative time makes no AWS call. */
  private children?: TreeNode[];
  constructor(readonly api: PipelineApi, readonly stack: PipelineStack) {
    this.id = `${api.idPrefix ?? 'pipeline/'}${api.region}/${stack.name}`;
  }
  /** The next getChildren() loads the folders' contents again. */
  invalidate(): void { this.children = undefined; }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.stack.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `${this.stack.status}${this.stack.updatedAt ? ` · ${ago(this.stack.updatedAt, this.api.now())}` : ''}`;
    item.iconPath = statusIcon(this.stack.status);
    item.tooltip = text(`${this.stack.name}\n${this.stack.status}${this.stack.statusReason ? `: ${this.stack.statusReason}` : ''}\n${this.stack.id}`);
    const phase = stackPhase(this.stack.status);
    item.contextValue = ['pipelineStack', phase === 'busy' ? 'busy' : '', phase === 'recreate' ? 'rollbackComplete' : ''].filter(Boolean).join('+');
    return item;
  }
  getChildren(): TreeNode[] {
    return (this.children ??= [new ResourcesNode(this), new OutputsNode(this), new EventsNode(this), new DriftNode(this)]);
  }
}

abstract class FolderNode implements TreeNode {
  readonly id: string;
  constructor(readonly parent: StackNode, private readonly name: string, private readonly icon: string) {
    this.id = `${parent.id}/${name.toLowerCase()}`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = `pipelineFolder+${this.name.toLowerCase()}`;
    return item;
  }
  getParent() { return this.parent; }
  private loaded?: Promise<TreeNode[]>;
  /** Loaded once per folder instance (a failure is not kept, so Retry loads again). */
  getChildren(): Promise<TreeNode[]> {
    if (!this.loaded) {
      const p = this.load();
      this.loaded = p;
      p.catch(() => { if (this.loaded === p) this.loaded = undefined; });
    }
    return this.loaded;
  }
  protected abstract load(): Promise<TreeNode[]>;
}

type Role = 'ingest' | 'dlq' | 'inbox' | 'consumer';
const ROLES: Record<string, Role> = { IngestQueue: 'ingest', DeadLetterQueue: 'dlq', InboxQueue: 'inbox', ConsumerFunction: 'consumer' };

export class ResourcesNode extends FolderNode {
  constructor(parent: StackNode) { super(parent, 'Resources', 'symbol-structure'); }
  protected async load(): Promise<TreeNode[]> {
    const { api, stack } = this.parent;
    const resources = (await api.resources(stack)).filter((r) => r.LogicalResourceId);
    const endpoints = await api.endpoints(stack, resources);
    // Live figures: each may fail on its own (a missing permission) without hiding the resources.
    const [ingest, dlq, inbox, consumer] = await Promise.allSettled([
      endpoints.IngestQueueUrl ? api.queue(endpoints.IngestQueueUrl) : Promise.reject(new Error('no ingest queue')),
      endpoints.DeadLetterQueueUrl ? api.queue(endpoints.DeadLetterQueueUrl) : Promise.reject(new Error('no DLQ')),
      endpoints.InboxQueueUrl ? api.queue(endpoints.InboxQueueUrl) : Promise.reject(new Error('no inbox queue')),
      api.consumer(endpoints),
    ]);
    const figures: Record<Role, PromiseSettledResult<unknown>> = { ingest, dlq, inbox, consumer };
    const c = consumer.status === 'fulfilled' ? consumer.value : undefined;
    if (!resources.length) return [new InfoNode(`${this.id}/none`, vscode.l10n.t('No resources reported yet'), { icon: 'info', parent: this })];
    return resources.map((r) => {
      const role = ROLES[r.LogicalResourceId!];
      let live: string | undefined;
      let warn = false;
      let liveError: string | undefined;
      if (role) {
        const f = figures[role];
        if (f.status === 'rejected') liveError = (f.reason as Error)?.message ?? String(f.reason);
        else if (role === 'consumer') live = describeConsumer(f.value as ConsumerFigures);
        else {
          const q = f.value as QueueFigures;
          live = describeQueue(role, q, role === 'ingest' ? c : undefined);
          warn = role === 'dlq' && q.visible > 0;
        }
      }
      return new ResourceNode(this, r, live, warn, liveError);
    });
  }
}

export class ResourceNode implements TreeNode {
  readonly id: string;
  constructor(readonly parent: ResourcesNode, readonly resource: StackResourceSummary, private readonly live: string | undefined, readonly warn: boolean, private readonly liveError?: string) {
    this.id = `${parent.id}/${resource.LogicalResourceId}`;
  }
  getTreeItem(): vscode.TreeItem {
    const r = this.resource;
    const item = new vscode.TreeItem(r.LogicalResourceId ?? '?', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const type = (r.ResourceType ?? '').replace(/^AWS::/, '');
    const status = r.ResourceStatus && r.ResourceStatus !== 'CREATE_COMPLETE' && r.ResourceStatus !== 'UPDATE_COMPLETE' ? ` · ${r.ResourceStatus}` : '';
    item.description = this.live ? `${this.live}${status}` : `${type}${status}`;
    item.iconPath = this.warn
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : /FAILED/.test(r.ResourceStatus ?? '') ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon(iconFor(r.ResourceType ?? ''));
    item.tooltip = text(
      [`${r.LogicalResourceId} (${r.ResourceType})`, `Status: ${r.ResourceStatus ?? '?'}${r.ResourceStatusReason ? ` (${r.ResourceStatusReason})` : ''}`, `Physical id: ${r.PhysicalResourceId ?? '-'}`, this.live ? `Now: ${this.live}` : '', this.liveError ? `Figures unavailable: ${this.liveError}` : '']
        .filter(Boolean)
        .join('\n'),
    );
    item.contextValue = ['pipelineResource', r.LogicalResourceId === 'DeadLetterQueue' ? 'dlq' : '', this.warn ? 'dlqNotEmpty' : ''].filter(Boolean).join('+');
    return item;
  }
  getParent() { return this.parent; }
}

function iconFor(type: string): string {
  if (type.includes('SQS')) return 'inbox';
  if (type.includes('S3')) return 'database';
  if (type.includes('DynamoDB')) return 'table';
  if (type.includes('Lambda')) return 'symbol-function';
  if (type.includes('SNS')) return 'bell';
  if (type.includes('Logs')) return 'output';
  if (type.includes('IAM')) return 'shield';
  if (type.includes('CloudWatch')) return 'pulse';
  if (type.includes('Glue') || type.includes('Athena')) return 'search';
  return 'symbol-misc';
}

export class OutputsNode extends FolderNode {
  constructor(parent: StackNode) { super(parent, 'Outputs', 'symbol-constant'); }
  protected async load(): Promise<TreeNode[]> {
    const { api, stack } = this.parent;
    const reported = Object.keys(stack.outputs).length > 0;
    const values = reported ? stack.outputs : await api.endpoints(stack, await api.resources(stack));
    const keys = OUTPUT_KEYS.filter((k) => values[k]);
    if (!keys.length) return [new InfoNode(`${this.id}/none`, vscode.l10n.t('No outputs yet'), { icon: 'info', parent: this })];
    return keys.map((k) => new OutputNode(this, k, values[k]!, !reported));
  }
}

export class OutputNode implements TreeNode {
  readonly id: string;
  constructor(readonly parent: OutputsNode, readonly key: string, readonly value: string, private readonly derived: boolean) {
    this.id = `${parent.id}/${key}`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.key, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.value;
    item.tooltip = text(`${this.key}\n${this.value}${this.derived ? '\n(The stack reports no outputs: taken from its resources.)' : ''}\nClick to copy.`);
    item.iconPath = new vscode.ThemeIcon('symbol-string');
    item.contextValue = 'pipelineOutput';
    item.command = { command: 'cloudMonitor.pipeline.copyOutput', title: vscode.l10n.t('Copy Value'), arguments: [this] };
    return item;
  }
  getParent() { return this.parent; }
}

export class EventsNode extends FolderNode {
  constructor(parent: StackNode) { super(parent, 'Last Events', 'history'); }
  protected async load(): Promise<TreeNode[]> {
    const events = await this.parent.api.events(this.parent.stack);
    if (!events.length) return [new InfoNode(`${this.id}/none`, vscode.l10n.t('No events'), { icon: 'info', parent: this })];
    return events.map((e, i) => new EventNode(this, e, i));
  }
}

export class EventNode implements TreeNode {
  readonly id: string;
  constructor(readonly parent: EventsNode, readonly event: StackEvent, index: number) {
    this.id = `${parent.id}/${event.EventId ?? index}`;
  }
  getTreeItem(): vscode.TreeItem {
    const e = this.event;
    const item = new vscode.TreeItem(`${e.LogicalResourceId ?? '?'}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${e.ResourceStatus ?? ''} · ${e.Timestamp ? e.Timestamp.toISOString().replace('T', ' ').slice(0, 19) : ''}`;
    item.iconPath = /FAILED/.test(e.ResourceStatus ?? '') ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('circle-small');
    item.tooltip = text([`${e.LogicalResourceId} (${e.ResourceType})`, `${e.ResourceStatus} at ${e.Timestamp?.toISOString() ?? '?'}`, e.ResourceStatusReason ?? ''].filter(Boolean).join('\n'));
    item.contextValue = 'pipelineEvent';
    return item;
  }
  getParent() { return this.parent; }
}

/** The stack's drift status and when it was checked; its children are the drifted resources. */
export class DriftNode implements TreeNode {
  readonly id: string;
  constructor(readonly parent: StackNode) {
    this.id = `${parent.id}/drift`;
  }
  private get drift() { return this.parent.api.driftOf(this.parent.stack); }
  getTreeItem(): vscode.TreeItem {
    const d = this.drift;
    const checked = d && d.status !== 'NOT_CHECKED';
    const drifted = d?.status === 'DRIFTED';
    const item = new vscode.TreeItem(vscode.l10n.t('Drift'), drifted ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // Per status: VS Code keeps an item's last expansion state by id, and the drifted resources should show.
    item.id = `${this.id}+${d?.status ?? 'none'}`;
    const count = drifted && d.driftedCount !== undefined ? ` · ${d.driftedCount} resource${d.driftedCount === 1 ? '' : 's'}` : '';
    const when = d?.checkedAt ? ` · checked ${ago(d.checkedAt, this.parent.api.now())}` : '';
    item.description = checked ? `${d.status}${count}${when}` : vscode.l10n.t('not checked · Detect Drift…');
    item.iconPath = drifted
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : d?.status === 'IN_SYNC' ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('diff');
    item.tooltip = text(checked
      ? `Stack drift: ${d.status}${d.checkedAt ? `\nChecked ${d.checkedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC` : ''}\nDetect Drift checks again.`
      : 'Drift has not been checked for this stack. Detect Drift compares each resource with the template.');
    if (!checked) item.command = { command: 'cloudMonitor.pipeline.detectDrift', title: vscode.l10n.t('Detect Drift'), arguments: [this.parent] };
    item.contextValue = ['pipelineDrift', d?.status.toLowerCase() ?? 'notChecked'].join('+');
    return item;
  }
  getParent() { return this.parent; }
  private loaded?: Promise<TreeNode[]>;
  getChildren(): Promise<TreeNode[]> {
    if (this.drift?.status !== 'DRIFTED') return Promise.resolve([]);
    if (!this.loaded) {
      const p = this.parent.api.resourceDrifts(this.parent.stack).then((list): TreeNode[] =>
        list.length ? list.map((d) => new DriftedResourceNode(this, d)) : [new InfoNode(`${this.id}/none`, vscode.l10n.t('No drifted resources reported'), { icon: 'info', parent: this })],
      );
      this.loaded = p;
      p.catch(() => { if (this.loaded === p) this.loaded = undefined; });
    }
    return this.loaded;
  }
}

export class DriftedResourceNode implements TreeNode {
  readonly id: string;
  constructor(readonly parent: DriftNode, readonly drift: StackResourceDrift) {
    this.id = `${parent.id}/${drift.LogicalResourceId}`;
  }
  getTreeItem(): vscode.TreeItem {
    const d = this.drift;
    const item = new vscode.TreeItem(d.LogicalResourceId ?? '?', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const status = d.StackResourceDriftStatus ?? '?';
    item.description = `${status} · ${(d.ResourceType ?? '').replace(/^AWS::/, '')}`;
    item.iconPath = status === 'DELETED' ? new vscode.ThemeIcon('trash', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('edit', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    item.tooltip = text([`${d.LogicalResourceId} (${d.ResourceType}): ${status}`, `Physical id: ${d.PhysicalResourceId ?? '-'}`, ...differenceLines(d), 'Click for the expected and actual properties.'].join('\n'));
    item.contextValue = `pipelineDriftedResource+${status.toLowerCase()}`;
    item.command = { command: 'cloudMonitor.pipeline.showDrift', title: vscode.l10n.t('Show Drift Details'), arguments: [this] };
    return item;
  }
  getParent() { return this.parent; }
}
