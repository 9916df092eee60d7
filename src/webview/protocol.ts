// The one message protocol between the extension host and every webview. No vscode or DOM import:
// both sides bundle this file. Three kinds of message:
//   request  → response  (matched by id, with a timeout), in either direction
//   notify               (fire and forget), in either direction
// A webview starts with notify('ready'); the host answers with its full state, then only changes.

export interface Spec {
  /** Requests the webview sends to the host: method → { params, result }. */
  hostRequests: Record<string, { params: unknown; result: unknown }>;
  /** Notifications the host sends to the webview. */
  toWebview: Record<string, unknown>;
  /** Notifications the webview sends to the host (`ready` is implied). */
  toHost: Record<string, unknown>;
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

/**
 * One end of the channel. `post` sends a message; call `receive` with every message that arrives.
 * The host answers `hostRequests`; the webview sends them.
 */
export class Endpoint<S extends Spec, Me extends Side> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly handlers = new Map<string, (params: unknown) => unknown>();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();
  /** Whether the other side has said `ready` at least once (it may do so before the host is wired). */
  private readyArrived = false;

  constructor(private readonly post: (msg: Message) => void, private readonly defaultTimeoutMs = 30_000) {}

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

  handle<M extends keyof S['hostRequests'] & string>(method: M, handler: (params: S['hostRequests'][M]['params']) => S['hostRequests'][M]['result'] | Promise<S['hostRequests'][M]['result']>): void {
    this.handlers.set(method, handler as (p: unknown) => unknown);
  }

  notify<M extends keyof Outgoing<S, Me> & string>(method: M, params: Outgoing<S, Me>[M]): void {
    this.post({ kind: 'notify', method, params });
  }

  /**
   * Listens for a notification. `ready` is sticky: a listener added after the other side already said
   * ready (a restored panel whose content loads slower than its page) is called at once.
   */
  on<M extends keyof Incoming<S, Me> & string>(method: M, listener: (params: Incoming<S, Me>[M]) => void): () => void {
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
      const handler = this.handlers.get(data.method);
      try {
        if (!handler) throw new Error(`no handler for ${data.method}`);
        this.post({ kind: 'response', id: data.id, result: await handler(data.params) });
      } catch (err) {
        this.post({ kind: 'response', id: data.id, error: err instanceof Error ? err.message : String(err) });
      }
    } else {
      if (data.method === 'ready') this.readyArrived = true;
      for (const l of this.listeners.get(data.method) ?? []) l(data.params);
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
  const m = x as Message | undefined;
  return !!m && typeof m === 'object' && (m.kind === 'request' || m.kind === 'response' || m.kind === 'notify');
}
