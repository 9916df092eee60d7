// Which workgroup, catalog and database queries run in: this workspace's pick (status bar) or the
// settings. Shown in a status bar item while a SQL editor is active; clicking it switches.
import * as vscode from 'vscode';
import { Config } from '../config';
import { inert } from '../util/inert';

const KEY = 'cloudMonitor.athena.context';

export interface AthenaContextValue { workgroup: string; catalog: string; database: string }

export class AthenaQueryContext implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cloudMonitor.athena', vscode.StatusBarAlignment.Left, 40);
  private readonly changed = new vscode.EventEmitter<AthenaContextValue>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly memento: vscode.Memento) {
    this.item.name = 'Athena Context';
    this.item.command = 'cloudMonitor.athena.switchContext';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (Config.affects(e, 'athena')) {
          this.render();
          this.changed.fire(this.value);
        }
      }),
    );
    this.render();
  }

  get value(): AthenaContextValue {
    const picked = this.memento.get<Partial<AthenaContextValue>>(KEY) ?? {};
    return {
      workgroup: picked.workgroup || Config.athenaWorkgroup(),
      catalog: picked.catalog || Config.athenaCatalog(),
      database: picked.database ?? Config.athenaDatabase(),
    };
  }

  async set(patch: Partial<AthenaContextValue>): Promise<void> {
    const picked = this.memento.get<Partial<AthenaContextValue>>(KEY) ?? {};
    const next = { ...picked, ...patch };
    // A new catalog has other databases.
    if (patch.catalog && patch.catalog !== this.value.catalog && patch.database === undefined) next.database = '';
    await this.memento.update(KEY, next);
    this.render();
    this.changed.fire(this.value);
  }

  private render(): void {
    // Shown while a SQL editor is visible, also when focus is in the results panel beside it.
    const active = vscode.window.activeTextEditor;
    const sqlVisible = active ? active.document.languageId === 'sql' : vscode.window.visibleTextEditors.some((e) => e.document.languageId === 'sql');
    if (!sqlVisible) {
      this.item.hide();
      return;
    }
    const v = this.value;
    // Status bar text renders $(icon); Glue allows almost any character in a database name.
    this.item.text = `$(database) ${inert(`${v.workgroup} · ${v.catalog}${v.database ? `.${v.database}` : ''}`, 120)}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**Athena**\n\n');
    md.appendText(`Workgroup: ${v.workgroup}\nCatalog: ${v.catalog}\nDatabase: ${v.database || '(none)'}\n`);
    md.appendMarkdown('\nClick to switch.');
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
