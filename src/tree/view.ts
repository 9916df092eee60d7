import type { Ctx } from '../context';
import type { TreeNode } from './nodes';
import { NodeTreeProvider } from './provider';

/**
 * The tree view `viewId` (created at activation, src/viewSlots.ts) with roots from `roots()` once connected.
 * A view asked before the connection has read the shared files waits for that rather than answering empty
 * and being asked again. While there is no AWS connection it stays empty, so the view's viewsWelcome
 * (Select Profile / Select Region) shows. It refreshes itself when the profile or region changes.
 */
export function registerTreeView(ctx: Ctx, viewId: string, roots: () => TreeNode[] | Promise<TreeNode[]>) {
  /** Answers waiting for the connection: they answer for the connection it settles on, so that change needs no refresh. */
  let waiting = 0;
  const provider = ctx.own(new NodeTreeProvider(viewId, async () => {
    if (!ctx.connection.isReady && !ctx.connection.isLoaded) {
      waiting++;
      try {
        await ctx.connection.load();
      } finally {
        waiting--;
      }
    }
    return ctx.connection.isReady ? roots() : [];
  }));
  const view = ctx.view(viewId, provider);
  ctx.own(ctx.connection.onDidChange(() => waiting || provider.refresh()));
  return { provider, view };
}
