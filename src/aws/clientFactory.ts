// One SDK client per (service, profile, region, endpoint). No vscode import, so the integration
// tests drive it directly against moto_server.
import type { AwsCredentialIdentityProvider, Logger } from '@smithy/types';
import { addLedger, type BillingSink } from '../billing/middleware';
import { ClientShare } from './clientShare';
import { credentialsFor } from './credentials';
import { resolveEndpointUrl, type EndpointSetting, type ProfileInfo, type SharedFiles } from './profiles';

/** What every SDK v3 client has that the factory relies on. */
export interface SdkClient {
  destroy(): void;
  config: { serviceId?: string };
}
// Each SDK client constructor takes its own config type; the factory fills in the common part.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ClientCtor<T extends SdkClient> = new (config: any) => T;

export interface FactorySource {
  files: SharedFiles;
  profiles: ProfileInfo[];
  env: NodeJS.ProcessEnv;
  /** The endpoint setting, which wins over everything. */
  endpointSetting?: EndpointSetting;
}

/**
 * Sockets per host for the clients of one class (they share one handler, src/aws/clientShare.ts). The SDK's
 * default agent allows 50; the Buckets scan keeps `scanConcurrency × 8` calls in flight (64 by default), which
 * would otherwise queue behind the agent.
 */
export const MAX_SOCKETS = 256;
const AGENT = { keepAlive: true, maxSockets: MAX_SOCKETS };
// Fail fast when the network is down instead of hanging a view; the SDK's standard retry stays
// (it backs off on S3's SlowDown and other throttling answers).
const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 60_000, httpAgent: AGENT, httpsAgent: AGENT };

/**
 * A logger without `info` or `error`. The SDK's logger middleware builds a record for every call, walking the
 * whole input and output through the sensitive-data filter, even for its default no-op logger
 * (`logger?.info?.({ …, output: outputFilterSensitiveLog(output) })`, and `logger?.error?.(…)` for a failed
 * call, which a posture scan has many of): on a 10,000-log-group answer or a scan's thousands of calls,
 * extension-host time for a record nobody reads. The SDK calls `warn` and `debug` without `?.`: they stay,
 * and go nowhere, as with its default.
 */
const QUIET_LOGGER = { trace: () => undefined, debug: () => undefined, warn: () => undefined } as unknown as Logger;

/**
 * The service id of a client class, learnt by constructing it once (class names do not survive
 * minification; construction does no I/O). Remembered per class: building an SDK client costs about
 * half a millisecond of CPU, and `get()` is called for every bucket of a posture scan.
 */
const serviceIds = new WeakMap<ClientCtor<SdkClient>, string>();
function serviceIdOf(ctor: ClientCtor<SdkClient>): string {
  let id = serviceIds.get(ctor);
  if (id === undefined) {
    const probe = new ctor({ region: 'us-east-1' });
    id = probe.config.serviceId ?? ctor.name;
    probe.destroy();
    serviceIds.set(ctor, id);
  }
  return id;
}

export class ClientFactory {
  private readonly clients = new Map<string, SdkClient>();
  private readonly creds = new Map<string, AwsCredentialIdentityProvider>();
  /** Credentials of scope members that are not profiles (an SSO account and role, src/aws/scope), by key. */
  private readonly provided = new Map<string, AwsCredentialIdentityProvider>();
  /** One request handler (its sockets) and one set of settings per client class, for every client made. */
  private readonly share = new ClientShare({ requestHandler: REQUEST_HANDLER, logger: QUIET_LOGGER });

  /** Where every client's calls are recorded (src/billing); the account id of a profile once known. */
  billing?: { sink: BillingSink; account(profile: string): string };

  constructor(private readonly source: () => FactorySource) {}

  /** Records each call of `client` in the billing ledger, under `feature`. */
  private addLedger(client: SdkClient, profile: string, region: string, feature: string): void {
    const b = this.billing;
    if (b) addLedger(client as unknown as Parameters<typeof addLedger>[0], { feature, profile, region, account: () => b.account(profile) }, b.sink);
  }

  endpointFor(serviceId: string, profile: string | undefined) {
    const s = this.source();
    return resolveEndpointUrl(serviceId, s.profiles.find((p) => p.name === profile), s.files, s.env, s.endpointSetting);
  }

  /** Clients for `key` sign with `provider` instead of a profile's credentials. */
  provide(key: string, provider: AwsCredentialIdentityProvider): void {
    if (this.provided.get(key) !== provider) this.provided.set(key, provider);
  }

  credentials(profile: string): AwsCredentialIdentityProvider {
    const provided = this.provided.get(profile);
    if (provided) return provided;
    let c = this.creds.get(profile);
    if (!c) {
      // The SSO, STS and credential clients inside fromIni carry the SSO bearer token (and, on refresh, the
      // refresh token and client secret) and sign with the source credentials: they never get an endpoint
      // a workspace chose, only the user's own (setting, environment, profile) or AWS itself.
      const e = this.endpointFor('STS', profile);
      // Their calls go into the ledger too (free, but recorded: every call is).
      const plugin = { applyToStack: (stack: unknown) => this.addLedger({ middlewareStack: stack } as unknown as SdkClient, profile, '', 'sign-in') };
      this.creds.set(profile, (c = credentialsFor(profile, e?.source === 'workspaceSetting' ? undefined : e?.url, [plugin])));
    }
    return c;
  }

  /** The client for a service, profile and region, its calls recorded in the ledger under `feature`. */
  get<T extends SdkClient>(ctor: ClientCtor<T>, profile: string, region: string, feature = 'other'): T {
    const endpoint = this.endpointFor(serviceIdOf(ctor), profile)?.url;
    return this.make(ctor, profile, region, feature, endpoint, this.credentials(profile));
  }

  /**
   * A sign-in client that carries a bearer token in its requests and signs nothing (the IAM Identity Center
   * portal, `@aws-sdk/client-sso`): as for the credential providers' own clients, the user's endpoint override
   * (setting, environment, profile) applies, a workspace's never, since the token would go there. `key` names
   * the caller in the ledger (`sso-session:<name>`); the calls are recorded like any other.
   */
  signIn<T extends SdkClient>(ctor: ClientCtor<T>, key: string, region: string, feature = 'sign-in'): T {
    const serviceId = serviceIdOf(ctor);
    let e = this.endpointFor(serviceId, key);
    if (e?.source === 'workspaceSetting') {
      const s = this.source();
      e = resolveEndpointUrl(serviceId, s.profiles.find((p) => p.name === key), s.files, s.env, undefined);
    }
    return this.make(ctor, key, region, feature, e?.url, undefined);
  }

  private make<T extends SdkClient>(ctor: ClientCtor<T>, profile: string, region: string, feature: string, endpoint: string | undefined, credentials: AwsCredentialIdentityProvider | undefined): T {
    const key = `${serviceIdOf(ctor)}|${profile}|${region}|${endpoint ?? ''}|${feature}|${credentials ? '' : 'unsigned'}`;
    const cached = this.clients.get(key);
    if (cached) return cached as T;
    const client = new ctor({
      region,
      ...(credentials ? { credentials } : {}),
      requestHandler: REQUEST_HANDLER,
      logger: QUIET_LOGGER,
      // Local emulators serve S3 path-style only.
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      ...this.share.configFor(ctor),
    });
    this.addLedger(client, profile, region, feature);
    this.clients.set(key, client);
    return client;
  }

  get size(): number { return this.clients.size; }

  /** Destroys every client, closes their sockets and forgets cached credential providers. */
  clear(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
    this.share.clear();
    this.creds.clear();
    this.provided.clear();
  }
}
