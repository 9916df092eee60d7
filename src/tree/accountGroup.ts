// The account level of a view under a multi-account scope (src/aws/scope): the account's name and id first,
// then what the view shows today. An error in one account (AccessDenied, an expired role) becomes an error
// node under that account alone: NodeTreeProvider turns a throw in getChildren into one. A view asks an
// account nothing until its node is expanded (collapsed by default).
import * as vscode from 'vscode';
import type { ScopeMember } from '../aws/scope/scope';
import type { TreeNode } from './nodes';
import { Tooltip } from './tooltip';

export class AccountGroupNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly member: ScopeMember,
    private readonly children: (node: AccountGroupNode) => TreeNode[] | Promise<TreeNode[]>,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const m = this.member;
    // Account names come from the SSO portal: outside text, so a label or appended text only.
    const item = new vscode.TreeItem(m.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(m.ssoSession ? 'organization' : 'account');
    item.description = [m.accountId !== m.label ? m.accountId : undefined, m.roleName].filter(Boolean).join(' · ') || undefined;
    const md = new Tooltip().text(m.accountName ? `Account: ${m.accountName}` : `Profile: ${m.profile ?? m.label}`);
    if (m.accountId) md.text(`\nAccount id: ${m.accountId}`);
    if (m.roleName) md.text(`\nRole: ${m.roleName}`);
    if (m.ssoSession) md.text(`\nIAM Identity Center session: ${m.ssoSession}`);
    item.tooltip = md.markdown;
    item.contextValue = m.ssoSession ? 'account+sso' : 'account+profile';
    return item;
  }

  getChildren(): TreeNode[] | Promise<TreeNode[]> { return this.children(this); }
}

/** One AccountGroupNode per member, kept by id so expansion and refresh(node) survive redraws. */
export class AccountGroups {
  private readonly nodes = new Map<string, AccountGroupNode>();
  constructor(
    private readonly viewId: string,
    private readonly children: (member: ScopeMember, node: AccountGroupNode) => TreeNode[] | Promise<TreeNode[]>,
  ) {}

  nodeFor(member: ScopeMember): AccountGroupNode {
    const id = `${this.viewId}/account/${member.key}`;
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = new AccountGroupNode(id, member, (node) => this.children(member, node))));
    return n;
  }

  roots(members: ScopeMember[]): AccountGroupNode[] { return members.map((m) => this.nodeFor(m)); }

  /** The node of a member key, if shown. */
  find(key: string): AccountGroupNode | undefined { return this.nodes.get(`${this.viewId}/account/${key}`); }

  clear(): void { this.nodes.clear(); }
}

/**
 * A view's per-account state under a multi-account scope (a model, a load), made when the account's node is
 * first expanded, so an account never expanded is never asked. The view's own code builds the children from
 * it, as it does for the single profile today.
 */
export class AccountSessions<S> {
  private readonly sessions = new Map<string, S>();
  private readonly groups: AccountGroups;

  constructor(
    viewId: string,
    private readonly make: (member: ScopeMember) => S,
    children: (session: S, node: AccountGroupNode) => TreeNode[] | Promise<TreeNode[]>,
  ) {
    this.groups = new AccountGroups(viewId, (member, node) => children(this.session(member), node));
  }

  session(member: ScopeMember): S {
    let s = this.sessions.get(member.key);
    if (s === undefined) this.sessions.set(member.key, (s = this.make(member)));
    return s;
  }

  roots(members: ScopeMember[]): AccountGroupNode[] { return this.groups.roots(members); }

  /** The sessions made so far (accounts expanded). */
  made(): S[] { return [...this.sessions.values()]; }

  clear(): void {
    this.sessions.clear();
    this.groups.clear();
  }
}

/** Commands that act on the node itself, not on AWS resources: kept on a look-only node. */
const KEEP_COMMANDS = new Set(['cloudMonitor.retryNode', 'cloudMonitor.loadMore', 'cloudMonitor.pipeline.copyOutput']);

/**
 * A node of another account shown to look at only: its item keeps label, description and tooltip, but gets no
 * command and a contextValue no menu matches (`account+…`), so no action meant for the profile's own account
 * (deploy, delete, redrive) is offered on it. Its children are wrapped the same way.
 */
export class LookOnlyNode implements TreeNode {
  readonly id: string;
  constructor(private readonly inner: TreeNode, private readonly parent?: TreeNode) {
    this.id = inner.id;
  }
  async getTreeItem(): Promise<vscode.TreeItem> {
    const item = await this.inner.getTreeItem();
    if (item.command && !KEEP_COMMANDS.has(item.command.command)) item.command = undefined;
    item.contextValue = `account+${item.contextValue ?? ''}`;
    return item;
  }
  async getChildren(): Promise<TreeNode[]> {
    const children = (await this.inner.getChildren?.()) ?? [];
    return children.map((c) => new LookOnlyNode(c, this));
  }
  getParent() { return this.parent; }
}
