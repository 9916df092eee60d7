// The reads behind the places (account × region) of a scope's Findings view: each place's route
// (src/findings/hubRoutes.ts) and one load per route, shared by the region nodes an aggregator serves.
// A shared read refused (AccessDenied, Security Hub not enabled there) is the place's own read instead,
// logged. Load more is one place's: a read serving that place alone goes on from its NextToken; a shared
// (aggregated) read is narrowed to the place's region, so the places it shares with are left as they are.
// No vscode import: the view (accounts.ts) and the integration tests use the same class.
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { classifyAwsError } from '../aws/errors';
import type { ScopeMember } from '../aws/scope/scope';
import { HubRoutes, ownRoute, pickPlace, severalAccounts, type HubRoute } from './hubRoutes';
import { keyOf, type FilterSettings, type FindingSummary } from './model';
import { fetchPage, Generations, loadFindings, type FindingsLoad } from './source';

export interface PlaceReadsDeps {
  hub(member: ScopeMember, region: string): SecurityHubClient;
  settings(): FilterSettings;
  maxResults(): number;
  /** Each read's findings once loaded. */
  loaded?(findings: FindingSummary[]): void;
  log(message: string): void;
}

export interface PlaceLoad { route: HubRoute; loaded: FindingsLoad }

export class PlaceReads {
  readonly routes: HubRoutes;
  /** Each source account and region's generation, checked once until detectAgain() or forget(). */
  private readonly generations = new Generations();
  private readonly reads = new Map<string, Promise<FindingsLoad>>();
  private scope: { members: readonly ScopeMember[]; regions: readonly string[] } = { members: [], regions: [] };
  /** The scope's account ids. */
  accountIds: ReadonlySet<string> = new Set();

  constructor(private readonly deps: PlaceReadsDeps) {
    this.routes = new HubRoutes({ hub: deps.hub, log: deps.log });
  }

  /** The scope the places belong to (an administrator counts only when it is one of `members`). */
  setScope(members: readonly ScopeMember[], regions: readonly string[]): void {
    this.scope = { members, regions };
    this.accountIds = new Set(members.flatMap((m) => (m.accountId ? [m.accountId] : [])));
  }

  /** A place's own findings of its load. */
  placeFindings(l: PlaceLoad, member: ScopeMember, region: string): FindingSummary[] {
    return pickPlace(l.loaded.findings, l.route, member.accountId, region, this.accountIds);
  }

  /**
   * The filters of a route's read: the view's, with the route's accounts (those of them the view's account
   * filter keeps, if it has one; none kept: the view's, which leave the place empty) and regions.
   */
  private settingsFor(route: Pick<HubRoute, 'accounts' | 'regions'>): FilterSettings {
    const base = this.deps.settings();
    const kept = route.accounts && base.accounts?.length ? route.accounts.filter((a) => base.accounts!.includes(a)) : route.accounts;
    return { ...base, ...(kept?.length ? { accounts: kept } : {}), ...(route.regions ? { regions: route.regions } : {}) };
  }

  /** The read of a route, made once and shared; a failure is forgotten so the next expansion asks again. */
  read(route: HubRoute): Promise<FindingsLoad> {
    let load = this.reads.get(route.key);
    if (!load) {
      const { deps } = this;
      const hub = deps.hub(route.source, route.region);
      const generation = this.generations.of(`${route.source.key}\n${route.region}`, hub);
      const made = loadFindings(hub, this.settingsFor(route), { max: deps.maxResults(), generation }).then((l) => (deps.loaded?.(l.findings), l));
      this.reads.set(route.key, (load = made));
      made.catch(() => this.reads.get(route.key) === made && this.reads.delete(route.key));
    }
    return load;
  }

  /** The route of a place and its read. */
  async load(member: ScopeMember, region: string, route?: Promise<HubRoute>): Promise<PlaceLoad> {
    const r = await (route ?? this.routes.route(member, region, this.scope.members, this.scope.regions));
    const own = ownRoute(member, region, this.scope.regions.length > 1, severalAccounts(member, this.scope.members));
    if (r.key === own.key) return { route: r, loaded: await this.read(r) };
    let why: string;
    try {
      const loaded = await this.read(r);
      if (!loaded.notEnabled) return { route: r, loaded };
      why = `Security Hub is not enabled there: ${loaded.notEnabled.message}`;
    } catch (err) {
      const c = classifyAwsError(err);
      if (c.kind !== 'accessDenied' && c.kind !== 'notEnabled') throw err;
      why = `${c.code ?? c.kind}: ${c.message}`;
    }
    this.deps.log(`Findings: the shared read for ${member.label} (${region}) in ${r.source.label} ${r.region} was refused (${why}); reading it in its own account and region`);
    return { route: own, loaded: await this.read(own) };
  }

  /** Where a place's own Load more goes on from, per read and place (a read shared by several places). */
  private readonly continued = new WeakMap<FindingsLoad, Map<string, string | undefined>>();

  /** Whether the place may have findings beyond those shown: its own Load more's token, else its read's. */
  hasMore(l: PlaceLoad, member: ScopeMember, region: string): boolean {
    const tokens = this.continued.get(l.loaded);
    const place = `${member.key}\n${region}`;
    return !!(tokens?.has(place) ? tokens.get(place) : l.loaded.nextToken);
  }

  /**
   * Load more for one place: the next `maxResults` of its findings, added to its load (and returned). A read
   * that serves the place alone goes on from its NextToken. A shared read (an aggregation region's, for each
   * linked region's node) is narrowed to the place's region: the first time it asks for as many as the place
   * shows plus a page (its shown findings are the newest of that narrowed read, so at least a page is new),
   * then goes on from that read's own token; the other places of the shared read are not changed.
   */
  async more(l: PlaceLoad, member: ScopeMember, region: string): Promise<FindingSummary[]> {
    const { route, loaded } = l;
    if (!this.hasMore(l, member, region)) return [];
    const max = this.deps.maxResults();
    const hub = this.deps.hub(route.source, route.region);
    let page;
    if ((route.regions?.length ?? 0) <= 1) {
      page = await fetchPage(hub, loaded.generation, this.settingsFor(route), { max, nextToken: loaded.nextToken });
      loaded.nextToken = page.nextToken;
    } else {
      const place = `${member.key}\n${region}`;
      let tokens = this.continued.get(loaded);
      if (!tokens) this.continued.set(loaded, (tokens = new Map()));
      const started = tokens.has(place);
      const narrowed = this.settingsFor({ accounts: route.accounts, regions: [region] });
      page = await fetchPage(hub, loaded.generation, narrowed, started ? { max, nextToken: tokens.get(place) } : { max: this.placeFindings(l, member, region).length + max });
      tokens.set(place, page.nextToken);
    }
    const known = new Set(loaded.findings.map(keyOf));
    const added = page.findings.filter((f) => !known.has(keyOf(f)));
    loaded.findings.push(...added);
    this.deps.loaded?.(page.findings);
    return added;
  }

  /** Every read made so far (to prune after a triage). */
  async loads(): Promise<FindingsLoad[]> {
    const all = await Promise.all([...this.reads.values()].map((p) => p.catch(() => undefined)));
    return all.filter((l): l is FindingsLoad => !!l);
  }

  /** Filters changed or Refresh: every place reads again (detection is kept). */
  reset(): void { this.reads.clear(); }

  /** An explicit Refresh of the view: where each account's findings are gathered, and which generation serves it, are asked again. */
  detectAgain(): void {
    this.routes.clear();
    this.generations.clear();
  }

  /** Another scope or connection: detect again too. */
  forget(): void {
    this.reads.clear();
    this.detectAgain();
  }
}

