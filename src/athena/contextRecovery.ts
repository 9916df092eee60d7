// A file's own Athena context (its header lines) edited in place, and the way back when a context
// names a workgroup or database that no longer exists: use the workspace default, or pick another.
import * as vscode from 'vscode';
import { contextHeaderText, type ContextKey } from './contextHeader';
import type { MissingContext } from './contextCheck';
import { documentHeader, type AthenaQueryContext } from './queryContext';
import { notify } from '../util/notify';

/** Writes `key: value` into the document's header (replacing its line), or removes it (value undefined). */
export async function setHeaderValue(doc: vscode.TextDocument, key: ContextKey, value: string | undefined): Promise<boolean> {
  const line = documentHeader(doc).lines.find((l) => l.key === key);
  const edit = new vscode.WorkspaceEdit();
  if (line) {
    const range = doc.lineAt(line.line).rangeIncludingLineBreak;
    if (value === undefined) edit.delete(doc.uri, range);
    else edit.replace(doc.uri, range, contextHeaderText({ [key]: value }));
  } else if (value !== undefined) {
    edit.insert(doc.uri, new vscode.Position(0, 0), contextHeaderText({ [key]: value }));
  } else {
    return true;
  }
  return vscode.workspace.applyEdit(edit);
}

/** Removes every context line from the document's header: the workspace's context applies again. */
export async function removeHeader(doc: vscode.TextDocument): Promise<boolean> {
  const lines = documentHeader(doc).lines;
  if (!lines.length) return true;
  const edit = new vscode.WorkspaceEdit();
  for (const l of lines) edit.delete(doc.uri, doc.lineAt(l.line).rangeIncludingLineBreak);
  return vscode.workspace.applyEdit(edit);
}

const USE_DEFAULT = 'Use Workspace Default';
const PICK = 'Pick Another…';

/**
 * Says which of the context is gone and where it was named (this file's header or the workspace's
 * pick), and offers the way back. Resolves once the user chose (or dismissed) the notification.
 */
export async function offerContextRecovery(qc: AthenaQueryContext, missing: MissingContext[], doc: vscode.TextDocument | undefined, fromFile: ContextKey[]): Promise<string | undefined> {
  const inFile = missing.some((m) => fromFile.includes(m.key));
  const what = missing.map((m) => `${m.key === 'workgroup' ? 'Workgroup' : 'Database'} "${m.name}"`).join(' and ');
  const where = inFile ? 'this file names it in its header comments' : "it is this workspace's Athena context";
  const pick = await notify.warn(vscode.l10n.t('{0} no longer exist{1} ({2}). Was it deleted with its pipeline?', what, missing.length > 1 ? '' : 's', where), USE_DEFAULT, PICK);
  if (pick === USE_DEFAULT) {
    if (inFile && doc) await removeHeader(doc);
    // The workspace's own pick may name it too: forget it, the settings apply.
    const ws = qc.value;
    const stale = missing.filter((m) => ws[m.key] === m.name).map((m) => m.key);
    if (stale.length) await qc.reset(stale);
  } else if (pick === PICK) {
    const first = missing[0];
    const command = first.key === 'workgroup' ? 'cloudMonitor.athena.selectWorkgroup' : 'cloudMonitor.athena.selectDatabase';
    await vscode.commands.executeCommand(command, undefined, doc?.uri);
  }
  return pick;
}
