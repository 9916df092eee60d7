import * as vscode from 'vscode';
import { childrenOrError, type TreeNode } from './nodes';

/**
 * The one TreeDataProvider: it only delegates to nodes. `refresh(node)` refreshes just that node.
 * A feature supplies `roots()`; a thrown error there becomes an error node.
 */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly viewId: string, private readonly roots: () => TreeNode[] | Promise<TreeNode[]>) {}

  getTreeItem(node: TreeNode) { return node.getTreeItem(); }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return childrenOrError(`${this.viewId}/root`, async () => this.roots(), () => this.refresh());
    const getChildren = node.getChildren?.bind(node);
    if (!getChildren) return Promise.resolve([]);
    return childrenOrError(node.id, async () => getChildren(), () => this.refresh(node), node);
  }

  getParent(node: TreeNode) { return node.getParent?.(); }

  refresh(node?: TreeNode): void { this.emitter.fire(node); }

  dispose(): void { this.emitter.dispose(); }
}
