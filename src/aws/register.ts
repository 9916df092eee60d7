import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { Config } from '../config';
import { ConnectionStatusBar } from './statusBar';
import { REGION_PATTERN, REGIONS } from './regions';
import type { ProfileKind } from './profiles';
import { notify } from '../util/notify';
import { ssoLoginTerminalOptions, ssoSessionLoginTerminalOptions } from './sso';
import { registerScope } from './scope/register';

const KIND_LABEL: Record<ProfileKind, string> = {
  static: 'access keys', sso: 'IAM Identity Center (SSO)', assumeRole: 'assume role', process: 'credential_process',
  webIdentity: 'web identity', environment: 'environment variables', unknown: '',
};

/** Profile and region selection, SSO sign-in and the connection status bar item. */
export function register(ctx: Ctx): void {
  const { connection } = ctx;
  const status = ctx.own(new ConnectionStatusBar(connection));
  ctx.own(connection.onDidChange(() => status.update()));
  registerScope(ctx, status);
  const billing = ctx.billing;
  if (billing) {
    // The spend line follows the ledger: redrawn a second after calls were recorded (a scan records hundreds).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const spend = () => { timer = undefined; void billing.spendLines().then((l) => status.setSpend(l), () => undefined); };
    spend();
    ctx.own(billing.ledger.onRecord(() => (timer ??= setTimeout(spend, 1000))));
    ctx.own({ dispose: () => clearTimeout(timer) });
    ctx.own(vscode.workspace.onDidChangeConfiguration((e) => Config.affects(e, 'billing') && spend()));
  }
  ctx.own(vscode.workspace.onDidChangeConfiguration((e) => {
    if (Config.affects(e, 'endpointUrl')) connection.reset();
    // Any change, not only ours: right after a window reload the user settings can reach the extension
    // host after activation, in change events that do not report our keys as affected (seen in VS Code
    // 1.100). settingsChanged() only acts when the picked profile or region actually differs.
    void connection.settingsChanged();
  }));

  ctx.command('cloudMonitor.selectProfile', async (name?: string) => {
    await connection.load();
    const profiles = await connection.refreshProfiles();
    if (typeof name !== 'string') {
      if (!profiles.length) {
        const pick = await notify.warn(vscode.l10n.t('No AWS profiles found in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE).'), vscode.l10n.t('Open AWS docs'));
        if (pick) void vscode.env.openExternal(vscode.Uri.parse('https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html'));
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        profiles.map((p) => ({ label: p.name, description: [KIND_LABEL[p.kind], p.region].filter(Boolean).join(' · '), detail: p.endpointUrl ? vscode.l10n.t('endpoint {0}', p.endpointUrl) : undefined, picked: p.name === connection.profile })),
        { title: vscode.l10n.t('Select AWS Profile'), placeHolder: connection.profile !== undefined ? vscode.l10n.t('Current: {0}', connection.profile) : vscode.l10n.t('Current: none'), matchOnDescription: true },
      );
      if (!picked) return undefined;
      name = picked.label;
    }
    if (!profiles.some((p) => p.name === name)) throw new Error(`No AWS profile named "${name}".`);
    await connection.setProfile(name);
    if (!connection.region) await vscode.commands.executeCommand('cloudMonitor.selectRegion');
    return connection.profile;
  });

  ctx.command('cloudMonitor.selectRegion', async (region?: string) => {
    await connection.load();
    if (typeof region !== 'string') {
      const items: vscode.QuickPickItem[] = REGIONS.map(([id, label]) => ({ label: id, description: label, picked: id === connection.region }));
      items.push({ label: vscode.l10n.t('Other…'), description: vscode.l10n.t('Type a region id') });
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Select AWS Region'), placeHolder: connection.region !== undefined ? vscode.l10n.t('Current: {0}', connection.region) : vscode.l10n.t('Current: none'), matchOnDescription: true });
      if (!picked) return undefined;
      region = picked.label === vscode.l10n.t('Other…')
        ? await vscode.window.showInputBox({ title: vscode.l10n.t('AWS Region'), prompt: vscode.l10n.t('Region id, e.g. eu-west-1'), validateInput: (v) => (REGION_PATTERN.test(v.trim()) ? undefined : vscode.l10n.t('A region id looks like us-east-1')) })
        : picked.label;
      if (!region) return undefined;
    }
    region = region.trim();
    if (!REGION_PATTERN.test(region)) throw new Error(`"${region}" is not a region id (e.g. us-east-1).`);
    await connection.setRegion(region);
    return connection.region;
  });

  ctx.command('cloudMonitor.ssoLogin', async () => {
    const spec = ctx.scope.spec;
    if (spec.kind === 'ssoSession') {
      vscode.window.createTerminal(ssoSessionLoginTerminalOptions(spec.session)).show();
      void notify.info(vscode.l10n.t('Complete the sign-in for "{0}" in the terminal, then retry.', spec.session), vscode.l10n.t('Retry')).then((done) => { if (done) { ctx.scope.reload(); connection.reset(); } });
      return undefined;
    }
    const profile = connection.profile;
    if (!profile) return vscode.commands.executeCommand('cloudMonitor.selectProfile');
    const terminal = vscode.window.createTerminal(ssoLoginTerminalOptions(profile));
    terminal.show();
    // Not awaited: the command is done once the sign-in runs; Retry re-reads the token cache.
    void notify.info(vscode.l10n.t('Complete the sign-in for "{0}" in the terminal, then retry.', profile), vscode.l10n.t('Retry')).then((done) => done && connection.reset());
    return undefined;
  });

  ctx.command('cloudMonitor.showLog', () => ctx.log.show());
  ctx.command('cloudMonitor.retryNode', (node?: { retry?: () => void }) => node?.retry?.());
  ctx.command('cloudMonitor.loadMore', async (node?: { loadMore?: () => Promise<void> }) => node?.loadMore?.());

  // Reading the shared files is local and cheap; it decides whether the welcome views show.
  void connection.load();
}
