// Athena from the editor: CodeLens "Run" above each statement of .sql files, Ctrl/Cmd+Enter, the
// workgroup/catalog/database status bar item, the Athena Schema and Athena History views,
// completion, the query library, and results in the shared results panel.
// Nothing here calls AWS at activation: the runner and the schema load on first use.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { Ctx } from '../context';
import { Config } from '../config';
import { NodeTreeProvider } from '../tree/provider';
import { registerTreeView } from '../tree/view';
import { ResultsPanel } from '../webview/results/panel';
import { SchemaCompletionProvider } from './completion';
import { HistoryStore, type HistoryEntry } from './historyStore';
import { historyRoots, HistoryNode } from './historyTree';
import { keepRelativeTimesFresh } from '../tree/relativeTimes';
import { AthenaQueryContext, type AthenaContextValue } from './queryContext';
import { contextHeaderText, type ContextKey } from './contextHeader';
import { offerContextRecovery, removeHeader, setHeaderValue } from './contextRecovery';
import { splitStatements, statementAt, type Statement } from './sql';
import type { AthenaRunner, RestoreData, RunOutcome } from './runner';
import type { SchemaService } from './schemaTree';
import { notify } from '../util/notify';
import { WALKTHROUGH_DONE, walkthroughStepDone } from '../util/walkthrough';

const SQL_SELECTOR: vscode.DocumentSelector = [{ language: 'sql' }, { pattern: '**/*.sql' }];

class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return splitStatements(doc.getText()).map((s) => {
      const at = doc.positionAt(s.start);
      const firstCode = firstCodeLine(doc, s);
      return new vscode.CodeLens(new vscode.Range(firstCode ?? at, firstCode ?? at), {
        title: vscode.l10n.t('$(play) Run'),
        tooltip: !s.parameters.length ? vscode.l10n.t('Run this statement in Athena') : s.parameters.length > 1 ? vscode.l10n.t('Run this statement in Athena (asks for {0} parameters)', s.parameters.length) : vscode.l10n.t('Run this statement in Athena (asks for {0} parameter)', s.parameters.length),
        command: 'cloudMonitor.athena.runStatementAt',
        arguments: [doc.uri, s.start],
      });
    });
  }
}

/** The lens goes above the statement's first line of code, not above its leading comments. */
function firstCodeLine(doc: vscode.TextDocument, s: Statement): vscode.Position | undefined {
  const start = doc.positionAt(s.start).line;
  const end = doc.positionAt(s.end).line;
  let inBlock = false;
  for (let l = start; l <= end; l++) {
    const t = doc.lineAt(l).text.trim();
    if (inBlock) {
      if (t.includes('*/')) inBlock = false;
      continue;
    }
    if (!t || t.startsWith('--')) continue;
    const rest = t.replace(/\/\*.*?\*\//g, '').trim();
    if (!rest || rest.startsWith('--')) continue;
    if (rest.startsWith('/*')) {
      inBlock = true;
      continue;
    }
    return new vscode.Position(l, 0);
  }
  return undefined;
}

export function register(ctx: Ctx): void {
  ResultsPanel.register(ctx);
  const qc = ctx.own(new AthenaQueryContext(ctx.extension.workspaceState));
  const history = new HistoryStore(ctx.extension.globalState, Config.athenaHistorySize);
  const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection('athena'));

  let runner: Promise<AthenaRunner> | undefined;
  const getRunner = () => (runner ??= import('./runner').then(({ AthenaRunner }) => new AthenaRunner(ctx, qc, history, diagnostics)));
  let schema: Promise<SchemaService> | undefined;
  const getSchema = () => (schema ??= import('./schemaTree').then(({ SchemaService }) => new SchemaService(ctx)));

  // Views
  const schemaView = registerTreeView(ctx, 'cloudMonitor.athenaSchema', async () => {
    const { schemaRoots } = await import('./schemaTree');
    return schemaRoots(await getSchema(), qc);
  });
  ctx.own(qc.onDidChange(() => schemaView.provider.refresh()));
  const historyProvider = ctx.own(new NodeTreeProvider('cloudMonitor.athenaHistory', () => historyRoots(history, () => ctx.clock.now())));
  const historyView = ctx.own(vscode.window.createTreeView('cloudMonitor.athenaHistory', { treeDataProvider: historyProvider }));
  // "5 min ago" stays true while the view shows: redrawn from the stored history on the shared timer, no AWS call.
  ctx.own(keepRelativeTimesFresh(historyView, ctx.clock, () => historyProvider.refresh()));
  ctx.own(history.onDidChange(() => historyProvider.refresh()));

  // Editor integration
  ctx.own(vscode.languages.registerCodeLensProvider(SQL_SELECTOR, new RunCodeLensProvider()));
  ctx.own(vscode.languages.registerCompletionItemProvider(SQL_SELECTOR, {
    provideCompletionItems: async (doc, pos) => new SchemaCompletionProvider(await getSchema(), qc).provideCompletionItems(doc, pos),
  }, '.'));

  const runAt = async (doc: vscode.TextDocument, offset: number, selection?: vscode.Selection): Promise<RunOutcome | undefined> => {
    let stmt: Statement | undefined;
    if (selection && !selection.isEmpty) {
      const base = doc.offsetAt(selection.start);
      const picked = splitStatements(doc.getText(selection));
      if (picked.length > 1) void notify.info(vscode.l10n.t('The selection holds {0} statements; running the first. Athena runs one statement per query.', picked.length));
      stmt = picked[0] && { ...picked[0], start: picked[0].start + base, end: picked[0].end + base, parameters: picked[0].parameters.map((p) => p + base) };
    } else {
      stmt = statementAt(splitStatements(doc.getText()), offset);
    }
    if (!stmt) {
      void notify.info(vscode.l10n.t('No SQL statement here to run.'));
      return undefined;
    }
    const outcome = await (await getRunner()).runStatement(doc, stmt);
    if (outcome?.state === 'SUCCEEDED') walkthroughStepDone(WALKTHROUGH_DONE.athenaQuerySucceeded);
    // Running is a command: a good moment to learn the current database's tables for completion.
    const { catalog, database } = qc.forDocument(doc).value;
    if (database) void getSchema().then((s) => s.tables(catalog, database)).catch(() => undefined);
    return outcome;
  };

  ctx.command('cloudMonitor.athena.runStatement', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    return runAt(editor.document, editor.document.offsetAt(editor.selection.active), editor.selection);
  });
  ctx.command('cloudMonitor.athena.runStatementAt', async (uri?: vscode.Uri, offset?: number) => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) return undefined;
    return runAt(doc, typeof offset === 'number' ? offset : 0);
  });

  // Context: workgroup, catalog, database. A SQL file whose header names its own changes its header;
  // otherwise the workspace's pick changes.
  const activeSql = () => {
    const d = vscode.window.activeTextEditor?.document;
    return d?.languageId === 'sql' ? d : undefined;
  };
  /** The document whose header holds `key`: the one named, else the active SQL editor when its header names it. */
  const headerTarget = async (key: ContextKey, uri?: unknown): Promise<vscode.TextDocument | undefined> => {
    if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
    const d = activeSql();
    return d && qc.forDocument(d).fromFile.includes(key) ? d : undefined;
  };
  const contextOf = (doc?: vscode.TextDocument) => (doc ? qc.forDocument(doc).value : qc.value);
  ctx.command('cloudMonitor.athena.switchContext', async () => {
    const doc = activeSql();
    const own = doc ? qc.forDocument(doc) : undefined;
    const v = own?.value ?? qc.value;
    const mark = (k: ContextKey) => (own?.fromFile.includes(k) ? ' (this file)' : '');
    const items: (vscode.QuickPickItem & { command: string })[] = [
      { label: vscode.l10n.t('Workgroup'), description: `${v.workgroup}${mark('workgroup')}`, command: 'cloudMonitor.athena.selectWorkgroup' },
      { label: vscode.l10n.t('Catalog'), description: `${v.catalog}${mark('catalog')}`, command: 'cloudMonitor.athena.selectCatalog' },
      { label: vscode.l10n.t('Database'), description: `${v.database || '(none)'}${mark('database')}`, command: 'cloudMonitor.athena.selectDatabase' },
      { label: vscode.l10n.t('Check That They Exist'), description: vscode.l10n.t('asks Athena'), command: 'cloudMonitor.athena.checkContext' },
    ];
    if (own?.fromFile.length) items.push({ label: vscode.l10n.t('Use the Workspace Context for This File'), description: vscode.l10n.t('removes the header lines'), command: 'cloudMonitor.athena.useWorkspaceContext' });
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Athena: switch…') });
    if (pick) await vscode.commands.executeCommand(pick.command);
  });
  const pickFrom = async (title: string, current: string, load: () => Promise<string[]>): Promise<string | undefined> => {
    await ctx.connection.load();
    const names = await load();
    const picked = await vscode.window.showQuickPick(names.map((n) => ({ label: n, description: n === current ? vscode.l10n.t('current') : undefined })), { title, placeHolder: current ? vscode.l10n.t('Current: {0}', current) : vscode.l10n.t('Current: none') });
    return picked?.label;
  };
  const select = async (key: ContextKey, name: unknown, uri: unknown, load: (current: AthenaContextValue) => Promise<string[]>): Promise<string> => {
    const doc = await headerTarget(key, uri);
    const current = contextOf(doc);
    const title = `Athena ${key[0].toUpperCase()}${key.slice(1)}${doc ? ' for this file' : ''}`;
    const v = typeof name === 'string' && name ? name : await pickFrom(title, current[key], () => load(current));
    if (v && doc) await setHeaderValue(doc, key, v);
    else if (v) await qc.set({ [key]: v });
    return contextOf(doc)[key];
  };
  ctx.command('cloudMonitor.athena.selectWorkgroup', async (name?: string, uri?: vscode.Uri) => select('workgroup', name, uri, async () => {
    const { AthenaClient } = await import('@aws-sdk/client-athena');
    const { fetchWorkGroups } = await import('./schema');
    return (await fetchWorkGroups(ctx.connection.client(AthenaClient))).filter((w) => w.state !== 'DISABLED').map((w) => w.name);
  }));
  ctx.command('cloudMonitor.athena.selectCatalog', async (name?: string, uri?: vscode.Uri) => select('catalog', name, uri, async () => (await getSchema()).catalogs()));
  ctx.command('cloudMonitor.athena.selectDatabase', async (name?: string, uri?: vscode.Uri) => select('database', name, uri, async (c) => (await getSchema()).databases(c.catalog)));
  ctx.command('cloudMonitor.athena.useWorkspaceContext', async (uri?: vscode.Uri) => {
    const doc = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : activeSql();
    if (doc) await removeHeader(doc);
  });
  ctx.command('cloudMonitor.athena.checkContext', async () => {
    const doc = activeSql();
    const own = doc ? qc.forDocument(doc) : undefined;
    const v = own?.value ?? qc.value;
    await ctx.connection.load();
    const { AthenaClient } = await import('@aws-sdk/client-athena');
    const { findMissingContext } = await import('./contextCheck');
    // Asked on request: check the database as if a run had failed on it.
    const missing = await findMissingContext(ctx.connection.client(AthenaClient), v, 'SCHEMA_NOT_FOUND');
    if (missing.length) await offerContextRecovery(qc, missing, doc, own?.fromFile ?? []);
    else void notify.info(v.database ? vscode.l10n.t('Athena: workgroup "{0}" and database "{1}" exist.', v.workgroup, v.database) : vscode.l10n.t('Athena: workgroup "{0}" exist.', v.workgroup));
    return missing;
  });

  // Schema view
  ctx.command('cloudMonitor.athena.refreshSchema', async () => {
    (await getSchema()).refresh();
    schemaView.provider.refresh();
  });
  ctx.command('cloudMonitor.athena.insertName', async (text?: string) => {
    if (typeof text !== 'string') return;
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'sql');
    if (!editor) {
      await vscode.env.clipboard.writeText(text);
      void notify.info(vscode.l10n.t('No editor open: copied "{0}" to the clipboard.', text));
      return;
    }
    await editor.edit((eb) => { for (const s of editor.selections) eb.replace(s, text); });
  });

  // History
  const entryOf = (node?: HistoryNode | HistoryEntry): HistoryEntry | undefined => (node instanceof HistoryNode ? node.entry : node);
  ctx.command('cloudMonitor.athena.rerun', async (node?: HistoryNode) => {
    const e = entryOf(node);
    if (!e) return undefined;
    return (await getRunner()).run(e.sql, { parameters: e.parameters, context: { workgroup: e.workgroup, catalog: e.catalog, database: e.database }, source: e.source });
  });
  ctx.command('cloudMonitor.athena.openResults', async (node?: HistoryNode) => {
    const e = entryOf(node);
    if (!e) return undefined;
    return (await getRunner()).openHistoryResults(e);
  });
  ctx.command('cloudMonitor.athena.openQueryText', async (node?: HistoryNode) => {
    const e = entryOf(node);
    if (!e) return;
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: `${e.sql.trim()};\n` });
    await vscode.window.showTextDocument(doc);
  });
  ctx.command('cloudMonitor.athena.removeHistoryItem', async (node?: HistoryNode) => {
    const e = entryOf(node);
    if (e) await history.remove(e.id);
  });
  ctx.command('cloudMonitor.athena.clearHistory', async () => {
    const ok = await notify.warn(vscode.l10n.t('Clear the Athena query history?'), { modal: true }, vscode.l10n.t('Clear'));
    if (ok) await history.clear();
  });

  // New query and the library
  // A workgroup or database given (a pipeline's) goes into the new file's header: that file's context
  // only, the workspace's stays as it was.
  ctx.command('cloudMonitor.athena.newQuery', async (args?: { sql?: string; workgroup?: string; database?: string }) => {
    const header = contextHeaderText({ workgroup: args?.workgroup, database: args?.database });
    const content = header + (typeof args?.sql === 'string' ? args.sql : `-- Athena: ${qc.value.workgroup} · ${qc.value.catalog}.${qc.value.database || '(no database)'}\n-- Ctrl+Enter (Cmd+Enter) runs the statement under the cursor.\nSELECT 1;\n`);
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content });
    await vscode.window.showTextDocument(doc);
    return doc.uri.toString();
  });
  ctx.command('cloudMonitor.athena.openLibrary', async (file?: string, values?: Record<string, string>) => {
    const { listLibrary, fillPlaceholders, identifierProblem, GROUP_LABELS } = await import('./library');
    const all = await listLibrary(join(ctx.extension.extensionPath, 'media', 'queries'));
    let q = typeof file === 'string' ? all.find((x) => x.file === file || `${x.group}/${x.file}` === file) : undefined;
    if (!q) {
      const items: (vscode.QuickPickItem & { q?: (typeof all)[number] })[] = [];
      for (const group of [...new Set(all.map((x) => x.group))]) {
        items.push({ label: GROUP_LABELS[group] ?? group, kind: vscode.QuickPickItemKind.Separator });
        for (const x of all.filter((y) => y.group === group)) items.push({ label: x.title, detail: x.description, description: x.parameters.length ? vscode.l10n.t('{0} parameters', x.parameters.length) : undefined, q: x });
      }
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Athena Query Library'), matchOnDetail: true, placeHolder: vscode.l10n.t('Opens the query in an editor, ready to run') });
      q = picked?.q;
    }
    if (!q) return undefined;
    const filled: Record<string, string> = { ...values };
    for (const name of q.placeholders) {
      if (filled[name]) continue;
      const suggestion = name === 'events_table' ? `${qc.value.database || 'default'}.events` : name === 'cur_table' ? `${qc.value.database || 'default'}.cur` : '';
      const v = await vscode.window.showInputBox({
        title: `${q.title}: ${name.replace(/_/g, ' ')}`,
        prompt: vscode.l10n.t('The table to query, as database.table'),
        value: suggestion,
        validateInput: identifierProblem,
        ignoreFocusOut: true,
      });
      if (v === undefined) return undefined;
      filled[name] = v;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: fillPlaceholders(q.text, filled) });
    await vscode.window.showTextDocument(doc);
    return doc.uri.toString();
  });

  // Reopening results panels after a restart
  ResultsPanel.registerRestorer('athena', async (data) => {
    const d = data as RestoreData | undefined;
    if (!d?.id) return undefined;
    // A restore starts with the window, possibly before the user settings arrived.
    await ctx.connection.settled();
    const opened = await (await getRunner()).reopen(d);
    return opened.content;
  });
}
