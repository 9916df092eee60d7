// Logs Insights from `.cwlogs` files: a CodeLens runs the query (results go to the shared results
// grid), another saves it; header problems show as diagnostics.
import * as vscode from 'vscode';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { insightsCostText } from '../billing/prices';
import type { Ctx } from '../context';
import { ResultsPanel } from '../webview/results/panel';
import { ResultSet } from '../webview/results/resultSet';
import { describeTarget, memberFor, parseInsightsFile, regionFor, type InsightsQueryFile } from './insightsFile';
import { INSIGHTS_PAGE_MAX, inferColumnKind, runInsightsQuery } from './insights';
import { ResultLimitError } from '../webview/results/spillFile';
import { parseTimeRange } from './timeRange';
import { inert } from '../util/inert';

export const CWLOGS_LANGUAGE = 'cwlogs';

class InsightsCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  refresh(): void { this.changed.fire(); }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const f = parseInsightsFile(doc.getText());
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(play) Run Logs Insights query'), command: 'cloudMonitor.logs.runInsightsQuery', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: doc.isUntitled ? vscode.l10n.t('$(save) Save query…') : vscode.l10n.t('$(save) Save query'), command: 'cloudMonitor.logs.saveInsightsQuery', arguments: [doc.uri] }),
    ];
    const summary = f.problems.length
      ? `$(warning) ${f.problems[0].message}`
      : `${f.groups.length} log group${f.groups.length === 1 ? '' : 's'} · range ${f.range ?? '1h (default)'}${f.limit ? ` · limit ${f.limit}` : ''}${describeTarget(f) ? ` · ${describeTarget(f)}` : ''}${f.region ? ` · ${f.region}` : ''}`;
    lenses.push(new vscode.CodeLens(top, { title: summary, command: '' }));
    return lenses;
  }
}

export function registerInsights(ctx: Ctx, onSaved: () => void): void {
  ResultsPanel.register(ctx);
  const lens = new InsightsCodeLens();
  ctx.own(vscode.languages.registerCodeLensProvider({ language: CWLOGS_LANGUAGE }, lens));
  const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection(CWLOGS_LANGUAGE));
  const check = (doc: vscode.TextDocument) => {
    if (doc.languageId !== CWLOGS_LANGUAGE) return;
    const f = parseInsightsFile(doc.getText());
    diagnostics.set(doc.uri, f.problems.map((p) => new vscode.Diagnostic(doc.lineAt(Math.min(p.line, doc.lineCount - 1)).range, p.message, vscode.DiagnosticSeverity.Warning)));
  };
  ctx.own(vscode.workspace.onDidOpenTextDocument(check));
  ctx.own(vscode.workspace.onDidChangeTextDocument((e) => check(e.document)));
  ctx.own(vscode.workspace.onDidCloseTextDocument((d) => diagnostics.delete(d.uri)));
  vscode.workspace.textDocuments.forEach(check);

  /**
   * The client a query runs with: the scope member its `# account:` or `# profile:` header names (another
   * account of a multi-account scope, as tail and search of that account's group), else the profile's; in the
   * region its `# region:` header names (a region node of the scope), else the connection's. A header naming an
   * account or region that is neither in the scope nor the profile's is refused: never the profile's instead.
   */
  const clientFor = async (f: InsightsQueryFile): Promise<{ client: CloudWatchLogsClient; account?: string; region?: string }> => {
    const region = regionFor(f, ctx.scope.regions());
    const opts = { region };
    const named = describeTarget(f);
    if (!named) return { client: ctx.connection.client(CloudWatchLogsClient, opts), region };
    // Any member of a scope, also the one account of a scope of several regions (its region nodes are at the top).
    const member = ctx.scope.spec.kind === 'profile' ? undefined : memberFor(f, await ctx.scope.members());
    if (member) {
      // Account names come from the SSO portal: outside text, shown in a progress notification.
      const account = inert(member.accountId && member.accountId !== member.label ? `${member.label} (${member.accountId})` : member.label, 200);
      return { client: ctx.scope.client(ctx.connection, member, CloudWatchLogsClient, opts), account, region };
    }
    // The profile itself, named by its name or its account (and no role, or its own).
    if (f.profile && f.profile === ctx.connection.profile) return { client: ctx.connection.client(CloudWatchLogsClient, opts), region };
    if (f.account && !f.account.role && (await ctx.connection.identity()).account === f.account.id) return { client: ctx.connection.client(CloudWatchLogsClient, opts), region };
    throw new Error(`This query names ${named}, which is not in the scope${ctx.scope.spec.kind === 'profile' ? ` (the profile is ${ctx.connection.profile})` : ''}. Select a scope that holds it, or remove that header line to ask the profile.`);
  };

  const docFor = async (uri?: vscode.Uri) => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!target) throw new Error('Open a .cwlogs file first.');
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString()) ?? vscode.workspace.openTextDocument(target);
  };

  ctx.command('cloudMonitor.logs.runInsightsQuery', async (uri?: vscode.Uri) => {
    const doc = await docFor(uri);
    const f = parseInsightsFile(doc.getText());
    if (f.problems.length) throw new Error(`Cannot run this query: ${f.problems.map((p) => p.message).join(' ')}`);
    const range = parseTimeRange(f.range ?? '1h');
    const name = doc.isUntitled ? 'Untitled query' : vscode.workspace.asRelativePath(doc.uri);
    const { client, account, region } = await clientFor(f);
    const where = [account, region].filter(Boolean).join(' · ');
    const started = Date.now();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: where ? vscode.l10n.t('Logs Insights: {0} in {1}', name, where) : vscode.l10n.t('Logs Insights: {0}', name), cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        progress.report({ message: `starting over ${f.groups.length} group(s), ${range.label}` });
        return runInsightsQuery(client, { groups: f.groups, query: f.query, range, limit: f.limit }, { signal: abort.signal, onStatus: (s) => progress.report({ message: s }) });
      },
    );
    const columns = result.columns.map((c, i) => ({ name: c, kind: inferColumnKind(c, result.rows.map((r) => r[i])) }));
    // The same store as Athena's: past the threshold the rows go to a file, so up to 100,000 wide rows
    // do not sit in the shared extension host; at the cap the rows that fit are shown, with the reason.
    const rs = new ResultSet(columns, { spill: ResultsPanel.spillOptions(ctx) });
    let stopped: string | undefined;
    for (let i = 0; i < result.rows.length && !stopped; i += INSIGHTS_PAGE_MAX) {
      try {
        rs.appendRows(result.rows.slice(i, i + INSIGHTS_PAGE_MAX));
      } catch (err) {
        if (!(err instanceof ResultLimitError)) throw err;
        stopped = err.message;
      }
    }
    result.rows.length = 0;
    const st = result.statistics ?? {};
    rs.setDetails([
      { label: vscode.l10n.t('Rows'), value: String(rs.length) },
      { label: vscode.l10n.t('Records matched'), value: String(st.recordsMatched ?? '?') },
      { label: vscode.l10n.t('Records scanned'), value: String(st.recordsScanned ?? '?') },
      { label: vscode.l10n.t('Bytes scanned'), value: String(st.bytesScanned ?? '?') },
      { label: vscode.l10n.t('Cost'), value: insightsCostText(st.bytesScanned, region ?? ctx.connection.region ?? 'us-east-1') },
      ...(account ? [{ label: vscode.l10n.t('Account'), value: account }] : []),
      ...(region ? [{ label: vscode.l10n.t('Region'), value: region }] : []),
      { label: vscode.l10n.t('Log groups'), value: f.groups.join(', ') },
      { label: vscode.l10n.t('Range'), value: `${new Date(range.start).toISOString()} → ${new Date(range.end).toISOString()} (${range.label})` },
      { label: vscode.l10n.t('Query id'), value: result.queryId },
      { label: vscode.l10n.t('Time'), value: `${((Date.now() - started) / 1000).toFixed(1)} s` },
    ], 'CloudWatch Logs Insights');
    await rs.finish(stopped);
    ResultsPanel.show(ctx, { title: vscode.l10n.t('Logs Insights: {0}', name), resultSet: rs, query: f.query }, { key: `logs:${doc.uri.toString()}` });
    ctx.log.info(`Logs Insights query ${result.queryId}${where ? ` in ${where}` : ''}: ${rs.length} rows${rs.store.spilled ? ' (in a file)' : ''}`);
    return { columns: result.columns, rows: rs.length, spilled: rs.store.spilled };
  });

  ctx.command('cloudMonitor.logs.saveInsightsQuery', async (uri?: vscode.Uri) => {
    const doc = await docFor(uri);
    if (!doc.isUntitled) {
      await doc.save();
      onSaved();
      return doc.uri;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save Logs Insights query'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, 'queries', 'query.cwlogs') : undefined,
      filters: { 'Logs Insights query': ['cwlogs'] },
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(doc.getText()));
    await vscode.window.showTextDocument(target);
    onSaved();
    return target;
  });
}

