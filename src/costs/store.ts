// Every Cost Explorer request goes through here: the disk cache (shared by all views and windows), the
// month store that never re-requests a final month, in-flight sharing, a cross-window lock and the consent
// gate. The client records each request in the billing ledger (src/billing); this store keeps no count of its
// own. No vscode import: the bench and the integration tests drive this same code.
import { join } from 'node:path';
import { DiskCache, type Cached } from '../cache/diskCache';
import type { CeApi } from './api';
import { monthEnd, monthOf, utcToday, type Day, type Month } from './dates';
import { withFileLock } from '../cache/fileLock';
import { FORECAST_METRIC, parsePages, type CostMetric, type CostPage, type CostRow } from './math';
import { contiguousRuns, costAndUsageInput, filterExpression, filterText, isFinal, runPeriod, type FetchMode, type FilterId, type Granularity, type Grouping } from './plan';

export interface StoreDeps {
  cache: Pick<DiskCache, 'get' | 'set'>;
  api: () => CeApi | Promise<CeApi>;
  /** Who the data belongs to: profile and endpoint. Part of every cache key. */
  scope: () => string;
  ttlMs: () => number;
  /** Where the cross-window lock files go (under globalStorageUri). */
  lockDir: string;
  now?: () => number;
  /** Runs before every request; throws to prevent it (no consent yet). */
  beforeRequest?: () => void | Promise<void>;
  /** Runs after every request (the view's description shows the count from the billing ledger). */
  afterRequest?: () => void;
  log?: (msg: string) => void;
}

/** The connection changed after a load began: its request was not sent (the load's view is refreshed for the new one). */
export class ConnectionChangedError extends Error {
  constructor(op: string) {
    super(`The AWS connection changed before Cost Explorer ${op} was sent: nothing was sent. Refresh to load the new connection's costs.`);
    this.name = 'ConnectionChangedError';
  }
}

/** cacheOnly found nothing: the caller shows "refresh to load" instead of spending money. */
export class NotCachedError extends Error {
  override name = 'NotCached';
}

/** When the data was fetched, and the error if a refresh failed and older data is shown instead. */
export interface Freshness {
  /** Oldest fetch time among the parts that can still change (the newest fetch when all are final). */
  fetchedAt: number;
  /** Every part is final (closed months): nothing here will ever be requested again. */
  final?: boolean;
  error?: unknown;
}

interface MonthEntry {
  rows: CostRow[];
  unit: string;
  names: Record<string, string>;
  estimated: Day[];
  fetchedOn: Day;
  final: boolean;
}

export interface MonthsResult extends Freshness {
  rows: CostRow[];
  unit: string;
  names: Record<string, string>;
  estimated: Day[];
}

export interface ForecastEntry {
  fetchedOn: Day;
  unit: string;
  days: { day: Day; mean: number; lower?: number; upper?: number }[];
  /** Cost Explorer could not forecast (DataUnavailableException: too little history). */
  unavailable?: string;
}

export interface AnomalyMonitorsEntry { monitors: { arn: string; name: string }[] }

export interface AnomalySummary {
  id: string;
  start?: Day;
  end?: Day;
  dimension?: string;
  monitorArn?: string;
  maxImpact: number;
  totalImpact?: number;
  impactPercent?: number;
  rootCauses: { service?: string; region?: string; account?: string; accountName?: string; usageType?: string; contribution?: number }[];
}
export interface AnomaliesEntry { fetchedOn: Day; anomalies: AnomalySummary[]; more: boolean }

const MAX_PAGES = 20;
// Monitors are created rarely; the Refresh button asks again at once.
const MONITORS_TTL_MS = 7 * 24 * 3_600_000;
export const ANOMALY_DAYS = 30;

export class CostStore {
  private readonly now: () => number;
  private readonly inflight = new Map<string, Promise<void>>();
  /** After a manual refresh: the keys refetched since. Open data not in it counts as expired. */
  private forced?: Set<string>;

  constructor(private readonly deps: StoreDeps) {
    this.now = deps.now ?? Date.now;
  }

  today(): Day { return utcToday(this.now()); }

  /**
   * A manual refresh: every open (non-final) entry is refetched once, whatever its age; final months stay.
   * Mode 'force' on a method is the same as 'auto': callers mark stale once, then load everything.
   */
  markStale(): void {
    this.forced = new Set();
  }

  private expired(key: string, storedAt: number, ttl: number): boolean {
    return this.now() - storedAt >= ttl || (!!this.forced && !this.forced.has(key));
  }

  private async store(key: string, value: unknown): Promise<void> {
    await this.deps.cache.set(key, value);
    this.forced?.add(key);
  }

  private key(parts: Record<string, unknown>, scope = this.deps.scope()): string {
    return JSON.stringify({ v: 1, scope, ...parts });
  }

  private monthKey(grouping: Grouping, granularity: Granularity, filter: FilterId, month: Month, scope?: string): string {
    return this.key({ kind: 'costAndUsage', groupBy: grouping.groupBy, granularity, filter, month }, scope);
  }

  private lockPath(key: string): string {
    return join(this.deps.lockDir, `${DiskCache.keyOf(key)}.lock`);
  }

  /**
   * One request (one page) through the consent gate, for `scope`: the scope its load read and will store under. The
   * client is the connection's when it is made, which can be later (a cross-window lock, the client module loading
   * at the first request): if the connection changed since the load began, nothing is sent, since the answer
   * would be stored under the other connection's scope. No client (not connected): no request.
   */
  private async send<T>(scope: string, op: string, detail: string, call: (api: CeApi) => Promise<T>): Promise<T> {
    const sameConnection = () => { if (this.deps.scope() !== scope) throw new ConnectionChangedError(op); };
    sameConnection();
    const api = await this.deps.api();
    sameConnection();
    await this.deps.beforeRequest?.();
    this.deps.log?.(`Cost Explorer ${op} ${detail}`);
    try {
      return await call(api);
    } finally {
      this.deps.afterRequest?.();
    }
  }

  private locked(key: string, run: () => Promise<void>): Promise<void> {
    return this.dryRun ? run() : withFileLock(this.lockPath(key), run);
  }

  /** Shares one in-flight fetch between callers (the tree and the dashboard refreshing together). */
  private once(key: string, run: () => Promise<void>): Promise<void> {
    let p = this.inflight.get(key);
    if (!p) {
      p = run().finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  /**
   * Cost and usage for whole months. Final months come from the cache forever; missing or expired ones
   * are fetched in contiguous runs, one request each (plus pages). On a failed refresh, cached data is
   * returned with the error.
   */
  async months(grouping: Grouping, granularity: Granularity, filter: FilterId, months: Month[], mode: FetchMode = 'auto'): Promise<MonthsResult> {
    const ttl = this.deps.ttlMs();
    const scope = this.deps.scope();
    const key = (m: Month) => this.monthKey(grouping, granularity, filter, m, scope);
    const read = () => Promise.all(months.map((m) => this.deps.cache.get<MonthEntry>(key(m), ttl)));
    const needed = (entries: Awaited<ReturnType<typeof read>>, list: Month[]) =>
      list.filter((m) => {
        const e = entries[months.indexOf(m)];
        return !e || (!e.value.final && this.expired(key(m), e.storedAt, ttl));
      });

    let entries = await read();
    let error: unknown;
    const missing = mode === 'cacheOnly' ? [] : needed(entries, months);
    for (const run of contiguousRuns(missing)) {
      const runKey = JSON.stringify([scope, grouping.groupBy, granularity, filter, run]);
      try {
        await this.once(runKey, () =>
          this.locked(runKey, async () => {
            // Another window may have fetched while this one waited for the lock.
            const still = needed(await read(), run);
            for (const r of contiguousRuns(still)) await this.fetchMonths(scope, grouping, granularity, filter, r);
          }),
        );
      } catch (err) {
        if (run.some((m) => !entries[months.indexOf(m)])) throw err;
        error = err;
      }
    }
    if (missing.length) entries = await read();
    const absent = months.filter((_, i) => !entries[i]);
    if (absent.length) throw new NotCachedError(`No cached cost data for ${absent.join(', ')}.`);

    const present = entries.filter((e): e is NonNullable<typeof e> => !!e);
    const open = present.filter((e) => !e.value.final);
    const fetchedAt = open.length ? Math.min(...open.map((e) => e.storedAt)) : Math.max(...present.map((e) => e.storedAt));
    const names: Record<string, string> = {};
    for (const e of present) Object.assign(names, e.value.names);
    return {
      rows: present.flatMap((e) => e.value.rows),
      unit: present.find((e) => e.value.rows.length)?.value.unit ?? 'USD',
      names,
      estimated: present.flatMap((e) => e.value.estimated),
      fetchedAt,
      final: !open.length,
      error,
    };
  }

  /** Whatever is cached for these months, of any age, without a request (the dashboard's filter values). */
  async cachedRows(grouping: Grouping, granularity: Granularity, months: Month[], filter: FilterId = 'all'): Promise<{ rows: CostRow[]; names: Record<string, string> }> {
    const rows: CostRow[] = [];
    const names: Record<string, string> = {};
    for (const m of months) {
      const e = await this.deps.cache.get<MonthEntry>(this.monthKey(grouping, granularity, filter, m), Infinity);
      if (!e) continue;
      rows.push(...e.value.rows);
      Object.assign(names, e.value.names);
    }
    return { rows, names };
  }

  /**
   * How many requests `run` would make, without making them: `run` gets a store that reads this one's
   * cache but answers every request with an empty page, counts it, and keeps what it "fetched" in memory
   * only. So the count comes from the same code path a real load takes; `stale` prices a manual refresh
   * (markStale first). Pages beyond the first are not
   * known in advance; an account whose monitors are not cached yet is priced as having one.
   */
  async estimate(run: (store: CostStore) => Promise<unknown>, stale = false): Promise<number> {
    let count = 0;
    const memory = new Map<string, Cached<unknown>>();
    const cache = this.deps.cache;
    const overlay: StoreDeps['cache'] = {
      get: async <T>(key: string, ttl: number) => (memory.get(key) as Cached<T> | undefined) ?? cache.get<T>(key, ttl),
      set: async (key, value) => { memory.set(key, { value, storedAt: this.now(), ageMs: 0, fresh: true }); },
    };
    const counting = <T>(answer: T) => async () => { count++; return answer; };
    const api: CeApi = {
      getCostAndUsage: counting({}),
      getCostForecast: counting({}),
      // Unknown until asked: priced as if a monitor exists, so the GetAnomalies that would follow is counted too.
      getAnomalyMonitors: counting({ AnomalyMonitors: [{ MonitorArn: 'estimate', MonitorName: 'estimate' }] }),
      getAnomalies: counting({}),
    };
    const dry = new CostStore({ ...this.deps, cache: overlay, api: () => api, beforeRequest: undefined, afterRequest: undefined, log: undefined, lockDir: this.deps.lockDir });
    dry.forced = this.forced && new Set(this.forced);
    // A manual refresh refetches every open entry whatever its age: price it the same way.
    if (stale) dry.markStale();
    dry.dryRun = true;
    await run(dry);
    return count;
  }

  /** An estimating store (see estimate): takes no cross-window lock. */
  private dryRun = false;

  /** Final months already stored, by month: they never need a request again, in any granularity. */
  async finalMonths(grouping: Grouping, granularity: Granularity, filter: FilterId, months: Month[]): Promise<Map<Month, CostRow[]>> {
    const out = new Map<Month, CostRow[]>();
    for (const m of months) {
      const e = await this.deps.cache.get<MonthEntry>(this.monthKey(grouping, granularity, filter, m), Infinity);
      if (e?.value.final) out.set(m, e.value.rows);
    }
    return out;
  }

  private async fetchMonths(scope: string, grouping: Grouping, granularity: Granularity, filter: FilterId, run: Month[]): Promise<void> {
    const today = this.today();
    const period = runPeriod(run, today);
    const pages: CostPage[] = [];
    let token: string | undefined;
    do {
      const input = costAndUsageInput(grouping, granularity, period, filter, token);
      const detail = `${granularity} ${period.start}..${period.end} by ${grouping.groupBy.map((g) => g.Key).join('+')}${filterText(filter)}${token ? ` page ${pages.length + 1}` : ''}`;
      const page = await this.send(scope, 'GetCostAndUsage', detail, (api) => api.getCostAndUsage(input));
      pages.push(page as CostPage);
      token = page.NextPageToken;
    } while (token && pages.length < MAX_PAGES);
    if (token) throw new Error(`Cost Explorer returned more than ${MAX_PAGES} pages for ${period.start}..${period.end}; narrow the grouping.`);
    const parsed = parsePages(pages);
    for (const month of run) {
      const estimated = parsed.estimated.filter((d) => monthOf(d) === month);
      const entry: MonthEntry = {
        rows: parsed.rows.filter((r) => monthOf(r.day) === month),
        unit: parsed.unit,
        names: parsed.names,
        estimated,
        fetchedOn: today,
        final: isFinal(month, today, estimated),
      };
      await this.store(this.monthKey(grouping, granularity, filter, month, scope), entry);
    }
  }

  /** A single cached value with the same policy: fresh → cache; else fetch under the lock; on failure, stale with the error. */
  private async single<T>(parts: Record<string, unknown>, ttl: number, mode: FetchMode, fetch: (scope: string) => Promise<T>): Promise<{ value: T } & Freshness> {
    const scope = this.deps.scope();
    const key = this.key(parts, scope);
    const hit = await this.deps.cache.get<T>(key, ttl);
    if (hit && (mode === 'cacheOnly' || !this.expired(key, hit.storedAt, ttl))) return { value: hit.value, fetchedAt: hit.storedAt };
    if (mode === 'cacheOnly') throw new NotCachedError(`No cached ${String(parts.kind)}.`);
    try {
      await this.once(key, () =>
        this.locked(key, async () => {
          const again = await this.deps.cache.get<T>(key, ttl);
          if (again && !this.expired(key, again.storedAt, ttl)) return;
          await this.store(key, await fetch(scope));
        }),
      );
      const fresh = await this.deps.cache.get<T>(key, ttl);
      if (!fresh) throw new Error('the cache did not keep the response');
      return { value: fresh.value, fetchedAt: fresh.storedAt };
    } catch (error) {
      if (hit) return { value: hit.value, fetchedAt: hit.storedAt, error };
      throw error;
    }
  }

  /** GetCostForecast from today to the end of the month, daily, with an 80% prediction interval. */
  forecast(metric: CostMetric, filter: FilterId, mode: FetchMode = 'auto'): Promise<{ value: ForecastEntry } & Freshness> {
    const today = this.today();
    const month = monthOf(today);
    return this.single<ForecastEntry>({ kind: 'forecast', metric, filter, month }, this.deps.ttlMs(), mode, async (scope) => {
      const f = filterExpression(filter);
      const input = { TimePeriod: { Start: today, End: monthEnd(month) }, Metric: FORECAST_METRIC[metric], Granularity: 'DAILY' as const, PredictionIntervalLevel: 80, ...(f ? { Filter: f } : {}) };
      try {
        const r = await this.send(scope, 'GetCostForecast', `${FORECAST_METRIC[metric]} ${today}..${monthEnd(month)}${filterText(filter)}`, (api) => api.getCostForecast(input));
        const num = (s?: string) => (s === undefined || s === '' ? undefined : Number(s));
        return {
          fetchedOn: today,
          unit: r.Total?.Unit ?? 'USD',
          days: (r.ForecastResultsByTime ?? []).filter((x) => x.TimePeriod?.Start).map((x) => ({ day: x.TimePeriod!.Start!, mean: num(x.MeanValue) ?? 0, lower: num(x.PredictionIntervalLowerBound), upper: num(x.PredictionIntervalUpperBound) })),
        };
      } catch (err) {
        // Too little history is an answer, not a failure: keep it for the TTL instead of asking again.
        if ((err as Error)?.name === 'DataUnavailableException') return { fetchedOn: today, unit: 'USD', days: [], unavailable: (err as Error).message };
        throw err;
      }
    });
  }

  /** GetAnomalyMonitors, kept a week (or until Refresh): anomalies are only asked for when a monitor exists. */
  anomalyMonitors(mode: FetchMode = 'auto'): Promise<{ value: AnomalyMonitorsEntry } & Freshness> {
    return this.single<AnomalyMonitorsEntry>({ kind: 'anomalyMonitors' }, MONITORS_TTL_MS, mode, async (scope) => {
      const r = await this.send(scope, 'GetAnomalyMonitors', 'first page', (api) => api.getAnomalyMonitors({ MaxResults: 100 }));
      return { monitors: (r.AnomalyMonitors ?? []).map((m) => ({ arn: m.MonitorArn ?? '', name: m.MonitorName ?? '' })) };
    });
  }

  /** GetAnomalies of the last 30 days: the first page only (the view shows the largest few). */
  anomalies(mode: FetchMode = 'auto'): Promise<{ value: AnomaliesEntry } & Freshness> {
    const today = this.today();
    return this.single<AnomaliesEntry>({ kind: 'anomalies', days: ANOMALY_DAYS }, this.deps.ttlMs(), mode, async (scope) => {
      const start = new Date(Date.parse(`${today}T00:00:00Z`) - ANOMALY_DAYS * 86_400_000).toISOString().slice(0, 10);
      const r = await this.send(scope, 'GetAnomalies', `${start}..${today}`, (api) => api.getAnomalies({ DateInterval: { StartDate: start, EndDate: today }, MaxResults: 50 }));
      const anomalies: AnomalySummary[] = (r.Anomalies ?? []).map((a) => ({
        id: a.AnomalyId ?? '',
        start: a.AnomalyStartDate?.slice(0, 10),
        end: a.AnomalyEndDate?.slice(0, 10),
        dimension: a.DimensionValue,
        monitorArn: a.MonitorArn,
        maxImpact: a.Impact?.MaxImpact ?? 0,
        totalImpact: a.Impact?.TotalImpact,
        impactPercent: a.Impact?.TotalImpactPercentage,
        rootCauses: (a.RootCauses ?? []).map((c) => ({ service: c.Service, region: c.Region, account: c.LinkedAccount, accountName: c.LinkedAccountName, usageType: c.UsageType, contribution: c.Impact?.Contribution })),
      }));
      anomalies.sort((a, b) => (b.totalImpact ?? b.maxImpact) - (a.totalImpact ?? a.maxImpact));
      return { fetchedOn: today, anomalies, more: !!r.NextPageToken };
    });
  }
}
