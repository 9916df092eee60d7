// Turns stored Cost Explorer data into what the view and the dashboard show. No vscode import.
import { classifyAwsError } from '../aws/errors';
import { addDays, daysInRange, lastDays, monthOf, monthToDate, samePointLastMonth, addMonths, type Day, type Month, type Period } from './dates';
import { change, dailySeries, forecastMonthEnd, monthlyFromDaily, roundCents, topN, total, totalsBy, type Change, type CostMetric, type CostRow, type Forecast } from './math';
import { dashboardMonths, filterId, groupingFor, HEADLINE_GROUPING, lastTwelveMonths, overviewMonths, tagValue, type CostFilter, type Dimension, type FetchMode, type FilterDimension, type FilterId } from './plan';
import { rangePeriod, type DayRange } from './range';
import type { AnomalySummary, CostStore, ForecastEntry, Freshness, MonthsResult } from './store';
import { l10n } from '../util/l10n';

export interface CostSettings {
  metric: CostMetric;
  filter: FilterId;
  topN: number;
  tagKey: string;
}

export interface GroupEntry {
  key: string;
  label: string;
  amount: number;
  previous: number;
  change: Change;
  /** One value per day of this month so far. */
  daily: number[];
  /** For "Other": how many entries it holds. */
  count?: number;
}

export interface GroupView extends Freshness {
  dimension: Dimension;
  unit: string;
  days: Day[];
  entries: GroupEntry[];
  other?: GroupEntry;
  /** Distinct entries before top N. */
  count: number;
}

export interface Overview extends Freshness {
  today: Day;
  unit: string;
  metric: CostMetric;
  monthToDate: number;
  samePointLastMonth: number;
  change: Change;
  lastMonth: { month: Month; total: number };
  /** Some of this month's days are still estimated by Cost Explorer. */
  estimated: boolean;
  forecast?: Forecast;
  forecastUnavailable?: string;
  forecastError?: unknown;
}

export interface Series { key: string; label: string; values: number[] }

export interface DashboardParams {
  rangeDays: 30 | 90;
  granularity: 'DAILY' | 'MONTHLY';
  dimension: Dimension;
  metric: CostMetric;
  excludeCreditsRefundsTax: boolean;
  /** A custom range (both days included) instead of the last rangeDays days. */
  custom?: DayRange;
  /** Only one service, account, region or tag value. */
  filter?: CostFilter;
}

/** An anomaly on the daily chart: the days it spans that the chart shows, and its impact. */
export interface AnomalyMark { id: string; start: Day; end: Day; dimension: string; impact: number; impactPercent?: number; maxImpact: number }

/** Values the filter can offer, from groups already fetched (no request). */
export type FilterValues = Record<FilterDimension, { value: string; label: string }[]>;

export interface DashboardData {
  today: Day;
  unit: string;
  params: DashboardParams;
  /** x values: days, or month firsts when granularity is MONTHLY. */
  stacked: { x: Day[]; series: Series[] };
  monthly: { months: Month[]; series: Series[] };
  forecast: { days: Day[]; actual: (number | null)[]; mean: (number | null)[]; lower: (number | null)[]; upper: (number | null)[]; monthEnd?: Forecast; unavailable?: string; error?: string };
  movers: { key: string; label: string; current: number; previous: number; delta: number; ratio?: number }[];
  monthToDate: number;
  samePointLastMonth: number;
  /** The stacked chart's days ([start, end], both included). */
  range: DayRange;
  /** Anomalies (Cost Anomaly Detection, last 30 days) on the days of the daily chart. */
  anomalies: AnomalyMark[];
  anomaliesNote?: string;
  fetchedAt: number;
  error?: string;
}

/** What a person reads for a failed request (undefined when there was no error). */
export function errorText(err: unknown): string | undefined {
  if (err === undefined) return undefined;
  return classifyAwsError(err).message;
}

export function labelFor(dim: Dimension, key: string, names: Record<string, string>): string {
  switch (dim) {
    case 'LINKED_ACCOUNT': return names[key] ? `${names[key]} (${key})` : key;
    case 'TAG': return tagValue(key) || '(untagged)';
    case 'REGION': return key || '(no region)';
    default: return key || '(none)';
  }
}

/** Top N + Other for one dimension over a period, each with its change against `previous`. */
export function rankGroups(data: MonthsResult, dim: Dimension, keyIndex: number, metric: CostMetric, current: Period, previous: Period, n: number): Omit<GroupView, keyof Freshness | 'dimension'> {
  const now = totalsBy(data.rows, keyIndex, metric, current);
  const before = totalsBy(data.rows, keyIndex, metric, previous);
  for (const k of before.keys()) if (!now.has(k)) now.set(k, 0);
  for (const [k, v] of now) if (v === 0 && !before.get(k)) now.delete(k);
  const days = daysInRange(current.start, current.end);
  const ranked = topN(now, n);
  const entry = (keys: string[], label: string, amount: number): GroupEntry => {
    const set = new Set(keys);
    const prev = roundCents(keys.reduce((s, k) => s + (before.get(k) ?? 0), 0));
    return { key: keys.length === 1 ? keys[0] : `other:${keys.length}`, label, amount, previous: prev, change: change(amount, prev), daily: dailySeries(data.rows, metric, current, (ks) => set.has(ks[keyIndex] ?? '')) };
  };
  return {
    unit: data.unit,
    days,
    entries: ranked.top.map((r) => entry([r.key], labelFor(dim, r.key, data.names), r.amount)),
    other: ranked.other ? { ...entry(ranked.other.keys, l10n.t('Other ({0})', ranked.other.count), ranked.other.amount), count: ranked.other.count } : undefined,
    count: now.size,
  };
}

/** Sum of the forecast's daily means from today on (a forecast fetched yesterday still serves). */
export function forecastFromToday(entry: ForecastEntry, today: Day): { mean: number; lower?: number; upper?: number } | undefined {
  const days = entry.days.filter((d) => d.day >= today);
  if (!days.length) return undefined;
  const sum = (f: (d: (typeof days)[number]) => number | undefined) => {
    const vals = days.map(f);
    return vals.every((v) => v !== undefined) ? roundCents((vals as number[]).reduce((a, b) => a + b, 0)) : undefined;
  };
  // Summed daily bounds are wider than the interval of the sum: a cautious band.
  return { mean: sum((d) => d.mean) ?? 0, lower: sum((d) => d.lower), upper: sum((d) => d.upper) };
}

/** The anomalies that overlap the chart's days, clipped to them. */
export function anomalyMarks(anomalies: AnomalySummary[], days: Day[]): AnomalyMark[] {
  if (!days.length) return [];
  const first = days[0];
  const last = days[days.length - 1];
  return anomalies
    .filter((a) => a.start && (a.end ?? a.start) >= first && a.start <= last)
    .map((a) => ({
      id: a.id,
      start: a.start! < first ? first : a.start!,
      end: (a.end ?? a.start!) > last ? last : (a.end ?? a.start!),
      dimension: a.dimension ?? '',
      impact: a.totalImpact ?? a.maxImpact,
      impactPercent: a.impactPercent,
      maxImpact: a.maxImpact,
    }));
}

/** A dashboard filter on an account outside the scope: refused before any request. */
export class OutsideScopeError extends Error {
  constructor(account: string) { super(l10n.t('Account {0} is not in the scope: choose one of the scope\'s accounts.', account)); }
}

export class CostService {
  /**
   * `scopeAccounts`: the dashboard of a multi-account scope served by its payer (src/costs/accounts.ts): every
   * request is filtered to these linked accounts, and a filter on another account is refused.
   */
  constructor(private readonly store: CostStore, private readonly scopeAccounts?: readonly string[]) {}

  today(): Day { return this.store.today(); }

  /** 'force' (the Refresh button) marks open data stale once; everything after loads normally. */
  private forceOnce(mode: FetchMode): FetchMode {
    if (mode !== 'force') return mode;
    this.store.markStale();
    return 'auto';
  }

  /** The headline: month to date, the same point last month, last month, the forecast. One or two requests when expired, none otherwise. */
  async overview(s: CostSettings, mode: FetchMode = 'auto'): Promise<Overview> {
    mode = this.forceOnce(mode);
    const today = this.store.today();
    const data = await this.store.months(HEADLINE_GROUPING, 'DAILY', s.filter, overviewMonths(today), mode);
    const mtd = monthToDate(today);
    const prev = samePointLastMonth(today);
    const lastMonth = addMonths(monthOf(today), -1);
    const monthToDateTotal = total(data.rows, s.metric, mtd);
    const previousTotal = total(data.rows, s.metric, prev);
    const o: Overview = {
      today,
      unit: data.unit,
      metric: s.metric,
      monthToDate: monthToDateTotal,
      samePointLastMonth: previousTotal,
      change: change(monthToDateTotal, previousTotal),
      lastMonth: { month: lastMonth, total: total(data.rows, s.metric, { start: `${lastMonth}-01`, end: `${monthOf(today)}-01` }) },
      estimated: data.estimated.some((d) => monthOf(d) === monthOf(today)),
      fetchedAt: data.fetchedAt,
      error: data.error,
    };
    try {
      const f = await this.store.forecast(s.metric, s.filter, mode);
      if (f.value.unavailable) o.forecastUnavailable = f.value.unavailable;
      const ahead = forecastFromToday(f.value, today);
      if (ahead) o.forecast = forecastMonthEnd(total(data.rows, s.metric, { start: mtd.start, end: today }), ahead);
      if (f.error) o.forecastError = f.error;
      o.fetchedAt = Math.min(o.fetchedAt, f.fetchedAt);
    } catch (err) {
      o.forecastError = err;
    }
    return o;
  }

  /** One dimension this month to date, top N + Other, each against the same point last month. */
  async group(dim: Dimension, s: CostSettings, mode: FetchMode = 'auto'): Promise<GroupView> {
    mode = this.forceOnce(mode);
    const today = this.store.today();
    const { grouping, keyIndex } = groupingFor(dim, s.tagKey);
    // The headline grouping was fetched for 90 days; the others need only last month and this one.
    const months = grouping === HEADLINE_GROUPING ? overviewMonths(today) : [addMonths(monthOf(today), -1), monthOf(today)];
    const data = await this.store.months(grouping, 'DAILY', s.filter, months, mode);
    return { dimension: dim, ...rankGroups(data, dim, keyIndex, s.metric, monthToDate(today), samePointLastMonth(today), s.topN), fetchedAt: data.fetchedAt, error: data.error };
  }

  /** Anomalies for the daily chart, through the same cached requests as the Costs view's Anomalies group. */
  private async anomalyMarks(days: Day[], mode: FetchMode): Promise<{ anomalies: AnomalyMark[]; note?: string }> {
    try {
      const monitors = await this.store.anomalyMonitors(mode);
      if (!monitors.value.monitors.length) return { anomalies: [], note: 'No anomaly monitor in this account.' };
      const a = await this.store.anomalies(mode);
      // The payer's anomalies cover its organization: under a scope, those whose root causes name only other accounts are left out.
      const scope = this.scopeAccounts;
      const mine = scope ? a.value.anomalies.filter((x) => { const named = x.rootCauses.map((c) => c.account).filter((id): id is string => !!id); return !named.length || named.some((id) => scope.includes(id)); }) : a.value.anomalies;
      return { anomalies: anomalyMarks(mine, days), note: a.error ? `Anomalies could not be refreshed: ${errorText(a.error)}` : undefined };
    } catch (err) {
      return { anomalies: [], note: `Anomalies not shown: ${errorText(err)}` };
    }
  }

  /**
   * Values for the dashboard's filter from data already in the cache (no request): services and accounts
   * from the headline grouping, regions from region+usage type, tag values from the tag grouping.
   */
  async filterValues(tagKey: string): Promise<FilterValues> {
    const today = this.store.today();
    const months = overviewMonths(today);
    const out: FilterValues = { SERVICE: [], LINKED_ACCOUNT: [], REGION: [], TAG: [] };
    const dims: FilterDimension[] = ['SERVICE', 'LINKED_ACCOUNT', 'REGION', ...(tagKey ? ['TAG' as const] : [])];
    const scope = this.scopeAccounts;
    for (const dim of dims) {
      const { grouping, keyIndex } = groupingFor(dim, tagKey);
      // Under a scope: what the scope's own requests fetched, and its accounts only.
      const { rows, names } = await this.store.cachedRows(grouping, 'DAILY', months, filterId('all', undefined, scope));
      const totals = totalsBy(scope && dim === 'LINKED_ACCOUNT' ? rows.filter((r) => scope.includes(r.keys[keyIndex] ?? '')) : rows, keyIndex, 'UnblendedCost');
      out[dim] = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 200).map(([k]) => ({ value: dim === 'TAG' ? tagValue(k) : k, label: labelFor(dim, k, names) }));
    }
    return out;
  }

  /** Everything the dashboard draws for its controls. */
  async dashboard(p: DashboardParams, tagKey: string, n: number, mode: FetchMode = 'auto'): Promise<DashboardData> {
    mode = this.forceOnce(mode);
    const today = this.store.today();
    if (this.scopeAccounts && p.filter?.dimension === 'LINKED_ACCOUNT' && !this.scopeAccounts.includes(p.filter.value)) throw new OutsideScopeError(p.filter.value);
    const filter: FilterId = filterId(p.excludeCreditsRefundsTax ? 'noCreditsRefundsTax' : 'all', p.filter, this.scopeAccounts);
    const { grouping, keyIndex } = groupingFor(p.dimension, tagKey);
    const range = p.custom ? rangePeriod(p.custom) : lastDays(today, p.rangeDays);
    const mtd = monthToDate(today);
    const prev = samePointLastMonth(today);
    // The headline grouping shares its months with the Costs view's 90 days only when unfiltered.
    const { daily: dailyMonths, monthly: older } = dashboardMonths(today, range, grouping === HEADLINE_GROUPING && !p.filter);
    const daily = await this.store.months(grouping, 'DAILY', filter, dailyMonths, mode);
    const label = (k: string) => labelFor(p.dimension, k, daily.names);

    // Stacked chart: top N over the range, then Other.
    const days = daysInRange(range.start, range.end);
    const ranked = topN(totalsBy(daily.rows, keyIndex, p.metric, range), n);
    const seriesFor = (keys: string[]) => {
      const set = new Set(keys);
      return dailySeries(daily.rows, p.metric, range, (ks) => set.has(ks[keyIndex] ?? ''));
    };
    let stackedSeries: Series[] = ranked.top.map((r) => ({ key: r.key, label: label(r.key), values: seriesFor([r.key]) }));
    if (ranked.other) stackedSeries.push({ key: 'other', label: l10n.t('Other ({0})', ranked.other.count), values: seriesFor(ranked.other.keys) });
    let x = days;
    if (p.granularity === 'MONTHLY') {
      stackedSeries = stackedSeries.map((s) => ({ ...s, values: monthlyFromDaily(days, s.values).values }));
      x = monthlyFromDaily(days, days.map(() => 0)).months.map((m) => `${m}-01`);
    }

    // Month by month: the last 12 months and this one. Months the daily data already holds are summed from
    // it; only the older ones (always final by then) are requested, monthly, and never again.
    const closed = lastTwelveMonths(today);
    // A month that has left the daily window since it was fetched daily is summed from that (final) data.
    const fromDaily = await this.store.finalMonths(grouping, 'DAILY', filter, older);
    const toRequest = older.filter((m) => !fromDaily.has(m));
    const monthlyData = toRequest.length ? await this.store.months(grouping, 'MONTHLY', filter, toRequest, mode) : undefined;
    const months = [...closed, monthOf(today)];
    const rowsOfMonth = (m: Month): CostRow[] => (dailyMonths.includes(m) ? daily.rows : fromDaily.get(m) ?? monthlyData?.rows ?? []).filter((r) => monthOf(r.day) === m);
    const monthRows = months.map(rowsOfMonth);
    const rankedMonthly = topN(totalsBy(monthRows.flat(), keyIndex, p.metric), n);
    const monthValues = (keys: string[]) => {
      const set = new Set(keys);
      return monthRows.map((rows) => total(rows.filter((r) => set.has(r.keys[keyIndex] ?? '')), p.metric));
    };
    const names = { ...monthlyData?.names, ...daily.names };
    const monthlySeries: Series[] = rankedMonthly.top.map((r) => ({ key: r.key, label: labelFor(p.dimension, r.key, names), values: monthValues([r.key]) }));
    if (rankedMonthly.other) monthlySeries.push({ key: 'other', label: l10n.t('Other ({0})', rankedMonthly.other.count), values: monthValues(rankedMonthly.other.keys) });

    // Forecast band over this month: actual up to today, forecast from today.
    const monthDays = daysInRange(mtd.start, `${addMonths(monthOf(today), 1)}-01`);
    const actualDaily = dailySeries(daily.rows, p.metric, { start: mtd.start, end: monthDays.length ? addDays(monthDays[monthDays.length - 1], 1) : mtd.end });
    const forecast: DashboardData['forecast'] = {
      days: monthDays,
      actual: monthDays.map((d, i) => (d <= today ? actualDaily[i] : null)),
      mean: monthDays.map(() => null),
      lower: monthDays.map(() => null),
      upper: monthDays.map(() => null),
    };
    let error = daily.error ?? monthlyData?.error;
    // The oldest data that can still change decides when this is refreshed; final months never do.
    let fetchedAt = !monthlyData || monthlyData.final ? daily.fetchedAt : Math.min(daily.fetchedAt, monthlyData.fetchedAt);
    try {
      const f = await this.store.forecast(p.metric, filter, mode);
      forecast.unavailable = f.value.unavailable;
      for (const d of f.value.days) {
        const i = monthDays.indexOf(d.day);
        if (i < 0 || d.day < today) continue;
        forecast.mean[i] = roundCents(d.mean);
        forecast.lower[i] = d.lower ?? null;
        forecast.upper[i] = d.upper ?? null;
      }
      const ahead = forecastFromToday(f.value, today);
      if (ahead) forecast.monthEnd = forecastMonthEnd(total(daily.rows, p.metric, { start: mtd.start, end: today }), ahead);
      error ??= f.error;
      fetchedAt = Math.min(fetchedAt, f.fetchedAt);
    } catch (err) {
      forecast.error = errorText(err);
    }

    // Top movers: this month to date against the same point last month.
    const now = totalsBy(daily.rows, keyIndex, p.metric, mtd);
    const before = totalsBy(daily.rows, keyIndex, p.metric, prev);
    const movers = [...new Set([...now.keys(), ...before.keys()])]
      .map((key) => {
        const c = change(now.get(key) ?? 0, before.get(key) ?? 0);
        return { key, label: label(key), current: now.get(key) ?? 0, previous: before.get(key) ?? 0, delta: c.delta, ratio: c.ratio };
      })
      .filter((m) => m.delta !== 0)
      .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.key.localeCompare(b.key))
      .slice(0, 10);

    const marks = p.granularity === 'DAILY' ? await this.anomalyMarks(days, mode) : { anomalies: [] };

    return {
      today,
      unit: daily.unit,
      params: p,
      stacked: { x, series: stackedSeries },
      monthly: { months, series: monthlySeries },
      forecast,
      movers,
      monthToDate: total(daily.rows, p.metric, mtd),
      samePointLastMonth: total(daily.rows, p.metric, prev),
      range: { start: range.start, end: addDays(range.end, -1) },
      anomalies: marks.anomalies,
      anomaliesNote: marks.note,
      fetchedAt,
      error: errorText(error),
    };
  }
}
