import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { TreeNode } from './nodes';
import { NodeTreeProvider } from './provider';

/**
 * Creates a tree view whose roots come from `roots()` once connected. While there is no AWS
 * connection it stays empty, so the view's viewsWelcome (Select Profile / Select Region) shows.
 * It refreshes itself when the profile or region changes.
 */
export function registerTreeView(ctx: Ctx, viewId: string, roots: () => TreeNode[] | Promise<TreeNode[]>, opts: { canSelectMany?: boolean } = {}) {
  // Each root load is counted in the connection's rootLoads, which background work waits on (rootLoads.ts).
  const provider = ctx.own(new NodeTreeProvider(viewId, () => (ctx.connection.isReady ? ctx.connection.rootLoads.track(Promise.resolve().then(roots)) : [])));
  const view = ctx.own(vscode.window.createTreeView(viewId, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: opts.canSelectMany }));
  ctx.own(ctx.connection.onDidChange(() => provider.refresh()));
  return { provider, view };
}
