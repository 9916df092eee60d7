// The scope of the views: one profile (today's behaviour), a set of profiles, or the accounts and roles of
// an IAM Identity Center `sso-session`; plus a set of regions. Pure: no vscode import, so unit tests drive it.
import { REGION_PATTERN } from '../regions';

/** What the user chose, as stored in workspaceState. */
export type ScopeSpec =
  | { kind: 'profile' }
  | { kind: 'profiles'; profiles: string[]; regions: string[] }
  /** roles: the account/role pairs chosen; absent, each account's first role (by name). */
  | { kind: 'ssoSession'; session: string; roles?: RoleRef[]; regions: string[] };

export interface RoleRef { accountId: string; roleName: string }

/** One account (or profile) of the scope: what a view groups by. */
export interface ScopeMember {
  /** Stable and unique within the scope: the profile name, or `sso:<session>/<accountId>/<roleName>`. */
  key: string;
  /** Shown first: the account name from the SSO portal, or the profile name. */
  label: string;
  accountId?: string;
  accountName?: string;
  roleName?: string;
  /** Set for a profile member: its credentials come from the shared files. */
  profile?: string;
  /** Set for an SSO member. */
  ssoSession?: string;
}

export const SINGLE_PROFILE: ScopeSpec = { kind: 'profile' };

const ACCOUNT_ID = /^\d{12}$/;
/** An IAM role name, as ListAccountRoles returns them (permission set names are a subset). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
}

function regions(v: unknown): string[] {
  return [...new Set(strings(v).filter((r) => REGION_PATTERN.test(r)))];
}

/**
 * A stored or passed scope, checked: anything malformed is today's single profile, so a bad value never
 * leaves the views without a connection.
 */
export function parseScope(raw: unknown): ScopeSpec {
  if (!raw || typeof raw !== 'object') return SINGLE_PROFILE;
  const r = raw as Record<string, unknown>;
  if (r.kind === 'profiles') {
    const profiles = [...new Set(strings(r.profiles))];
    if (!profiles.length) return SINGLE_PROFILE;
    return { kind: 'profiles', profiles, regions: regions(r.regions) };
  }
  if (r.kind === 'ssoSession' && typeof r.session === 'string' && r.session.trim()) {
    const roles = Array.isArray(r.roles)
      ? (r.roles as unknown[]).flatMap((x) => {
        const o = (x ?? {}) as Record<string, unknown>;
        return typeof o.accountId === 'string' && ACCOUNT_ID.test(o.accountId) && typeof o.roleName === 'string' && ROLE_NAME.test(o.roleName)
          ? [{ accountId: o.accountId, roleName: o.roleName }] : [];
      })
      : undefined;
    return { kind: 'ssoSession', session: r.session.trim(), ...(roles?.length ? { roles } : {}), regions: regions(r.regions) };
  }
  return SINGLE_PROFILE;
}

/** The scope's regions: its own set, or the connection's one region. */
export function scopeRegions(spec: ScopeSpec, connectionRegion: string | undefined): string[] {
  const own = spec.kind === 'profile' ? [] : spec.regions;
  if (own.length) return own;
  return connectionRegion ? [connectionRegion] : [];
}

/** The members of a set of profiles: one per profile, in the order chosen. */
export function profileMembers(profiles: string[]): ScopeMember[] {
  return profiles.map((p) => ({ key: p, label: p, profile: p }));
}

export interface PortalAccount { accountId?: string; accountName?: string }
export interface PortalRole { accountId?: string; roleName?: string }

export function ssoMemberKey(session: string, accountId: string, roleName: string): string {
  return `sso:${session}/${accountId}/${roleName}`;
}

/**
 * The members of an sso-session scope from what the portal listed: the chosen account/role pairs, or each
 * account's first role by name ('all': every role, for a picker). Sorted by account name, then id; accounts without a role are left out.
 */
export function ssoMembers(session: string, accounts: PortalAccount[], rolesOf: Map<string, PortalRole[]>, chosen?: RoleRef[] | 'all'): ScopeMember[] {
  const out: ScopeMember[] = [];
  for (const a of accounts) {
    if (!a.accountId) continue;
    const names = [...new Set((rolesOf.get(a.accountId) ?? []).map((r) => r.roleName).filter((n): n is string => !!n))].sort();
    const picked = chosen === 'all' ? names : chosen ? names.filter((n) => chosen.some((c) => c.accountId === a.accountId && c.roleName === n)) : names.slice(0, 1);
    for (const roleName of picked) {
      out.push({
        key: ssoMemberKey(session, a.accountId, roleName),
        label: a.accountName?.trim() || a.accountId,
        accountId: a.accountId,
        accountName: a.accountName,
        roleName,
        ssoSession: session,
      });
    }
  }
  return out.sort((x, y) => x.label.localeCompare(y.label) || (x.accountId ?? '').localeCompare(y.accountId ?? '') || (x.roleName ?? '').localeCompare(y.roleName ?? ''));
}

/** Distinct accounts among the members (two roles in one account are one account; a profile counts as one). */
export function accountCount(members: ScopeMember[]): number {
  return new Set(members.map((m) => m.accountId ?? `profile:${m.key}`)).size;
}

/** "12 accounts · 3 regions", or undefined when the scope is one account in one region (today's status bar). */
export function scopeSummary(accounts: number, regionCount: number): string | undefined {
  if (accounts <= 1 && regionCount <= 1) return undefined;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(accounts, 'account')} · ${plural(regionCount, 'region')}`;
}

/** Whether views group by account: more than one member. */
export function isMultiAccount(members: ScopeMember[] | undefined): boolean {
  return !!members && members.length > 1;
}

/**
 * How a view groups a scope: by account when it holds more than one member, by region when it holds more
 * than one region (under each account, or at the top for one account). Undefined: no grouping (today's view).
 */
export function scopeGrouping(members: ScopeMember[], regions: string[]): { byAccount: boolean; byRegion: boolean } | undefined {
  const byAccount = members.length > 1;
  const byRegion = regions.length > 1 && members.length > 0;
  return byAccount || byRegion ? { byAccount, byRegion } : undefined;
}

/**
 * One segment of a node id: `/` and `%` encoded, so a member key (a profile may be named `x/region/eu-west-1`;
 * an SSO key holds `/`) can never run into the next segment and give another node's id.
 */
export function idSegment(text: string): string {
  return encodeURIComponent(text);
}

/** The id of an account's node in a view: stable across refreshes, unique per member. */
export function accountNodeId(viewId: string, memberKey: string): string {
  return `${viewId}/account/${idSegment(memberKey)}`;
}

/**
 * The id of a region's node in a view, under an account or at the top for one account: the same either way,
 * unique per account × region, so a region's expansion survives a refresh. Its rows' ids start with it.
 */
export function regionNodeId(viewId: string, memberKey: string, region: string): string {
  return `${accountNodeId(viewId, memberKey)}/region/${idSegment(region)}`;
}
