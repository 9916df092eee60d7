// The Findings tree: severity → resource → finding, all from memory once loaded.
import * as vscode from 'vscode';
import { InfoNode, LoadMoreNode, type TreeNode } from '../tree/nodes';
import type { ShownPages } from '../tree/paging';
import { textTooltip, Tooltip } from '../tree/tooltip';
import { bucketOf, resourceLabel, statusLabel, type FindingSummary, type ResourceGroup, type Severity, type SeverityGroup } from './model';

const SEVERITY_STYLE: Record<Severity, { icon: string; color: string; label: string }> = {
  CRITICAL: { icon: 'error', color: 'errorForeground', label: vscode.l10n.t('Critical') },
  HIGH: { icon: 'warning', color: 'list.errorForeground', label: vscode.l10n.t('High') },
  MEDIUM: { icon: 'warning', color: 'editorWarning.foreground', label: vscode.l10n.t('Medium') },
  LOW: { icon: 'info', color: 'editorInfo.foreground', label: vscode.l10n.t('Low') },
  INFORMATIONAL: { icon: 'circle-outline', color: 'descriptionForeground', label: vscode.l10n.t('Informational') },
};

export class SeverityNode implements TreeNode {
  readonly id: string;
  constructor(readonly scope: string, readonly group: SeverityGroup, readonly pages?: ShownPages) {
    this.id = `${scope}/s/${group.severity}`;
  }
  getTreeItem(): vscode.TreeItem {
    const s = SEVERITY_STYLE[this.group.severity];
    const item = new vscode.TreeItem(`${s.label} (${this.group.count})`, this.group.severity === 'INFORMATIONAL' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(s.icon, new vscode.ThemeColor(s.color));
    item.description = (this.group.resources.length === 1 ? vscode.l10n.t('{0} resource', 1) : vscode.l10n.t('{0} resources', this.group.resources.length));
    item.contextValue = `findingSeverity+${this.group.severity}`;
    return item;
  }
  getChildren(): TreeNode[] {
    const make = (r: ResourceGroup) => new ResourceNode(this, r);
    return this.pages ? this.pages.page(this.id, this.group.resources, make, this) : this.group.resources.map(make);
  }
  findings(): FindingSummary[] { return this.group.resources.flatMap((r) => r.findings); }
}

export class ResourceNode implements TreeNode {
  readonly id: string;
  constructor(readonly parent: SeverityNode, readonly group: ResourceGroup) {
    this.id = `${parent.id}/r/${group.key}`;
  }
  get bucket() { return bucketOf({ resourceType: this.group.type, resourceId: this.group.id }); }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${resourceLabel(this.group.id)} (${this.group.findings.length})`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.bucket ? 'database' : 'symbol-class');
    item.description = this.group.type;
    item.tooltip = textTooltip(`${this.group.type}\n\n${this.group.id}`);
    item.contextValue = `findingResource${this.bucket ? '+bucket' : ''}`;
    return item;
  }
  getChildren(): TreeNode[] {
    const make = (f: FindingSummary) => new FindingNode(this, f);
    return this.parent.pages ? this.parent.pages.page(this.id, this.group.findings, make, this) : this.group.findings.map(make);
  }
  getParent() { return this.parent; }
  findings(): FindingSummary[] { return this.group.findings; }
}

export class FindingNode implements TreeNode {
  readonly id: string;
  constructor(readonly parent: ResourceNode, readonly finding: FindingSummary) {
    // Ids are stable paths; the finding id is unique per product.
    this.id = `${parent.parent.scope}/f/${finding.productArn}/${finding.id}`;
  }
  get bucket() { return bucketOf(this.finding); }
  getTreeItem(): vscode.TreeItem {
    const f = this.finding;
    const s = SEVERITY_STYLE[f.severity];
    // Tree labels are plain text: markup in a title shows as the characters it is.
    const item = new vscode.TreeItem(f.title, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = f.lastError ? new vscode.ThemeIcon('alert', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('shield', new vscode.ThemeColor(s.color));
    item.description = [f.lastError ? 'update failed' : undefined, statusLabel(f), f.productName, f.complianceStatus].filter(Boolean).join(' · ');
    const md = new Tooltip().bold(f.title).para();
    md.text(`${s.label} · ${statusLabel(f)}${f.complianceStatus ? ` · compliance ${f.complianceStatus}` : ''}${f.productName ? ` · ${f.productName}` : ''}\n\n`);
    if (f.description) md.text(`${f.description.length > 600 ? `${f.description.slice(0, 600)}…` : f.description}\n\n`);
    md.text(`Resource: ${f.resourceType} ${f.resourceId}${f.resourceCount > 1 ? ` (+${f.resourceCount - 1} more)` : ''}\n\n`);
    if (f.lastObservedAt) md.text(`Last seen ${f.lastObservedAt}\n\n`);
    if (f.lastError) md.text(`Last update failed: ${f.lastError}`);
    item.tooltip = md.markdown;
    item.contextValue = ['finding', f.workflowStatus, ...(this.bucket ? ['bucket'] : [])].join('+');
    item.command = { command: 'cloudMonitor.findings.openDetail', title: vscode.l10n.t('Open Finding'), arguments: [this] };
    return item;
  }
  getParent() { return this.parent; }
  findings(): FindingSummary[] { return [this.finding]; }
}

/** Root nodes for the loaded state: groups, then "Load more" when GetFindings has more pages. */
export function rootNodes(scope: string, groups: SeverityGroup[], more: (() => Promise<void>) | undefined, filterText: string, filtered = false, pages?: ShownPages): TreeNode[] {
  const nodes: TreeNode[] = groups.map((g) => new SeverityNode(scope, g, pages));
  if (!nodes.length) nodes.push(new InfoNode(`${scope}/none`, filtered ? vscode.l10n.t('No findings match the filters') : vscode.l10n.t('No active findings'), { icon: 'pass', tooltip: vscode.l10n.t('Nothing matches: {0}', filterText) }));
  if (more) nodes.push(new LoadMoreNode(`${scope}/more`, more));
  return nodes;
}

export type FindingsNode = SeverityNode | ResourceNode | FindingNode;
