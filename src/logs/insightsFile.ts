// The `.cwlogs` file format: a Logs Insights query preceded by header comments that name the
// log groups and the time range. Pure, so it is unit-tested.
//
//   # groups: /aws/lambda/consumer, /app/api
//   # range: 1h                      (or 2025-01-01T00:00Z..2025-01-02T00:00Z)
//   # limit: 1000                    (optional: StartQuery's limit, 1 to 100,000; AWS's default is 10,000)
//   # account: 222222222222/ViewOnly (optional: the account, and role, of a multi-account scope to ask;
//                                     or `# profile: name` for a profile of the scope; absent: the profile)
//   # region: eu-west-1              (optional: the region of the scope to ask; absent: the connection's)
//   fields @timestamp, @message
//   | sort @timestamp desc
//
// Other `#` lines are ordinary comments: Logs Insights itself accepts `#` comments.

import { INSIGHTS_MAX_LIMIT } from './insights';
import { REGION_PATTERN } from '../aws/regions';
import type { ScopeMember } from '../aws/scope/scope';

export interface InsightsQueryFile {
  groups: string[];
  range?: string;
  limit?: number;
  /** `# account:` the account id, and the role after a `/`, of the scope member to ask. */
  account?: { id: string; role?: string };
  /** `# profile:` the profile of the scope to ask. */
  profile?: string;
  /** `# region:` the region of the scope to ask. */
  region?: string;
  /** The query text without the header lines. */
  query: string;
  /** Line numbers (0-based) of problems, with messages, for diagnostics. */
  problems: { line: number; message: string }[];
}

const HEADER = /^\s*#\s*(groups?|log-?groups?|range|limit|account|profile|region)\s*:\s*(.*)$/i;
const ACCOUNT = /^(\d{12})(?:\/([\w+=,.@-]{1,64}))?$/;
/** A profile name as the shared files allow one in a section header (no spaces, brackets or comment marks). */
const PROFILE = /^[\w+=,.@:/-]{1,128}$/;

export function parseInsightsFile(text: string): InsightsQueryFile {
  const lines = text.split(/\r?\n/);
  const groups: string[] = [];
  let range: string | undefined;
  let limit: number | undefined;
  let account: InsightsQueryFile['account'];
  let profile: string | undefined;
  let region: string | undefined;
  const problems: InsightsQueryFile['problems'] = [];
  const queryLines: string[] = [];
  lines.forEach((line, i) => {
    const m = HEADER.exec(line);
    if (!m) {
      queryLines.push(line);
      return;
    }
    const key = m[1].toLowerCase();
    const value = m[2].trim();
    if (key.startsWith('range')) range = value || undefined;
    else if (key === 'account') {
      const a = ACCOUNT.exec(value);
      if (!a) problems.push({ line: i, message: 'account must be a 12-digit account id, optionally followed by /RoleName' });
      else account = { id: a[1], ...(a[2] ? { role: a[2] } : {}) };
    } else if (key === 'profile') {
      if (!PROFILE.test(value)) problems.push({ line: i, message: 'profile must be a profile name' });
      else profile = value;
    } else if (key === 'region') {
      if (!REGION_PATTERN.test(value)) problems.push({ line: i, message: 'region must be a region code such as eu-west-1' });
      else region = value;
    }
    else if (key.startsWith('limit')) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > INSIGHTS_MAX_LIMIT) problems.push({ line: i, message: `limit must be a whole number from 1 to ${INSIGHTS_MAX_LIMIT}` });
      else limit = n;
    } else groups.push(...value.split(/[\s,]+/).filter(Boolean));
  });
  const query = queryLines.join('\n').trim();
  if (!groups.length) problems.push({ line: 0, message: 'Name the log groups in a header line: # groups: /aws/lambda/name' });
  if (!query || query.split('\n').every((l) => l.trim().startsWith('#'))) problems.push({ line: Math.max(0, lines.length - 1), message: 'The file has no query.' });
  if (account && profile) problems.push({ line: 0, message: 'Name an account or a profile, not both.' });
  return { groups, range, limit, ...(account ? { account } : {}), ...(profile ? { profile } : {}), ...(region ? { region } : {}), query, problems };
}

/** Which account a query asks: the `# account:` or `# profile:` header, undefined for the selected profile. */
export type InsightsTarget = Pick<InsightsQueryFile, 'account' | 'profile'>;

/** The header line naming a scope member (its account and role, or its profile), for a query started from its node. */
export function targetHeader(member: ScopeMember): string | undefined {
  if (member.accountId) return `# account: ${member.accountId}${member.roleName ? `/${member.roleName}` : ''}`;
  return member.profile ? `# profile: ${member.profile}` : undefined;
}

/**
 * The member of the scope a query's header names: by account id (and role, when given), or by profile.
 * Undefined when none matches: the caller refuses rather than ask another account. A header can only pick a
 * member the user put in the scope, never a profile of the shared files outside it.
 */
export function memberFor(target: InsightsTarget, members: readonly ScopeMember[]): ScopeMember | undefined {
  if (target.account) {
    const { id, role } = target.account;
    return members.find((m) => m.accountId === id && (!role || m.roleName === role));
  }
  if (target.profile) return members.find((m) => m.profile === target.profile);
  return undefined;
}

/**
 * The region a query asks: its `# region:` header when that is one of the scope's regions, else undefined (the
 * connection's region). A region outside the scope is refused, as an account outside it is: never another region
 * than the one the user put in the scope.
 */
export function regionFor(file: Pick<InsightsQueryFile, 'region'>, scopeRegions: readonly string[]): string | undefined {
  if (!file.region) return undefined;
  if (scopeRegions.includes(file.region)) return file.region;
  throw new Error(`This query names region ${file.region}, which is not in the scope (${scopeRegions.join(', ') || 'no region'}). Select a scope that holds it, or remove that header line to ask the connection's region.`);
}

/** The header's words for messages: "account 222222222222/ViewOnly", "profile dev". */
export function describeTarget(target: InsightsTarget): string | undefined {
  if (target.account) return `account ${target.account.id}${target.account.role ? `/${target.account.role}` : ''}`;
  return target.profile ? `profile ${target.profile}` : undefined;
}

/** A new query file's text, for "New Logs Insights Query" on a log group (of `member` in `region`, under a scope). */
export function newInsightsFile(groups: string[], range = '1h', member?: ScopeMember, region?: string): string {
  const target = member ? targetHeader(member) : undefined;
  return [
    ...(target ? [target] : []),
    // A group under a region's node of the scope: the query asks that region, not the connection's.
    ...(region ? [`# region: ${region}`] : []),
    `# groups: ${groups.join(', ')}`,
    `# range: ${range}`,
    'fields @timestamp, @logStream, @message',
    '| sort @timestamp desc',
    '| limit 100',
    '',
  ].join('\n');
}
