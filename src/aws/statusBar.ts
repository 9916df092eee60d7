import * as vscode from 'vscode';
import { Tooltip } from '../tree/tooltip';
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
        const md = new Tooltip().text('Cloud Monitor: no AWS profile or region selected. Click to select a profile.');
        this.appendSpend(md);
        this.item.tooltip = md.markdown;
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

  private appendSpend(md: Tooltip): void {
    if (!this.spend.length) return;
    md.para().bold('Cloud Monitor spend').text(' (list prices)').para();
    for (const line of this.spend) md.text(line).para();
  }

  private render(base: string, endpoint: string | undefined, account?: string, arn?: string, error?: string): void {
    this.redraw = () => this.render(base, endpoint, account, arn, error);
    const icon = error ? '$(warning)' : endpoint ? '$(server-environment)' : '$(cloud)';
    this.item.text = this.scopeText
      ? `${icon} ${this.scopeText}${endpoint ? ' (local endpoint)' : ''}`
      : `${icon} ${base}${account ? ` · ${account}` : ''}${endpoint ? ' (local endpoint)' : ''}`;
    const md = new Tooltip().bold('Cloud Monitor: AWS connection').para();
    if (this.scopeText) md.text(`Scope: ${this.scopeText} (Select Scope to change)
`);
    md.text(`Profile: ${this.connection.profile} (${this.connection.profileInfo()?.kind ?? 'unknown'})
`);
    md.text(`Region: ${this.connection.region}
`);
    if (account) md.text(`Account: ${account}
`);
    if (arn) md.text(`Identity: ${arn}
`);
    if (endpoint) md.text(`Endpoint override: ${endpoint}
`);
    if (error) md.text(`
${error}
`);
    this.appendSpend(md);
    md.para().text('Click to switch profile.');
    this.item.tooltip = md.markdown;
    this.item.backgroundColor = endpoint || error ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void { this.item.dispose(); }
}
