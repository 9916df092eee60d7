// What the Buckets view knows for one connection: the bucket list, postures, storage and
// finding counts, with the disk cache in front. No vscode import (events are plain listeners),
// so the integration tests drive it against moto_server.
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DiskCache } from '../cache/diskCache';
import { classifyAwsError, type ClassifiedError } from '../aws/errors';
import { readFromFirstPage, type PagedRead } from '../tree/firstPage';
import { listAllBuckets, LIST_BUCKETS_VIEW_PAGE, type BucketRef } from './listing';
import type { BucketPosture } from './posture';
import { accountPabFor, checkBucket, resolveRegions, scanPostures, type ScanApi } from './scan';
import { fetchBucketStorage, type BucketStorage } from './storage';

export interface BucketsApi extends ScanApi {
  cloudWatch(region: string): CloudWatchClient;
}

export interface BucketsModelDeps {
  api: BucketsApi;
  cache: DiskCache;
  /** Identifies the account and endpoint in cache keys (profile + endpoint). */
  cacheScope: string;
  settings: () => { concurrency: number; ttlMs: number };
  log: { info(msg: string): void; error(msg: string, err?: unknown): void };
  /** ListBuckets' MaxBuckets (LIST_BUCKETS_VIEW_PAGE unless a test says). */
  listPageSize?: number;
  /**
   * Settles when the side bar's views have drawn their first rows (src/tree/rootLoads.ts): the posture scan and
   * the regions past the first rows wait for it, so they do not compete with any view's first rows.
   */
  idle?: () => Promise<void>;
}

/**
 * Buckets whose regions are found before the view draws its first rows: one page of rows (src/tree/paging.ts'
 * ROWS_PER_PAGE). Against a server that leaves BucketRegion out (moto) each region is a GetBucketLocation; the
 * rest of the page follows once every view drew its first rows. ListBuckets lists in name order, so those add
 * rows after the ones drawn.
 */
export const FIRST_REGIONS = 100;

export type ModelChange = { kind: 'list' } | { kind: 'postures'; buckets: string[] } | { kind: 'storage'; region: string } | { kind: 'findings' } | { kind: 'scan' };

export interface StorageState { state: 'loading' | 'done' | 'error'; data: Map<string, BucketStorage>; error?: ClassifiedError; stale?: boolean }

export interface ScanProgress { running: boolean; done: number; total: number; fromCache: number; startedAt?: number; finishedAt?: number }

export const UNKNOWN_REGION = '(unknown region)';

export class BucketsModel {
  private listing?: PagedRead<BucketRef>;
  buckets?: BucketRef[];
  /** Set when the list came from the cache after a failed refresh. */
  listError?: ClassifiedError;
  readonly postures = new Map<string, BucketPosture>();
  readonly storage = new Map<string, StorageState>();
  readonly findingCounts = new Map<string, number>();
  scan: ScanProgress = { running: false, done: 0, total: 0, fromCache: 0 };
  private abort = new AbortController();
  /** Bumped by reset(): work started before it must not write into the new state. */
  private generation = 0;
  /** After reset(): storage loads go to AWS even when the cache is fresh. */
  private bypassCache = false;
  private readonly listeners = new Set<(c: ModelChange) => void>();

  constructor(private readonly deps: BucketsModelDeps) {}

  onDidChange(listener: (c: ModelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  private emit(c: ModelChange) {
    for (const l of this.listeners) l(c);
  }

  private key(what: string) { return `buckets:${what}:${this.deps.cacheScope}`; }

  /** The bucket list with regions (cached), every page. Starts the posture scan in the background. */
  loadBuckets(force = false): Promise<BucketRef[]> {
    if (this.listing && !force) return this.listing.all;
    const listing = (this.listing = this.fetchList(force));
    listing.all.catch(() => {
      if (this.listing === listing) this.listing = undefined;
    });
    return listing.all;
  }

  /**
   * The buckets of the first ListBuckets page that more pages follow (their regions known), or every bucket if
   * the list ends (or fails) first: what the view draws while the rest is read. `listingPending` says so.
   */
  firstBuckets(force = false): Promise<BucketRef[]> {
    void this.loadBuckets(force).catch(() => undefined);
    return this.listing!.first;
  }

  /** Whether ListBuckets pages are still being read (the view shows the buckets so far). */
  get listingPending(): boolean { return !!this.listing && !this.listing.done; }

  private fetchList(force: boolean): PagedRead<BucketRef> {
    const { api, cache } = this.deps;
    const { ttlMs, concurrency } = this.deps.settings();
    const gen = this.generation;
    const read = readFromFirstPage<BucketRef>(async (onPage) => {
      const res = await cache.getOrFetch(this.key('list'), ttlMs, async () => {
        /** Regions found so far by name: a list read again (moto's cut, listing.ts) does not ask for them twice. */
        const regions = new Map<string, string>();
        const locate = async (buckets: BucketRef[]) => {
          for (const b of buckets) b.region ??= regions.get(b.name);
          await resolveRegions(api, buckets, concurrency, this.abort.signal);
          for (const b of buckets) if (b.region) regions.set(b.name, b.region);
        };
        const publish = (buckets: BucketRef[]) => {
          if (gen !== this.generation) return;
          this.buckets = buckets.map((b) => ({ ...b }));
          this.emit({ kind: 'list' });
          onPage(this.buckets);
        };
        const list = await listAllBuckets(api.s3(api.defaultRegion), this.abort.signal, this.deps.listPageSize ?? LIST_BUCKETS_VIEW_PAGE, async (soFar) => {
          if (!this.buckets) {
            // The first rows: the first page, or the regions of one page of rows when the answer left regions out
            // (moto); then the rest (regions, later pages) once every view drew its first rows.
            const first = soFar.slice(FIRST_REGIONS).some((b) => !b.region) ? soFar.slice(0, FIRST_REGIONS) : soFar;
            await locate(first);
            publish(first);
            await this.idle();
            if (first === soFar) return;
          }
          await locate(soFar);
          publish(soFar);
        });
        // Rows drawn already: the regions left wait for the other views. None drawn: this list is the first rows
        // (one page), which must not wait for its own view's load.
        if (this.buckets) await this.idle();
        await locate(list);
        return list;
      }, { force });
      if (gen !== this.generation) throw new Error('The bucket list was reset while loading.');
      this.listError = res.error ? classifyAwsError(res.error) : undefined;
      this.buckets = res.value.map((b) => ({ ...b }));
      this.emit({ kind: 'list' });
      void this.startScan(force);
      return this.buckets;
    });
    read.first.catch(() => undefined);
    // Pages already drawn and a later one fails: the view keeps what it drew and says why the rest is missing.
    read.all.catch((err: unknown) => {
      if (gen !== this.generation || !this.buckets) return;
      this.listError = classifyAwsError(err);
      this.listIncomplete = true;
      this.emit({ kind: 'list' });
    });
    return read;
  }

  /** Set with listError when pages were shown and a later page failed (not every bucket is listed). */
  listIncomplete = false;

  regions(): string[] {
    const set = new Set((this.buckets ?? []).map((b) => b.region ?? UNKNOWN_REGION));
    return [...set].sort((a, b) => (a === this.deps.api.defaultRegion ? -1 : b === this.deps.api.defaultRegion ? 1 : a.localeCompare(b)));
  }

  bucketsIn(region: string): BucketRef[] {
    return (this.buckets ?? []).filter((b) => (b.region ?? UNKNOWN_REGION) === region).sort((a, b) => a.name.localeCompare(b.name));
  }

  private byName?: { list: BucketRef[]; map: Map<string, BucketRef> };
  /** By name, through a map built once per list (a scan of thousands of buckets asks once per result). */
  find(name: string): BucketRef | undefined {
    if (!this.buckets) return undefined;
    if (this.byName?.list !== this.buckets) this.byName = { list: this.buckets, map: new Map(this.buckets.map((b) => [b.name, b])) };
    return this.byName.map.get(name);
  }

  /**
   * Checks every bucket not fresh in the cache, `concurrency` at a time. Results arrive bucket by
   * bucket (onDidChange); errors are not cached, so the next refresh retries them.
   */
  async startScan(force = false): Promise<void> {
    if (this.scan.running || !this.buckets) return;
    const before = this.generation;
    await this.idle();
    if (before !== this.generation || this.scan.running || !this.buckets) return;
    const { ttlMs, concurrency } = this.deps.settings();
    const gen = this.generation;
    const cached = force ? undefined : await this.deps.cache.get<Record<string, BucketPosture>>(this.key('postures'), ttlMs);
    if (gen !== this.generation) return;
    const known = cached?.fresh ? cached.value : {};
    const todo: BucketRef[] = [];
    for (const b of this.buckets) {
      const hit = known[b.name];
      if (hit) this.postures.set(b.name, hit);
      else todo.push(b);
    }
    const fromCache = this.buckets.length - todo.length;
    this.scan = { running: todo.length > 0, done: fromCache, total: this.buckets.length, fromCache, startedAt: Date.now() };
    this.emit({ kind: 'postures', buckets: Object.keys(known) });
    this.emit({ kind: 'scan' });
    if (!todo.length) return;
    const signal = this.abort.signal;
    try {
      await scanPostures(this.deps.api, todo, {
        concurrency,
        signal,
        onResult: (bucket, posture) => {
          if (gen !== this.generation) return;
          this.postures.set(bucket.name, posture);
          this.scan.done++;
          this.emit({ kind: 'postures', buckets: [bucket.name] });
        },
      });
      if (signal.aborted) return;
      await this.savePostures();
      this.deps.log.info(`Buckets: checked ${todo.length} bucket(s) at concurrency ${concurrency} in ${Date.now() - (this.scan.startedAt ?? Date.now())} ms (${fromCache} from cache)`);
    } catch (err) {
      this.deps.log.error('Buckets: posture scan failed', err);
    } finally {
      if (gen === this.generation) {
        this.scan = { ...this.scan, running: false, finishedAt: Date.now() };
        this.emit({ kind: 'scan' });
      }
    }
  }

  /** Until the side bar's views drew their first rows (deps.idle), at once without it. */
  private idle(): Promise<void> {
    return this.deps.idle?.() ?? Promise.resolve();
  }

  private async savePostures(): Promise<void> {
    const ok: Record<string, BucketPosture> = {};
    for (const [name, p] of this.postures) if (!p.error && !p.flags.includes('checkFailed')) ok[name] = p;
    await this.deps.cache.set(this.key('postures'), ok).catch((err) => this.deps.log.error('Buckets: could not cache postures', err));
  }

  /** Re-checks one bucket now, bypassing the cache. */
  async recheck(name: string): Promise<BucketPosture | undefined> {
    const b = this.find(name);
    if (!b) return undefined;
    const posture = await checkBucket(this.deps.api, b, await accountPabFor(this.deps.api));
    this.postures.set(name, posture);
    this.emit({ kind: 'postures', buckets: [name] });
    if (!this.scan.running) await this.savePostures();
    return posture;
  }

  /** Sizes for one region's buckets (GetMetricData in batches), cached; loads in the background. */
  loadStorage(region: string, force = this.bypassCache): StorageState {
    const current = this.storage.get(region);
    if (current && (current.state === 'loading' || !force)) return current;
    const state: StorageState = { state: 'loading', data: current?.data ?? new Map() };
    this.storage.set(region, state);
    const names = this.bucketsIn(region).map((b) => b.name);
    const { ttlMs } = this.deps.settings();
    void this.deps.cache
      .getOrFetch(this.key(`storage:${region}`), ttlMs, async () => Object.fromEntries(await fetchBucketStorage(this.deps.api.cloudWatch(region), names, { signal: this.abort.signal })), { force })
      .then(
        (res) => {
          state.data = new Map(Object.entries(res.value));
          state.state = res.error ? 'error' : 'done';
          state.error = res.error ? classifyAwsError(res.error) : undefined;
          state.stale = !!res.error;
        },
        (err) => {
          state.state = 'error';
          state.error = classifyAwsError(err);
          this.deps.log.error(`Buckets: storage metrics for ${region} failed`, err);
        },
      )
      .finally(() => this.emit({ kind: 'storage', region }));
    return state;
  }

  setFindingCounts(counts: Readonly<Record<string, number>>): void {
    this.findingCounts.clear();
    for (const [k, v] of Object.entries(counts)) this.findingCounts.set(k, v);
    this.emit({ kind: 'findings' });
  }

  /** Forgets everything and stops work in flight; later loads skip the cache (a user's Refresh). */
  reset(): void {
    this.generation++;
    this.bypassCache = true;
    this.abort.abort();
    this.abort = new AbortController();
    this.listing = undefined;
    this.buckets = undefined;
    this.listError = undefined;
    this.listIncomplete = false;
    this.postures.clear();
    this.storage.clear();
    this.scan = { running: false, done: 0, total: 0, fromCache: 0 };
  }

  dispose(): void {
    this.abort.abort();
    this.listeners.clear();
  }
}
