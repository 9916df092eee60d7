// The IAM Identity Center portal API (portal.sso.<region>.amazonaws.com): ListAccounts, ListAccountRoles
// and GetRoleCredentials, with the bearer token `aws sso login` cached. The token cache is only READ here:
// refreshing the token (and writing the cache) stays with the AWS CLI, whose sign-in the views offer.
// Through `@aws-sdk/client-sso`, made by the client factory (ClientFactory.signIn): the endpoint override,
// retry and the spend ledger apply as to every other call. The test stand-in (test/helpers/ssoPortalStandIn.ts)
// holds requests and answers to botocore's sso 2019-06-10 model. No vscode import. The token is an input
// member the SDK sends as the x-amz-sso_bearer_token header (marked sensitive in the model, so the SDK's
// logger filter hides it); it never reaches a log or an error message.
import { readFile } from 'node:fs/promises';
import { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand, type SSOClient } from '@aws-sdk/client-sso';
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
  /**
   * The portal client of the sso-session's region, from the client factory (`ClientFactory.signIn`): its
   * endpoint policy, retry and the spend ledger (the calls are free and recorded). Asked for on every call,
   * so a connection reset (new endpoint setting) is picked up.
   */
  client: () => Pick<SSOClient, 'send'>;
  /** The bearer token, read when a call needs it (so a new `aws sso login` is picked up). */
  token: () => Promise<string>;
}

const PAGE = 100; // MaxResultType: 1..100

/**
 * The portal's answer to a refused call. UnauthorizedException (the token expired or was signed out
 * elsewhere) becomes the sign-in notice; other errors keep their name and status (the SDK's classifier reads
 * them) with the portal's own message, which never holds the token (it is a header the portal does not echo).
 */
function portalError(err: unknown): unknown {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  if (e?.name === 'UnauthorizedException') {
    return new SsoPortalError('UnauthorizedException', 'The SSO session token was refused (expired or signed out). Sign in with SSO again.', e.$metadata?.httpStatusCode ?? 401);
  }
  return err;
}

export class SsoPortal {
  constructor(private readonly opts: SsoPortalOptions) {}

  private async call<O>(send: (client: Pick<SSOClient, 'send'>, accessToken: string) => Promise<O>): Promise<O> {
    const accessToken = await this.opts.token();
    try {
      return await send(this.opts.client(), accessToken);
    } catch (err) {
      throw portalError(err);
    }
  }

  async listAccounts(): Promise<PortalAccount[]> {
    const out: PortalAccount[] = [];
    let nextToken: string | undefined;
    do {
      const r = await this.call((c, accessToken) => c.send(new ListAccountsCommand({ accessToken, maxResults: PAGE, nextToken })));
      out.push(...(r.accountList ?? []));
      nextToken = r.nextToken || undefined;
    } while (nextToken);
    return out;
  }

  async listAccountRoles(accountId: string): Promise<PortalRole[]> {
    const out: PortalRole[] = [];
    let nextToken: string | undefined;
    do {
      const r = await this.call((c, accessToken) => c.send(new ListAccountRolesCommand({ accessToken, accountId, maxResults: PAGE, nextToken })));
      out.push(...(r.roleList ?? []));
      nextToken = r.nextToken || undefined;
    } while (nextToken);
    return out;
  }

  async getRoleCredentials(accountId: string, roleName: string): Promise<RoleCredentials> {
    const r = await this.call((c, accessToken) => c.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName })));
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
