import * as vscode from 'vscode';
import { classifyAwsError } from './errors';
import type { AwsConnection } from './connection';

/** profile · region · account, with a marker while an endpoint override (LocalStack, moto) is active. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cloudMonitor.connection', vscode.StatusBarAlignment.Left, 50);
  private generation = 0;
  /** The "Cloud Monitor spend" lines (src/billing), shown in the tooltip whatever the connection. */
  private spend: string[] = [];
  private redraw: () => void = () => undefined;
  /** "12 accounts · 3 regions" while the scope holds more than one account or region (src/aws/scope). */
  private scopeText?: string;

  constructor(private readonly connection: AwsConnection) {
    this.item.name = 'AWS Connection';
    this.item.command = 'cloudMonitor.selectProfile';
    this.item.show();
  }

  /** Redraws; fetches the account id (STS) unless told not to. */
  update(fetchIdentity = true): void {
    const c = this.connection;
    const gen = ++this.generation;
    if (!c.isReady) {
      this.redraw = () => {
        this.item.text = '$(cloud) AWS: select profile';
        const md = new vscode.MarkdownString('Cloud Monitor: no AWS profile or region selected. Click to select a profile.');
        this.appendSpend(md);
        this.item.tooltip = md;
        this.item.backgroundColor = undefined;
      };
      this.redraw();
      return;
    }
    const endpoint = c.endpointOverride;
    const base = `${c.profile} · ${c.region}`;
    this.render(base, endpoint?.url, '…');
    if (!fetchIdentity) return;
    c.identity().then(
      (id) => gen === this.generation && this.render(base, endpoint?.url, id.account, id.arn),
      (err) => gen === this.generation && this.render(base, endpoint?.url, undefined, undefined, classifyAwsError(err).message),
    );
  }

  /** The scope's summary, or undefined for today's one profile and region. */
  setScope(text: string | undefined): void {
    if (text === this.scopeText) return;
    this.scopeText = text;
    this.redraw();
  }

  /** New spend lines from the billing ledger: redraws the tooltip with them. */
  setSpend(lines: string[]): void {
    this.spend = lines;
    this.redraw();
  }

  private appendSpend(md: vscode.MarkdownString): void {
    if (!this.spend.length) return;
    md.appendMarkdown('\n\n**Cloud Monitor spend** (list prices)\n\n');
    for (const line of this.spend) md.appendText(`${line}\n\n`);
  }

  private render(base: string, endpoint: string | undefined, account?: string, arn?: string, error?: string): void {
    this.redraw = () => this.render(base, endpoint, account, arn, error);
    const icon = error ? '$(warning)' : endpoint ? '$(server-environment)' : '$(cloud)';
    this.item.text = this.scopeText
      ? `${icon} ${this.scopeText}${endpoint ? ' (local endpoint)' : ''}`
      : `${icon} ${base}${account ? ` · ${account}` : ''}${endpoint ? ' (local endpoint)' : ''}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown('**Cloud Monitor: AWS connection**\n\n');
    if (this.scopeText) md.appendText(`Scope: ${this.scopeText} (Select Scope to change)\n`);
    md.appendText(`Profile: ${this.connection.profile} (${this.connection.profileInfo()?.kind ?? 'unknown'})\n`);
    md.appendText(`Region: ${this.connection.region}\n`);
    if (account) md.appendText(`Account: ${account}\n`);
    if (arn) md.appendText(`Identity: ${arn}\n`);
    if (endpoint) md.appendText(`Endpoint override: ${endpoint}\n`);
    if (error) md.appendText(`\n${error}\n`);
    this.appendSpend(md);
    md.appendMarkdown('\n\nClick to switch profile.');
    this.item.tooltip = md;
    this.item.backgroundColor = endpoint || error ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void { this.item.dispose(); }
}
