// One SDK client per (service, profile, region, endpoint). No vscode import, so the integration
// tests drive it directly against moto_server.
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { addLedger, type BillingSink } from '../billing/middleware';
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

export class ClientFactory {
  private readonly clients = new Map<string, SdkClient>();
  private readonly creds = new Map<string, AwsCredentialIdentityProvider>();
  /** Credentials of scope members that are not profiles (an SSO account and role, src/aws/scope), by key. */
  private readonly provided = new Map<string, AwsCredentialIdentityProvider>();

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
    const base = {
      region,
      credentials: this.credentials(profile),
      // Fail fast when the network is down instead of hanging a view; the SDK's standard retry stays.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    };
    // Construct once to learn the service id (class names do not survive minification), then
    // rebuild with the endpoint override if one applies to this service. Construction does no I/O.
    const probe = new ctor(base);
    const serviceId = probe.config.serviceId ?? ctor.name;
    const endpoint = this.endpointFor(serviceId, profile)?.url;
    const key = `${serviceId}|${profile}|${region}|${endpoint ?? ''}|${feature}`;
    const cached = this.clients.get(key);
    if (cached) {
      probe.destroy();
      return cached as T;
    }
    let client = probe;
    if (endpoint) {
      probe.destroy();
      // Local emulators serve S3 path-style only.
      client = new ctor({ ...base, endpoint, forcePathStyle: true });
    }
    this.addLedger(client, profile, region, feature);
    this.clients.set(key, client);
    return client;
  }

  get size(): number { return this.clients.size; }

  /** Destroys every client and forgets cached credential providers. */
  clear(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
    this.creds.clear();
    this.provided.clear();
  }
}
