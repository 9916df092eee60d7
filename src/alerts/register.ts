// The Alerts view (pipeline alert states + CloudWatch alarms, with a badge) and the in-editor
// alert notifications from the pipeline's inbox queue.
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { Config } from '../config';
import { registerTreeView } from '../tree/view';
import { keepRelativeTimesFresh } from '../tree/relativeTimes';
import { clockTime } from './times';
import { AlertStateNode, AlertsModel, MuteNode } from './tree';
import { InboxController } from './inbox/controller';
import type { InboxAlert } from './inbox/alertMessage';
import { appMuteKey } from './inbox/mutes';
import { notify } from '../util/notify';
import { AccountSessions } from '../tree/accountGroup';

type AlertArg = AlertStateNode | Pick<InboxAlert, 'appId' | 'key'> | undefined;

function toAlert(arg: AlertArg): Pick<InboxAlert, 'appId' | 'key'> | undefined {
  if (arg instanceof AlertStateNode) return { key: arg.row.key, appId: arg.row.appId };
  return arg && typeof arg === 'object' && typeof arg.key === 'string' ? arg : undefined;
}

export function register(ctx: Ctx): void {
  const model = new AlertsModel(ctx);
  // A scope of several accounts or regions: account → region → pipeline alerts and CloudWatch alarms of that
  // account and region; the inbox, its history and mutes stay the window's profile's (src/tree/accountGroup.ts).
  const accounts = new AccountSessions<AlertsModel>('cloudMonitor.alerts', ({ member, region, node }): AlertsModel => {
    const m: AlertsModel = new AlertsModel(ctx, { client: (ctor) => ctx.scope.client(ctx.connection, member, ctor, { region: region || undefined }), parent: node });
    m.onRefresh = () => provider.refresh();
    m.onRedraw = () => provider.refresh();
    return m;
  }, (m) => m.roots());
  const roots = async () => {
    const grouped = await ctx.scope.grouping();
    return grouped ? accounts.roots(grouped.members, grouped.regions) : model.roots();
  };
  const { provider, view } = registerTreeView(ctx, 'cloudMonitor.alerts', roots);
  model.onRefresh = () => provider.refresh();
  model.onRedraw = () => provider.refresh();
  // "since 3m ago" stays true while the view shows: redraw from the loaded states, no AWS call.
  ctx.own(keepRelativeTimesFresh(view, ctx.clock, () => model.isLoaded && provider.refresh()));
  // The badge says what it counts, for which connection and when. A reconnect to a profile and region counted
  // before shows that count again (not a blank badge) until the next load recounts.
  const connectionKey = () => `${ctx.connection.profile ?? ''}|${ctx.connection.region ?? ''}`;
  const counted = new Map<string, vscode.ViewBadge | undefined>();
  model.onBadge = () => {
    // Under a multi-account scope the profile's count would be read as every account's: no badge then.
    if (ctx.scope.spec.kind !== 'profile') return void (view.badge = undefined);
    const { pipeline, cloudWatch } = model.alarmCounts();
    const n = pipeline + cloudWatch;
    const plural = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
    const where = `${ctx.connection.profile} · ${ctx.connection.region}`;
    view.badge = n ? { value: n, tooltip: vscode.l10n.t('Cloud Monitor: {0} in ALARM ({1}, {2}) in {3}, counted at {4}', n, plural(pipeline, 'pipeline alert'), plural(cloudWatch, 'CloudWatch alarm'), where, clockTime(ctx.clock.now())) } : undefined;
    counted.delete(connectionKey());
    counted.set(connectionKey(), view.badge);
    // The last few connections (oldest first in a Map).
    for (const k of [...counted.keys()].slice(0, -8)) counted.delete(k);
  };
  ctx.own(ctx.connection.onDidChange(() => {
    accounts.clear();
    model.pages.reset();
    // The locator dropped the old connection's stacks: its next read is for this one.
    model.forget(false);
    view.badge = ctx.scope.spec.kind === 'profile' ? counted.get(connectionKey()) : undefined;
  }));

  const inbox = ctx.own(new InboxController(ctx));
  inbox.onAlerts = () => model.refresh();
  model.listMutes = () => inbox.mutes.list();
  model.history = inbox.history;
  inbox.onHistory = () => provider.refresh(model.historyNode);
  // Do Not Disturb says so where the alerts are (the view) and in the status bar, which turns it off in one click.
  const dndItem = ctx.own(vscode.window.createStatusBarItem('cloudMonitor.alerts.doNotDisturb', vscode.StatusBarAlignment.Right, 90));
  dndItem.name = 'Cloud Monitor: Do Not Disturb';
  dndItem.text = '$(bell-slash) Do Not Disturb';
  dndItem.tooltip = vscode.l10n.t('Cloud Monitor alerts still arrive (Alerts view, history, badge) but show no notifications. Click to turn Do Not Disturb off; a summary of what arrived follows.');
  dndItem.command = 'cloudMonitor.alerts.toggleDoNotDisturb';
  const updateMessage = () => {
    const s = inbox.status;
    const dnd = Config.alertsDoNotDisturb();
    view.message = dnd ? 'Do Not Disturb: alerts still arrive here, in the history and in the badge, without notifications. A summary follows when you turn it off.' : undefined;
    view.description = dnd ? vscode.l10n.t('do not disturb') : s.kind === 'polling' ? vscode.l10n.t('notifications on') : s.kind === 'waiting' ? vscode.l10n.t('notifications (another window polls)') : undefined;
    if (dnd) dndItem.show();
    else dndItem.hide();
  };
  ctx.own(inbox.onDidChangeStatus(updateMessage));
  ctx.own(vscode.workspace.onDidChangeConfiguration((e) => {
    if (Config.affects(e, 'alerts.doNotDisturb')) updateMessage();
  }));
  updateMessage();
  // Activation means a view is visible or a command ran: polling may start now (never before).
  void inbox.evaluate();

  ctx.command('cloudMonitor.alerts.refresh', () => {
    for (const m of accounts.made()) m.refresh();
    model.refresh();
    return inbox.evaluate();
  });
  ctx.command('cloudMonitor.alerts.openLogs', (arg?: AlertArg) => {
    const alert = toAlert(arg);
    if (!alert) throw new Error('Choose an alert in the Alerts view.');
    return inbox.openLogs(alert);
  });
  ctx.command('cloudMonitor.alerts.queryInAthena', async (arg?: AlertArg) => {
    const alert = toAlert(arg);
    if (!alert) throw new Error('Choose an alert in the Alerts view.');
    return (await inbox.queryInAthena(alert)).toString();
  });
  ctx.command('cloudMonitor.alerts.mute', async (arg?: AlertArg) => {
    await inbox.mute(toAlert(arg));
    await model.reloadMutes();
  });
  // From a mute in the Muted group, a muted alert (its own mute and its app's), or the palette (a pick).
  ctx.command('cloudMonitor.alerts.unmute', async (arg?: MuteNode | AlertArg) => {
    const keys = arg instanceof MuteNode ? [arg.mute.key] : arg instanceof AlertStateNode ? [arg.row.key, ...(arg.row.appId ? [appMuteKey(arg.row.appId)] : [])] : await inbox.pickMutes();
    if (!keys?.length) return [];
    for (const key of keys) await inbox.mutes.unmute(key);
    await model.reloadMutes();
    return keys;
  });
  ctx.command('cloudMonitor.alerts.toggleDoNotDisturb', async () => {
    const on = !Config.alertsDoNotDisturb();
    await Config.setAlertsDoNotDisturb(on);
    // Turning it off, the window that received the alerts sums them up (InboxController).
    if (on) void notify.info(vscode.l10n.t('Do Not Disturb is on: alerts still arrive in the Alerts view and its history, without notifications.'));
    return on;
  });
  ctx.command('cloudMonitor.alerts.showHistory', async () => {
    await vscode.commands.executeCommand('cloudMonitor.alerts.focus');
    await view.reveal(model.historyNode, { expand: true, focus: true, select: true });
    return inbox.history.list().length;
  });
  ctx.command('cloudMonitor.alerts.inboxStatus', (quiet?: boolean) => {
    const s = inbox.status;
    if (quiet === true) return { status: s, stats: inbox.stats, shown: inbox.shown.length };
    const head = s.kind === 'off' ? `Alert notifications are off: ${inbox.statusReason}.` : s.kind === 'waiting' ? 'Another VS Code window is polling the alert inbox; this one takes over if it closes.' : `This window polls the alert inbox (${s.state}).`;
    void notify.info(`${head} ${inbox.describeBudget()}`);
    return { status: s, stats: inbox.stats, shown: inbox.shown.length };
  });
}
