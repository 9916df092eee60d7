import * as vscode from 'vscode';
import { classifyAwsError, type ClassifiedError, type ErrorAction } from '../aws/errors';
import { textTooltip } from './tooltip';

/** A node in any of our trees. Ids are stable paths, never labels. */
export interface TreeNode {
  readonly id: string;
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): TreeNode[] | Promise<TreeNode[]>;
  getParent?(): TreeNode | undefined;
}

const ACTION_COMMANDS: Record<ErrorAction, { command: string; title: string }> = {
  retry: { command: 'cloudMonitor.retryNode', title: vscode.l10n.t('Retry') },
  selectProfile: { command: 'cloudMonitor.selectProfile', title: vscode.l10n.t('Select Profile') },
  selectRegion: { command: 'cloudMonitor.selectRegion', title: vscode.l10n.t('Select Region') },
  ssoLogin: { command: 'cloudMonitor.ssoLogin', title: vscode.l10n.t('Sign in with SSO') },
};

/**
 * A failure shown in place of children. Its click runs the first action; the others are inline
 * buttons via contextValue `error+retry+ssoLogin…`, matched by regex in package.json menus.
 */
export class ErrorNode implements TreeNode {
  readonly error: ClassifiedError;
  constructor(
    readonly id: string,
    err: unknown,
    /** What Retry does: refresh the failed node (or its view). */
    readonly retry: () => void = () => undefined,
    private readonly parent?: TreeNode,
  ) {
    this.error = classifyAwsError(err);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.error.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.error.kind === 'notEnabled' ? 'info' : 'error', new vscode.ThemeColor(this.error.kind === 'notEnabled' ? 'foreground' : 'errorForeground'));
    item.tooltip = textTooltip(`${this.error.message}${this.error.code ? `\n\n(${this.error.code})` : ''}`);
    item.contextValue = ['error', ...this.error.actions].join('+');
    const first = this.error.actions[0];
    if (first) item.command = { ...ACTION_COMMANDS[first], arguments: first === 'retry' ? [this] : [] };
    return item;
  }
  getParent() { return this.parent; }
}

/** What every tree item of ours starts from: its stable id, label, expansion state and theme icon (with an optional colour). */
export function treeItem(id: string, label: string, collapsible = vscode.TreeItemCollapsibleState.None, icon?: string, color?: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, collapsible);
  item.id = id;
  if (icon) item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  return item;
}

/** A plain informational line: empty states, "not enabled" notes, summaries. */
export class InfoNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly opts: { icon?: string; tooltip?: string; description?: string; command?: vscode.Command; contextValue?: string; parent?: TreeNode } = {},
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = treeItem(this.id, this.label, vscode.TreeItemCollapsibleState.None, this.opts.icon);
    item.tooltip = this.opts.tooltip;
    item.description = this.opts.description;
    item.command = this.opts.command;
    item.contextValue = this.opts.contextValue ?? 'info';
    return item;
  }
  getParent() { return this.opts.parent; }
}

/** "Load more…" at the end of a paged list; clicking it calls `loadMore`, which fetches and refreshes the parent. */
export class LoadMoreNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly loadMore: () => Promise<void>,
    readonly parent?: TreeNode,
    /** What is shown so far, e.g. "200 of 2,000 shown". */
    private readonly description?: string,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'loadMore';
    item.command = { command: 'cloudMonitor.loadMore', title: vscode.l10n.t('Load more'), arguments: [this] };
    return item;
  }
  getParent() { return this.parent; }
}

/** Runs `fetch`; on failure returns a single ErrorNode instead of throwing. */
export async function childrenOrError(id: string, fetch: () => Promise<TreeNode[]>, retry: () => void, parent?: TreeNode): Promise<TreeNode[]> {
  try {
    return await fetch();
  } catch (err) {
    return [new ErrorNode(`${id}/error`, err, retry, parent)];
  }
}
