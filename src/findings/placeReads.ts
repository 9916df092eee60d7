// The reads behind the places (account × region) of a scope's Findings view: each place's route
// (src/findings/hubRoutes.ts) and one load per route, shared by the places an aggregator or an administrator
// serves. A shared read refused (AccessDenied, Security Hub not enabled there) is the place's own read instead,
// logged. No vscode import: the view (accounts.ts) and the integration tests use the same class.
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { classifyAwsError } from '../aws/errors';
import type { ScopeMember } from '../aws/scope/scope';
import { HubRoutes, ownRoute, pickPlace, type HubRoute } from './hubRoutes';
import type { FilterSettings, FindingSummary } from './model';
import { loadFindings, type FindingsLoad } from './source';

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

  /** The read of a route, made once and shared; a failure is forgotten so the next expansion asks again. */
  read(route: HubRoute): Promise<FindingsLoad> {
    let load = this.reads.get(route.key);
    if (!load) {
      const { deps } = this;
      const base = deps.settings();
      const settings: FilterSettings = { ...base, ...(route.accounts && !base.accounts?.length ? { accounts: route.accounts } : {}), ...(route.regions ? { regions: route.regions } : {}) };
      const made = loadFindings(deps.hub(route.source, route.region), settings, { max: deps.maxResults() }).then((l) => (deps.loaded?.(l.findings), l));
      this.reads.set(route.key, (load = made));
      made.catch(() => this.reads.get(route.key) === made && this.reads.delete(route.key));
    }
    return load;
  }

  /** The route of a place and its read. */
  async load(member: ScopeMember, region: string, route?: Promise<HubRoute>): Promise<PlaceLoad> {
    const r = await (route ?? this.routes.route(member, region, this.scope.members, this.scope.regions));
    const own = ownRoute(member, region, this.scope.regions.length > 1);
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

  /** Every read made so far (to prune after a triage). */
  async loads(): Promise<FindingsLoad[]> {
    const all = await Promise.all([...this.reads.values()].map((p) => p.catch(() => undefined)));
    return all.filter((l): l is FindingsLoad => !!l);
  }

  /** Filters changed or Refresh: every place reads again (detection is kept). */
  reset(): void { this.reads.clear(); }

  /** Another scope or connection: detect again too. */
  forget(): void {
    this.reads.clear();
    this.routes.clear();
  }
}

