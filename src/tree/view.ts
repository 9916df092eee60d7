import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { TreeNode } from './nodes';
import { NodeTreeProvider } from './provider';

/**
 * Creates a tree view whose roots come from `roots()` once connected. While there is no AWS
 * connection it stays empty, so the view's viewsWelcome (Select Profile / Select Region) shows.
 * It refreshes itself when the profile or region changes, if its roots were answered for the old ones.
 */
export function registerTreeView(ctx: Ctx, viewId: string, roots: () => TreeNode[] | Promise<TreeNode[]>, opts: { canSelectMany?: boolean } = {}) {
  const { connection } = ctx;
  /**
   * The connection's change count the latest roots were asked under, or undefined before the window first asked;
   * `waiting` counts root asks waiting for the connection's first load, which answer for whatever it picks.
   * A refresh of a view whose roots are current (or not yet asked) would only make VS Code drop the load in
   * flight and ask again: the same AWS calls twice.
   */
  let askedAt: number | undefined;
  let waiting = 0;
  const answer = async (): Promise<TreeNode[]> => {
    // Asked while the shared files are still read: answer once they are, rather than empty and then again.
    waiting++;
    try {
      await connection.load();
    } finally {
      waiting--;
    }
    askedAt = connection.generation;
    // Each root load is counted in the connection's rootLoads, which background work waits on (rootLoads.ts).
    return connection.isReady ? connection.rootLoads.track(Promise.resolve().then(roots)) : [];
  };
  const provider = ctx.own(new NodeTreeProvider(viewId, answer));
  const view = ctx.own(vscode.window.createTreeView(viewId, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: opts.canSelectMany }));
  ctx.own(connection.onDidChange(() => {
    if (!waiting && askedAt !== undefined && askedAt !== connection.generation) provider.refresh();
  }));
  return { provider, view };
}
