// The scope of the views (src/aws/scope/scope.ts), kept per workspace like the selected profile. Today's
// single profile is the default and changes nothing; a scope of several accounts makes the views group by
// account (src/tree/accountGroup.ts), each member's clients signing with its own credentials and sharing
// one concurrency limit.
import * as vscode from 'vscode';
import { Config } from '../../config';
import type { AwsConnection, ClientCtor, ClientOptions, SdkClient } from '../connection';
import { readSharedFiles } from '../profiles';
import type { Log } from '../../util/log';
import { Limiter, limitClient } from './limit';
import { ScopeMembers } from './members';
import { accountCount, isMultiAccount, parseScope, scopeGrouping, scopeRegions, scopeSummary, SINGLE_PROFILE, type ScopeMember, type ScopeSpec } from './scope';
import { readSsoToken, SsoPortal, ssoSessions, type SsoSessionConfig } from './ssoPortal';
import { setKept } from '../../util/keptUpdate';

const SCOPE_KEY = 'cloudMonitor.selectedScope';

export class AccountScope implements vscode.Disposable {
  private current: ScopeMembers;
  readonly limiter = new Limiter(() => Config.scopeConcurrency());
  private readonly changed = new vscode.EventEmitter<void>();
  /** The scope changed (the connection's onDidChange fires too, so views refresh). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly connection: AwsConnection,
    private readonly log: Log,
  ) {
    this.current = this.build(parseScope(memento.get(SCOPE_KEY)));
  }

  get spec(): ScopeSpec { return this.current.spec; }

  private build(spec: ScopeSpec): ScopeMembers {
    return new ScopeMembers(spec, {
      files: () => readSharedFiles(),
      portal: (s) => this.portal(s),
      concurrency: Config.scopeConcurrency(),
    });
  }

  /**
   * The portal of an sso-session, through the connection's client factory: its endpoint is the user's own
   * override (setting, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL) or AWS, never a workspace's setting, since the
   * SSO bearer token goes there; its calls are recorded in the spend ledger (free).
   */
  private portal(session: SsoSessionConfig): SsoPortal {
    return new SsoPortal({ client: () => this.connection.ssoPortalClient(session.name, session.region), token: () => readSsoToken(session.name) });
  }

  /** The members, or [] for today's single profile. Lists the SSO portal's accounts once per scope. */
  members(): Promise<ScopeMember[]> { return this.current.members(); }

  /** Whether views group by account now: a scope of more than one member. */
  async isMulti(): Promise<boolean> {
    if (this.spec.kind === 'profile') return false;
    return isMultiAccount(await this.members().catch(() => [{ key: 'a', label: '' }, { key: 'b', label: '' }]));
  }

  regions(): string[] { return scopeRegions(this.spec, this.connection.region); }

  /**
   * What Findings, Alerts, Logs and Pipeline group by now: the members and regions when the scope holds more
   * than one account or more than one region, else undefined (today's view of the profile). A failure to list
   * the members is thrown, so the view shows it as its one error node.
   */
  async grouping(): Promise<{ members: ScopeMember[]; regions: string[] } | undefined> {
    if (this.spec.kind === 'profile') return undefined;
    const members = await this.members();
    const regions = this.regions();
    return scopeGrouping(members, regions) ? { members, regions } : undefined;
  }

  /** "12 accounts · 3 regions" for the status bar, or undefined for one account in one region. */
  async summary(): Promise<string | undefined> {
    if (this.spec.kind === 'profile') return undefined;
    return scopeSummary(accountCount(await this.members()), this.regions().length);
  }

  /** The client of `member`, through `connection` (a feature's, for the ledger), under the scope's concurrency limit. */
  client<T extends SdkClient>(connection: AwsConnection, member: ScopeMember, ctor: ClientCtor<T>, opts: ClientOptions = {}): T {
    const c = connection.clientAs({ key: member.key, accountId: member.accountId, credentials: this.current.credentials(member) }, ctor, opts);
    return limitClient(c, this.limiter);
  }

  async set(spec: ScopeSpec): Promise<void> {
    const checked = parseScope(spec);
    await setKept(this.memento, SCOPE_KEY, checked.kind === 'profile' ? undefined : checked);
    this.current = this.build(checked);
    this.log.info(`Scope: ${checked.kind === 'profile' ? 'one profile' : checked.kind === 'profiles' ? `${checked.profiles.length} profiles` : `sso-session ${checked.session}`}`);
    if (checked.kind !== 'profile' && checked.regions[0] && checked.regions[0] !== this.connection.region) await this.connection.setRegion(checked.regions[0]);
    else this.connection.reset();
    this.changed.fire();
  }

  /** Every account and role of an sso-session, with names, for the scope picker. */
  everyRole(session: string): Promise<ScopeMember[]> {
    return this.build({ kind: 'ssoSession', session, regions: [] }).everyRole();
  }

  /** The sso-sessions of the shared config. */
  async ssoSessions(): Promise<SsoSessionConfig[]> {
    return ssoSessions((await readSharedFiles().catch(() => ({ configFile: {}, credentialsFile: {} }))).configFile);
  }

  /** Back to today's single profile. */
  reset(): Promise<void> { return this.set(SINGLE_PROFILE); }

  /** Forget listed members and credentials (Retry after signing in again). */
  reload(): void { this.current = this.build(this.spec); }

  dispose(): void { this.changed.dispose(); }
}
