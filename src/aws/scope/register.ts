// Select Scope (beside Select Profile): one profile, several profiles, or the accounts and roles of an
// IAM Identity Center session; then the regions. The status bar then says "12 accounts · 3 regions".
import * as vscode from 'vscode';
import type { Ctx } from '../../context';
import { REGIONS } from '../regions';
import type { ConnectionStatusBar } from '../statusBar';
import { parseScope, type ScopeSpec } from './scope';

export function registerScope(ctx: Ctx, status: ConnectionStatusBar): void {
  const { connection, scope } = ctx;
  let generation = 0;
  const showSummary = () => {
    const gen = ++generation;
    if (scope.spec.kind === 'profile') return status.setScope(undefined);
    // Listing the portal's accounts is free (no account is asked); a failure leaves the profile text.
    scope.summary().then((text) => gen === generation && status.setScope(text), (err) => {
      if (gen === generation) status.setScope(undefined);
      ctx.log.error('Could not list the accounts of the scope', err);
    });
  };
  ctx.own(scope.onDidChange(showSummary));
  ctx.own(connection.onDidChange(showSummary));

  ctx.command('cloudMonitor.selectScope', async (arg?: unknown) => {
    await connection.load();
    const spec = arg && typeof arg === 'object' ? parseScope(arg) : await pickScope(ctx);
    if (!spec) return undefined;
    await scope.set(spec);
    return scope.spec;
  });
}

async function pickScope(ctx: Ctx): Promise<ScopeSpec | undefined> {
  const { connection, scope } = ctx;
  const sessions = await scope.ssoSessions();
  type Kind = vscode.QuickPickItem & { pick: 'profile' | 'profiles' | 'sso'; session?: string };
  const items: Kind[] = [
    { label: vscode.l10n.t('One profile'), description: connection.profile ? vscode.l10n.t('today: {0}', connection.profile) : undefined, pick: 'profile', picked: scope.spec.kind === 'profile' },
    { label: vscode.l10n.t('Several profiles…'), description: vscode.l10n.t('one account per profile'), pick: 'profiles' },
    ...sessions.map((s): Kind => ({ label: vscode.l10n.t('IAM Identity Center: {0}', s.name), description: vscode.l10n.t('every account and role · {0}', s.region), pick: 'sso', session: s.name })),
  ];
  const kind = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Select Scope'), placeHolder: vscode.l10n.t('What the views show at once') });
  if (!kind) return undefined;
  if (kind.pick === 'profile') return { kind: 'profile' };
  let spec: ScopeSpec;
  if (kind.pick === 'profiles') {
    const picked = await vscode.window.showQuickPick(
      connection.listProfiles().map((p) => ({ label: p.name, description: p.region, picked: scope.spec.kind === 'profiles' ? scope.spec.profiles.includes(p.name) : p.name === connection.profile })),
      { title: vscode.l10n.t('Select Scope: Profiles'), canPickMany: true },
    );
    if (!picked?.length) return undefined;
    spec = { kind: 'profiles', profiles: picked.map((p) => p.label), regions: [] };
  } else {
    const session = kind.session!;
    const roles = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing the accounts of {0}…', session) }, () => scope.everyRole(session));
    const firstOfAccount = new Set<string>();
    const picked = await vscode.window.showQuickPick(
      roles.map((m) => {
        const first = !firstOfAccount.has(m.accountId!);
        firstOfAccount.add(m.accountId!);
        return { label: m.label, description: `${m.accountId} · ${m.roleName}`, picked: first, ref: { accountId: m.accountId!, roleName: m.roleName! } };
      }),
      { title: vscode.l10n.t('Select Scope: Accounts and Roles of {0}', session), canPickMany: true, matchOnDescription: true },
    );
    if (!picked?.length) return undefined;
    spec = { kind: 'ssoSession', session, roles: picked.map((p) => p.ref), regions: [] };
  }
  const current = scope.regions();
  const regions = await vscode.window.showQuickPick(
    REGIONS.map(([id, label]) => ({ label: id, description: label, picked: current.includes(id) })),
    { title: vscode.l10n.t('Select Scope: Regions'), canPickMany: true, matchOnDescription: true },
  );
  if (!regions?.length) return undefined;
  return { ...spec, regions: regions.map((r) => r.label) };
}
