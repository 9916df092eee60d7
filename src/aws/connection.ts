import * as vscode from 'vscode';
import { SSOClient } from '@aws-sdk/client-sso';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Config } from '../config';
import type { Log } from '../util/log';
import { ClientFactory, type ClientCtor, type SdkClient } from './clientFactory';
import { judgeWorkspaceEndpoint } from './endpointPolicy';
import { ENV_PROFILE, listProfiles, readSharedFiles, type EndpointSetting, type ProfileInfo, type SharedFiles } from './profiles';
import { notify } from '../util/notify';
import { RootLoads } from '../tree/rootLoads';
import { setKept, updateKept } from '../util/keptUpdate';
import type { BillingSink } from '../billing/middleware';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export type { ClientCtor, SdkClient };

export interface Identity { account: string; arn: string }
/** A scope member as the client factory needs it (see src/aws/scope/scope.ts). */
export interface ScopeMemberCredentials { key: string; accountId?: string; credentials?: AwsCredentialIdentityProvider }
export interface ClientOptions {
  region?: string;
  /** The feature the calls are for, in the billing ledger; a feature's connection (forFeature) sets it. */
  feature?: string;
}

const PROFILE_KEY = 'cloudMonitor.selectedProfile';
const REGION_KEY = 'cloudMonitor.selectedRegion';
/** globalState: workspace endpoint URLs the user allowed, by exact URL. */
export const ALLOWED_ENDPOINTS_KEY = 'cloudMonitor.allowedWorkspaceEndpoints';

/**
 * The current AWS connection: profile, region, endpoint and one client per
 * (service, profile, region, endpoint). Changing profile or region tears down every client and
 * everything registered in `scope`, then fires onDidChange.
 */
export class AwsConnection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly factory: ClientFactory;
  private files: SharedFiles = { configFile: {}, credentialsFile: {} };
  private profiles: ProfileInfo[] = [];
  private identityPromise?: Promise<Identity>;
  private loaded?: Promise<void>;
  private lateTimer?: ReturnType<typeof setTimeout>;
  private disposed = false;
  /** Disposables that live as long as the current profile/region. */
  private scoped: vscode.Disposable[] = [];
  /** The views' first-row loads (src/tree/view.ts): background work waits until none is in flight. */
  readonly rootLoads = new RootLoads();
  /** What the features share for this profile and region (see shared()); emptied when either changes. */
  private readonly sharedByKey = new Map<string, unknown>();
  /** Workspace endpoints asked about (or refused) in this session, so each is raised once. */
  private readonly raised = new Set<string>();
  profile?: string;
  region?: string;
  /** Account ids the connection has learnt, by profile (for the billing ledger). */
  private readonly accounts = new Map<string, string>();

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: Log,
    /** globalState: remembers which workspace endpoints the user allowed. */
    private readonly global: vscode.Memento,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.factory = new ClientFactory(() => ({ files: this.files, profiles: this.profiles, env: this.env, endpointSetting: this.endpointSetting() }));
  }

  /**
   * cloudMonitor.endpointUrl as it may be used now. The user's own value always applies. A workspace value
   * (trusted workspaces only, see Config) applies for loopback hosts or once the user allowed that URL;
   * until then the user's value (or none) applies and the user is asked once, by host name.
   */
  private endpointSetting(): EndpointSetting | undefined {
    const s = Config.endpointUrl();
    const user = s.userValue.trim() ? { url: s.userValue.trim() } : undefined;
    if (!s.fromWorkspace || !s.value.trim()) return user;
    const verdict = judgeWorkspaceEndpoint(s.value, this.global.get<string[]>(ALLOWED_ENDPOINTS_KEY) ?? []);
    if (verdict.use) return { url: verdict.url, fromWorkspace: true };
    if (!this.raised.has(verdict.url)) {
      this.raised.add(verdict.url);
      if (verdict.ask && verdict.host) void this.askToAllow(verdict.url, verdict.host);
      else {
        this.log.warn(`Ignoring this workspace's cloudMonitor.endpointUrl ${verdict.url}: ${verdict.reason}.`);
        void notify.warn(vscode.l10n.t("Cloud Monitor ignores this workspace's endpoint setting ({0}): {1}.", verdict.url, verdict.reason));
      }
    }
    return user;
  }

  private async askToAllow(url: string, host: string): Promise<void> {
    const allow = `Send Requests to ${host}`;
    const pick = await notify.warn(
      vscode.l10n.t("This workspace's settings send every AWS request, signed with your credentials, to {0}. Allow {1}?", host, host),
      { modal: true, detail: vscode.l10n.t("cloudMonitor.endpointUrl in this folder's .vscode/settings.json is {0}.\n\nAllow it only if you run or trust this endpoint. Until then, requests go to AWS (or to your own endpoint setting). Sign-in (SSO, STS) never goes there.", url) },
      allow,
    );
    if (pick !== allow) return;
    const allowed = (stored: string[] | undefined) => !!stored?.includes(url);
    if (!allowed(this.global.get<string[]>(ALLOWED_ENDPOINTS_KEY))) await updateKept<string[]>(this.global, ALLOWED_ENDPOINTS_KEY, (stored = []) => (allowed(stored) ? stored : [...stored, url]), allowed);
    this.log.info(`Workspace endpoint ${url} allowed by the user.`);
    this.reset();
  }

  /** Reads the shared files (names, regions, endpoints only) and picks the initial profile and region. */
  load(): Promise<void> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  private async reload(): Promise<void> {
    try {
      this.files = await readSharedFiles();
    } catch (err) {
      this.log.error('Could not read the AWS shared config files', err);
    }
    this.profiles = listProfiles(this.files, this.env);
    this.pick();
    if (!this.isReady) await this.lateSettings(1500);
    if (!this.isReady) this.lookAgainForLateSettings();
    this.log.info(`Connection: profile ${this.profile ?? '(none)'}, region ${this.region ?? '(none)'}; ${this.profiles.length} profiles in the shared files`);
    this.changedNow();
  }

  /** The selection: the workspace's explicit choice, then the settings, then the environment. */
  private pick(): void {
    const names = new Set(this.profiles.map((p) => p.name));
    this.profile = [this.memento.get<string>(PROFILE_KEY), Config.profile(), this.env.AWS_PROFILE, 'default', names.has(ENV_PROFILE) ? ENV_PROFILE : undefined]
      .find((p): p is string => !!p && names.has(p));
    this.region = this.memento.get<string>(REGION_KEY) || Config.region() || this.profileInfo()?.region || this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || undefined;
  }

  /**
   * Right after the window opens, user settings can reach the extension host after activation (seen in
   * code-server). Before saying "no connection", give them a moment: pick again on each settings change.
   */
  private lateSettings(waitMs: number): Promise<void> {
    return this.readyOn(vscode.workspace.onDidChangeConfiguration, waitMs, () => this.pick());
  }

  /**
   * Settings can reach the extension host later still, in a change we did not hear (a restored panel
   * after Reload Window once stayed on "No AWS connection" for good). Pick again once a second for half a
   * minute while nothing is picked: it reads settings only, no AWS call, and acts only on a difference.
   */
  private lookAgainForLateSettings(seconds = 30): void {
    clearTimeout(this.lateTimer);
    const tick = (left: number) => {
      if (this.isReady || left <= 0 || this.disposed) return;
      void this.settingsChanged().finally(() => { this.lateTimer = setTimeout(() => tick(left - 1), 1000); });
    };
    this.lateTimer = setTimeout(() => tick(seconds), 1000);
  }

  /**
   * For work that starts with the window (restoring a panel after a reload): load, and if that picked
   * nothing, give late-arriving settings up to `waitMs` to complete the selection.
   */
  async settled(waitMs = 5000): Promise<void> {
    await this.load();
    if (!this.isReady) await this.readyOn(this.changed.event, waitMs);
  }

  /** Resolves at the first `event` after which the connection is ready (running `before` first), or after `waitMs`. */
  private readyOn(event: vscode.Event<unknown>, waitMs: number, before?: () => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      const sub = event(() => {
        before?.();
        if (this.isReady) done();
      });
      function done() { clearTimeout(timer); sub.dispose(); resolve(); }
    });
  }

  /**
   * The profile or region setting changed. This also happens right after a window reload, when user
   * settings can reach the extension host after activation has already picked without them.
   */
  async settingsChanged(): Promise<void> {
    if (!this.loaded) return;
    await this.loaded;
    const before = `${this.profile}|${this.region}`;
    this.pick();
    if (`${this.profile}|${this.region}` === before) return;
    this.log.info(`Connection: settings changed; profile ${this.profile ?? '(none)'}, region ${this.region ?? '(none)'}`);
    this.changedNow();
  }

  get isReady(): boolean { return !!this.profile && !!this.region; }

  listProfiles(): ProfileInfo[] { return this.profiles; }
  profileInfo(name = this.profile): ProfileInfo | undefined { return this.profiles.find((p) => p.name === name); }

  async refreshProfiles(): Promise<ProfileInfo[]> {
    this.files = await readSharedFiles();
    this.profiles = listProfiles(this.files, this.env);
    return this.profiles;
  }

  async setProfile(name: string): Promise<void> {
    this.profile = name;
    await setKept(this.memento, PROFILE_KEY, name);
    // A profile may carry its own region; keep an explicit workspace choice if there is one.
    if (!this.memento.get<string>(REGION_KEY)) this.region = this.profileInfo()?.region ?? this.region;
    this.changedNow();
  }

  async setRegion(region: string): Promise<void> {
    this.region = region;
    await setKept(this.memento, REGION_KEY, region);
    this.changedNow();
  }

  /** Re-resolve endpoints and credentials after a settings change, keeping the selection. */
  reset(): void {
    this.changedNow();
  }

  /** The endpoint override in force for a service, if any (setting, AWS_ENDPOINT_URL*, or the profile's endpoint_url). */
  endpointFor(serviceId: string) { return this.factory.endpointFor(serviceId, this.profile); }

  /** The override in force, if any, judged for a generic service. */
  get endpointOverride() { return this.endpointFor('STS'); }

  /** A cached client for the current profile and region (or `opts.region`). Throws if not connected. */
  client<T extends SdkClient>(ctor: ClientCtor<T>, opts: ClientOptions = {}): T {
    const region = opts.region ?? this.region;
    if (!this.profile || !region) throw new NotConnectedError();
    return this.factory.get(ctor, this.profile, region, opts.feature ?? 'connection');
  }

  /**
   * A cached client for one member of a multi-account scope (src/aws/scope): its own credentials (an SSO
   * account and role) or its profile's; the selected profile's endpoint rules otherwise.
   */
  clientAs<T extends SdkClient>(member: ScopeMemberCredentials, ctor: ClientCtor<T>, opts: ClientOptions = {}): T {
    const region = opts.region ?? this.region;
    if (!region) throw new NotConnectedError();
    if (member.credentials) this.factory.provide(member.key, member.credentials);
    if (member.accountId) this.accounts.set(member.key, member.accountId);
    return this.factory.get(ctor, member.key, region, opts.feature ?? 'connection');
  }

  /**
   * The IAM Identity Center portal client of an sso-session (ClientFactory.signIn: recorded in the ledger
   * under `sso-session:<name>`, never sent to a workspace's endpoint). Torn down with the other clients.
   */
  ssoPortalClient(session: string, region: string): SSOClient {
    return this.factory.signIn(SSOClient, `sso-session:${session}`, region);
  }

  /** Every call of every client made from now on goes into this ledger (src/billing). */
  setBilling(sink: BillingSink): void {
    this.factory.billing = { sink, account: (profile) => this.knownAccount(profile) };
  }

  /** The account id of a profile once GetCallerIdentity answered, else '' (for the billing ledger). */
  knownAccount(profile: string): string {
    return this.accounts.get(profile) ?? '';
  }

  /**
   * This connection as one feature sees it: the same connection (selection, events, scope), but its
   * clients record their calls under `feature` in the billing ledger. Each feature's register() gets one.
   */
  forFeature(feature: string): AwsConnection {
    const client = <T extends SdkClient>(ctor: ClientCtor<T>, opts: ClientOptions = {}) => this.client(ctor, { feature, ...opts });
    const clientAs = <T extends SdkClient>(m: ScopeMemberCredentials, ctor: ClientCtor<T>, opts: ClientOptions = {}) => this.clientAs(m, ctor, { feature, ...opts });
    return new Proxy(this, {
      get: (target, key) => {
        if (key === 'client') return client;
        if (key === 'clientAs') return clientAs;
        const v = Reflect.get(target, key, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
      set: (target, key, value) => Reflect.set(target, key, value, target),
    });
  }

  /** STS GetCallerIdentity, once per connection. */
  identity(): Promise<Identity> {
    this.identityPromise ??= this.client(STSClient)
      .send(new GetCallerIdentityCommand({}))
      .then((r) => {
        if (this.profile && r.Account) {
          this.accounts.set(this.profile, r.Account);
          // Calls sent before this answer were recorded under the profile alone.
          this.factory.billing?.sink.ledger.fileUnder(this.profile, r.Account);
        }
        return { account: r.Account ?? '', arn: r.Arn ?? '' };
      });
    this.identityPromise.catch(() => (this.identityPromise = undefined));
    return this.identityPromise;
  }

  /**
   * One `make()` per key for the current profile and region, shared by every feature (each feature's bundle has
   * its own copy of a module, so a module-level cache would not be): the DescribeStacks read of
   * src/aws/stackPages.ts, say. Made again after the profile or region changes.
   */
  shared<T>(key: string, make: () => T): T {
    if (!this.sharedByKey.has(key)) this.sharedByKey.set(key, make());
    return this.sharedByKey.get(key) as T;
  }

  /** Register something that must be torn down when the profile or region changes. */
  scope(d: vscode.Disposable): void { this.scoped.push(d); }

  /**
   * Counts the changes of profile, region or endpoint: a view's roots answered under an older count are out of
   * date (src/tree/view.ts refreshes only those).
   */
  get generation(): number { return this.changes; }
  private changes = 0;

  private changedNow(): void {
    this.resetClients();
    this.changes++;
    this.changed.fire();
  }

  private resetClients(): void {
    this.factory.clear();
    this.identityPromise = undefined;
    this.sharedByKey.clear();
    for (const d of this.scoped.splice(0)) d.dispose();
    void vscode.commands.executeCommand('setContext', 'cloudMonitor.connected', this.isReady);
    // Welcome content waits for this, so "No AWS connection" never shows before the files were read.
    if (this.loaded) void vscode.commands.executeCommand('setContext', 'cloudMonitor.connectionChecked', true);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.lateTimer);
    this.resetClients();
    this.changed.dispose();
  }
}

export class NotConnectedError extends Error {
  override name = 'NotConnected';
  constructor() { super('No AWS profile or region selected.'); }
}
