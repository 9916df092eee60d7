// Costs across the accounts of a scope (src/aws/scope) without multiplying Cost Explorer charges. No vscode
// import: the integration tests and the accounts bench drive this same code.
//
// Cost Explorer in the management (payer) account of an AWS Organization answers for every member account;
// in a member account it answers for that account alone. So:
// - when the scope holds an account known to be a payer, ONE GetCostAndUsage grouped by LINKED_ACCOUNT (the
//   headline grouping, service + account, per contiguous run of months as today) from that account serves
//   every account of the scope; the request is made with the payer's credentials and recorded under it;
// - otherwise each account is asked for its own costs, one request each, and the price of that (N requests)
//   is known and shown before asking.
// How a payer becomes known, before any Cost Explorer request: Organizations' DescribeOrganization (free), asked
// with each member's own credentials (once per member, cached), names the organization's management account
// (MasterAccountId); when that account is in the scope it is remembered (globally: a management account stays
// one) and serves the scope alone, so even the first load is one request. Where Organizations cannot tell
// (AccessDenied, AWSOrganizationsNotInUseException, or any other failure), the payer is still learnt from Cost
// Explorer's own answer: an answer grouped by LINKED_ACCOUNT that lists any account other than the caller's
// comes from a management account (a member account only sees its own costs). While no payer is known, the
// accounts are asked one at a time and the asking stops at the first payer's answer: never more requests than
// the per-account price shown before asking.
import { accountCount, type ScopeMember } from '../aws/scope/scope';
import { errorText } from './service';
import { monthToDate, samePointLastMonth, addMonths, monthOf, type Day, type Month } from './dates';
import { change, roundCents, topN, total, totalsBy, type Change, type CostMetric, type CostRow } from './math';
import { HEADLINE_GROUPING, groupingFor, overviewMonths, scopedTo, type FetchMode, type FilterId } from './plan';
import { NotCachedError, type CostStore, type MonthsResult } from './store';
import { inert } from '../util/inert';
import { l10n } from '../util/l10n';

/** Where an account's key sits in the headline grouping's Keys (service, account). */
const ACCOUNT_KEY = groupingFor('LINKED_ACCOUNT').keyIndex;
const SERVICE_KEY = groupingFor('SERVICE').keyIndex;

export interface KnownPayers {
  /** Account ids seen answering for other accounts. */
  ids(): readonly string[];
  /** `how`: named by Organizations, or seen answering for other accounts in Cost Explorer. */
  remember(accountId: string, how: 'organizations' | 'costExplorer'): void | Promise<void>;
}

export interface ScopeCostsDeps {
  members(): Promise<ScopeMember[]>;
  /** The Cost Explorer store of one member: its own client (credentials, ledger account), cache scope and consent gate. */
  storeFor(member: ScopeMember): CostStore;
  payers: KnownPayers;
  /** A member's account id: the portal's, or (a profile) from STS. Undefined when it cannot be known. */
  accountOf(member: ScopeMember): Promise<string | undefined>;
  /**
   * The management account of the member's organization, asked with the member's credentials
   * (organizations:DescribeOrganization's MasterAccountId; free). Throws as the SDK does; absent, the payer is
   * learnt from Cost Explorer's answers only.
   */
  managementAccountOf?(member: ScopeMember): Promise<string | undefined>;
  today(): Day;
}

/** Organizations' answers that stay true for the member: it may not ask, or it is in no organization. */
const ORGANIZATION_UNKNOWABLE = new Set(['AccessDenied', 'AccessDeniedException', 'AWSOrganizationsNotInUseException']);

/**
 * The dashboard's notice under a payer-served scope: every account from the management account, and the members
 * whose account id could not be read named as not shown (a warning). Labels are outside text (account names
 * from the SSO portal, profile names): made inert and short; the webview shows the notice as text.
 */
export function payerScopeNote(payer: { label: string; account: string }, accountIds: number, unknown: readonly string[]): { kind: 'info' | 'warning'; text: string } {
  const every = l10n.t('Every account of the scope ({0}), from the management account {1} ({2}): its Cost Explorer answers for the accounts of its organization, asked for these accounts only, and each request is recorded under it.', accountIds, inert(payer.label, 100), payer.account);
  const missing = unknown.length ? ` ${l10n.t('Not shown: {0}, whose account id could not be read (Refresh tries again).', unknown.map((l) => inert(l, 60)).join(', '))}` : '';
  return { kind: unknown.length ? 'warning' : 'info', text: every + missing };
}

export type CostPlan =
  | { kind: 'payer'; payer: ScopeMember; payerAccount: string }
  | { kind: 'perAccount'; accounts: number };

export interface AccountCosts {
  member: ScopeMember;
  accountId?: string;
  unit: string;
  monthToDate: number;
  samePointLastMonth: number;
  change: Change;
  lastMonth: { month: Month; total: number };
  /** Top services this month to date. */
  services: { name: string; amount: number }[];
  /** The payer's answer, or the account's own. */
  servedBy: 'payer' | 'own';
  /** The payer's answer lists no cost of this account (no cost yet, or not in the payer's organization). */
  absentFromPayer?: boolean;
  /** Not cached and not asked (no consent, automatic refresh off): Refresh loads it. */
  notLoaded?: boolean;
  fetchedAt: number;
  error?: string;
}

export interface ScopeCostsView { plan: CostPlan; accounts: AccountCosts[]; metric: CostMetric }

interface Resolved { member: ScopeMember; accountId?: string }

export class ScopeCosts {
  /** DescribeOrganization's answer per member key: asked once (a transient failure is asked again next time). */
  private readonly organizations = new Map<string, Promise<string | undefined>>();

  constructor(private readonly deps: ScopeCostsDeps) {}

  private managementAccountOf(member: ScopeMember): Promise<string | undefined> {
    const ask = this.deps.managementAccountOf;
    if (!ask) return Promise.resolve(undefined);
    let p = this.organizations.get(member.key);
    if (!p) {
      p = ask(member).catch((err: unknown) => {
        if (!ORGANIZATION_UNKNOWABLE.has(String((err as { name?: unknown } | undefined)?.name))) this.organizations.delete(member.key);
        return undefined;
      });
      this.organizations.set(member.key, p);
    }
    return p;
  }

  /**
   * The plan, with the payer learnt from Organizations first when none of the scope is known to be one: each
   * member (its own credentials; free) names its organization's management account; one in the scope is the payer.
   */
  private async planLearning(resolved: Resolved[]): Promise<CostPlan> {
    const known = planFor(resolved, this.deps.payers.ids());
    if (known.kind === 'payer' || !this.deps.managementAccountOf) return known;
    const inScope = new Set(resolved.map((r) => r.accountId).filter((id): id is string => !!id));
    const named = await Promise.all(resolved.map((r) => this.managementAccountOf(r.member)));
    for (const id of new Set(named)) if (id && inScope.has(id)) await this.deps.payers.remember(id, 'organizations');
    return planFor(resolved, this.deps.payers.ids());
  }

  private async resolve(): Promise<Resolved[]> {
    const members = await this.deps.members();
    return Promise.all(members.map(async (member) => {
      if (member.accountId) return { member, accountId: member.accountId };
      const accountId = await this.deps.accountOf(member).catch(() => undefined);
      // A profile's account, once known, goes with the member: its client then records that account in the ledger.
      return { member: accountId ? { ...member, accountId } : member, accountId };
    }));
  }

  /** The plan for the scope now: a payer in it (known, or named by Organizations), or one request per account. No Cost Explorer request. */
  async plan(): Promise<CostPlan> {
    return this.planLearning(await this.resolve());
  }

  /**
   * What the cost dashboard covers: the plan, the scope's account ids (those known) and how many accounts it
   * holds. With a payer (`store` is its own) the dashboard asks the payer alone, each request filtered to these
   * ids (CostService's scopeAccounts): the same requests as for one account. No Cost Explorer request.
   */
  async dashboardScope(): Promise<{ plan: CostPlan; accountIds: string[]; accounts: number; unknown: string[]; store?: CostStore }> {
    const resolved = await this.resolve();
    const plan = await this.planLearning(resolved);
    const accountIds = [...new Set(resolved.map((r) => r.accountId).filter((id): id is string => !!id))];
    // A member whose account id could not be read cannot be in the filter: the dashboard names it, never drops it unsaid.
    const unknown = resolved.filter((r) => !r.accountId).map((r) => r.member.label);
    return { plan, accountIds, accounts: accountCount(resolved.map((r) => r.member)), unknown, ...(plan.kind === 'payer' ? { store: this.deps.storeFor(plan.payer) } : {}) };
  }

  private months(): Month[] { return overviewMonths(this.deps.today()); }

  private data(member: ScopeMember, filter: FilterId, mode: FetchMode, store = this.deps.storeFor(member)): Promise<MonthsResult> {
    return store.months(HEADLINE_GROUPING, 'DAILY', filter, this.months(), mode);
  }

  /**
   * Every account's figures: from the payer's one answer, or from each account's own. While no payer is
   * known, accounts are asked one at a time and a payer's answer ends the asking.
   */
  async load(metric: CostMetric, filter: FilterId, mode: FetchMode): Promise<ScopeCostsView> {
    const resolved = await this.resolve();
    let plan = await this.planLearning(resolved);
    const today = this.deps.today();
    if (plan.kind === 'payer') {
      const p = plan;
      const answer = await this.data(p.payer, payerFilter(filter, resolved), mode).then((d) => ({ d }), (err: unknown) => ({ err }));
      return { plan, metric, accounts: resolved.map((r) => ('d' in answer ? figures(r, answer.d, metric, today, 'payer', r.member.key === p.payer.key ? undefined : p.payerAccount) : failed(r, answer.err))) };
    }
    const own = new Map<string, AccountCosts>();
    for (const r of resolved) {
      let d: MonthsResult;
      try {
        d = await this.data(r.member, filter, mode);
      } catch (err) {
        own.set(r.member.key, failed(r, err));
        continue;
      }
      if (r.accountId && d.rows.some((row) => row.keys[ACCOUNT_KEY] && row.keys[ACCOUNT_KEY] !== r.accountId)) {
        // This account answers for others: it is a management account. It serves the rest of the scope.
        await this.deps.payers.remember(r.accountId, 'costExplorer');
        plan = { kind: 'payer', payer: r.member, payerAccount: r.accountId };
        return { plan, metric, accounts: resolved.map((x) => own.get(x.member.key) ?? figures(x, d, metric, today, 'payer', x.member.key === r.member.key ? undefined : r.accountId)) };
      }
      own.set(r.member.key, figures(r, d, metric, today, 'own'));
    }
    return { plan, metric, accounts: resolved.map((r) => own.get(r.member.key)!) };
  }

  /**
   * The Cost Explorer requests a load would make, counted by running each store's own code against its
   * cache without asking (CostStore.estimate). With no payer known this is every account's, the most the
   * load can make (a payer found on the way ends it sooner). `stale`: a manual refresh.
   */
  async estimate(filter: FilterId, stale: boolean): Promise<{ requests: number; plan: CostPlan }> {
    const resolved = await this.resolve();
    const plan = await this.planLearning(resolved);
    const asked = plan.kind === 'payer' ? [plan.payer] : resolved.map((r) => r.member);
    let requests = 0;
    for (const m of asked) {
      const store = this.deps.storeFor(m);
      const f = plan.kind === 'payer' ? payerFilter(filter, resolved) : filter;
      requests += await store.estimate((dry) => this.data(m, f, 'auto', dry).catch(() => undefined), stale);
    }
    return { requests, plan };
  }
}

/**
 * What a known payer is asked for the Costs view: the view's filter narrowed to the scope's account ids
 * (LINKED_ACCOUNT), the very request the cost dashboard makes under the same scope (CostService's scopeAccounts,
 * the same ids from dashboardScope), so one answer in the payer's cache serves both: the dashboard's daily
 * service+account months are the view's months, and only what differs is asked apart (the dashboard's older
 * months monthly, its other groupings and the forecast, whose Filter or GroupBy the view never sends). It also
 * leaves the organization's other accounts out of the answer (fewer pages in a large organization). Each
 * account's figures are the same: the view keeps only each account's own rows of the answer either way.
 * While the payer is still being learnt (per-account reads), the view's filter is sent unnarrowed: an account is
 * recognised as a payer by answering for accounts it was not asked about, and each account's own entry then
 * outlives a change of scope.
 */
function payerFilter(filter: FilterId, resolved: readonly Resolved[]): FilterId {
  const ids = resolved.map((r) => r.accountId).filter((id): id is string => !!id);
  return ids.length ? scopedTo(filter, ids) : filter;
}

function planFor(resolved: Resolved[], payers: readonly string[]): CostPlan {
  const payer = resolved.find((r) => r.accountId && payers.includes(r.accountId));
  return payer ? { kind: 'payer', payer: payer.member, payerAccount: payer.accountId! } : { kind: 'perAccount', accounts: resolved.length };
}

/** One account's figures from an answer: the payer's (rows of that account only) or its own. */
export function figures(r: Resolved, d: MonthsResult, metric: CostMetric, today: Day, servedBy: 'payer' | 'own', payerAccount?: string): AccountCosts {
  const mine = (row: CostRow) => (servedBy === 'own' && !r.accountId) || row.keys[ACCOUNT_KEY] === r.accountId;
  const rows = d.rows.filter(mine);
  const mtd = monthToDate(today);
  const before = samePointLastMonth(today);
  const lastMonth = addMonths(monthOf(today), -1);
  const monthToDateTotal = total(rows, metric, mtd);
  const previous = total(rows, metric, before);
  const services = topN(totalsBy(rows, SERVICE_KEY, metric, mtd), 5).top.filter((s) => s.amount !== 0).map((s) => ({ name: s.key, amount: roundCents(s.amount) }));
  return {
    member: r.member,
    accountId: r.accountId,
    unit: d.unit,
    monthToDate: monthToDateTotal,
    samePointLastMonth: previous,
    change: change(monthToDateTotal, previous),
    lastMonth: { month: lastMonth, total: total(rows, metric, { start: `${lastMonth}-01`, end: `${monthOf(today)}-01` }) },
    services,
    servedBy,
    absentFromPayer: servedBy === 'payer' && payerAccount !== undefined && !rows.length ? true : undefined,
    fetchedAt: d.fetchedAt,
    error: errorText(d.error),
  };
}

function failed(r: Resolved, err: unknown): AccountCosts {
  const notLoaded = err instanceof NotCachedError;
  return {
    member: r.member, accountId: r.accountId, unit: 'USD', monthToDate: 0, samePointLastMonth: 0, change: change(0, 0),
    lastMonth: { month: '', total: 0 }, services: [], servedBy: 'own', fetchedAt: 0,
    ...(notLoaded ? { notLoaded: true } : { error: errorText(err) }),
  };
}
