// The results panel: one shared webview (webview/results) that shows any ResultSet as a virtualized
// grid, a chart and stats. The host keeps the rows; the webview asks for windows (getRows).
//
// Use from any feature:
//   ResultsPanel.register(ctx);                                 // once, in your register(ctx); idempotent
//   const rs = new ResultSet(columns, { spill: ResultsPanel.spillOptions(ctx) });  // columns: { name, kind, type? }[]
//   const panel = ResultsPanel.show(ctx, { title, resultSet: rs, query, restore: { kind: 'logs', data } }, { key });
//   rs.appendRows(batch) … / rs.pushCsv(text) … ; await rs.finish()  (or rs.fail(message))
//   rs.setDetails([{ label, value, tone? }], source)            // the Stats tab
//   ResultsPanel.registerRestorer('logs', async (data) => content | undefined)  // reopen after a restart
import * as vscode from 'vscode';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ctx } from '../../context';
import { WebviewPanelHost } from '../host';
import { ResultsBinding, type ResultsContent } from './binding';
import { exportTo, type ExportFormat } from './export';
import type { ResultsSpec, ResultsWebviewState } from './protocol';
import type { ResultSet } from './resultSet';
import { notify } from '../../util/notify';
import { Config } from '../../config';
import { sweepSpillDir, type SpillOptions } from './spillFile';
import { resultsStrings } from './strings';

export type { ResultsContent };

export type ResultsRestorer = (data: unknown) => Promise<ResultsContent | undefined>;

export class ResultsPanel implements vscode.Disposable {
  static readonly viewType = 'cloudMonitor.results';
  private static readonly restorers = new Map<string, ResultsRestorer>();
  private static registered = false;
  private static readonly byKey = new Map<string, ResultsPanel>();

  private readonly host: WebviewPanelHost<ResultsSpec>;
  private readonly binding: ResultsBinding;

  /** Registers the WebviewPanelSerializer (once, whoever calls first). */
  static register(ctx: Ctx): void {
    if (ResultsPanel.registered) return;
    ResultsPanel.registered = true;
    // Spill files an earlier session left (a crash, a killed window): nothing reads them any more.
    const swept = sweepSpillDir(spillDir(ctx));
    if (swept) ctx.log.info(`Removed ${swept} results file(s) left by an earlier session`);
    ctx.serializer(ResultsPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: ResultsWebviewState | undefined) => {
        const restore = state?.restore;
        const restorer = restore && ResultsPanel.restorers.get(restore.kind);
        let content: ResultsContent | undefined;
        try {
          content = restorer ? await restorer(restore.data) : undefined;
        } catch (err) {
          ctx.log.error('Could not reopen results', err);
        }
        if (!content) {
          const { ResultSet } = await import('./resultSet');
          const empty = new ResultSet([]);
          empty.fail(vscode.l10n.t('These results are no longer available. Run the query again.'));
          content = { title: state?.title ?? panel.title, resultSet: empty };
        }
        new ResultsPanel(ctx, new WebviewPanelHost<ResultsSpec>(panel, ctx.extension.extensionUri, 'results', (m) => ctx.log.warn(m), resultsStrings(vscode.l10n)), content);
      },
    });
  }

  /** Where a result set spills its rows, and when: the extension's storage and the results settings. */
  static spillOptions(ctx: Ctx): SpillOptions {
    return { dir: spillDir(ctx), thresholdChars: Config.resultsSpillThresholdMb() * 1_048_576, maxBytes: Config.resultsMaxSpillMb() * 1_048_576 };
  }

  static registerRestorer(kind: string, restorer: ResultsRestorer): void {
    ResultsPanel.restorers.set(kind, restorer);
  }

  /** Shows results in a new panel, or in the open panel with the same `key` (which is then reused). */
  static show(ctx: Ctx, content: ResultsContent, opts: { key?: string; column?: vscode.ViewColumn; preserveFocus?: boolean } = {}): ResultsPanel {
    const existing = opts.key ? ResultsPanel.byKey.get(opts.key) : undefined;
    if (existing) {
      existing.setContent(content);
      existing.host.panel.reveal(opts.column ?? existing.host.panel.viewColumn, opts.preserveFocus ?? true);
      return existing;
    }
    // Keep the focus in the editor the query ran from (Ctrl+Enter, edit, Ctrl+Enter…).
    const webviewPanel = vscode.window.createWebviewPanel(ResultsPanel.viewType, content.title,
      { viewColumn: opts.column ?? vscode.ViewColumn.Beside, preserveFocus: opts.preserveFocus ?? true },
      WebviewPanelHost.options(ctx.extension.extensionUri));
    const host = new WebviewPanelHost<ResultsSpec>(webviewPanel, ctx.extension.extensionUri, 'results', (m) => ctx.log.warn(m), resultsStrings(vscode.l10n));
    const panel = new ResultsPanel(ctx, host, content);
    if (opts.key) {
      ResultsPanel.byKey.set(opts.key, panel);
      host.onDidDispose(() => ResultsPanel.byKey.get(opts.key!) === panel && ResultsPanel.byKey.delete(opts.key!));
    }
    return panel;
  }

  private constructor(private readonly ctx: Ctx, host: WebviewPanelHost<ResultsSpec>, content: ResultsContent) {
    this.host = host;
    host.panel.title = content.title;
    this.binding = new ResultsBinding(host.endpoint, {
      writeClipboard: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
      exportToFile: (c, format) => this.exportToFile(c, format),
      info: (message) => void notify.info(message),
    }, content);
    host.onDidDispose(() => this.dispose());
  }

  get panel(): vscode.WebviewPanel { return this.host.panel; }
  get resultSet(): ResultSet { return this.binding.current.resultSet; }
  readonly onDidDispose = (listener: () => void) => this.host.onDidDispose(listener);

  /** Asks for a file (and for CSV, safe or exact) and streams the current view to it (what the webview's CSV/JSON buttons do). */
  export(format: 'csv' | 'json'): Promise<{ path?: string }> {
    return this.exportToFile(this.binding.current, format);
  }

  /** Replaces what the panel shows (e.g. the same statement run again). */
  setContent(content: ResultsContent): void {
    const old = this.binding.current.resultSet;
    this.host.panel.title = content.title;
    this.binding.setContent(content);
    // The rows shown before (and their spill file) go with them.
    if (old !== content.resultSet) old.dispose();
  }

  /** Streams the current view to a file chosen by the user; the rows never pass through the webview. */
  private async exportToFile(content: ResultsContent, asked: 'csv' | 'json'): Promise<{ path?: string }> {
    const format = asked === 'csv' ? await pickCsvKind() : 'json';
    if (!format) return {};
    const base = content.title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'results';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const ext = format === 'json' ? 'json' : 'csv';
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export results as {0}', EXPORT_LABEL[format]),
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}.${ext}`) : undefined,
      filters: { [EXPORT_LABEL[format]]: [ext] },
    });
    if (!target) return {};
    const rs = content.resultSet;
    const total = rs.viewInfo().total;
    try {
      await this.writeExport(rs, format, target, total);
    } catch (err) {
      // A cancelled or failed export leaves no half-written file behind.
      await rm(target.fsPath, { force: true });
      if (err instanceof vscode.CancellationError) return {};
      throw err;
    }
    this.ctx.log.info(`Exported ${total} rows to ${target.fsPath}`);
    void notify.info(vscode.l10n.t('Exported {0} rows to {1}.', total.toLocaleString(), vscode.workspace.asRelativePath(target)), vscode.l10n.t('Open')).then((pick) => {
      if (pick) void vscode.commands.executeCommand('vscode.open', target);
    });
    return { path: target.fsPath };
  }

  private async writeExport(rs: ResultSet, format: ExportFormat, target: vscode.Uri, total: number): Promise<void> {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0} rows', total.toLocaleString()), cancellable: true }, async (progress, token) => {
      const file = await open(target.fsPath, 'w');
      try {
        // writeFile on an open handle writes the whole chunk at the handle's position (write may write part of it).
        await exportTo(rs, format, (chunk) => file.writeFile(chunk), {
          stop: (written) => {
            progress.report({ message: `${(written / 1_048_576).toFixed(1)} MB` });
            return token.isCancellationRequested;
          },
        });
        if (token.isCancellationRequested) throw new vscode.CancellationError();
      } finally {
        await file.close();
      }
    });
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.binding.dispose();
    this.binding.current.resultSet.dispose();
    this.host.dispose();
  }
}

/** A folder of its own in the workspace's storage (the global one without a workspace). */
function spillDir(ctx: Ctx): string {
  return join((ctx.extension.storageUri ?? ctx.extension.globalStorageUri).fsPath, 'results-rows');
}

const EXPORT_LABEL: Record<ExportFormat, string> = { csv: 'CSV (safe for spreadsheets)', 'csv-exact': 'CSV (exact values)', json: 'JSON' };

/** Safe for spreadsheets comes first (the default: a CSV file is usually opened in one); exact values stay a pick away. */
async function pickCsvKind(): Promise<'csv' | 'csv-exact' | undefined> {
  const items: (vscode.QuickPickItem & { format: 'csv' | 'csv-exact' })[] = [
    { format: 'csv', label: EXPORT_LABEL.csv, description: vscode.l10n.t('default'), detail: vscode.l10n.t('Cells that start with = + - @ (which Excel and LibreOffice would run as formulas) get a leading \'.') },
    { format: 'csv-exact', label: EXPORT_LABEL['csv-exact'], detail: vscode.l10n.t('Every value as it is. A spreadsheet may run a cell that starts with = + - @ as a formula.') },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export results as CSV'), placeHolder: vscode.l10n.t('Safe for spreadsheets, or exact values?') });
  return pick?.format;
}
