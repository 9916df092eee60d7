// One concurrency limit across every account and region of a scope: each request of a member's client
// takes a slot first. No vscode import.

/** A counting semaphore with a live limit (the setting is read on every acquire). */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most requests in flight at once, for tests and benches. */
  peak = 0;
  constructor(private readonly limit: () => number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.active >= Math.max(1, this.limit())) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  get inFlight(): number { return this.active; }
}

interface StackClient {
  middlewareStack: {
    add(mw: unknown, opts: { step: string; name: string; priority?: string }): void;
    addRelativeTo(mw: unknown, opts: { relation: 'before' | 'after'; toMiddleware: string; name: string }): void;
    identify(): string[];
  };
}
const limited = new WeakSet<object>();
/** The SDK's signing middleware: each attempt of a request (the retry middleware's loop) goes through it. */
const SIGNING = 'httpSigningMiddleware';
/** Whether a client class's stack has it (the same for every client of the class; listing a stack costs a little). */
const signingByClass = new WeakMap<object, boolean>();
function signs(client: object, stack: StackClient['middlewareStack']): boolean {
  let s = signingByClass.get(client.constructor);
  if (s === undefined) signingByClass.set(client.constructor, (s = stack.identify().some((id) => id.startsWith(`${SIGNING} `))));
  return s;
}

/**
 * Makes every request of `client` hold a slot of `limiter` while it is on the wire: each attempt (retries
 * included) takes a slot just before it is signed and gives it back once its answer is read. The work before
 * (serializing, resolving the endpoint, the user agent) runs outside the slot, as does the retry's back-off,
 * so the slots are spent waiting for AWS, not for the extension host's thread. Signing inside the slot keeps a
 * signature from ageing in the queue. A client without the SDK's signing step is held from the first
 * middleware on. Idempotent per client.
 */
export function limitClient<T extends object>(client: T, limiter: Limiter): T {
  if (limited.has(client)) return client;
  limited.add(client);
  const stack = (client as unknown as StackClient).middlewareStack;
  const mw = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => limiter.run(() => next(args));
  if (signs(client, stack)) stack.addRelativeTo(mw, { relation: 'before', toMiddleware: SIGNING, name: 'cloudMonitorScopeLimit' });
  else stack.add(mw, { step: 'initialize', name: 'cloudMonitorScopeLimit', priority: 'high' });
  return client;
}
