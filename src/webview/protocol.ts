// The one message protocol between the extension host and every webview. No vscode or DOM import:
// both sides bundle this file. Three kinds of message:
//   request  → response  (matched by id, with a timeout), in either direction
//   notify               (fire and forget), in either direction
// A webview starts with notify('ready'); the host answers with its full state, then only changes.
// The host checks what a webview sends at run time (src/webview/validate.ts): every request handler
// and notification listener on the host side takes a check, and a message that fails it is dropped
// (a request gets an error answer) and reported to `onInvalid` as text, never thrown into the host.
import { InvalidMessage, type Check } from './validate';

export interface Spec {
  /** Requests the webview sends to the host: method → { params, result }. */
  hostRequests: Record<string, { params: unknown; result: unknown }>;
  /** Notifications the host sends to the webview. */
  toWebview: Record<string, unknown>;
  /** Notifications the webview sends to the host (`ready` is implied). */
  toHost: Record<string, unknown>;
  /** The webview's labels, made by the host with vscode.l10n (src/webview/strings.ts), in the page it builds. */
  strings?: Record<string, string>;
}

export type Message =
  | { kind: 'request'; id: number; method: string; params: unknown }
  | { kind: 'response'; id: number; result?: unknown; error?: string }
  | { kind: 'notify'; method: string; params: unknown };

export class ProtocolTimeoutError extends Error {
  override name = 'ProtocolTimeout';
}

type Side = 'host' | 'webview';
type Outgoing<S extends Spec, Me extends Side> = Me extends 'host' ? S['toWebview'] : S['toHost'] & { ready: undefined };
type Incoming<S extends Spec, Me extends Side> = Me extends 'host' ? S['toHost'] & { ready: undefined } : S['toWebview'];
/** The host must check what the webview sends (except `ready`, which carries nothing); the webview trusts its host. */
type HostCheck<Me extends Side, M, P> = Me extends 'host' ? (M extends 'ready' ? [] : [check: Check<P>]) : [];

/** Longest method name accepted; longer ones are not ours. */
const MAX_METHOD = 64;

/**
 * One end of the channel. `post` sends a message; call `receive` with every message that arrives.
 * The host answers `hostRequests`; the webview sends them.
 */
export class Endpoint<S extends Spec, Me extends Side> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly handlers = new Map<string, { handler: (params: unknown) => unknown; check?: Check<unknown> }>();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();
  private readonly checks = new Map<string, Check<unknown>>();
  /** Whether the other side has said `ready` at least once (it may do so before the host is wired). */
  private readyArrived = false;

  /** `onInvalid` hears (as text) every message that was dropped because it failed its check. */
  constructor(private readonly post: (msg: Message) => void, private readonly defaultTimeoutMs = 30_000, private readonly onInvalid: (problem: string) => void = () => undefined) {}

  request<M extends keyof S['hostRequests'] & string>(method: M, params: S['hostRequests'][M]['params'], timeoutMs = this.defaultTimeoutMs): Promise<S['hostRequests'][M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ProtocolTimeoutError(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ kind: 'request', id, method, params });
    });
  }

  handle<M extends keyof S['hostRequests'] & string>(method: M, handler: (params: S['hostRequests'][M]['params']) => S['hostRequests'][M]['result'] | Promise<S['hostRequests'][M]['result']>, ...check: HostCheck<Me, M, S['hostRequests'][M]['params']>): void {
    this.handlers.set(method, { handler: handler as (p: unknown) => unknown, check: check[0] as Check<unknown> | undefined });
  }

  notify<M extends keyof Outgoing<S, Me> & string>(method: M, params: Outgoing<S, Me>[M]): void {
    this.post({ kind: 'notify', method, params });
  }

  /**
   * Listens for a notification. `ready` is sticky: a listener added after the other side already said
   * ready (a restored panel whose content loads slower than its page) is called at once.
   */
  on<M extends keyof Incoming<S, Me> & string>(method: M, listener: (params: Incoming<S, Me>[M]) => void, ...check: HostCheck<Me, M, Incoming<S, Me>[M]>): () => void {
    if (check[0]) this.checks.set(method, check[0] as Check<unknown>);
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    if (method === 'ready' && this.readyArrived) listener(undefined as Incoming<S, Me>[M]);
    return () => set.delete(listener as (p: unknown) => void);
  }

  async receive(data: unknown): Promise<void> {
    if (!isMessage(data)) return;
    if (data.kind === 'response') {
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      clearTimeout(p.timer);
      if (data.error !== undefined) p.reject(new Error(data.error));
      else p.resolve(data.result);
    } else if (data.kind === 'request') {
      const entry = this.handlers.get(data.method);
      let params: unknown;
      try {
        if (!entry) throw new Error(`no handler for ${data.method}`);
        params = entry.check ? entry.check(data.params, 'params') : data.params;
      } catch (err) {
        if (err instanceof InvalidMessage) this.onInvalid(`Dropped a webview request ${data.method}: ${err.message}`);
        this.post({ kind: 'response', id: data.id, error: err instanceof InvalidMessage ? `invalid ${data.method} request` : (err as Error).message });
        return;
      }
      try {
        this.post({ kind: 'response', id: data.id, result: await entry.handler(params) });
      } catch (err) {
        this.post({ kind: 'response', id: data.id, error: err instanceof Error ? err.message : String(err) });
      }
    } else {
      const listeners = this.listeners.get(data.method);
      if (data.method === 'ready') this.readyArrived = true;
      if (!listeners?.size) return;
      const check = this.checks.get(data.method);
      let params = data.params;
      try {
        if (check) params = check(data.params, 'params');
      } catch (err) {
        this.onInvalid(`Dropped a webview notification ${data.method}: ${(err as Error).message}`);
        return;
      }
      for (const l of listeners) l(params);
    }
  }

  dispose(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('channel closed'));
    }
    this.pending.clear();
  }
}

function isMessage(x: unknown): x is Message {
  if (!x || typeof x !== 'object') return false;
  const m = x as Record<string, unknown>;
  const id = () => Number.isSafeInteger(m.id);
  const method = () => typeof m.method === 'string' && m.method.length > 0 && m.method.length <= MAX_METHOD;
  switch (m.kind) {
    case 'request': return id() && method();
    case 'response': return id() && (m.error === undefined || typeof m.error === 'string');
    case 'notify': return method();
    default: return false;
  }
}
