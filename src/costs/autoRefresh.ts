// When to refresh by itself: only while something shows costs (the view, the dashboard or the status bar
// item), only when the setting allows it, and only when the shown data has outlived the cache TTL. One
// timer, aimed at that moment; nothing polls. No vscode import: the bench drives this same class.

export interface Timer { dispose(): void }

export interface AutoRefreshDeps {
  ttlMs: () => number;
  /** cloudMonitor.costs.autoRefresh */
  enabled: () => boolean;
  /** Is anything that shows costs visible? */
  active: () => boolean;
  refresh: () => void;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => Timer;
}

/** After a refresh that left the data old (offline, an error), wait this long before trying again. */
export const RETRY_AFTER_MS = 15 * 60_000;

export class AutoRefresh {
  /** Per view (the tree, the dashboard): the fetch time of the oldest open data it shows. */
  private readonly shown = new Map<string, number>();
  private lastRefresh = -Infinity;
  private timer?: Timer;

  constructor(private readonly deps: AutoRefreshDeps) {}

  /** Call after each render of a view with the fetch time of the oldest open data it shows. */
  dataShown(view: string, fetchedAt: number): void {
    this.shown.set(view, fetchedAt);
    this.update();
  }

  /** A view closed: its data no longer needs refreshing. */
  forget(view: string): void {
    this.shown.delete(view);
    this.update();
  }

  /** When the next automatic refresh is due, or undefined when none should happen. */
  dueAt(): number | undefined {
    if (!this.shown.size || !this.deps.enabled() || !this.deps.active()) return undefined;
    return Math.max(Math.min(...this.shown.values()) + this.deps.ttlMs(), this.lastRefresh + RETRY_AFTER_MS);
  }

  /** Re-aims the timer; call when visibility or settings change too. */
  update(): void {
    this.timer?.dispose();
    this.timer = undefined;
    const due = this.dueAt();
    if (due === undefined) return;
    const wait = due - this.deps.now();
    if (wait <= 0) this.fire();
    else this.timer = this.deps.setTimer(() => this.fire(), Math.min(wait, 2 ** 31 - 1));
  }

  private fire(): void {
    this.timer = undefined;
    this.lastRefresh = this.deps.now();
    this.deps.refresh();
  }

  dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
  }
}
