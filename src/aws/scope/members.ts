// Resolves a scope to its members and each member's credentials. No vscode import: the integration tests
// drive it against moto and the SSO portal stand-in.
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { SharedFiles } from '../profiles';
import { profileMembers, ssoMembers, type PortalRole, type RoleRef, type ScopeMember, type ScopeSpec } from './scope';
import { roleCredentialsProvider, ssoSessions, SsoPortalError, type SsoPortal, type SsoSessionConfig } from './ssoPortal';

export interface MembersDeps {
  /** The shared files (for the sso-session's region), read when first needed. */
  files: () => SharedFiles | Promise<SharedFiles>;
  /** The portal client of an sso-session (its region and endpoint, reading its token). */
  portal(session: SsoSessionConfig): Pick<SsoPortal, 'listAccounts' | 'listAccountRoles' | 'getRoleCredentials'>;
  /** At most this many ListAccountRoles calls at once while listing a session's accounts. */
  concurrency?: number;
}

export class ScopeMembers {
  private listing?: Promise<ScopeMember[]>;
  private readonly providers = new Map<string, AwsCredentialIdentityProvider>();

  constructor(readonly spec: ScopeSpec, private readonly deps: MembersDeps) {}

  /** The members, listed once (the SSO portal is asked only for an sso-session scope); a failure is retried on the next call. */
  members(): Promise<ScopeMember[]> {
    this.listing ??= this.list(this.spec.kind === 'ssoSession' ? this.spec.roles : undefined);
    this.listing.catch(() => (this.listing = undefined));
    return this.listing;
  }

  private sessionConfig?: Promise<SsoSessionConfig>;
  private session(): Promise<SsoSessionConfig> {
    const spec = this.spec;
    if (spec.kind !== 'ssoSession') return Promise.reject(new Error('not an sso-session scope'));
    this.sessionConfig ??= Promise.resolve(this.deps.files()).then((files) => {
      const s = ssoSessions(files.configFile).find((x) => x.name === spec.session);
      if (!s) throw new SsoPortalError('SsoSessionNotFound', `No [sso-session ${spec.session}] with an sso_region in the AWS config file.`);
      return s;
    });
    this.sessionConfig.catch(() => (this.sessionConfig = undefined));
    return this.sessionConfig;
  }

  /** Every account and role the session may use (for the scope picker); asks the portal each time. */
  everyRole(): Promise<ScopeMember[]> { return this.list('all'); }

  private async list(chosen: RoleRef[] | 'all' | undefined): Promise<ScopeMember[]> {
    const spec = this.spec;
    if (spec.kind === 'profile') return [];
    if (spec.kind === 'profiles') return profileMembers(spec.profiles);
    const portal = this.deps.portal(await this.session());
    const accounts = await portal.listAccounts();
    const wanted = Array.isArray(chosen) ? new Set(chosen.map((r) => r.accountId)) : undefined;
    const todo = accounts.filter((a) => a.accountId && (!wanted || wanted.has(a.accountId)));
    const rolesOf = new Map<string, PortalRole[]>();
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const id = todo[next++].accountId!;
        rolesOf.set(id, await portal.listAccountRoles(id));
      }
    };
    await Promise.all(Array.from({ length: Math.min(todo.length, Math.max(1, this.deps.concurrency ?? 4)) }, worker));
    return ssoMembers(spec.session, todo, rolesOf, chosen);
  }

  /**
   * The credentials of a member: undefined for a profile (the client factory resolves the profile with the
   * SDK's providers), or the member's role credentials from the portal, shared by all its clients and
   * fetched only when a client first signs a request (so an account never expanded is never asked).
   */
  credentials(member: ScopeMember): AwsCredentialIdentityProvider | undefined {
    if (!member.ssoSession || !member.accountId || !member.roleName) return undefined;
    let p = this.providers.get(member.key);
    if (!p) {
      const { accountId, roleName } = member;
      const portal = this.session().then((s) => this.deps.portal(s));
      this.providers.set(member.key, (p = roleCredentialsProvider({ getRoleCredentials: async () => (await portal).getRoleCredentials(accountId, roleName) }, accountId, roleName)));
    }
    return p;
  }
}
