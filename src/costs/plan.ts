// Which Cost Explorer requests a refresh needs, as few as the data allows. Pure: no vscode, no I/O.
//
// The rules (see the README's "Cost discipline"):
// - Data is stored per calendar month. A month that has ended and that Cost Explorer no longer marks as
//   estimated is final: it is never requested again.
// - The months that are missing or expired are fetched in contiguous runs, one request (plus pages) per run.
// - Two dimensions share one request wherever a view needs both (service + account, region + usage type).
// - All three cost metrics come in every request, so switching metric costs nothing.
import { addDays, isPastMonth, lastDays, monthEnd, monthOf, monthsOf, addMonths, firstDay, samePointLastMonth, type Day, type Month, type Period } from './dates';
import { PRICE_PER_REQUEST } from './ledger';
import { METRICS } from './math';
import { l10n } from '../util/l10n';

/** 'cached', '1 request, $0.01', '2 requests, $0.02': the price of a switch before it is made (pages beyond the first can add more). */
export function priceText(requests: number): string {
  if (!requests) return 'cached';
  return `${requests} request${requests === 1 ? '' : 's'}, $${(requests * PRICE_PER_REQUEST).toFixed(2)}`;
}

export type Dimension = 'SERVICE' | 'LINKED_ACCOUNT' | 'REGION' | 'USAGE_TYPE' | 'TAG';
export const DIMENSIONS: Dimension[] = ['SERVICE', 'LINKED_ACCOUNT', 'REGION', 'USAGE_TYPE', 'TAG'];
export const DIMENSION_LABEL: Record<Dimension, string> = {
  SERVICE: 'service',
  LINKED_ACCOUNT: 'account',
  REGION: 'region',
  USAGE_TYPE: 'usage type',
  TAG: 'tag',
};

export type Granularity = 'DAILY' | 'MONTHLY';

export interface GroupDef { Type: 'DIMENSION' | 'TAG'; Key: string }

/** A set of group-bys fetched together. */
export interface Grouping { id: string; groupBy: GroupDef[] }

const SERVICE_ACCOUNT: Grouping = { id: 'service+account', groupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }] };
const REGION_USAGE: Grouping = { id: 'region+usageType', groupBy: [{ Type: 'DIMENSION', Key: 'REGION' }, { Type: 'DIMENSION', Key: 'USAGE_TYPE' }] };

/** Grouping by tag was asked with no tag key set: the dashboard offers to choose one. */
export class NoTagKeyError extends Error {
  constructor() { super(l10n.t('No tag key chosen: set cloudMonitor.costs.tagKey.')); }
}

/** The request that carries a dimension, and where its key sits in each group's Keys. */
export function groupingFor(dim: Dimension, tagKey = ''): { grouping: Grouping; keyIndex: number } {
  switch (dim) {
    case 'SERVICE': return { grouping: SERVICE_ACCOUNT, keyIndex: 0 };
    case 'LINKED_ACCOUNT': return { grouping: SERVICE_ACCOUNT, keyIndex: 1 };
    case 'REGION': return { grouping: REGION_USAGE, keyIndex: 0 };
    case 'USAGE_TYPE': return { grouping: REGION_USAGE, keyIndex: 1 };
    case 'TAG':
      if (!tagKey) throw new NoTagKeyError();
      return { grouping: { id: `tag:${tagKey}`, groupBy: [{ Type: 'TAG', Key: tagKey }] }, keyIndex: 0 };
  }
}

/** The headline and the service/account groups need only this one grouping. */
export const HEADLINE_GROUPING = SERVICE_ACCOUNT;

/** A tag group key arrives as 'cost_center$team-a'; an untagged cost as 'cost_center$'. */
export function tagValue(key: string): string {
  const i = key.indexOf('$');
  return i < 0 ? key : key.slice(i + 1);
}

export type BaseFilter = 'all' | 'noCreditsRefundsTax';

/** The dimensions the dashboard's filter offers (one value of one of them, or one tag value). */
export const FILTER_DIMENSIONS = ['SERVICE', 'LINKED_ACCOUNT', 'REGION', 'TAG'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

/** "Only this service / account / region / tag value". A tag filter names its key; value '' is "untagged". */
export interface CostFilter { dimension: FilterDimension; key?: string; value: string }

/**
 * What a request is filtered by: the credits/refunds/tax choice, optionally one dashboard filter, and under a
 * multi-account scope served by its payer the scope's linked accounts. Part of every cache key; the plain
 * strings keep the keys the cache had before filters existed.
 */
export type FilterId = BaseFilter | { base: BaseFilter; only?: CostFilter; accounts?: string[] };

/** The filter id in its canonical form (fixed key order, accounts sorted, so equal filters give equal cache keys). */
export function filterId(base: BaseFilter, only?: CostFilter, accounts?: readonly string[]): FilterId {
  const scope = accounts?.length ? { accounts: [...new Set(accounts)].sort() } : {};
  if (!only) return scope.accounts ? { base, ...scope } : base;
  return { base, only: only.dimension === 'TAG' ? { dimension: 'TAG', key: only.key ?? '', value: only.value } : { dimension: only.dimension, value: only.value }, ...scope };
}

/** The same filter narrowed to `accounts` (LINKED_ACCOUNT): what a payer is asked under a scope. */
export function scopedTo(filter: FilterId, accounts: readonly string[]): FilterId {
  return filterId(baseOf(filter), onlyOf(filter), accounts);
}

function baseOf(filter: FilterId): BaseFilter { return typeof filter === 'string' ? filter : filter.base; }
function onlyOf(filter: FilterId): CostFilter | undefined { return typeof filter === 'string' ? undefined : filter.only; }
function accountsOf(filter: FilterId): string[] | undefined { return typeof filter === 'string' ? undefined : filter.accounts; }

/**
 * One dashboard filter as a Cost Explorer expression: Dimensions, or Tags. An empty tag value is "untagged":
 * Tags with a Key and no Values, which Cost Explorer reads as ABSENT for that key (botocore's TagValues).
 */
export function onlyExpression(f: CostFilter): Record<string, unknown> {
  if (f.dimension === 'TAG') return f.value ? { Tags: { Key: f.key ?? '', Values: [f.value] } } : { Tags: { Key: f.key ?? '' } };
  return { Dimensions: { Key: f.dimension, Values: [f.value] } };
}

/**
 * The Cost Explorer filter: "exclude credits, refunds and tax" (RECORD_TYPE), the dashboard filter and the
 * scope's linked accounts (LINKED_ACCOUNT), those present joined with And.
 */
export function filterExpression(filter: FilterId): Record<string, unknown> | undefined {
  const parts: Record<string, unknown>[] = [];
  if (baseOf(filter) === 'noCreditsRefundsTax') parts.push({ Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } });
  const only = onlyOf(filter);
  if (only) parts.push(onlyExpression(only));
  const accounts = accountsOf(filter);
  if (accounts) parts.push({ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [...accounts] } });
  // An Expression holds one operator at each level: two conditions go under And.
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { And: parts };
}

/** The filter as the ledger and the dashboard header say it: ' excl. credits/refunds/tax, service = X'. */
export function filterText(filter: FilterId): string {
  const only = onlyOf(filter);
  const accounts = accountsOf(filter);
  const parts = [baseOf(filter) === 'noCreditsRefundsTax' ? 'excl. credits/refunds/tax' : '', only ? onlyText(only) : '', accounts ? `the scope's ${accounts.length} linked account${accounts.length === 1 ? '' : 's'}` : ''].filter(Boolean);
  return parts.length ? ` ${parts.join(', ')}` : '';
}

export function onlyText(f: CostFilter): string {
  if (f.dimension === 'TAG') return `tag ${f.key ?? ''} = ${f.value || '(untagged)'}`;
  return `${DIMENSION_LABEL[f.dimension]} = ${f.value || '(none)'}`;
}

export function costAndUsageInput(grouping: Grouping, granularity: Granularity, period: Period, filter: FilterId, nextPageToken?: string) {
  const f = filterExpression(filter);
  return {
    TimePeriod: { Start: period.start, End: period.end },
    Granularity: granularity,
    ...(f ? { Filter: f } : {}),
    Metrics: [...METRICS],
    GroupBy: grouping.groupBy.map((g) => ({ ...g })),
    ...(nextPageToken ? { NextPageToken: nextPageToken } : {}),
  };
}

/** What the cache knows about one month of one grouping. */
export interface MonthState {
  month: Month;
  cached: boolean;
  /** Ended and no longer estimated when it was fetched: never requested again. */
  final: boolean;
  /** Younger than the TTL. */
  fresh: boolean;
}

export type FetchMode = 'auto' | 'force' | 'cacheOnly';

/** Months that need a request: missing ones, and open ones that expired (or all open ones, on a manual refresh). */
export function monthsToFetch(states: MonthState[], mode: FetchMode): Month[] {
  if (mode === 'cacheOnly') return [];
  return states.filter((s) => !s.cached || (!s.final && (mode === 'force' || !s.fresh))).map((s) => s.month);
}

/** Splits sorted months into runs of consecutive months: one request each. */
export function contiguousRuns(months: Month[]): Month[][] {
  const runs: Month[][] = [];
  for (const m of [...months].sort()) {
    const run = runs[runs.length - 1];
    if (run && addMonths(run[run.length - 1], 1) === m) run.push(m);
    else runs.push([m]);
  }
  return runs;
}

/** The TimePeriod of a run: from its first month's 1st to the end of its last month, but not past today. */
export function runPeriod(run: Month[], today: Day): Period {
  const end = monthEnd(run[run.length - 1]);
  const tomorrow = addDays(today, 1);
  return { start: firstDay(run[0]), end: end < tomorrow ? end : tomorrow };
}

/** Whether a month fetched on `fetchedOn` is final: it had ended and none of its days was estimated. */
export function isFinal(month: Month, fetchedOn: Day, estimatedDays: Day[]): boolean {
  return isPastMonth(month, fetchedOn) && !estimatedDays.some((d) => monthOf(d) === month);
}

/** The months the headline needs (last month and this one) widened to the dashboard's default 90 days, so one cold request serves both. */
export function overviewMonths(today: Day, days = 90): Month[] {
  const first = monthOf(addDays(today, 1 - days));
  const out: Month[] = [];
  for (let m = first; m <= monthOf(today); m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The 12 closed months before this one, for the month-by-month chart. */
export function lastTwelveMonths(today: Day): Month[] {
  const current = monthOf(today);
  return Array.from({ length: 12 }, (_, i) => addMonths(current, i - 12));
}

/**
 * The months the dashboard needs for a range: daily months (the range, last month for the movers, this
 * month; for the headline grouping also the view's 90 days, so they share one cache entry per month), and
 * the older months of the 12-month chart, asked for monthly because no daily data holds them.
 */
export function dashboardMonths(today: Day, rangeDays: number | Period, headline: boolean): { daily: Month[]; monthly: Month[] } {
  const range = monthsOf(typeof rangeDays === 'number' ? lastDays(today, rangeDays) : rangeDays);
  const daily = [...new Set([...range, monthOf(samePointLastMonth(today).start), monthOf(today), ...(headline ? overviewMonths(today) : [])])].sort();
  return { daily, monthly: lastTwelveMonths(today).filter((m) => !daily.includes(m)) };
}
