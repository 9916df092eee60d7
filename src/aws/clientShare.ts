// What the client factory builds once per SDK client class and hands to every client of that class it makes,
// instead of each client building its own: the HTTP handler with its sockets, and the settings the SDK reads
// from the environment and the shared config files. A scope makes one client per account × region (60 for
// 20 accounts × 3 regions), each of which would otherwise open its own connections (a TCP and TLS handshake
// per client on AWS) and walk the same settings chains on its first call. No vscode import.
import type { ClientCtor, SdkClient } from './clientFactory';

/** The part of the SDK's HTTP handler the factory uses. */
interface Handler {
  handle(request: unknown, options?: unknown): Promise<unknown>;
  destroy?(): void;
}

/**
 * Settings every generated SDK v3 client reads through its own chain (environment variable, then the shared
 * config file's profile, then the default) on its first call, each miss building an error with a stack. None
 * depends on the client's region or credentials: the factory's clients name no `profile`, so each chain gives
 * every client of a class the same answer (the SDK caches the files per process). A client class that does
 * not read one (only S3 reads `useArnRegion`) has none to share, and the SDK default stays.
 */
const SETTINGS = [
  'maxAttempts', 'retryMode', 'useDualstackEndpoint', 'useFipsEndpoint', 'userAgentAppId', 'authSchemePreference',
  'disableRequestCompression', 'requestMinCompressionSizeBytes', 'accountIdEndpointMode', 'useArnRegion',
  'disableS3ExpressSessionAuth', 'requestChecksumCalculation', 'responseChecksumValidation', 'sigv4aSigningRegionSet',
] as const;

export class ClientShare {
  private readonly byClass = new Map<ClientCtor<SdkClient>, Record<string, unknown>>();
  private readonly handlers: Handler[] = [];

  /** `base`: the config every client gets (the request handler's options, the logger). */
  constructor(private readonly base: Readonly<Record<string, unknown>>) {}

  /**
   * Config for a new client of `ctor`: the class's one request handler and its settings' providers, taken from
   * a client the SDK built from `base` (so the handler is exactly what the SDK would have built for each client).
   * Each client gets a view of the handler whose `destroy()` leaves it open for the others; `clear()` closes it.
   */
  configFor(ctor: ClientCtor<SdkClient>): Record<string, unknown> {
    let shared = this.byClass.get(ctor);
    if (!shared) {
      const model = new ctor({ ...this.base, region: 'us-east-1' }) as SdkClient & { initConfig?: Record<string, unknown>; config: { requestHandler?: Handler } };
      const handler = model.config.requestHandler;
      shared = {};
      if (handler && typeof handler.handle === 'function') {
        this.handlers.push(handler);
        shared.requestHandler = Object.create(handler, {
          handle: { value: (request: unknown, options?: unknown) => handler.handle(request, options) },
          destroy: { value: () => undefined },
        }) as Handler;
      }
      const init = model.initConfig ?? {};
      for (const k of SETTINGS) if (typeof init[k] === 'function') shared[k] = init[k];
      this.byClass.set(ctor, shared);
    }
    return shared;
  }

  /** How many handlers are open (one per client class used since the last clear). */
  get handlerCount(): number { return this.handlers.length; }

  /** Closes every shared handler's sockets and forgets the settings (read again after a profile change). */
  clear(): void {
    for (const h of this.handlers.splice(0)) h.destroy?.();
    this.byClass.clear();
  }
}
