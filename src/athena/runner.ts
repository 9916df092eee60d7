// Running statements from the editor: parameters, a cancellable progress notification with the
// elapsed time and state, Athena's error as a diagnostic on the statement, results in the shared
// results panel, and a history entry for each run.
import * as vscode from 'vscode';
import { randomUUID, createHash } from 'node:crypto';
import { AthenaClient, GetQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { Ctx } from '../context';
import { Config } from '../config';
import { NotConnectedError } from '../aws/connection';
import { ResultsPanel, type ResultsContent } from '../webview/results/panel';
import {
  executionDetails, openResults, QueryCancelledError, QueryFailedError, sourceLabel, startQuery, waitForQuery, type ReadOutcome,
} from './athenaClient';
import { queryCost, type QueryOutcome, type StatementType } from './cost';
import type { HistoryEntry, HistoryStore } from './historyStore';
import { entryLabel, sqlLabel } from './historyStore';
import type { AthenaContextValue, AthenaQueryContext } from './queryContext';
import { errorPosition, mapErrorPosition, parameterProblem, type Statement } from './sql';
import { notify } from '../util/notify';
import { findMissingContext } from './contextCheck';
import type { ContextKey } from './contextHeader';
import { offerContextRecovery } from './contextRecovery';
import { inert } from '../util/inert';
import { setKept } from '../util/keptUpdate';

const PARAMS_KEY = 'cloudMonitor.athena.parameterValues';

export interface RunOutcome {
  id?: string;
  state: HistoryEntry['state'];
  panel?: ResultsPanel;
  /** Settles when every row is read. */
  loaded?: Promise<ReadOutcome | undefined>;
}

export interface RestoreData { id: string; region?: string; sql?: string }

export class AthenaRunner {
  constructor(
    private readonly ctx: Ctx,
    private readonly qc: AthenaQueryContext,
    private readonly history: HistoryStore,
    private readonly diagnostics: vscode.DiagnosticCollection,
  ) {}

  private clients(region?: string): { athena: AthenaClient; s3: S3Client } {
    const opts = region ? { region } : {};
    return { athena: this.ctx.connection.client(AthenaClient, opts), s3: this.ctx.connection.client(S3Client, opts) };
  }

  private async ensureConnected(): Promise<void> {
    await this.ctx.connection.load();
    if (!this.ctx.connection.isReady) throw new NotConnectedError();
  }

  /** Asks for each `?` (remembering the last values for this statement). Undefined if cancelled. */
  async askParameters(sql: string, count: number): Promise<string[] | undefined> {
    if (!count) return [];
    const key = createHash('sha256').update(sql).digest('hex').slice(0, 16);
    const remembered = this.ctx.extension.workspaceState.get<Record<string, string[]>>(PARAMS_KEY) ?? {};
    const values: string[] = [];
    for (let i = 0; i < count; i++) {
      const v = await vscode.window.showInputBox({
        title: vscode.l10n.t('Athena execution parameter {0} of {1}', i + 1, count),
        prompt: vscode.l10n.t("A SQL literal: 'text' in single quotes, 42, or DATE '2024-01-31'."),
        value: remembered[key]?.[i] ?? '',
        ignoreFocusOut: true,
        validateInput: (text) => parameterProblem(text),
      });
      if (v === undefined) return undefined;
      values.push(v.trim());
    }
    const next = { ...remembered, [key]: values };
    // Keep the map small: the 100 most recent statements.
    const keys = Object.keys(next);
    for (const k of keys.slice(0, Math.max(0, keys.length - 100))) delete next[k];
    await setKept(this.ctx.extension.workspaceState, PARAMS_KEY, next);
    return values;
  }

  /** Runs one statement of a document: the CodeLens, the keybinding and the editor title button land here. */
  async runStatement(doc: vscode.TextDocument, stmt: Statement): Promise<RunOutcome | undefined> {
    const params = await this.askParameters(stmt.text, stmt.parameters.length);
    if (!params) return undefined;
    this.clearDiagnostics(doc, stmt);
    const own = this.qc.forDocument(doc);
    return this.run(stmt.text, {
      parameters: params,
      context: own.value,
      document: doc,
      fromFile: own.fromFile,
      // Each statement has its own results tab: running another one opens another tab beside it
      // (the first query's results stay until closed); running the same statement again refreshes its tab.
      panelKey: `${doc.uri.toString()}#${createHash('sha256').update(stmt.text).digest('hex').slice(0, 16)}`,
      title: vscode.l10n.t('Results: {0} · {1}', doc.isUntitled ? doc.uri.path : vscode.workspace.asRelativePath(doc.uri), sqlLabel(stmt.text, 32)),
      source: doc.uri.toString(),
      onFailure: (message) => this.addDiagnostic(doc, stmt, message),
    });
  }

  /** Runs SQL (a statement from an editor, or a history entry again). */
  async run(sql: string, opts: {
    parameters?: string[];
    context: AthenaContextValue;
    /** The editor the statement came from, and which of the context its header names. */
    document?: vscode.TextDocument;
    fromFile?: ContextKey[];
    panelKey?: string;
    title?: string;
    source?: string;
    onFailure?: (message: string) => void;
  }): Promise<RunOutcome> {
    await this.ensureConnected();
    const { athena, s3 } = this.clients();
    const { workgroup, catalog, database } = opts.context;
    let entry: HistoryEntry = {
      id: `local-${randomUUID()}`, sql, startedAt: Date.now(), state: 'QUEUED', workgroup, catalog, database,
      profile: this.ctx.connection.profile, region: this.ctx.connection.region, parameters: opts.parameters?.length ? opts.parameters : undefined, source: opts.source,
    };
    await this.history.put(entry);
    const label = entryLabel(entry, 60);
    let qe: QueryExecution;
    try {
      qe = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Athena: {0}', inert(label, 80)), cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let state = 'QUEUED';
        const started = Date.now();
        const tick = () => progress.report({ message: `${state} · ${((Date.now() - started) / 1000).toFixed(1)} s` });
        tick();
        const timer = setInterval(tick, 1000);
        try {
          const outputLocation = Config.athenaOutputLocation() || undefined;
          const expectedBucketOwner = outputLocation ? (await this.ctx.connection.identity()).account : undefined;
          const id = await startQuery(athena, { sql, workgroup, catalog, database, outputLocation, expectedBucketOwner, parameters: opts.parameters });
          await this.history.remove(entry.id);
          entry = { ...entry, id, state: 'RUNNING' };
          await this.history.put(entry);
          this.ctx.log.info(`Athena query ${id} started in workgroup ${workgroup}`);
          return await waitForQuery(athena, id, {
            signal: abort.signal,
            onState: (s) => { state = s; tick(); },
          });
        } finally {
          clearInterval(timer);
        }
      });
    } catch (err) {
      return this.recordFailure(entry, err, opts);
    }
    await this.history.put(this.entryFrom(entry, qe));
    const content = await this.openContent(qe, athena, s3, sql);
    const panel = ResultsPanel.show(this.ctx, { ...content.content, title: opts.title ?? content.content.title }, { key: opts.panelKey ?? `athena:${qe.QueryExecutionId}` });
    const stopReading = panel.onDidDispose(() => content.abort.abort());
    const loaded = content.loaded.then(
      async (outcome) => {
        stopReading.dispose();
        if (outcome) await this.history.patch(entry.id, { rows: content.content.resultSet.length });
        return outcome;
      },
      () => { stopReading.dispose(); return undefined; },
    );
    return { id: qe.QueryExecutionId, state: 'SUCCEEDED', panel, loaded };
  }

  private entryFrom(entry: HistoryEntry, qe: QueryExecution): HistoryEntry {
    const state = (qe.Status?.State ?? 'SUCCEEDED') as QueryOutcome;
    const scanned = qe.Statistics?.DataScannedInBytes;
    return {
      ...entry,
      state: state as HistoryEntry['state'],
      scannedBytes: scanned,
      costUsd: scanned !== undefined ? queryCost(scanned, state, (qe.StatementType ?? 'DML') as StatementType).usd : undefined,
      durationMs: qe.Statistics?.TotalExecutionTimeInMillis ?? (qe.Status?.CompletionDateTime && qe.Status?.SubmissionDateTime ? qe.Status.CompletionDateTime.getTime() - qe.Status.SubmissionDateTime.getTime() : undefined),
      outputLocation: qe.ResultConfiguration?.OutputLocation,
      error: qe.Status?.AthenaError?.ErrorMessage ?? qe.Status?.StateChangeReason,
    };
  }

  private async recordFailure(entry: HistoryEntry, err: unknown, opts: { context: AthenaContextValue; document?: vscode.TextDocument; fromFile?: ContextKey[]; onFailure?: (message: string) => void }): Promise<RunOutcome> {
    const { onFailure } = opts;
    if (err instanceof QueryCancelledError) {
      await this.history.put(err.execution ? this.entryFrom(entry, err.execution) : { ...entry, state: 'CANCELLED' });
      void notify.info(vscode.l10n.t('Athena query cancelled.'));
      return { id: entry.id, state: 'CANCELLED' };
    }
    // A workgroup or database deleted (with its pipeline, say) since this context named it: say so, with a way back.
    const message = err instanceof Error ? err.message : String(err);
    const missing = await findMissingContext(this.clients().athena, opts.context, message).catch(() => []);
    if (missing.length) {
      await this.history.put(err instanceof QueryFailedError ? this.entryFrom(entry, err.execution) : { ...entry, state: 'ERROR', error: message });
      this.ctx.log.warn(`Athena query ${entry.id}: ${missing.map((m) => `${m.key} ${m.name}`).join(', ')} no longer exist(s): ${message}`);
      void offerContextRecovery(this.qc, missing, opts.document, opts.fromFile ?? []);
      return { id: entry.id, state: err instanceof QueryFailedError ? 'FAILED' : 'ERROR' };
    }
    if (err instanceof QueryFailedError) {
      await this.history.put(this.entryFrom(entry, err.execution));
      onFailure?.(err.message);
      this.ctx.log.warn(`Athena query ${entry.id} failed: ${err.message}`);
      void notify.error(vscode.l10n.t('Athena: {0}', err.message), vscode.l10n.t('Show Problems')).then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return { id: entry.id, state: 'FAILED' };
    }
    // Could not start (validation, access, network): the command wrapper reports it.
    await this.history.put({ ...entry, state: 'ERROR', error: err instanceof Error ? err.message : String(err) });
    if (err instanceof Error && (err.name === 'InvalidRequestException' || /line \d+:\d+/.test(err.message))) onFailure?.(err.message);
    throw err;
  }

  /** The results of a finished execution as panel content; rows keep streaming in after it returns. */
  private async openContent(qe: QueryExecution, athena: AthenaClient, s3: S3Client, sql?: string): Promise<{ content: ResultsContent; loaded: Promise<ReadOutcome | undefined>; abort: AbortController }> {
    const abort = new AbortController();
    const warnBytes = Config.athenaWarnScannedBytes();
    const { resultSet, done } = await openResults(athena, s3, qe, { signal: abort.signal, spill: ResultsPanel.spillOptions(this.ctx) });
    resultSet.setDetails(executionDetails(qe, { warnBytes }), 'reading…');
    const loaded = done.then(
      (outcome) => {
        resultSet.setDetails(executionDetails(qe, { warnBytes, rows: resultSet.length }), sourceLabel(outcome));
        this.ctx.log.info(`Athena query ${qe.QueryExecutionId}: ${resultSet.length} rows via ${sourceLabel(outcome)}`);
        return outcome;
      },
      (err) => {
        this.ctx.log.error(`Reading results of ${qe.QueryExecutionId} failed`, err);
        return undefined;
      },
    );
    const restore: RestoreData = { id: qe.QueryExecutionId!, region: this.ctx.connection.region };
    return {
      content: { title: vscode.l10n.t('Results: {0}', String(qe.QueryExecutionId)), resultSet, query: sql ?? qe.Query, restore: { kind: 'athena', data: restore } },
      loaded, abort,
    };
  }

  /** Reopens a past query's results (from S3 while they exist, else GetQueryResults). */
  async reopen(data: RestoreData, title?: string): Promise<{ content: ResultsContent; loaded: Promise<ReadOutcome | undefined>; abort: AbortController }> {
    await this.ensureConnected();
    const { athena, s3 } = this.clients(data.region);
    const { QueryExecution: qe } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: data.id }));
    if (!qe || qe.Status?.State !== 'SUCCEEDED') throw new Error(`Query ${data.id} has no results (state ${qe?.Status?.State ?? 'unknown'}).`);
    const opened = await this.openContent(qe, athena, s3, data.sql ?? qe.Query);
    if (title) opened.content.title = title;
    return opened;
  }

  async openHistoryResults(entry: HistoryEntry): Promise<ResultsPanel> {
    const opened = await this.reopen({ id: entry.id, region: entry.region, sql: entry.sql }, `Results: ${entryLabel(entry, 40)}`);
    const panel = ResultsPanel.show(this.ctx, opened.content, { key: `athena:${entry.id}` });
    const stop = panel.onDidDispose(() => opened.abort.abort());
    void opened.loaded.then(() => stop.dispose());
    return panel;
  }

  // ---- diagnostics ----
  private clearDiagnostics(doc: vscode.TextDocument, stmt: Statement): void {
    const range = new vscode.Range(doc.positionAt(stmt.start), doc.positionAt(stmt.end));
    const kept = (this.diagnostics.get(doc.uri) ?? []).filter((d) => !range.intersection(d.range));
    this.diagnostics.set(doc.uri, kept);
  }

  private addDiagnostic(doc: vscode.TextDocument, stmt: Statement, message: string): void {
    const start = doc.positionAt(stmt.start);
    const pos = errorPosition(message);
    let range: vscode.Range;
    if (pos) {
      const p = mapErrorPosition({ line: start.line, character: start.character }, pos);
      const at = doc.validatePosition(new vscode.Position(p.line, p.character));
      range = doc.getWordRangeAtPosition(at) ?? new vscode.Range(at, doc.validatePosition(at.translate(0, 1)));
    } else {
      range = new vscode.Range(start, doc.lineAt(start.line).range.end);
    }
    const diag = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diag.source = 'Athena';
    this.diagnostics.set(doc.uri, [...(this.diagnostics.get(doc.uri) ?? []), diag]);
  }
}
