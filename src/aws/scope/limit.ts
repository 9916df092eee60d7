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

interface StackClient { middlewareStack: { add(mw: unknown, opts: { step: string; name: string; priority?: string }): void } }
const limited = new WeakSet<object>();

/** Makes every request of `client` (retries included) hold a slot of `limiter`. Idempotent per client. */
export function limitClient<T extends object>(client: T, limiter: Limiter): T {
  if (limited.has(client)) return client;
  limited.add(client);
  (client as unknown as StackClient).middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => (args: unknown) => limiter.run(() => next(args)),
    { step: 'initialize', name: 'cloudMonitorScopeLimit', priority: 'high' },
  );
  return client;
}
