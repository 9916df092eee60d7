// The IAM Identity Center portal API (portal.sso.<region>.amazonaws.com): ListAccounts, ListAccountRoles
// and GetRoleCredentials, with the bearer token `aws sso login` cached. The token cache is only READ here:
// refreshing the token (and writing the cache) stays with the AWS CLI, whose sign-in the views offer.
// REST-JSON by hand (the SDK's SSO client is not a dependency of this extension); the shapes are botocore's
// sso 2019-06-10 model, which the test stand-in (test/helpers/ssoPortalStandIn.ts) holds answers to.
// No vscode import. The token never reaches a log or an error message.
import { readFile } from 'node:fs/promises';
import { getSSOTokenFilepath } from '@smithy/shared-ini-file-loader';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { PortalAccount, PortalRole } from './scope';

export interface SsoSessionConfig { name: string; region: string; startUrl?: string }

/** `[sso-session NAME]` sections of the shared config (the loader keys them "sso-session.NAME"). */
export function ssoSessions(configFile: Record<string, Record<string, string | undefined>>): SsoSessionConfig[] {
  return Object.entries(configFile)
    .filter(([k, v]) => k.startsWith('sso-session.') && !!v.sso_region)
    .map(([k, v]) => ({ name: k.slice('sso-session.'.length), region: v.sso_region!, startUrl: v.sso_start_url }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** An error the SDK's classifier understands (name, $metadata.httpStatusCode); never carries the token. */
export class SsoPortalError extends Error {
  readonly $metadata: { httpStatusCode?: number };
  constructor(name: string, message: string, status?: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** The cached token of an sso-session, read (never written) from ~/.aws/sso/cache; refused once expired. */
export async function readSsoToken(session: string, now = Date.now()): Promise<string> {
  let raw: string;
  try {
    raw = await readFile(getSSOTokenFilepath(session), 'utf8');
  } catch {
    throw new SsoPortalError('SsoTokenMissing', `No SSO token cached for sso-session "${session}": the SSO session was never started. Sign in with SSO (aws sso login --sso-session).`);
  }
  let token: { accessToken?: unknown; expiresAt?: unknown };
  try {
    token = JSON.parse(raw) as typeof token;
  } catch {
    throw new SsoPortalError('SsoTokenInvalid', `The cached SSO token of sso-session "${session}" is not JSON: sign in with SSO again.`);
  }
  const expires = typeof token.expiresAt === 'string' ? Date.parse(token.expiresAt) : NaN;
  if (typeof token.accessToken !== 'string' || !token.accessToken) throw new SsoPortalError('SsoTokenInvalid', `The cached SSO token of sso-session "${session}" has no access token: sign in with SSO again.`);
  if (!(expires > now)) throw new SsoPortalError('SsoTokenExpired', `The SSO session token of sso-session "${session}" has expired. Sign in with SSO again.`);
  return token.accessToken;
}

export interface RoleCredentials { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date }

export interface SsoPortalOptions {
  /** The sso-session's region (sso_region). */
  region: string;
  /** An override (a local stand-in); never a workspace's endpoint: the token goes there. */
  endpoint?: string;
  /** The bearer token, read when a call needs it (so a new `aws sso login` is picked up). */
  token: () => Promise<string>;
  fetch?: typeof fetch;
  /** Per request; the portal answers in well under a second. */
  timeoutMs?: number;
}

const PAGE = 100; // MaxResultType: 1..100

export class SsoPortal {
  private readonly base: string;
  constructor(private readonly opts: SsoPortalOptions) {
    this.base = (opts.endpoint ?? `https://portal.sso.${opts.region}.amazonaws.com`).replace(/\/+$/, '');
  }

  private async get<T>(path: string, query: Record<string, string | undefined>): Promise<T> {
    const token = await this.opts.token();
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
    const res = await (this.opts.fetch ?? fetch)(`${this.base}${path}?${q.toString()}`, {
      headers: { 'x-amz-sso_bearer_token': token, accept: 'application/json' },
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : {}) as T;
    const type = (res.headers.get('x-amzn-errortype') ?? '').split(':')[0];
    let message = '';
    try { message = String((JSON.parse(text) as { message?: unknown; Message?: unknown }).message ?? ''); } catch { /* not JSON */ }
    const name = type || (res.status === 401 ? 'UnauthorizedException' : res.status === 429 ? 'TooManyRequestsException' : `HTTP${res.status}`);
    // UnauthorizedException: the portal refused the token (expired or signed out elsewhere).
    if (name === 'UnauthorizedException') throw new SsoPortalError(name, 'The SSO session token was refused (expired or signed out). Sign in with SSO again.', res.status);
    throw new SsoPortalError(name, message || `The SSO portal answered HTTP ${res.status}`, res.status);
  }

  async listAccounts(): Promise<PortalAccount[]> {
    const out: PortalAccount[] = [];
    let next: string | undefined;
    do {
      const r = await this.get<{ accountList?: PortalAccount[]; nextToken?: string }>('/assignment/accounts', { max_result: String(PAGE), next_token: next });
      out.push(...(r.accountList ?? []));
      next = r.nextToken || undefined;
    } while (next);
    return out;
  }

  async listAccountRoles(accountId: string): Promise<PortalRole[]> {
    const out: PortalRole[] = [];
    let next: string | undefined;
    do {
      const r = await this.get<{ roleList?: PortalRole[]; nextToken?: string }>('/assignment/roles', { account_id: accountId, max_result: String(PAGE), next_token: next });
      out.push(...(r.roleList ?? []));
      next = r.nextToken || undefined;
    } while (next);
    return out;
  }

  async getRoleCredentials(accountId: string, roleName: string): Promise<RoleCredentials> {
    const r = await this.get<{ roleCredentials?: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string; expiration?: number } }>(
      '/federation/credentials', { account_id: accountId, role_name: roleName },
    );
    const c = r.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || typeof c.expiration !== 'number') {
      throw new SsoPortalError('InvalidResponse', 'The SSO portal answered GetRoleCredentials without complete credentials.');
    }
    // ExpirationTimestampType is a long: epoch milliseconds.
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
  }
}

/** Refresh this long before the credentials expire (the SDK's own identity cache uses 5 minutes). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Credentials for one account and role, shared by every client of that member: fetched on first use,
 * kept until REFRESH_MARGIN_MS before they expire, then fetched again; concurrent callers share one
 * request. They carry `expiration`, so each SDK client's own identity cache refreshes on time as well.
 */
export function roleCredentialsProvider(portal: Pick<SsoPortal, 'getRoleCredentials'>, accountId: string, roleName: string, now: () => number = Date.now): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    if (current?.expiration && current.expiration.getTime() - REFRESH_MARGIN_MS > now()) return Promise.resolve(current);
    pending ??= portal.getRoleCredentials(accountId, roleName).then(
      (c) => { current = { ...c, accountId }; pending = undefined; return current; },
      (err: unknown) => { pending = undefined; throw err; },
    );
    return pending;
  };
}
