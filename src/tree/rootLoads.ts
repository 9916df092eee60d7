// The side bar's views loading their first rows: background work that is not a view's first rows (the bucket
// posture scan, the rest of a long listing) waits until none is, so it does not compete with them for the
// endpoint or the extension host. No vscode import.

export class RootLoads {
  private pending = 0;
  private readonly waiters = new Set<() => void>();
  private settledOne = false;
  private readonly firstWaiters = new Set<() => void>();

  /** Counts `load` (a view's root children) as in flight until it settles. Returns it unchanged. */
  track<T>(load: Promise<T>): Promise<T> {
    this.pending++;
    const end = () => {
      if (!this.settledOne) {
        this.settledOne = true;
        for (const w of [...this.firstWaiters]) w();
      }
      if (--this.pending > 0) return;
      for (const w of [...this.waiters]) w();
    };
    load.then(end, end);
    return load;
  }

  /** Whether a view's root load is in flight. */
  get busy(): boolean { return this.pending > 0; }

  /**
   * Settles once no view's root load is in flight, or after `maxWaitMs` (a view whose endpoint hangs must not
   * hold the background work back for its whole timeout).
   */
  idle(maxWaitMs = 10_000): Promise<void> {
    return this.pending ? this.waitIn(this.waiters, maxWaitMs) : Promise.resolve();
  }

  /**
   * Settles once a view's root load has settled (the first rows a view hands VS Code, or its error), or after
   * `maxWaitMs` (no view open, no connection, an endpoint that hangs).
   */
  firstSettled(maxWaitMs: number): Promise<void> {
    return this.settledOne ? Promise.resolve() : this.waitIn(this.firstWaiters, maxWaitMs);
  }

  private waitIn(waiters: Set<() => void>, maxWaitMs: number): Promise<void> {
    return new Promise<void>((done) => {
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(finish);
        done();
      };
      const timer = setTimeout(finish, maxWaitMs);
      waiters.add(finish);
    });
  }
}
