// The Athena History view: past queries, newest first, with re-run and reopen-results actions.
import * as vscode from 'vscode';
import { Tooltip } from '../tree/tooltip';
import type { TreeNode } from '../tree/nodes';
import { describeEntry, entryLabel, type HistoryEntry, type HistoryStore } from './historyStore';

const ICONS: Record<HistoryEntry['state'], [string, string?]> = {
  SUCCEEDED: ['pass', 'testing.iconPassed'],
  FAILED: ['error', 'testing.iconFailed'],
  ERROR: ['error', 'testing.iconFailed'],
  CANCELLED: ['circle-slash'],
  RUNNING: ['loading~spin'],
  QUEUED: ['clock'],
};

export class HistoryNode implements TreeNode {
  readonly id: string;
  /** `now`: the extension's clock (Ctx.clock), so the relative time is as of each redraw. */
  constructor(readonly entry: HistoryEntry, private readonly now: () => number = Date.now) {
    this.id = `athena-history/${entry.id}`;
  }
  getTreeItem(): vscode.TreeItem {
    const e = this.entry;
    const item = new vscode.TreeItem(entryLabel(e), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${ago(e.startedAt, this.now())} · ${describeEntry(e)}`;
    const [icon, color] = ICONS[e.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const tip = new Tooltip();
    tip.text(`${new Date(e.startedAt).toLocaleString()} · ${describeEntry(e)}\n`);
    tip.text(`${e.workgroup} · ${e.catalog}.${e.database}${e.region ? ` · ${e.region}` : ''}\n`);
    if (e.parameters?.length) tip.text(`Parameters: ${e.parameters.join(', ')}\n`);
    if (e.error) tip.text(`\n${e.error}\n`);
    tip.code(e.sql, 'sql');
    item.tooltip = tip.markdown;
    const hasResults = e.state === 'SUCCEEDED' && !e.id.startsWith('local-');
    item.contextValue = `athenaQuery+${e.state.toLowerCase()}${hasResults ? '+hasResults' : ''}`;
    item.command = hasResults
      ? { command: 'cloudMonitor.athena.openResults', title: vscode.l10n.t('Open Results'), arguments: [this] }
      : { command: 'cloudMonitor.athena.openQueryText', title: vscode.l10n.t('Open Query'), arguments: [this] };
    return item;
  }
}

export function historyRoots(store: HistoryStore, now: () => number = Date.now): TreeNode[] {
  return store.list().map((e) => new HistoryNode(e, now));
}

function ago(t: number, now: number): string {
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toISOString().slice(0, 10);
}
