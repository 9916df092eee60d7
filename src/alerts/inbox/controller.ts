// Alert notifications in the editor: decides whether this window should poll the inbox (setting
// on, connected, a pipeline with an inbox exists), runs the InboxPoller under the cross-window lease,
// and turns alerts into notifications with actions. Do Not Disturb mutes the notifications only:
// alerts keep arriving (history, Alerts view, badge), and one summary follows when it is turned off.
import * as vscode from 'vscode';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Ctx } from '../../context';
import { Config } from '../../config';
import { PipelineLocator } from '../pipelines';
import { lastHourSql, pipelineEventsTable, type PipelineStack } from '../pipelineStack';
import { notificationText, summarise, type InboxAlert, type NotificationSeverity } from './alertMessage';
import { InboxLease, newOwnerId } from './lease';
import { MuteStore, appMuteKey } from './mutes';
import { InboxPoller, monthlyRequestEstimate, SQS_FREE_TIER_REQUESTS_PER_MONTH, type PollerState } from './poller';
import { notify, notifyBySeverity } from '../../util/notify';
import { inert } from '../../util/inert';
import { setKept } from '../../util/keptUpdate';
import { APP_ID_PATTERN } from '../../../pipeline/consumer/events';
import { AlertHistory, type HistoryOutcome } from '../history';

const RECHECK_MS = 15 * 60_000;
/** When Do Not Disturb was last turned on (globalState, shared by windows): the summary counts from there. */
export const DND_SINCE_KEY = 'cloudMonitor.alerts.doNotDisturbSince';
const MUTE_CHOICES = (): [string, number][] => [[vscode.l10n.t('1 hour'), 3_600_000], [vscode.l10n.t('4 hours'), 4 * 3_600_000], [vscode.l10n.t('1 day'), 86_400_000], [vscode.l10n.t('1 week'), 7 * 86_400_000]];

export type InboxStatus =
  | { kind: 'off'; reason: string }
  | { kind: 'waiting'; queueUrl: string }
  | { kind: 'polling'; queueUrl: string; state: PollerState };

export class InboxController implements vscode.Disposable {
  readonly mutes: MuteStore;
  /** Every alert that arrived, with what became of it (globalState, shared by windows, bounded). */
  readonly history: AlertHistory;
  private poller?: InboxPoller;
  private pipeline?: PipelineStack;
  private timer?: ReturnType<typeof setInterval>;
  private evaluating?: Promise<void>;
  private again = false;
  private reason = 'not started';
  private readonly owner = newOwnerId(vscode.env.sessionId.slice(0, 8));
  private dnd: boolean;
  private readonly statusChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeStatus = this.statusChanged.event;
  /** Called after alerts were shown, so the Alerts view can refresh. */
  onAlerts?: () => void;
  /** Called after the history grew (a muted alert too). */
  onHistory?: () => void;
  /** Every alert this window has shown, newest last (kept short). */
  readonly shown: { alert: InboxAlert; at: number; summary?: string }[] = [];

  constructor(private readonly ctx: Ctx) {
    const dir = ctx.extension.globalStorageUri.fsPath;
    this.mutes = new MuteStore(`${dir}/alert-mutes.json`);
    this.history = new AlertHistory(ctx.extension.globalState);
    this.dnd = Config.alertsDoNotDisturb();
    if (this.dnd && ctx.extension.globalState.get(DND_SINCE_KEY) === undefined) void setKept(ctx.extension.globalState, DND_SINCE_KEY, Date.now());
    ctx.own(vscode.workspace.onDidChangeConfiguration((e) => {
      if (Config.affects(e, 'alerts.doNotDisturb')) this.doNotDisturbChanged(Config.alertsDoNotDisturb());
      if (Config.affects(e, 'alerts')) this.evaluate();
    }));
    ctx.own(ctx.connection.onDidChange(() => {
      void this.stopPolling('the AWS profile or region changed');
      this.evaluate();
    }));
  }

  get status(): InboxStatus {
    if (!this.poller) return { kind: 'off', reason: this.reason };
    const queueUrl = this.pipeline?.outputs.InboxQueueUrl ?? '';
    return this.poller.holdsLease ? { kind: 'polling', queueUrl, state: this.poller.state } : { kind: 'waiting', queueUrl };
  }

  get stats() { return this.poller?.stats; }
  get statusReason(): string { return this.reason; }

  /** Starts or stops polling to match the settings, the connection and the pipeline. Serialised. */
  evaluate(): Promise<void> {
    if (this.evaluating) {
      this.again = true;
      return this.evaluating;
    }
    this.evaluating = this.decide().finally(() => {
      this.evaluating = undefined;
      if (this.again) {
        this.again = false;
        void this.evaluate();
      }
    });
    return this.evaluating;
  }

  private async decide(): Promise<void> {
    this.timer ??= setInterval(() => void this.evaluate(), RECHECK_MS);
    if (!Config.alertsNotifications()) return this.stopPolling('the setting cloudMonitor.alerts.notifications is off');
    await this.ctx.connection.load();
    if (!this.ctx.connection.isReady) return this.stopPolling('no AWS connection');
    let pipeline: PipelineStack | undefined;
    try {
      pipeline = (await PipelineLocator.for(this.ctx).stacks()).find((s) => s.outputs.InboxQueueUrl);
    } catch (err) {
      this.ctx.log.warn(`Alert notifications: cannot look up the pipeline stacks: ${(err as Error)?.message}`);
      return this.stopPolling('the pipeline stacks could not be read');
    }
    if (!pipeline) return this.stopPolling('no pipeline with an inbox queue in this region');
    if (this.poller && this.pipeline?.outputs.InboxQueueUrl === pipeline.outputs.InboxQueueUrl) return;
    await this.stopPolling('the pipeline changed');
    this.pipeline = pipeline;
    this.startPolling(pipeline);
  }

  private startPolling(pipeline: PipelineStack): void {
    const queueUrl = pipeline.outputs.InboxQueueUrl!;
    const lease = new InboxLease(this.ctx.extension.globalStorageUri.fsPath, this.owner);
    this.poller = new InboxPoller({
      sqs: this.ctx.connection.client(SQSClient),
      queueUrl,
      lease,
      deliver: (alerts, info) => this.deliver(alerts, info.backlog),
      isMuted: async (a) => {
        const muted = await this.mutes.isMuted(a.key, a.appId);
        if (muted) await this.record([a], 'muted');
        return muted;
      },
      onFatal: (err) => {
        this.ctx.log.error('Alert notifications stopped', err);
        this.poller = undefined;
        this.reason = `polling failed: ${(err as Error)?.message ?? err}`;
        this.statusChanged.fire();
      },
      onStateChange: () => this.statusChanged.fire(),
      log: (m) => this.ctx.log.info(m),
    });
    this.poller.start();
    this.ctx.log.info(`Alert notifications: watching ${queueUrl} (one window polls at a time).`);
    this.statusChanged.fire();
  }

  private async stopPolling(reason: string): Promise<void> {
    this.reason = reason;
    const p = this.poller;
    this.poller = undefined;
    this.pipeline = undefined;
    if (p) {
      this.ctx.log.info(`Alert notifications stopped: ${reason}.`);
      this.statusChanged.fire();
      await p.stop();
    }
    this.statusChanged.fire();
  }

  private async deliver(alerts: InboxAlert[], backlog: boolean): Promise<void> {
    if (Config.alertsDoNotDisturb()) {
      // Received, recorded and shown in the view (the caller refreshes it and the badge): no notification.
      await this.record(alerts, 'dnd');
      this.onAlerts?.();
      return;
    }
    const { each, summary } = summarise(alerts, Config.alertsSummaryThreshold(), backlog);
    const at = Date.now();
    await this.record(alerts, summary ? 'summarised' : 'shown');
    if (summary) {
      this.shown.push({ alert: alerts[0], at, summary: summary.text });
      this.showSummary(summary);
    }
    for (const alert of each) {
      this.shown.push({ alert, at });
      void this.notify(alert, backlog);
    }
    while (this.shown.length > 200) this.shown.shift();
    this.onAlerts?.();
  }

  /**
   * Turning Do Not Disturb off: the window that polls the inbox (the one that received) sums up, in one
   * notification, what arrived meanwhile, from the alert history (so alerts received before a reload count).
   */
  private doNotDisturbChanged(on: boolean): void {
    if (on === this.dnd) return;
    this.dnd = on;
    const state = this.ctx.extension.globalState;
    if (on) {
      const since = Date.now();
      return void setKept(state, DND_SINCE_KEY, since);
    }
    const since = state.get<number>(DND_SINCE_KEY) ?? 0;
    if (this.status.kind !== 'polling') return;
    const arrived = this.history.list().filter((e) => e.outcome === 'dnd' && e.at >= since);
    if (!arrived.length) return void notify.info(vscode.l10n.t('Do Not Disturb is off: no alerts arrived meanwhile.'));
    const { summary } = summarise(arrived, 0, 'arrived during Do Not Disturb');
    if (summary) this.showSummary(summary);
  }

  /** One notification for many alerts, pointing at the history (where each one is). */
  private showSummary(summary: { text: string; severity: NotificationSeverity }): void {
    void notifyBySeverity(summary.severity)(summary.text, vscode.l10n.t('Show History'), vscode.l10n.t('Show Alerts')).then((pick) => {
      if (pick === vscode.l10n.t('Show History')) void vscode.commands.executeCommand('cloudMonitor.alerts.showHistory');
      else if (pick) void vscode.commands.executeCommand('cloudMonitor.alerts.focus');
    });
  }

  private async record(alerts: InboxAlert[], outcome: HistoryOutcome): Promise<void> {
    const at = Date.now();
    await this.history.add(alerts.map((a) => ({ at, key: a.key, appId: a.appId, state: a.state, severity: a.severity, text: a.text, outcome, happenedAt: a.at })))
      .catch((err) => this.ctx.log.warn(`Alert history: could not record: ${(err as Error)?.message}`));
    this.onHistory?.();
  }

  /** One notification, with Open Logs / Query in Athena / Mute. Not awaited: deleting must not wait for a click. */
  private async notify(alert: InboxAlert, backlog: boolean): Promise<void> {
    const actions = [vscode.l10n.t('Open Logs'), vscode.l10n.t('Query in Athena'), vscode.l10n.t('Mute…')];
    const pick = await notifyBySeverity(alert.severity)(notificationText(alert, backlog), ...actions);
    if (pick === actions[0]) await vscode.commands.executeCommand('cloudMonitor.alerts.openLogs', alert);
    else if (pick === actions[1]) await vscode.commands.executeCommand('cloudMonitor.alerts.queryInAthena', alert);
    else if (pick === actions[2]) await vscode.commands.executeCommand('cloudMonitor.alerts.mute', alert);
  }

  /** Logs of the consumer, filtered to the app. */
  async openLogs(alert: Pick<InboxAlert, 'appId' | 'key'>): Promise<unknown> {
    const pipeline = this.pipeline ?? (await PipelineLocator.for(this.ctx).primary());
    const group = pipeline?.outputs.ConsumerLogGroupName;
    if (!group) throw new Error('The pipeline stack names no consumer log group (output ConsumerLogGroupName).');
    // The consumer logs JSON lines carrying appId. https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
    // The app id comes from an alert or the alert-state table: only an id the consumer accepts goes into the pattern.
    if (alert.appId !== undefined && !APP_ID_PATTERN.test(alert.appId)) throw new Error('This alert does not name an app id the pipeline accepts.');
    const filterPattern = alert.appId ? `{ $.appId = "${alert.appId}" }` : undefined;
    return vscode.commands.executeCommand('cloudMonitor.logs.tail', { groupName: group, filterPattern });
  }

  /**
   * The last hour of the app's events, as SQL over the pipeline's Athena table, opened and run by
   * the Athena feature (its newQuery / runStatementAt commands) in the pipeline's workgroup.
   */
  async queryInAthena(alert: Pick<InboxAlert, 'appId' | 'key'>): Promise<vscode.Uri> {
    const pipeline = this.pipeline ?? (await PipelineLocator.for(this.ctx).primary());
    const table = pipeline && pipelineEventsTable(pipeline.outputs);
    if (!table) throw new Error('The pipeline stack names no Athena database and table (outputs GlueDatabaseName, GlueTableName).');
    const { sql, statementOffset } = lastHourSql(table.database, table.table, alert.appId, new Date());
    if (table.workgroup) await vscode.commands.executeCommand('cloudMonitor.athena.selectWorkgroup', table.workgroup);
    const uri = (await vscode.commands.executeCommand('cloudMonitor.athena.newQuery', { sql, database: table.database })) as string | undefined;
    if (!uri) throw new Error('The Athena editor could not be opened.');
    // Runs the statement this extension generated, at the offset it generated it: never a search in text.
    void vscode.commands.executeCommand('cloudMonitor.athena.runStatementAt', vscode.Uri.parse(uri), statementOffset);
    return vscode.Uri.parse(uri);
  }

  async mute(alert?: Pick<InboxAlert, 'appId' | 'key'>): Promise<void> {
    const items: (vscode.QuickPickItem & { key?: string; ms?: number })[] = [];
    if (alert) {
      // Quick pick labels render $(icon): the key and app id come from alerts (inert, though parsed strictly).
      for (const [label, ms] of MUTE_CHOICES()) items.push({ label: vscode.l10n.t('Mute {0} for {1}', inert(alert.key, 200), label), key: alert.key, ms });
      if (alert.appId) for (const [label, ms] of MUTE_CHOICES()) items.push({ label: vscode.l10n.t('Mute every alert from {0} for {1}', inert(alert.appId, 200), label), key: appMuteKey(alert.appId), ms });
    }
    const current = await this.mutes.list();
    if (current.length) items.push({ label: vscode.l10n.t('Unmute all ({0} active: {1})', current.length, inert(current.map((m) => m.key).join(', '), 300)), key: '', ms: 0 });
    if (!items.length) return void notify.info(vscode.l10n.t('Nothing is muted. Mute an alert from its notification or the Alerts view.'));
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Mute alerts') });
    if (!pick) return;
    if (!pick.ms) await this.mutes.unmute();
    else await this.mutes.mute(pick.key!, pick.ms);
  }

  /** Asks which active mute to lift; undefined when nothing is muted or nothing was picked. */
  async pickMutes(): Promise<string[] | undefined> {
    const current = await this.mutes.list();
    if (!current.length) return void notify.info(vscode.l10n.t('Nothing is muted.'));
    const pick = await vscode.window.showQuickPick(
      current.map((m) => ({ label: inert(m.key, 200), description: vscode.l10n.t('until {0}', new Date(m.until).toLocaleString()), key: m.key })),
      { title: vscode.l10n.t('Unmute alerts'), canPickMany: true },
    );
    return pick?.map((p) => p.key);
  }

  describeBudget(): string {
    const s = this.poller?.stats;
    const est = monthlyRequestEstimate(20, 20);
    return `${s ? `This window: ${this.poller!.requests} SQS requests so far (${s.receiveRequests} receives, ${s.deleteRequests} deletes). ` : ''}One window polling all day: about ${est.toLocaleString('en-US')} requests a month, ${((est / SQS_FREE_TIER_REQUESTS_PER_MONTH) * 100).toFixed(0)}% of the SQS free tier (1,000,000).`;
  }

  dispose(): void {
    clearInterval(this.timer);
    void this.stopPolling('VS Code is closing');
    this.statusChanged.dispose();
  }
}
