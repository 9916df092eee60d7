import * as vscode from 'vscode';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Ctx } from '../context';
import { Config } from '../config';
import type { ClassifiedError } from '../aws/errors';
import { InfoNode, type TreeNode } from '../tree/nodes';
import { registerTreeView } from '../tree/view';
import type { Generation } from './apiV2';
import { fetchOne, fetchPage, Generations, loadFindings } from './source';
import { v2StatusText } from './ocsf';
import { DETAIL_VIEW_TYPE, FindingDetailPanels } from './detailPanel';
import { countsByBucket, findingPickItem, groupFindings, keyOf, matchesFilters, severitiesFrom, SEVERITIES, WORKFLOW_TARGETS, type FilterSettings, type FindingSummary, type WorkflowTarget } from './model';
import { addSeen, choicesToStore, describeFilters, isFiltered, NO_FILTERS, readFilters, seenFromStore, type WorkflowStatus, type WorkspaceFindingFilters } from './filters';
import { pickFilters } from './filterPick';
import { consoleRegion, findingConsoleUrl, securityHubConsoleUrl } from './consoleUrl';
import { FindingNode, ResourceNode, rootNodes, SeverityNode } from './tree';
import { ROWS_PER_PAGE, ShownPages } from '../tree/paging';
import { notify } from '../util/notify';
import { AccountFindings } from './accounts';
import { inert } from '../util/inert';
import { MAX_FINDINGS_PER_UPDATE } from './api';
import type { ScopeMember } from '../aws/scope/scope';
import { triageAcrossAccounts, triagePlan } from './triageScope';
import { setKept } from '../util/keptUpdate';

export const VIEW_ID = 'cloudMonitor.findings';
/** workspaceState key of the view's filters (per workspace, kept across reloads). */
export const FILTERS_KEY = 'cloudMonitor.findings.filters';
export const FILTER_CHOICES_KEY = 'cloudMonitor.findings.filterChoices';

interface LoadedState { findings: FindingSummary[]; nextToken?: string; notEnabled?: ClassifiedError; generation: Generation; filling?: boolean }

/** Findings in the first answer: one GetFindings page, so the first rows show after one request; the rest follow. */
const FIRST_PAGE = 100;

const STATUS_PICKS: Record<WorkflowTarget, string> = {
  NOTIFIED: 'The resource owner has been told; the finding stays open.',
  RESOLVED: 'Fixed, or judged not to be an issue. Leaves this view.',
  SUPPRESSED: 'Reviewed; no action will be taken. Leaves this view.',
};

/** The Findings view: Security Hub findings by severity and resource, detail panels and triage. */
export function register(ctx: Ctx): void {
  const { connection } = ctx;
  const hub = () => connection.client(SecurityHubClient);
  let filters = readFilters(ctx.extension.workspaceState.get(FILTERS_KEY));
  const settings = (): FilterSettings => ({ severityFloor: Config.findingsSeverityFloor(), productName: Config.findingsProductName(), ...filters });
  const scope = () => `findings|${connection.profile}|${connection.region}`;
  /**
   * Products, resource types and accounts seen in this connection's loads, plus those offered when the
   * saved filters were set (a reload loads only the filtered findings): what Filter Findings offers.
   */
  const storedSeen = () => seenFromStore(ctx.extension.workspaceState.get(FILTER_CHOICES_KEY), scope());
  let seen = storedSeen();
  let state: LoadedState | undefined;
  let loading: Promise<LoadedState> | undefined;

  const { provider, view } = registerTreeView(ctx, VIEW_ID, () => roots(), { canSelectMany: true });

  const statusWord = (w: WorkflowStatus) => (state?.generation.kind === 'v2' ? v2StatusText(w as WorkflowTarget) ?? 'New' : w);

  /** The view's description: what is shown (settings and workspace filters); values are made inert. */
  function filterText(s = settings()): string {
    const sev = severitiesFrom(s.severityFloor);
    const severity = s.severities?.length ? s.severities.join(', ') : sev.length === SEVERITIES.length ? 'all severities' : `${sev[sev.length - 1]} and above`;
    const open = s.workflow?.length ? s.workflow.map((w) => statusWord(w as WorkflowStatus)).join(', ') : state?.generation.kind === 'v2' ? 'New or In Progress' : 'NEW or NOTIFIED';
    const products = s.products?.length ? s.products.join(', ') : s.productName || undefined;
    return inert([severity, open, products, ...(s.resourceTypes ?? []), ...(s.accounts ?? [])].filter(Boolean).join(' · '), 300);
  }

  async function setFilters(next: WorkspaceFindingFilters): Promise<void> {
    filters = readFilters(next);
    await setKept(ctx.extension.workspaceState, FILTERS_KEY, isFiltered(filters) ? filters : undefined);
    await setKept(ctx.extension.workspaceState, FILTER_CHOICES_KEY, isFiltered(filters) ? choicesToStore(scope(), seen, filters) : undefined);
    showFilterState();
    reset();
    provider.refresh();
  }

  /** The context key for Clear Filters, and the view's message naming what is filtered. */
  function showFilterState(): void {
    void vscode.commands.executeCommand('setContext', 'cloudMonitor.findings.filtered', isFiltered(filters));
    view.message = isFiltered(filters) ? `Filtered: ${describeFilters(filters, statusWord)}` : undefined;
  }
  showFilterState();

  /** The single profile's generation (DescribeSecurityHubV2), checked once per connection and region until Refresh. */
  const generations = new Generations();
  function load(): Promise<LoadedState> {
    loading ??= (async () => {
      const h = hub();
      const loaded = await loadFindings(h, settings(), { max: Math.min(FIRST_PAGE, Config.findingsMaxResults()), generation: generations.of(String(connection.region), h) });
      addSeen(seen, loaded.findings);
      const g = loaded.generation;
      if (g.kind === 'v2') ctx.log.info(`Findings: Security Hub (2025 generation) is enabled in ${connection.region}: reading OCSF findings with GetFindingsV2`);
      else if (g.v2Unknown) ctx.log.info(`Findings: could not check for Security Hub (2025 generation): ${g.v2Unknown.code ?? g.v2Unknown.kind}: ${g.v2Unknown.message}; reading Security Hub CSPM`);
      return loaded;
    })().finally(() => (loading = undefined));
    return loading;
  }

  // A scope of several accounts or regions: account → region → severity → resource → finding (src/findings/accounts.ts).
  const byAccount = new AccountFindings({
    viewId: VIEW_ID, hub: (member, region) => ctx.scope.client(connection, member, SecurityHubClient, { region: region || undefined }),
    settings, filterText: () => filterText(), filtered: () => isFiltered(filters), maxResults: () => Math.min(FIRST_PAGE, Config.findingsMaxResults()),
    pages: new ShownPages(ROWS_PER_PAGE, () => provider.refresh()), refresh: (n) => provider.refresh(n),
    loaded: (found) => addSeen(seen, found), log: (m) => ctx.log.info(m),
  });
  /** The region a finding was read in under a scope of several regions: triage and its confirmation split by it. */
  const regionOf = (f: FindingSummary) => byAccount.placeOf(f)?.region;

  /**
   * The scope member a finding was read through (another account of a multi-account scope). A member no longer
   * in the scope (the scope changed since) is an error, never a silent fall back to the profile's account.
   */
  async function memberOf(key: string): Promise<ScopeMember> {
    const m = (await ctx.scope.members()).find((x) => x.key === key);
    if (!m) throw Object.assign(new Error(vscode.l10n.t('Its account ({0}) is no longer in the scope: select a scope that holds it, then try again.', inert(key, 200))), { name: 'NotInScope' });
    return m;
  }
  /**
   * The Security Hub client of a finding's account and region: its member's in the region of the node it was
   * read under (BatchUpdateFindings and GetFindings act in the finding's own region), else the profile's.
   */
  async function hubFor(member: string | undefined, region?: string): Promise<SecurityHubClient> {
    return member ? ctx.scope.client(connection, await memberOf(member), SecurityHubClient, { region: region || undefined }) : hub();
  }
  /** Who writes a triage note in that account: its caller ARN (STS GetCallerIdentity, free). */
  async function callerArn(member: string | undefined): Promise<string | undefined> {
    if (!member) return (await connection.identity()).arn || undefined;
    const sts = ctx.scope.client(connection, await memberOf(member), STSClient);
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  }
  /** "Data Dev (222222222222)" for a member key; the profile's name for undefined. Outside text: made inert. */
  async function accountLabel(member: string | undefined): Promise<string> {
    if (!member) return inert(vscode.l10n.t('profile {0}', String(connection.profile)), 200);
    const m = (await ctx.scope.members().catch(() => [])).find((x) => x.key === member);
    if (!m) return inert(member, 200);
    return inert(m.accountId && m.accountId !== m.label ? `${m.label} (${m.accountId})` : m.label, 200);
  }

  async function roots(): Promise<TreeNode[]> {
    const grouped = await ctx.scope.grouping();
    if (grouped) return byAccount.roots(grouped.members, grouped.regions);
    if (!state) {
      state = await load();
      changed(false);
      void fillUp(state);
    }
    if (state.notEnabled) {
      return [
        new InfoNode(`${scope()}/notEnabled`, vscode.l10n.t('Security Hub is not enabled in {0}', String(connection.region)), { icon: 'info', tooltip: state.notEnabled.message, contextValue: 'findingsNotEnabled' }),
        new InfoNode(`${scope()}/enable`, vscode.l10n.t('Enable Security Hub in the AWS console…'), { icon: 'link-external', command: { command: 'cloudMonitor.findings.enableSecurityHub', title: vscode.l10n.t('Enable Security Hub') } }),
      ];
    }
    // No Load more while the rest of the first load is still coming in (it holds the page token).
    const more = state.nextToken && !state.filling ? () => loadMore() : undefined;
    return rootNodes(scope(), groupFindings(state.findings), more, filterText(), isFiltered(filters), pages);
  }

  /**
   * After the first page is shown: the rest of the first load (up to cloudMonitor.findings.maxResults), in
   * the background once every open view has drawn its first rows (src/tree/rootLoads.ts), then one redraw.
   * Dropped if the view was reset meanwhile.
   */
  async function fillUp(loaded: LoadedState): Promise<void> {
    const max = Config.findingsMaxResults();
    if (!loaded.nextToken || loaded.notEnabled || loaded.findings.length >= max) return;
    loaded.filling = true;
    try {
      await connection.rootLoads.idle();
      if (state !== loaded) return;
      const page = await fetchPage(hub(), loaded.generation, settings(), { max: max - loaded.findings.length, nextToken: loaded.nextToken });
      if (state !== loaded) return;
      const have = new Set(loaded.findings.map(keyOf));
      const fresh = page.findings.filter((f) => !have.has(keyOf(f)));
      loaded.findings.push(...fresh);
      addSeen(seen, fresh);
      loaded.nextToken = page.nextToken;
    } catch (err) {
      // The first page stays; Load more asks again from where it stopped.
      ctx.log.error('Findings: loading past the first page failed', err);
    } finally {
      loaded.filling = false;
    }
    if (state === loaded) changed(true);
  }

  async function loadMore(): Promise<void> {
    if (!state?.nextToken) return;
    const page = await fetchPage(hub(), state.generation, settings(), { max: Config.findingsMaxResults(), nextToken: state.nextToken });
    addSeen(seen, page.findings);
    const known = new Set(state.findings.map(keyOf));
    state.findings.push(...page.findings.filter((f) => !known.has(keyOf(f))));
    state.nextToken = page.nextToken;
    changed(true);
  }

  /** Badge, description, the Buckets view's counts, and (optionally) the tree, all from memory. */
  function changed(refreshTree: boolean): void {
    // Under a multi-account scope a load of the profile's (one that was under way at the switch) counts nothing shown.
    if (ctx.scope.spec.kind !== 'profile') {
      view.badge = undefined;
      view.description = filterText();
      if (refreshTree) provider.refresh();
      return;
    }
    const n = state?.findings.length ?? 0;
    view.badge = state && !state.notEnabled && n ? { value: n, tooltip: (n === 1 ? vscode.l10n.t('{0}{1} active finding ({2})', n, state.nextToken ? '+' : '', filterText()) : vscode.l10n.t('{0}{1} active findings ({2})', n, state.nextToken ? '+' : '', filterText())) } : undefined;
    // The count is on the badge and the group labels; the description says what is shown.
    view.description = state?.notEnabled ? vscode.l10n.t('not enabled') : state?.nextToken ? vscode.l10n.t('{0} · more to load', filterText()) : filterText();
    if (state) void vscode.commands.executeCommand('cloudMonitor.buckets.setFindingCounts', countsByBucket(state.findings));
    if (refreshTree) provider.refresh();
  }

  const pages = new ShownPages(ROWS_PER_PAGE, () => provider.refresh());
  function reset(): void {
    state = undefined;
    byAccount.reset();
    pages.reset();
    view.badge = undefined;
    view.description = undefined;
  }
  ctx.own(connection.onDidChange(() => {
    seen = storedSeen();
    generations.clear();
    byAccount.forget();
    reset();
    showFilterState();
  }));

  /** Sets the workflow status on findings; updates the tree in place, reports each failure. */
  async function triage(findings: FindingSummary[], status: WorkflowTarget, noteText: string): Promise<{ ok: boolean; message: string }> {
    if (!findings.length) return { ok: false, message: vscode.l10n.t('No findings selected.') };
    const text = noteText.trim();
    // One GetCallerIdentity per account at most: the note's author there.
    const arns = new Map<string | undefined, Promise<string | undefined>>();
    const updatedBy = (m: string | undefined) => {
      let p = arns.get(m);
      if (!p) arns.set(m, (p = callerArn(m).catch(() => undefined)));
      return p;
    };
    // A V2 account's console says "In Progress" where CSPM says NOTIFIED: messages use the finding's word.
    const word = findings.every((f) => f.source === 'v2') ? v2StatusText(status) : status;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: findings.length === 1 ? vscode.l10n.t('Setting {0} on 1 finding', word) : vscode.l10n.t('Setting {0} on {1} findings', word, findings.length), cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        let reported = 0;
        const onProgress = (done: number, total: number) => {
          progress.report({ increment: ((done - reported) / total) * 100, message: vscode.l10n.t('{0} of {1}', done, total) });
          reported = done;
        };
        // Each account's (and region's) findings go to its own Security Hub, with its own credentials (src/findings/triageScope.ts).
        return triageAcrossAccounts(findings, status, text, { hub: hubFor, updatedBy, regionOf }, { signal: ac.signal, onProgress });
      },
    );
    const byKey = new Map(findings.map((f) => [keyOf(f), f]));
    const now = new Date().toISOString();
    for (const k of result.processed) {
      const f = byKey.get(keyOf(k));
      if (!f) continue;
      f.workflowStatus = status;
      if (f.source === 'v2') f.statusText = v2StatusText(status);
      f.lastError = undefined;
      // V2 keeps the note as a bare comment (no author or time).
      if (text) f.note = f.source === 'v2' ? { text, updatedBy: '', updatedAt: '' } : { text, updatedBy: (await updatedBy(f.member)) || 'Cloud Monitor for VS Code', updatedAt: now };
      panels.update(f);
    }
    for (const fail of result.failed) {
      const f = byKey.get(keyOf(fail.key));
      ctx.log.warn(`Findings: could not set ${status} on "${f?.title ?? fail.key.id}" (${fail.key.id}): ${fail.code}: ${fail.message}`);
      if (f) f.lastError = `${fail.code}: ${fail.message}`;
    }
    if (state) state.findings = state.findings.filter((f) => matchesFilters(f, settings()));
    await byAccount.prune((f) => matchesFilters(f, settings()));
    changed(true);
    const ok = result.processed.length;
    if (!result.failed.length) {
      ctx.log.info(`Findings: set ${status} on ${ok} finding(s) in ${result.calls} BatchUpdateFindings${findings.some((f) => f.source === 'v2') ? '(V2)' : ''} call(s)${result.accounts > 1 ? ` across ${result.accounts} accounts` : ''}`);
      return { ok: true, message: ok === 1 ? vscode.l10n.t('Set {0} on 1 finding.', word) : vscode.l10n.t('Set {0} on {1} findings.', word, ok) };
    }
    const first = result.failed[0];
    const firstTitle = byKey.get(keyOf(first.key))?.title ?? first.key.id;
    return { ok: false, message: vscode.l10n.t('Set {0} on {1} of {2}; {3} failed (first: "{4}": {5}: {6}). Each failure is in the log.', word, ok, findings.length, result.failed.length, firstTitle, first.code, first.message) };
  }

  const panels = ctx.own(new FindingDetailPanels({
    extensionUri: ctx.extension.extensionUri,
    // A restored panel asks the finding's own account (its scope member), as triage from the panel does.
    load: async (key) => {
      await connection.settled();
      const f = await fetchOne(await hubFor(key.member, byAccount.placeOf(key)?.region), key);
      if (f && key.member) f.member = key.member;
      return f;
    },
    triage,
    revealBucket: async (bucket) => !!(await vscode.commands.executeCommand<boolean>('cloudMonitor.buckets.reveal', bucket)),
    openInConsole: async (f) => !!(await openInConsole(f)),
    log: (m) => ctx.log.warn(m),
  }));
  ctx.serializer(DETAIL_VIEW_TYPE, panels);

  function findingsOf(nodes: unknown[]): FindingSummary[] {
    const out = new Map<string, FindingSummary>();
    for (const n of nodes) {
      if (n instanceof FindingNode || n instanceof ResourceNode || n instanceof SeverityNode) for (const f of n.findings()) out.set(keyOf(f), f);
    }
    return [...out.values()];
  }

  async function pickFindings(canPickMany: boolean): Promise<FindingSummary[]> {
    // Under a multi-account scope: what the expanded accounts loaded (each acted on in its own account).
    const multi = await ctx.scope.isMulti();
    if (!multi && !state) {
      // A picker lists the whole first load, not one page.
      state = await load();
      await fillUp(state);
    }
    const items = (multi ? await byAccount.findings() : state?.findings ?? []).map((f) => ({ ...findingPickItem(f), finding: f }));
    if (!items.length) {
      void notify.info(vscode.l10n.t('No findings loaded.'));
      return [];
    }
    if (canPickMany) return ((await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Choose findings'), canPickMany: true, matchOnDescription: true })) ?? []).map((i) => i.finding);
    const one = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Open finding'), matchOnDescription: true });
    return one ? [one.finding] : [];
  }

  ctx.command('cloudMonitor.findings.refresh', () => {
    // Only an explicit Refresh asks again where each account's findings are gathered, and which generation
    // serves it (not every redraw or filter change).
    generations.clear();
    byAccount.detectAgain();
    reset();
    provider.refresh();
  });

  ctx.command('cloudMonitor.findings.openDetail', async (node?: FindingNode) => {
    const f = node instanceof FindingNode ? node.finding : (await pickFindings(false))[0];
    if (f) panels.show(f);
  });

  // From a tree menu: (clicked node, selected nodes). From code: a third argument may give the status and note.
  ctx.command('cloudMonitor.findings.setWorkflowStatus', async (node?: unknown, selected?: unknown[], preset?: { status?: WorkflowTarget; note?: string }) => {
    let findings = findingsOf(selected?.length ? selected : node ? [node] : []);
    if (!findings.length) findings = await pickFindings(true);
    if (!findings.length) return undefined;
    let status = preset?.status;
    if (!status || !WORKFLOW_TARGETS.includes(status)) {
      const pick = await vscode.window.showQuickPick(WORKFLOW_TARGETS.map((s) => ({ label: s, detail: STATUS_PICKS[s] })), { title: vscode.l10n.t('Set workflow status of {0} finding{1}', findings.length, findings.length === 1 ? '' : 's') });
      if (!pick) return undefined;
      status = pick.label;
    }
    let note = preset?.note;
    if (note === undefined) {
      note = await vscode.window.showInputBox({ title: vscode.l10n.t('Note for {0} (optional)', status), prompt: vscode.l10n.t('Saved with the findings in Security Hub. Leave empty for none.'), validateInput: (v) => (v.length > 512 ? vscode.l10n.t('At most 512 characters') : undefined) });
      if (note === undefined) return undefined;
    }
    if (findings.length > 1 && !(await confirmBulk(findings, status))) return undefined;
    const r = await triage(findings, status, note);
    if (r.ok) vscode.window.setStatusBarMessage(r.message, 5000);
    else void notify.warn(r.message, vscode.l10n.t('Show Log')).then((p) => p && ctx.log.show());
    return r;
  });

  /**
   * A change to more than one finding is confirmed in a modal that says how many will change and, when they
   * are another account's or several accounts', how many in each account and in how many calls (one account's
   * calls carry only its own findings, signed with its own credentials).
   */
  async function confirmBulk(findings: FindingSummary[], status: WorkflowTarget): Promise<boolean> {
    const word = findings.every((f) => f.source === 'v2') ? v2StatusText(status) : status;
    const already = findings.filter((f) => f.workflowStatus === status).length;
    // Counted as triageAcrossAccounts sends them: per account × region (each region has its own Security Hub).
    const plan = triagePlan(findings, regionOf);
    const calls = plan.calls;
    const button = `Set ${word} on ${findings.length} Findings`;
    const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
    let detail = `${findings.length - already} finding${findings.length - already === 1 ? '' : 's'} will change${already ? ` (${already} already ${word}, sent again)` : ''}, in ${calls} call${calls === 1 ? '' : 's'} to Security Hub (at most ${MAX_FINDINGS_PER_UPDATE} findings per call). Findings it cannot update are listed in the log and marked in the view.`;
    if (plan.accounts.length > 1 || plan.accounts[0]?.member) {
      const lines = await Promise.all(plan.accounts.map(async (a) => {
        const n = a.findings;
        const c = a.calls;
        return `• ${await accountLabel(a.member)}: ${n} ${plural(n, 'finding', 'findings')}${a.regions > 1 ? ` in ${a.regions} regions` : ''}, ${c} ${plural(c, 'call', 'calls')}`;
      }));
      detail += `\n\n${plan.accounts.length > 1 ? `In ${plan.accounts.length} accounts, each with its own credentials:` : 'In one account, with its own credentials:'}\n${lines.join('\n')}`;
    }
    return (await notify.warn(vscode.l10n.t('Set the workflow status of {0} findings to {1}?', findings.length, word), { modal: true, detail }, button)) === button;
  }

  ctx.command('cloudMonitor.findings.filter', async (_node?: unknown, preset?: Partial<WorkspaceFindingFilters>) => {
    // From code (tests, other views): the filters to set; from the palette or the view: a quick pick.
    const next = preset && typeof preset === 'object' ? { ...NO_FILTERS, ...preset } : await pickFilters(filters, seen);
    if (!next) return undefined;
    await setFilters(next);
    return filters;
  });

  ctx.command('cloudMonitor.findings.clearFilters', async () => {
    await setFilters(NO_FILTERS);
    return filters;
  });

  /**
   * The finding's page in the Security Hub console of its own region and partition (the finding's Region, so
   * another account's finding opens where that account has it; the connection's region when it has none). The
   * URL is built to survive Uri.parse and the opener's encodeURI(uri.toString(true)) unchanged (consoleUrl.ts),
   * so the console gets the finding id double-encoded as it reads it.
   */
  async function openInConsole(f: FindingSummary): Promise<string | undefined> {
    // A finding of a region node opens in that region's console; else the finding's own region.
    const region = byAccount.placeOf(f)?.region || consoleRegion(f, connection.region);
    const url = findingConsoleUrl(f, region);
    if (!url) {
      void notify.warn(vscode.l10n.t("No public AWS console for region {0}: open the finding from your partition's console.", inert(region, 40)));
      return undefined;
    }
    ctx.log.info(`Findings: opening the Security Hub console for finding ${inert(f.id, 300)}${f.member ? ` of ${await accountLabel(f.member)}` : ''}`);
    // The console opens in whichever account the browser is signed in to: say whose finding this is.
    if (f.member) vscode.window.setStatusBarMessage(vscode.l10n.t('Opening the console for a finding of {0}: sign in to that account there if asked.', await accountLabel(f.member)), 8000);
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
    return url;
  }

  ctx.command('cloudMonitor.findings.openInConsole', async (node?: unknown) => {
    const f = node instanceof FindingNode ? node.finding : (await pickFindings(false))[0];
    return f ? openInConsole(f) : undefined;
  });

  ctx.command('cloudMonitor.findings.revealBucket', async (node?: FindingNode | ResourceNode) => {
    const bucket = node instanceof FindingNode || node instanceof ResourceNode ? node.bucket : undefined;
    if (!bucket) return false;
    return vscode.commands.executeCommand('cloudMonitor.buckets.reveal', bucket);
  });

  // The console of the connection's partition (console.amazonaws.cn, console.amazonaws-us-gov.com, …), as Open in Console.
  ctx.command('cloudMonitor.findings.enableSecurityHub', async () => {
    const region = connection.region ?? 'us-east-1';
    const url = securityHubConsoleUrl(region);
    if (!url) {
      void notify.warn(vscode.l10n.t('No public AWS console for region {0}: enable Security Hub from your partition\'s console.', inert(region, 40)));
      return undefined;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
    return url;
  });

  ctx.own(vscode.workspace.onDidChangeConfiguration((e) => {
    if (Config.affects(e, 'findings')) {
      reset();
      provider.refresh();
    }
  }));
}
