// The tree views, created by the thin entry (src/extension.ts) at activation, before any feature bundle is in.
// VS Code's window asks a view for its rows only once it has taken in the view's registration, which on a busy
// machine is hundreds of milliseconds after the extension host sent it: registering every contributed view
// at activation lets that happen while the bundles still load, instead of after its feature's bundle.
// Until its feature attaches the real provider (ctx.view), a view's getChildren waits for it: no row is
// made up meanwhile (VS Code shows the view's progress bar).
import * as vscode from 'vscode';

/** Options of createTreeView that differ from one view to another (the rest: none). */
const VIEW_OPTIONS: Record<string, { showCollapseAll?: boolean; canSelectMany?: boolean }> = {
  'cloudMonitor.costs': { showCollapseAll: true },
  'cloudMonitor.buckets': { showCollapseAll: true },
  'cloudMonitor.findings': { showCollapseAll: true, canSelectMany: true },
  'cloudMonitor.alerts': { showCollapseAll: true },
  'cloudMonitor.logs': { showCollapseAll: true },
  'cloudMonitor.pipeline': { showCollapseAll: true },
  'cloudMonitor.athenaSchema': { showCollapseAll: true },
};

/** One contributed tree view and the provider its feature attaches later. */
export class ViewSlot implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private real?: vscode.TreeDataProvider<unknown>;
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;
  private relay?: vscode.Disposable;
  private arrived!: (p: vscode.TreeDataProvider<unknown> | undefined) => void;
  private readonly arrival = new Promise<vscode.TreeDataProvider<unknown> | undefined>((resolve) => (this.arrived = resolve));
  readonly view: vscode.TreeView<unknown>;

  constructor(readonly viewId: string) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, ...VIEW_OPTIONS[viewId] });
  }

  get attached(): boolean { return !!this.real; }

  /** The feature's provider takes over; the view (created at activation) is the one it works with. */
  attach<T>(provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
    if (this.real) throw new Error(`${this.viewId} has a provider already`);
    this.real = provider as vscode.TreeDataProvider<unknown>;
    this.relay = provider.onDidChangeTreeData?.((e) => this.changed.fire(e));
    this.arrived(this.real);
    return this.view as vscode.TreeView<T>;
  }

  /** Every bundle is in (or failed to load): a view no feature attached to stays empty rather than waiting. */
  settle(): void { this.arrived(undefined); }

  async getChildren(element?: unknown): Promise<unknown[] | undefined> {
    const real = this.real ?? (await this.arrival);
    return (await real?.getChildren(element)) ?? [];
  }

  // Elements come from the real provider only, so it is there for these.
  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> { return this.real!.getTreeItem(element); }
  getParent(element: unknown): vscode.ProviderResult<unknown> { return this.real?.getParent?.(element); }
  resolveTreeItem(item: vscode.TreeItem, element: unknown, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return this.real?.resolveTreeItem ? this.real.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.relay?.dispose();
    this.changed.dispose();
    this.view.dispose();
  }
}

/** A slot for each tree view in package.json's contributes.views. */
export function createViewSlots(manifest: { contributes?: { views?: Record<string, { id: string; type?: string }[]> } }): Map<string, ViewSlot> {
  const ids = Object.values(manifest.contributes?.views ?? {}).flat().filter((v) => !v.type || v.type === 'tree').map((v) => v.id);
  return new Map(ids.map((id) => [id, new ViewSlot(id)]));
}
