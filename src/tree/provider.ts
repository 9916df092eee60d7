import * as vscode from 'vscode';
import { childrenOrError, type TreeNode } from './nodes';

/**
 * The one TreeDataProvider: it only delegates to nodes. `refresh(node)` refreshes just that node.
 * A feature supplies `roots()`; a thrown error there becomes an error node.
 */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;

  /** Each row's tooltip, held back until the row is hovered (resolveTreeItem). */
  private readonly tooltips = new WeakMap<TreeNode, vscode.TreeItem['tooltip']>();

  constructor(private readonly viewId: string, private readonly roots: () => TreeNode[] | Promise<TreeNode[]>) {}

  /**
   * The row without its tooltip: VS Code converts (lexes) a MarkdownString tooltip of every row it is handed,
   * in the extension host, in the same task as the page of rows (about a third of the host's time while the
   * large account's views load, `npm run bench -- large-account`). Hovering a row asks resolveTreeItem for it.
   */
  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    const item = node.getTreeItem();
    return item instanceof Promise ? item.then((i) => this.holdTooltip(node, i)) : this.holdTooltip(node, item);
  }

  private holdTooltip(node: TreeNode, item: vscode.TreeItem): vscode.TreeItem {
    if (item.tooltip !== undefined) {
      this.tooltips.set(node, item.tooltip);
      item.tooltip = undefined;
    }
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const tooltip = this.tooltips.get(node);
    if (tooltip !== undefined) item.tooltip = tooltip;
    return item;
  }

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
