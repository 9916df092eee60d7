// Cost arithmetic: Cost Explorer pages → rows, sums, top N + Other, changes, forecast, currency.
// Pure (no vscode, no SDK at runtime), so it is unit-tested directly.
import { daysInMonth, daysInRange, monthOf, type Day, type Period } from './dates';
import { l10n } from '../util/l10n';

/** Every GetCostAndUsage call asks for all three metrics: switching metric then costs no request. */
export const METRICS = ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost'] as const;
export type CostMetric = (typeof METRICS)[number];
export const FORECAST_METRIC: Record<CostMetric, 'UNBLENDED_COST' | 'AMORTIZED_COST' | 'NET_UNBLENDED_COST'> = {
  UnblendedCost: 'UNBLENDED_COST',
  AmortizedCost: 'AMORTIZED_COST',
  NetUnblendedCost: 'NET_UNBLENDED_COST',
};

/** One group on one day (or month): keys as the GroupBy returned them, amounts in METRICS order. */
export interface CostRow { day: Day; keys: string[]; amounts: number[] }

/** The shape of a GetCostAndUsage page this module reads (a subset of the SDK's response). */
export interface CostPage {
  NextPageToken?: string;
  ResultsByTime?: {
    TimePeriod?: { Start?: string; End?: string };
    Total?: Record<string, { Amount?: string; Unit?: string }>;
    Groups?: { Keys?: string[]; Metrics?: Record<string, { Amount?: string; Unit?: string }> }[];
    Estimated?: boolean;
  }[];
  DimensionValueAttributes?: { Value?: string; Attributes?: Record<string, string> }[];
}

export interface ParsedPages {
  rows: CostRow[];
  /** Days (period starts) that Cost Explorer still marks as estimated. */
  estimated: Day[];
  unit: string;
  /** Linked account id → name, when Cost Explorer sent DimensionValueAttributes. */
  names: Record<string, string>;
}

function amount(v: { Amount?: string } | undefined): number {
  const n = Number(v?.Amount ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/**
 * Flattens the pages of one request. A page may repeat a TimePeriod that an earlier page started (the
 * groups of one day can be split across pages), so rows are simply concatenated per group. Without
 * GroupBy, the Total becomes one row with no keys.
 */
export function parsePages(pages: CostPage[]): ParsedPages {
  const rows: CostRow[] = [];
  const estimated = new Set<Day>();
  const names: Record<string, string> = {};
  let unit = '';
  for (const page of pages) {
    for (const a of page.DimensionValueAttributes ?? []) {
      const name = a.Attributes?.description;
      if (a.Value && name) names[a.Value] = name;
    }
    for (const r of page.ResultsByTime ?? []) {
      const day = r.TimePeriod?.Start;
      if (!day) continue;
      if (r.Estimated) estimated.add(day);
      const groups = r.Groups ?? [];
      if (groups.length) {
        for (const g of groups) {
          unit ||= Object.values(g.Metrics ?? {}).find((m) => m.Unit)?.Unit ?? '';
          rows.push({ day, keys: g.Keys ?? [], amounts: METRICS.map((m) => amount(g.Metrics?.[m])) });
        }
      } else if (r.Total && Object.keys(r.Total).length) {
        unit ||= Object.values(r.Total).find((m) => m.Unit)?.Unit ?? '';
        rows.push({ day, keys: [], amounts: METRICS.map((m) => amount(r.Total?.[m])) });
      }
    }
  }
  return { rows, estimated: [...estimated].sort(), unit: unit || 'USD', names };
}

export function metricIndex(metric: CostMetric): number {
  const i = METRICS.indexOf(metric);
  if (i < 0) throw new Error(`unknown metric ${metric}`);
  return i;
}

export function inPeriod(day: Day, p: Period): boolean {
  return day >= p.start && day < p.end;
}

/** Sum of one metric over rows in a period. */
export function total(rows: CostRow[], metric: CostMetric, period?: Period): number {
  const i = metricIndex(metric);
  let sum = 0;
  for (const r of rows) if (!period || inPeriod(r.day, period)) sum += r.amounts[i];
  return roundCents(sum);
}

/** Sum per group key (keys[keyIndex]) over a period. */
export function totalsBy(rows: CostRow[], keyIndex: number, metric: CostMetric, period?: Period): Map<string, number> {
  const i = metricIndex(metric);
  const out = new Map<string, number>();
  for (const r of rows) {
    if (period && !inPeriod(r.day, period)) continue;
    const key = r.keys[keyIndex] ?? '';
    out.set(key, (out.get(key) ?? 0) + r.amounts[i]);
  }
  for (const [k, v] of out) out.set(k, roundCents(v));
  return out;
}

/** One value per day of the period, zeros where Cost Explorer had nothing. */
export function dailySeries(rows: CostRow[], metric: CostMetric, period: Period, match?: (keys: string[]) => boolean): number[] {
  const i = metricIndex(metric);
  const days = daysInRange(period.start, period.end);
  const index = new Map(days.map((d, n) => [d, n]));
  const out = days.map(() => 0);
  for (const r of rows) {
    const n = index.get(r.day);
    if (n !== undefined && (!match || match(r.keys))) out[n] += r.amounts[i];
  }
  return out.map(roundCents);
}

/** Sums daily values per calendar month: for the "monthly" granularity of the dashboard, at no request. */
export function monthlyFromDaily(days: Day[], values: number[]): { months: string[]; values: number[] } {
  const months: string[] = [];
  const sums: number[] = [];
  days.forEach((d, i) => {
    const m = monthOf(d);
    if (months[months.length - 1] !== m) { months.push(m); sums.push(0); }
    sums[sums.length - 1] += values[i];
  });
  return { months, values: sums.map(roundCents) };
}

export interface Ranked { key: string; amount: number }
export interface TopN { top: Ranked[]; other?: { count: number; amount: number; keys: string[] } }

/**
 * The N largest by amount, then one "Other" with the rest. An "Other" of a single entry is pointless,
 * so that entry is shown instead. Ties are broken by key, so the order is stable.
 */
export function topN(totals: Map<string, number> | Ranked[], n: number): TopN {
  const list = (Array.isArray(totals) ? totals : [...totals].map(([key, amount]) => ({ key, amount })))
    .slice()
    .sort((a, b) => b.amount - a.amount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (list.length <= n + 1) return { top: list };
  const rest = list.slice(n);
  return { top: list.slice(0, n), other: { count: rest.length, amount: roundCents(rest.reduce((s, r) => s + r.amount, 0)), keys: rest.map((r) => r.key) } };
}

export interface Change {
  delta: number;
  /** delta / previous, undefined when there was nothing before. */
  ratio?: number;
}

export function change(current: number, previous: number): Change {
  const delta = roundCents(current - previous);
  // Float noise below a cent is "nothing before", not a base for a percentage.
  return Math.abs(previous) >= 0.005 ? { delta, ratio: delta / Math.abs(previous) } : { delta };
}

export interface Forecast {
  /** Actual cost before today plus the forecast from today to the end of the month. */
  monthEnd: number;
  lower?: number;
  upper?: number;
}

/**
 * What the Costs view and the dashboard say when Cost Explorer answers DataUnavailableException: an account
 * with less than about one full billing cycle of costs gets no forecast (not an error, and not $0.00).
 * https://docs.aws.amazon.com/cost-management/latest/userguide/ce-forecast.html
 */
export const FORECAST_UNAVAILABLE = 'Forecast unavailable: not enough cost history yet';
export const FORECAST_UNAVAILABLE_WHY = 'Cost Explorer forecasts once the account has enough cost history, usually one full billing cycle (a whole calendar month). Month to date and the charts are actual costs.';

/**
 * GetCostForecast cannot start before today, so the month-end figure is what was spent before today
 * plus the forecast for [today, end of month). The prediction interval shifts by the same actual amount.
 */
export function forecastMonthEnd(actualBeforeToday: number, forecast: { mean: number; lower?: number; upper?: number }): Forecast {
  const f: Forecast = { monthEnd: roundCents(actualBeforeToday + forecast.mean) };
  if (forecast.lower !== undefined) f.lower = roundCents(actualBeforeToday + forecast.lower);
  if (forecast.upper !== undefined) f.upper = roundCents(actualBeforeToday + forecast.upper);
  return f;
}

/** Linear month-end estimate from the days elapsed: a fallback when GetCostForecast has no answer. */
export function linearMonthEnd(monthToDate: number, today: Day): number {
  const elapsed = Number(today.slice(8, 10));
  return roundCents((monthToDate / elapsed) * daysInMonth(monthOf(today)));
}

export function roundCents(n: number): number {
  // Round half away from zero at the 4th decimal first, so 0.1 + 0.2 sums to 0.3 exactly.
  return Math.round((n + Number.EPSILON * Math.sign(n)) * 1e4) / 1e4;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * '$1,234.56'. Amounts below a cent but not zero read '<$0.01' so a small cost never shows as free.
 * An unknown unit falls back to '1,234.56 XYZ'.
 */
export function formatCurrency(amount: number, unit = 'USD', locale = 'en-US'): string {
  const key = `${locale}|${unit}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency: unit, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const plain = f;
      f = { format: (n: number) => `${plain.format(n)} ${unit}` } as Intl.NumberFormat;
    }
    formatters.set(key, f);
  }
  if (amount !== 0 && Math.abs(amount) < 0.005) return `${amount < 0 ? '-' : ''}<${f.format(0.01)}`;
  // Avoid '-$0.00'.
  return f.format(Math.abs(amount) < 0.005 ? 0 : amount);
}

/** '+$12.30 (+15%)', '-$3.00 (-20%)', '+$5.00 (new)', 'no change'. */
export function formatChange(c: Change, unit = 'USD', locale = 'en-US'): string {
  if (Math.abs(c.delta) < 0.005) return l10n.t('no change');
  const sign = c.delta > 0 ? '+' : '-';
  const money = `${sign}${formatCurrency(Math.abs(c.delta), unit, locale)}`;
  if (c.ratio === undefined) return l10n.t('{0} (new)', money);
  const pct = Math.abs(c.ratio * 100);
  return `${money} (${sign}${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%)`;
}

/** 'just now', '12 min ago', '3 h ago', '2 days ago': how old the shown data is. */
export function formatAge(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return l10n.t('just now');
  if (min < 60) return l10n.t('{0} min ago', min);
  const h = Math.floor(min / 60);
  if (h < 48) return l10n.t('{0} h ago', h);
  return l10n.t('{0} days ago', Math.floor(h / 24));
}
