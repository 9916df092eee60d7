// One webview panel per finding, rendered as text only (webview/finding/main.ts). Panels are
// restored after a reload through a WebviewPanelSerializer, from the id kept with setState.
import * as vscode from 'vscode';
import { WebviewPanelHost } from '../webview/host';
import { detailChecks } from './detailChecks';
import { findingStrings } from './detailStrings';
import type { FindingDetailSpec, FindingPanelState, FindingView } from './detailProtocol';
import { bucketOf, keyOf, safeLink, type FindingKey, type FindingSummary, type WorkflowTarget } from './model';

export const DETAIL_VIEW_TYPE = 'cloudMonitor.findingDetail';

export interface DetailDeps {
  extensionUri: vscode.Uri;
  /** Fetches a finding for a restored panel. */
  load(key: FindingKey): Promise<FindingSummary | undefined>;
  triage(findings: FindingSummary[], status: WorkflowTarget, note: string): Promise<{ ok: boolean; message: string }>;
  revealBucket(bucket: string): Promise<boolean>;
  /** Opens the finding's Security Hub console page (the URL is built from the connection, not the page). */
  openInConsole(f: FindingSummary): Promise<boolean>;
  /** The log channel: webview messages that failed their check are reported there. */
  log(message: string): void;
}

export function toView(f: FindingSummary): FindingView {
  return { ...f, bucket: bucketOf(f), safeRemediationUrl: safeLink(f.remediationUrl) };
}

export class FindingDetailPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<FindingPanelState> {
  private readonly open = new Map<string, { host: WebviewPanelHost<FindingDetailSpec>; finding?: FindingSummary }>();

  constructor(private readonly deps: DetailDeps) {}

  /** Opens (or reveals) the panel for a finding. */
  show(f: FindingSummary): WebviewPanelHost<FindingDetailSpec> {
    const key = keyOf(f);
    const existing = this.open.get(key);
    if (existing) {
      existing.finding = f;
      existing.host.endpoint.notify('finding', toView(f));
      existing.host.panel.reveal();
      return existing.host;
    }
    const host = WebviewPanelHost.create<FindingDetailSpec>(this.deps.extensionUri, { bundle: 'finding', viewType: DETAIL_VIEW_TYPE, title: panelTitle(f), log: (m) => this.deps.log(m), strings: findingStrings(vscode.l10n) });
    this.wire(host, f);
    return host;
  }

  /** Restores a panel after a window reload. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: FindingPanelState | undefined): Promise<void> {
    const host = new WebviewPanelHost<FindingDetailSpec>(panel, this.deps.extensionUri, 'finding', (m) => this.deps.log(m), findingStrings(vscode.l10n));
    if (!state?.id) {
      this.wire(host, undefined, 'This finding panel has nothing to restore. Open a finding from the Findings view.');
      return;
    }
    let finding: FindingSummary | undefined;
    let problem: string | undefined;
    try {
      finding = await this.deps.load({ id: state.id, productArn: state.productArn, source: state.source, accountId: state.accountId, member: typeof state.member === 'string' ? state.member : undefined });
      if (!finding) problem = state.member ? 'This finding no longer exists in Security Hub for its account and the region.' : 'This finding no longer exists in Security Hub for the current profile and region.';
    } catch (err) {
      problem = `Could not load this finding: ${(err as Error)?.message ?? String(err)}`;
    }
    this.wire(host, finding, problem);
  }

  private wire(host: WebviewPanelHost<FindingDetailSpec>, finding: FindingSummary | undefined, problem?: string): void {
    const entry = { host, finding };
    const key = finding ? keyOf(finding) : undefined;
    if (key) this.open.set(key, entry);
    if (finding) host.panel.title = panelTitle(finding);
    host.panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'cloud-monitor.svg');
    const ep = host.endpoint;
    ep.on('ready', () => {
      if (entry.finding) ep.notify('finding', toView(entry.finding));
      else ep.notify('unavailable', { message: problem ?? vscode.l10n.t('Finding unavailable.') });
    });
    ep.handle('triage', async ({ status, note }) => {
      if (!entry.finding) return { ok: false, message: vscode.l10n.t('No finding loaded.') };
      return this.deps.triage([entry.finding], status, note);
    }, detailChecks.triage);
    ep.handle('openRemediation', async () => {
      const url = safeLink(entry.finding?.remediationUrl);
      if (!url) return false;
      return vscode.env.openExternal(vscode.Uri.parse(url, true));
    }, detailChecks.none);
    ep.handle('openInConsole', async () => (entry.finding ? this.deps.openInConsole(entry.finding) : false), detailChecks.none);
    ep.handle('revealBucket', async () => {
      const bucket = entry.finding ? bucketOf(entry.finding) : undefined;
      return bucket ? this.deps.revealBucket(bucket) : false;
    }, detailChecks.none);
    host.onDidDispose(() => {
      if (key && this.open.get(key) === entry) this.open.delete(key);
    });
  }

  /** After a triage elsewhere: show the new state in an open panel. */
  update(f: FindingSummary): void {
    const entry = this.open.get(keyOf(f));
    if (!entry) return;
    entry.finding = f;
    entry.host.endpoint.notify('finding', toView(f));
  }

  /** Panels open right now, for tests. */
  get size(): number { return this.open.size; }

  dispose(): void {
    for (const { host } of [...this.open.values()]) host.panel.dispose();
    this.open.clear();
  }
}

function panelTitle(f: FindingSummary): string {
  const t = f.title.length > 40 ? `${f.title.slice(0, 40)}…` : f.title;
  return `Finding: ${t}`;
}
