// Where the Findings view reads one account × region of a scope: in that account and region (today's path),
// in the account's cross-region aggregation (home) region for every linked region of the scope at once, or in
// the account's Security Hub administrator when the scope holds it (the administrator's GetFindings answers its
// members' findings too, each with its AwsAccountId). Detection asks what AWS answers to whom:
//   - GetAdministratorAccount, to the member account itself (organization-managed or invited members alike);
//     an administrator is per region, so it is asked per account and region;
//   - ListFindingAggregators then GetFindingAggregator, to the account (callable from any region; one per account).
// ListOrganizationAdminAccounts answers only the management account and ListMembers only the administrator, so
// neither is asked: a member node never expands into calls to another account just to learn about it.
// Any detection failure (AccessDenied, InvalidAccess, not enabled) is today's path, reported to `log` only.
// No vscode import.
import { GetAdministratorAccountCommand, GetFindingAggregatorCommand, ListFindingAggregatorsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { classifyAwsError } from '../aws/errors';
import type { ScopeMember } from '../aws/scope/scope';

/** A cross-region aggregator as GetFindingAggregator answers it. */
export interface Aggregation { region: string; mode: string; regions: string[] }

/**
 * The regions of `scope` whose findings the aggregator replicates to its home region (the home region itself
 * included). ALL_REGIONS: every one; ALL_REGIONS_EXCEPT_SPECIFIED: all but `regions`; SPECIFIED_REGIONS: only
 * `regions`. An unknown mode links nothing (read per region).
 */
export function linkedRegions(agg: Aggregation, scope: readonly string[]): string[] {
  const listed = new Set(agg.regions);
  return scope.filter((r) => {
    if (r === agg.region) return true;
    switch (agg.mode) {
      case 'ALL_REGIONS': return true;
      case 'ALL_REGIONS_EXCEPT_SPECIFIED': return !listed.has(r);
      case 'SPECIFIED_REGIONS': return listed.has(r);
      default: return false;
    }
  });
}

/** The account's aggregator, or undefined when it has none (ListFindingAggregators answers an empty list). */
export async function detectAggregator(hub: SecurityHubClient): Promise<Aggregation | undefined> {
  const list = await hub.send(new ListFindingAggregatorsCommand({}));
  const arn = list.FindingAggregators?.find((a) => a.FindingAggregatorArn)?.FindingAggregatorArn;
  if (!arn) return undefined;
  const agg = await hub.send(new GetFindingAggregatorCommand({ FindingAggregatorArn: arn }));
  if (!agg.FindingAggregationRegion) return undefined;
  return { region: agg.FindingAggregationRegion, mode: agg.RegionLinkingMode ?? '', regions: agg.Regions ?? [] };
}

/** The account id of this account's Security Hub administrator in the client's region, if it has one that is enabled. */
export async function detectAdministrator(hub: SecurityHubClient): Promise<string | undefined> {
  const a = (await hub.send(new GetAdministratorAccountCommand({}))).Administrator;
  return a?.AccountId && (!a.MemberStatus || a.MemberStatus === 'Enabled' || a.MemberStatus === 'ENABLED') ? a.AccountId : undefined;
}

/**
 * How one place is read. `key` names the read: places with the same key share one load. `accounts` and
 * `regions` are the read's filters (AwsAccountId, Region), and pick this place's findings out of it.
 * A read through an administrator is one member's alone (`accounts` is that member): one read for the scope's
 * members would share one page of `findings.maxResults`, where a member with many findings crowds out the
 * others, and past 20 accounts (GetFindings takes at most 20 values per filter attribute) the account filter
 * could only be applied locally, so the page would hold the administrator's other members' findings too.
 */
export interface HubRoute {
  key: string;
  /** Whose Security Hub is asked, and where. */
  source: ScopeMember;
  region: string;
  /** Findings of these accounts (undefined: any). */
  accounts?: string[];
  /** Findings of these regions (set when the read is an aggregation region's). */
  regions?: string[];
  /** Through an aggregator (its home region) and/or an administrator (its account id). */
  via: { aggregator?: string; administrator?: ScopeMember };
}

/**
 * Today's read of a place: the account's own Security Hub in that region. Under several regions (a node per
 * region) it asks for that region's findings only: in an account's aggregation region GetFindings answers every
 * linked region's too, which would show each of them twice (also when detecting the aggregator was denied).
 * Under several accounts (`ownAccountOnly`, see severalAccounts) it asks for the account's own findings only
 * (AwsAccountId EQUALS its id): a Security Hub administrator's GetFindings answers every member's findings too,
 * so its first page could be filled by other accounts' findings and its own node left empty behind Load more.
 * The members of the scope have nodes of their own; those outside it are not shown under a scope of several.
 */
export function ownRoute(member: ScopeMember, region: string, severalRegions = false, ownAccountOnly = false): HubRoute {
  const accounts = ownAccountOnly && member.accountId ? [member.accountId] : undefined;
  return { key: `own\n${member.key}\n${region}${accounts ? `\n${member.accountId}` : ''}`, source: member, region, ...(accounts ? { accounts } : {}), ...(severalRegions ? { regions: [region] } : {}), via: {} };
}

/** Whether the scope `members` holds an account other than `member`'s (its own read is then narrowed to its account). */
export function severalAccounts(member: ScopeMember, members: readonly ScopeMember[]): boolean {
  return !!member.accountId && members.some((m) => m.accountId && m.accountId !== member.accountId);
}

/**
 * The findings of a route's read that belong to the place of `accountId` in `region`. An administrator's
 * GetFindings answers its members' findings too: read for a member, only that member's are its; read as the
 * account's own read narrowed to its account (a scope of several accounts), only its own; read as the account's
 * own unnarrowed (today's read), the findings of the scope's other accounts are left to their own nodes, and
 * those of accounts outside the scope stay (as today).
 */
export function pickPlace<F extends { accountId?: string; region?: string }>(findings: readonly F[], route: HubRoute, accountId: string | undefined, region: string, scopeAccounts: ReadonlySet<string> = new Set()): F[] {
  return findings.filter((f) => (route.via.administrator || route.accounts ? f.accountId === accountId : !f.accountId || f.accountId === accountId || !scopeAccounts.has(f.accountId))
    && (!route.regions || (f.region ? f.region === region : route.region === region)));
}

export interface HubRoutesDeps {
  /** The member's Security Hub client in a region (under the scope's limit). */
  hub(member: ScopeMember, region: string): SecurityHubClient;
  log(message: string): void;
}

export class HubRoutes {
  private readonly aggregators = new Map<string, Promise<Aggregation | undefined>>();
  private readonly administrators = new Map<string, Promise<string | undefined>>();

  constructor(private readonly deps: HubRoutesDeps) {}

  /** Calls of a detection: a failure is logged and is "none" (today's path), kept until the next clear(). */
  private detect<T>(cache: Map<string, Promise<T | undefined>>, key: string, what: string, member: ScopeMember, work: () => Promise<T | undefined>): Promise<T | undefined> {
    let p = cache.get(key);
    if (!p) {
      cache.set(key, (p = work().catch((err: unknown) => {
        const c = classifyAwsError(err);
        this.deps.log(`Findings: ${what} in ${member.label}${member.accountId ? ` (${member.accountId})` : ''} could not be checked (${c.code ?? c.kind}: ${c.message}); reading its findings per region`);
        return undefined;
      })));
    }
    return p;
  }

  aggregatorOf(member: ScopeMember, askIn: string): Promise<Aggregation | undefined> {
    return this.detect(this.aggregators, member.key, 'the cross-region aggregator', member, () => detectAggregator(this.deps.hub(member, askIn)));
  }

  administratorOf(member: ScopeMember, region: string): Promise<string | undefined> {
    return this.detect(this.administrators, `${member.key}\n${region}`, `the Security Hub administrator (${region})`, member, () => detectAdministrator(this.deps.hub(member, region)));
  }

  /**
   * The read for `member` in `region` of a scope of `members` × `regions`. An administrator counts only when it
   * is another account of the scope; an aggregator only when it links `region` and the scope has another region
   * it links (otherwise there is nothing to save). A member without an account id (a profile) keeps today's path.
   */
  async route(member: ScopeMember, region: string, members: readonly ScopeMember[], regions: readonly string[]): Promise<HubRoute> {
    // Today's read, unchanged: whatever the account's own Security Hub answers in that region.
    const narrow = severalAccounts(member, members);
    const own = ownRoute(member, region, regions.length > 1, narrow);
    if (!member.accountId) return own;
    const adminId = await this.administratorOf(member, region);
    const admin = adminId && adminId !== member.accountId ? members.find((m) => m.accountId === adminId) : undefined;
    const source = admin ?? member;
    // Through the administrator, or its own beside other accounts: this member's findings alone, with a first
    // page (and Load more) of its own.
    const accounts = admin || narrow ? [member.accountId] : undefined;
    const whose = accounts ? `\n${member.accountId}` : '';
    const agg = regions.length > 1 ? await this.aggregatorOf(source, region) : undefined;
    const linked = agg ? linkedRegions(agg, regions) : [];
    if (agg && linked.includes(region) && linked.length > 1) {
      return { key: `${admin ? 'admin' : 'agg'}\n${source.key}\n${agg.region}${whose}`, source, region: agg.region, accounts, regions: linked, via: { aggregator: agg.region, administrator: admin } };
    }
    if (admin) return { key: `admin\n${admin.key}\n${region}${whose}`, source: admin, region, accounts, via: { administrator: admin } };
    return own;
  }

  /** Another scope or connection, or Refresh: detect again when asked. */
  clear(): void {
    this.aggregators.clear();
    this.administrators.clear();
  }
}
