// The account level of a view under a multi-account scope (src/aws/scope): the account's name and id first,
// then (several regions) a region level, then what the view shows today. An error in one account (AccessDenied, an expired role) becomes an error
// node under that account alone: NodeTreeProvider turns a throw in getChildren into one. A view asks an
// account nothing until its node is expanded (collapsed by default).
import * as vscode from 'vscode';
import { regionName } from '../aws/regions';
import { accountNodeId, regionNodeId, scopeGrouping, type ScopeMember } from '../aws/scope/scope';
import type { TreeNode } from './nodes';
import { Tooltip } from './tooltip';

export class AccountGroupNode implements TreeNode {
  /** Where the view read this account's rows when not in the account itself ("via aggregator in us-east-1"): plain text. */
  note?: string;
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
    item.description = [m.accountId !== m.label ? m.accountId : undefined, m.roleName, this.note].filter(Boolean).join(' · ') || undefined;
    const md = new Tooltip().text(m.accountName ? `Account: ${m.accountName}` : `Profile: ${m.profile ?? m.label}`);
    if (m.accountId) md.text(`\nAccount id: ${m.accountId}`);
    if (m.roleName) md.text(`\nRole: ${m.roleName}`);
    if (m.ssoSession) md.text(`\nIAM Identity Center session: ${m.ssoSession}`);
    if (this.note) md.text(`\n${this.note}`);
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
    const id = accountNodeId(this.viewId, member.key);
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = new AccountGroupNode(id, member, (node) => this.children(member, node))));
    return n;
  }

  roots(members: ScopeMember[]): AccountGroupNode[] { return members.map((m) => this.nodeFor(m)); }

  /** The node of a member key, if shown. */
  find(key: string): AccountGroupNode | undefined { return this.nodes.get(accountNodeId(this.viewId, key)); }

  clear(): void { this.nodes.clear(); }
}

/** One account and region of a scope, as a view shows it: the node its rows hang under and start their ids with. */
export interface ScopePlace {
  member: ScopeMember;
  region: string;
  /** The region's node, or the account's when the scope has one region. */
  node: TreeNode;
}

/** A region of a scope under its account (or at the top for one account): code, name, then the view's rows. */
export class RegionGroupNode implements TreeNode {
  /** As AccountGroupNode's note. */
  note?: string;
  constructor(
    readonly id: string,
    readonly member: ScopeMember,
    readonly region: string,
    private readonly parent: TreeNode | undefined,
    private readonly children: (node: RegionGroupNode) => TreeNode[] | Promise<TreeNode[]>,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.region, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('globe');
    const name = regionName(this.region);
    item.description = [name, this.note].filter(Boolean).join(' · ') || undefined;
    item.tooltip = new Tooltip().text(`Region: ${this.region}${name ? ` (${name})` : ''}\nAccount: ${this.member.label}${this.member.accountId && this.member.accountId !== this.member.label ? ` (${this.member.accountId})` : ''}${this.note ? `\n${this.note}` : ''}`).markdown;
    item.contextValue = 'scopeRegion';
    return item;
  }

  getChildren(): TreeNode[] | Promise<TreeNode[]> { return this.children(this); }
  getParent() { return this.parent; }
}

/**
 * A view's state per account and region of a scope (a model, a load), made when the place's node is first
 * expanded, so an account or region never expanded is never asked. Several accounts: an account level; several
 * regions: a region level under each account, or at the top for one account; one of each: no grouping (the
 * view shows its own rows). The view's own code builds the rows from the state, as for the single profile.
 */
export class AccountSessions<S> {
  private readonly sessions = new Map<string, S>();
  private readonly nodes = new Map<string, AccountGroupNode | RegionGroupNode>();
  private regions: string[] = [];
  private layout = '';

  constructor(
    private readonly viewId: string,
    private readonly make: (place: ScopePlace) => S,
    private readonly children: (session: S, place: ScopePlace) => TreeNode[] | Promise<TreeNode[]>,
  ) {}

  /** The top nodes for these members and regions: accounts, or one account's regions. */
  roots(members: ScopeMember[], regions: string[]): TreeNode[] {
    const grouping = scopeGrouping(members, regions);
    const layout = `${members.map((m) => m.key).join('\n')}|${regions.join(',')}`;
    // Another scope: the nodes' parents and the states' ids were the old layout's.
    if (layout !== this.layout) this.clear();
    this.layout = layout;
    this.regions = regions;
    if (grouping?.byRegion && !grouping.byAccount) return regions.map((r) => this.regionNode(members[0], r, undefined));
    return members.map((m) => this.accountNode(m));
  }

  private accountNode(member: ScopeMember): AccountGroupNode {
    const id = accountNodeId(this.viewId, member.key);
    return this.cached(id, () => new AccountGroupNode(id, member, (node) => (this.regions.length > 1
      ? this.regions.map((r) => this.regionNode(member, r, node))
      : this.placeChildren({ member, region: this.regions[0] ?? '', node }))));
  }

  private regionNode(member: ScopeMember, region: string, parent: TreeNode | undefined): RegionGroupNode {
    const id = regionNodeId(this.viewId, member.key, region);
    return this.cached(id, () => new RegionGroupNode(id, member, region, parent, (node) => this.placeChildren({ member, region, node })));
  }

  private cached<N extends AccountGroupNode | RegionGroupNode>(id: string, make: () => N): N {
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = make()));
    return n as N;
  }

  private placeChildren(place: ScopePlace): TreeNode[] | Promise<TreeNode[]> {
    const key = `${place.member.key}\n${place.region}`;
    let s = this.sessions.get(key);
    if (s === undefined) this.sessions.set(key, (s = this.make(place)));
    return this.children(s, place);
  }

  /** The states made so far (places expanded). */
  made(): S[] { return [...this.sessions.values()]; }

  clear(): void {
    this.sessions.clear();
    this.nodes.clear();
    this.layout = '';
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
