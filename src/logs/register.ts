// The Logs view and its commands: tail (Live Tail, or FilterLogEvents polling where it is not
// served), search over a relative range, and Logs Insights from .cwlogs files.
import * as vscode from 'vscode';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Ctx } from '../context';
import { Config } from '../config';
import { classifyAwsError } from '../aws/errors';
import { registerTreeView } from '../tree/view';
import { LogGroupNode, LogsModel, SavedQueriesNode } from './tree';
import { AccountSessions } from '../tree/accountGroup';
import type { ScopeMember } from '../aws/scope/scope';
import { LogDocuments, TAIL_SCHEME, type LogDocumentSession } from './tail/tailDocuments';
import { runTail, type TailBackfillOptions } from './tail/sources';
import { onLiveTailSession, reportLiveTailSession, type LiveTailSessionRecord } from './tail/liveTailSessions';
import { fetchNamedGroups } from './logGroups';
import { searchPage } from './search';
import { PRESET_RANGES, parseTimeRange, validateTimeRange, type TimeRange } from './timeRange';
import { newInsightsFile } from './insightsFile';
import { CWLOGS_LANGUAGE, registerInsights } from './insightsLens';
import { notify } from '../util/notify';
import { WALKTHROUGH_DONE, walkthroughStepDone } from '../util/walkthrough';

/** What the tail and search commands accept: a tree node, or a group named by another feature. */
/** `member` and `region`: the account and region of a scope of several the group is in. */
type Target = { groupName: string; groupArn: string; filterPattern?: string; member?: ScopeMember; region?: string };

export type LogTarget = LogGroupNode | { groupName: string; filterPattern?: string; groupArn?: string } | string | undefined;

export function register(ctx: Ctx): void {
  const model = new LogsModel(ctx);
  // A scope of several accounts or regions: account → region → log groups, each place's own model
  // (src/tree/accountGroup.ts).
  const logsOf = (member: ScopeMember, region?: string) => ctx.scope.client(ctx.connection, member, CloudWatchLogsClient, { region: region || undefined });
  const accounts = new AccountSessions<LogsModel>('cloudMonitor.logs', ({ member, region, node }): LogsModel => {
    const m: LogsModel = new LogsModel(ctx, { member, region, client: () => logsOf(member, region), parent: node, prefix: () => model.prefix });
    m.provider = provider;
    return m;
  }, (m) => m.roots());
  // Every account lists again under the new prefix.
  const setPrefix = (prefix: string) => {
    for (const m of accounts.made()) m.reset();
    model.setPrefix(prefix);
  };
  const roots = async () => {
    const grouped = await ctx.scope.grouping();
    return grouped ? [...accounts.roots(grouped.members, grouped.regions), new SavedQueriesNode()] : model.roots();
  };
  const { provider } = registerTreeView(ctx, 'cloudMonitor.logs', roots);
  model.provider = provider;
  ctx.own(ctx.connection.onDidChange(() => { model.reset(); accounts.clear(); }));
  const docs: LogDocuments = ctx.own(new LogDocuments({
    clock: ctx.clock,
    idleMs: () => Config.logsLiveTailIdleMinutes() * 60_000,
    onIdle: (session, hiddenSince) => {
      const target = targets.get(session);
      if (target) stopIdle(session, target, hiddenSince);
    },
  }));
  registerInsights(ctx, () => provider.refresh());

  const updateContext = () => {
    const s = docs.get(vscode.window.activeTextEditor?.document.uri);
    const value = !s ? '' : s.kind === 'tail' ? `tail+${s.state === 'stopped' ? 'stopped' : 'live'}${s.resume ? '+resumable' : ''}${s.buffer.isPretty ? '+pretty' : ''}` : `search${s.loadMore ? '+more' : ''}${s.buffer.isPretty ? '+pretty' : ''}`;
    void vscode.commands.executeCommand('setContext', 'cloudMonitor.logs.activeDoc', value);
  };
  ctx.own(vscode.window.onDidChangeActiveTextEditor(updateContext));
  ctx.own(docs.onDidChangeSession(updateContext));

  /** Resolves a group name (and its ARN, which Live Tail needs) from whatever the caller passed. */
  const resolveTarget = async (arg: LogTarget, purpose: string): Promise<Target | undefined> => {
    if (arg instanceof LogGroupNode && arg.member) return { groupName: arg.group.name, groupArn: arg.group.arn ?? '', member: arg.member, region: arg.region };
    let groupName: string | undefined;
    let groupArn: string | undefined;
    let filterPattern: string | undefined;
    if (arg instanceof LogGroupNode) ({ name: groupName, arn: groupArn } = arg.group);
    else if (typeof arg === 'string') groupName = arg;
    else if (arg && typeof arg === 'object' && typeof arg.groupName === 'string') ({ groupName, groupArn, filterPattern } = arg);
    if (!groupName) {
      const known = model.known();
      const picked = known.length
        ? await vscode.window.showQuickPick([...known.map((g) => ({ label: g.name })), { label: vscode.l10n.t('Other…'), description: vscode.l10n.t('Type a log group name') }], { title: vscode.l10n.t('{0}: choose a log group', purpose) })
        : { label: vscode.l10n.t('Other…') };
      if (!picked) return undefined;
      groupName = picked.label === vscode.l10n.t('Other…') ? (await vscode.window.showInputBox({ title: vscode.l10n.t('{0}: log group name', purpose), prompt: vscode.l10n.t('e.g. /aws/lambda/my-function') }))?.trim() : picked.label;
      if (!groupName) return undefined;
    }
    if (!groupArn) {
      const [found] = await fetchNamedGroups(ctx.connection.client(CloudWatchLogsClient), [groupName]);
      if (!found) throw Object.assign(new Error(`There is no log group named ${groupName} in ${ctx.connection.region}.`), { name: 'ResourceNotFoundException' });
      groupArn = found.arn ?? '';
    }
    return { groupName, groupArn, filterPattern };
  };

  const hhmmss = (ms: number) => new Date(ms).toISOString().slice(11, 19);

  /**
   * One run of a tail into its document: back-fill (the last minutes for a new tail, the gap for a
   * resumed one), then live. A Live Tail session that ends is reported to onLiveTailSession (the ledger).
   */
  const runInto = (session: LogDocumentSession, target: Target, backfill: TailBackfillOptions | undefined) => {
    const abort = (session.abort = new AbortController());
    session.resume = undefined;
    let liveStartedAt: number | undefined;
    let endReason = 'stopped';
    const sink = {
      events: (e: Parameters<typeof docs.push>[1]) => docs.push(session, e),
      notice: (t: string) => docs.notice(session, t),
      sessionStarted: () => { liveStartedAt ??= ctx.clock.now(); },
    };
    const client = target.member ? logsOf(target.member, target.region) : ctx.connection.client(CloudWatchLogsClient);
    // The ledger's Live Tail minutes are the group's: another account's member and region under a scope.
    const profile = target.member?.key ?? ctx.connection.profile;
    const region = target.region ?? ctx.connection.region;
    ctx.connection.scope({ dispose: () => {
      if (session.abort !== abort) return;
      docs.stop(session, 'Stopped: the AWS profile or region changed.', false, 'connection');
    } });
    const reportSession = () => {
      if (liveStartedAt === undefined) return;
      const r = reportLiveTailSession({ logGroups: [target.groupName], startedAt: liveStartedAt, endedAt: ctx.clock.now(), endReason, profile, region }, (err) => ctx.log.warn(`Live Tail session listener failed: ${(err as Error)?.message}`));
      ctx.log.info(`Live Tail session of ${target.groupName} ended (${r.endReason}): ${r.billedMinutes} billed minute${r.billedMinutes === 1 ? '' : 's'}.`);
      liveStartedAt = undefined;
    };
    // The idle stop (and Stop Tail, and closing the tab) abort the run: the session's minutes end there.
    abort.signal.addEventListener('abort', () => {
      if (typeof abort.signal.reason === 'string') endReason = abort.signal.reason;
      reportSession();
    }, { once: true });
    void runTail(client, target, sink, abort.signal, {
      mode: Config.logsTailMode(),
      poll: { intervalMs: Config.logsTailPollIntervalMs() },
      backfill,
      now: () => ctx.clock.now(),
      onMode: (mode) => {
        docs.setState(session, mode === 'poll' ? 'polling' : 'live');
        if (mode === 'poll') {
          ctx.log.info(`Tail of ${target.groupName}: Live Tail unavailable, polling FilterLogEvents.`);
          // Information, not a warning: the tail works, events arrive a few seconds later.
          vscode.window.setStatusBarMessage('$(info) Live Tail is not available here: polling FilterLogEvents instead', 8_000);
        }
      },
    }).then(
      (end) => {
        if (end === 'timeout') endReason = 'timeout';
        reportSession();
        if (session.abort === abort) docs.stop(session, end === 'timeout' ? 'Live Tail ended after its 3-hour limit. Run Tail again to continue.' : 'Stopped.');
      },
      (err: unknown) => {
        endReason = 'failed';
        reportSession();
        if (abort.signal.aborted || session.abort !== abort) return;
        ctx.log.error(`Tail of ${target.groupName} failed`, err);
        docs.stop(session, `Tail failed: ${classifyAwsError(err).message}`);
      },
    );
  };

  /** Stops a tail nobody has looked at for the idle limit; Resume picks it up where it stopped. */
  const stopIdle = (session: LogDocumentSession, target: Target, hiddenSince: number) => {
    const stoppedAt = ctx.clock.now();
    const minutes = Math.round((stoppedAt - hiddenSince) / 60_000);
    const cost = session.state === 'polling' ? 'polling FilterLogEvents goes on sending requests' : 'Live Tail is billed per minute while it runs';
    docs.stop(session, `Tail stopped at ${hhmmss(stoppedAt)} UTC: this document was not visible for ${minutes} minute${minutes === 1 ? '' : 's'} (setting cloudMonitor.logs.liveTailIdleMinutes), and ${cost}. Resume (the CodeLens above this line or the title bar) back-fills what was written meanwhile.`, true, 'idle');
    session.resume = () => {
      const resumedAt = ctx.clock.now();
      // Events ingested late can carry an earlier time: the gap is read from a minute before the stop, and
      // what is already shown is not shown again.
      const startTime = stoppedAt - 60_000;
      docs.marker(session, `Resumed at ${hhmmss(resumedAt)} UTC: back-filling from ${hhmmss(startTime)} UTC, then live.`);
      runInto(session, target, { startTime, what: 'from the gap', alreadyShown: session.buffer.events().filter((e) => e.timestamp >= startTime) });
    };
    docs.setState(session, 'stopped');
  };
  const targets = new WeakMap<LogDocumentSession, Target>();

  /** Where the group is, as the document says it: the scope member's name and the group's region, or the profile's. */
  const where = (t: Target) => `${t.member ? t.member.label : ctx.connection.profile} · ${t.region ?? ctx.connection.region}`;

  const startTail = (target: Target): LogDocumentSession => {
    const session = docs.create('tail', `${target.groupName}${target.filterPattern ? ` ${target.filterPattern}` : ''}`, Config.logsTailMaxEvents());
    targets.set(session, target);
    docs.notice(session, `Tail of ${target.groupName}${target.filterPattern ? ` filtered by ${target.filterPattern}` : ''} (${where(target)}). Close this tab to stop.`);
    const minutes = Config.logsTailBackfillMinutes();
    runInto(session, target, minutes > 0 ? { startTime: ctx.clock.now() - minutes * 60_000, what: `from the last ${minutes} minute${minutes === 1 ? '' : 's'}` } : undefined);
    return session;
  };

  ctx.command('cloudMonitor.logs.tail', async (arg?: LogTarget) => {
    const target = await resolveTarget(arg, 'Tail');
    if (!target) return undefined;
    const session = startTail(target);
    walkthroughStepDone(WALKTHROUGH_DONE.tailStarted);
    await docs.show(session);
    return session.uri.toString();
  });

  ctx.command('cloudMonitor.logs.tailWithFilter', async (arg?: LogTarget) => {
    const target = await resolveTarget(arg, 'Tail');
    if (!target) return undefined;
    const pattern = await vscode.window.showInputBox({
      title: vscode.l10n.t('Tail {0}: filter pattern', target.groupName),
      prompt: vscode.l10n.t('A CloudWatch Logs filter pattern, e.g. ERROR, "timed out", or { $.level = "error" }. Empty for every event.'),
      value: target.filterPattern ?? '',
    });
    if (pattern === undefined) return undefined;
    const session = startTail({ ...target, filterPattern: pattern.trim() || undefined });
    await docs.show(session);
    return session.uri.toString();
  });

  const askRange = async (): Promise<TimeRange | undefined> => {
    const items = [...PRESET_RANGES.map((r) => ({ label: r, description: ({ '15m': vscode.l10n.t('the last 15 minutes'), '1h': vscode.l10n.t('the last hour'), '1d': vscode.l10n.t('the last day') } as const)[r] })), { label: vscode.l10n.t('Custom…'), description: vscode.l10n.t('2h30m, 3d, or START..END (ISO-8601, "now", "2h ago")') }];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Search: time range') });
    if (!picked) return undefined;
    const text = picked.label === vscode.l10n.t('Custom…') ? await vscode.window.showInputBox({ title: vscode.l10n.t('Search: time range'), prompt: vscode.l10n.t('e.g. 6h, 2d, 2025-01-01T00:00..2025-01-02T00:00, 3h ago..1h ago'), validateInput: validateTimeRange }) : picked.label;
    return text ? parseTimeRange(text) : undefined;
  };

  ctx.command('cloudMonitor.logs.search', async (arg?: LogTarget, pattern?: string, rangeText?: string) => {
    const target = await resolveTarget(arg, 'Search');
    if (!target) return undefined;
    const filterPattern = typeof pattern === 'string' ? pattern : await vscode.window.showInputBox({ title: vscode.l10n.t('Search {0}: filter pattern', target.groupName), prompt: vscode.l10n.t('A CloudWatch Logs filter pattern; empty for every event.'), value: target.filterPattern ?? '' });
    if (filterPattern === undefined) return undefined;
    const range = typeof rangeText === 'string' ? parseTimeRange(rangeText) : await askRange();
    if (!range) return undefined;
    const session = docs.create('search', `${target.groupName}${filterPattern ? ` ${filterPattern}` : ''} ${range.label}`, Config.logsTailMaxEvents());
    docs.notice(session, `Search of ${target.groupName} (${where(target)}) for ${filterPattern || 'every event'} from ${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()} (${range.label}).`);
    const client = target.member ? logsOf(target.member, target.region) : ctx.connection.client(CloudWatchLogsClient);
    let nextToken: string | undefined;
    const load = async () => {
      const page = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Searching {0}', target.groupName) }, () =>
        searchPage(client, { groupName: target.groupName, filterPattern: filterPattern.trim() || undefined, range, nextToken }, { signal: session.abort.signal }));
      nextToken = page.nextToken;
      docs.push(session, page.events);
      session.loadMore = nextToken ? load : undefined;
      if (!nextToken) {
        docs.notice(session, `${session.buffer.total} matching event${session.buffer.total === 1 ? '' : 's'}: the whole range has been searched.`);
        docs.setState(session, 'done');
      } else docs.setState(session, 'live');
    };
    await load();
    await docs.show(session);
    return session.uri.toString();
  });

  const activeSession = (uri?: vscode.Uri) => {
    const s = docs.get(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri);
    if (!s) throw new Error('Open a tail or search document first.');
    return s;
  };
  ctx.command('cloudMonitor.logs.searchLoadMore', async (uri?: vscode.Uri) => {
    const s = activeSession(uri);
    if (!s.loadMore) return notify.info(vscode.l10n.t('Every matching event in the range is already shown.'));
    return s.loadMore();
  });
  ctx.command('cloudMonitor.logs.togglePrettyJson', (uri?: vscode.Uri) => {
    const s = activeSession(uri);
    docs.setPretty(s, !s.buffer.isPretty);
    return s.buffer.isPretty;
  });
  ctx.command('cloudMonitor.logs.stopTail', (uri?: vscode.Uri) => {
    docs.stop(activeSession(uri));
  });
  ctx.command('cloudMonitor.logs.resumeTail', (uri?: vscode.Uri | string) => {
    const s = activeSession(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri);
    if (!s.resume) return notify.info(s.state === 'stopped' ? vscode.l10n.t('This tail cannot be resumed: run Tail again.') : vscode.l10n.t('This tail is running.'));
    s.resume();
    return s.uri.toString();
  });
  // One click to resume a tail stopped while nobody watched: a CodeLens on the line that says so.
  const lensesChanged = new vscode.EventEmitter<void>();
  ctx.own(lensesChanged);
  ctx.own(docs.onDidChangeSession(() => lensesChanged.fire()));
  ctx.own(vscode.languages.registerCodeLensProvider({ scheme: TAIL_SCHEME }, {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses: (doc) => {
      const s = docs.get(doc.uri);
      const last = s?.resume && docs.markers(doc.uri).filter((m) => m.text.startsWith('# Tail stopped at')).at(-1);
      if (!last || last.line >= doc.lineCount) return [];
      return [new vscode.CodeLens(new vscode.Range(last.line, 0, last.line, 0), { title: vscode.l10n.t('$(debug-start) Resume tail (back-fills the gap)'), command: 'cloudMonitor.logs.resumeTail', arguments: [doc.uri] })];
    },
  }));
  ctx.command('cloudMonitor.logs.filter', async () => {
    const prefix = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter log groups by name prefix'), prompt: vscode.l10n.t('e.g. /aws/lambda/ (empty to show all)'), value: model.prefix });
    if (prefix !== undefined) setPrefix(prefix);
  });
  ctx.command('cloudMonitor.logs.clearFilter', () => setPrefix(''));
  ctx.command('cloudMonitor.logs.refresh', () => {
    model.reset();
    for (const m of accounts.made()) m.reset();
    provider.refresh();
  });
  ctx.command('cloudMonitor.logs.newInsightsQuery', async (node?: LogGroupNode) => {
    const groups = node instanceof LogGroupNode ? [node.group.name] : model.known().slice(0, 1).map((g) => g.name);
    // Another account's group: the file names that account, so the query runs there (src/logs/insightsLens.ts).
    // A group under a region's node: the file names that region too, so the query runs there and not in the connection's.
    const member = node instanceof LogGroupNode ? node.member : undefined;
    const region = node instanceof LogGroupNode ? node.region : undefined;
    const doc = await vscode.workspace.openTextDocument({ language: CWLOGS_LANGUAGE, content: newInsightsFile(groups.length ? groups : ['/aws/lambda/your-function'], '1h', member, region) });
    await vscode.window.showTextDocument(doc);
    return doc.uri.toString();
  });
  // Test hook, only under the test harness's flag: what a log document holds, for tests and the bench.
  if (process.env.CLOUD_MONITOR_TEST === '1') {
    // What the ledger would have been told: every Live Tail session that ended.
    const ended: LiveTailSessionRecord[] = [];
    ctx.own(onLiveTailSession((r) => ended.push(r)));
    ctx.command('cloudMonitor.logs.documentInfo', (uri?: string) => {
      const s = docs.get(uri ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri);
      return s && { kind: s.kind, state: s.state, events: s.buffer.size, total: s.buffer.total, dropped: s.buffer.dropped, pretty: s.buffer.isPretty, resumable: !!s.resume, updates: docs.updates, scheme: TAIL_SCHEME, liveTailSessions: ended };
    });
  }
}
