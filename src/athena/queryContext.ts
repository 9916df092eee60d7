// Which workgroup, catalog and database queries run in: this workspace's pick (status bar) or the
// settings, unless a file names its own in its header comments (contextHeader.ts), which then holds
// for that file only. Shown in a status bar item for the active SQL editor; clicking it switches.
import * as vscode from 'vscode';
import { Tooltip } from '../tree/tooltip';
import { Config } from '../config';
import { inert } from '../util/inert';
import { parseContextHeader, type ContextKey, type ParsedHeader } from './contextHeader';
import { setKept } from '../util/keptUpdate';

const KEY = 'cloudMonitor.athena.context';

export interface AthenaContextValue { workgroup: string; catalog: string; database: string }

/** A document's context: its header over the workspace's, and which keys came from the header. */
export interface DocumentContext { value: AthenaContextValue; fromFile: ContextKey[]; header: ParsedHeader }

/** The header is read from the first lines only. */
const HEADER_LINES = 200;

export function documentHeader(doc: vscode.TextDocument): ParsedHeader {
  return parseContextHeader(doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, HEADER_LINES), 0)));
}

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
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document && e.contentChanges.some((c) => c.range.start.line < HEADER_LINES)) this.render();
      }),
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

  /** The context a statement of this document runs in. */
  forDocument(doc: vscode.TextDocument): DocumentContext {
    const header = documentHeader(doc);
    const base = this.value;
    const h = header.header;
    // A file that names another catalog but no database has none of the workspace's.
    const database = h.database ?? (h.catalog && h.catalog !== base.catalog ? '' : base.database);
    const value = { workgroup: h.workgroup ?? base.workgroup, catalog: h.catalog ?? base.catalog, database };
    return { value, fromFile: header.lines.map((l) => l.key), header };
  }

  /** Forgets this workspace's pick for these keys: the settings apply again. */
  async reset(keys: ContextKey[]): Promise<void> {
    const picked = { ...(this.memento.get<Partial<AthenaContextValue>>(KEY) ?? {}) };
    for (const k of keys) delete picked[k];
    await setKept(this.memento, KEY, picked);
    this.render();
    this.changed.fire(this.value);
  }

  async set(patch: Partial<AthenaContextValue>): Promise<void> {
    const picked = this.memento.get<Partial<AthenaContextValue>>(KEY) ?? {};
    const next = { ...picked, ...patch };
    // A new catalog has other databases.
    if (patch.catalog && patch.catalog !== this.value.catalog && patch.database === undefined) next.database = '';
    await setKept(this.memento, KEY, next);
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
    const doc = active?.document.languageId === 'sql' ? this.forDocument(active.document) : undefined;
    const v = doc?.value ?? this.value;
    const own = doc?.fromFile.length ? ' $(file-code)' : '';
    // Status bar text renders $(icon); Glue allows almost any character in a database name.
    this.item.text = `$(database) ${inert(`${v.workgroup} · ${v.catalog}${v.database ? `.${v.database}` : ''}`, 120)}${own}`;
    const md = new Tooltip().bold('Athena').para();
    md.text(`Workgroup: ${v.workgroup}\nCatalog: ${v.catalog}\nDatabase: ${v.database || '(none)'}\n`);
    if (doc?.fromFile.length) md.text(`\nThis file names its own ${doc.fromFile.join(' and ')} in its header comments (for this file only).\n`);
    md.text('\nClick to switch.');
    this.item.tooltip = md.markdown;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
