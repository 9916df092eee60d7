import * as vscode from 'vscode';
import { Tooltip } from '../tree/tooltip';
import { classifyAwsError } from './errors';
import type { AwsConnection } from './connection';

/** profile · region · account, with a marker while an endpoint override (LocalStack, moto) is active. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cloudMonitor.connection', vscode.StatusBarAlignment.Left, 50);
  private generation = 0;

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
      this.item.text = '$(cloud) AWS: select profile';
      this.item.tooltip = 'Cloud Monitor: no AWS profile or region selected. Click to select a profile.';
      this.item.backgroundColor = undefined;
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

  private render(base: string, endpoint: string | undefined, account?: string, arn?: string, error?: string): void {
    const icon = error ? '$(warning)' : endpoint ? '$(server-environment)' : '$(cloud)';
    this.item.text = `${icon} ${base}${account ? ` · ${account}` : ''}${endpoint ? ' (local endpoint)' : ''}`;
    const md = new Tooltip().bold('Cloud Monitor: AWS connection').para();
    md.text(`Profile: ${this.connection.profile} (${this.connection.profileInfo()?.kind ?? 'unknown'})\n`);
    md.text(`Region: ${this.connection.region}\n`);
    if (account) md.text(`Account: ${account}\n`);
    if (arn) md.text(`Identity: ${arn}\n`);
    if (endpoint) md.text(`Endpoint override: ${endpoint}\n`);
    if (error) md.text(`\n${error}\n`);
    md.para().text('Click to switch profile.');
    this.item.tooltip = md.markdown;
    this.item.backgroundColor = endpoint || error ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void { this.item.dispose(); }
}
