// Keeps relative times in tree descriptions ("since 3m ago", "just now") current while a view is
// visible: a cheap timer that only re-renders items from data already loaded (no AWS call), started
// when the view shows and stopped when it hides. The clock is passed in, so tests can drive it.
import type * as vscode from 'vscode';

/** Time and timers, passed in (Ctx.clock) so an extension-host test can control them. */
export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/** Relative labels change at most once a minute below an hour; half that keeps them at most 30 s behind. */
export const RELATIVE_TIME_TICK_MS = 30_000;

/**
 * While `view` is visible, calls `rerender` every `everyMs` (it must redraw from cached data only).
 * Returns a disposable that stops the timer and the visibility listener.
 */
export function keepRelativeTimesFresh(view: vscode.TreeView<unknown>, clock: Clock, rerender: () => void, everyMs = RELATIVE_TIME_TICK_MS): vscode.Disposable {
  let handle: unknown;
  const stop = () => {
    if (handle !== undefined) clock.clearInterval(handle);
    handle = undefined;
  };
  const sync = (visible: boolean) => {
    if (visible && handle === undefined) handle = clock.setInterval(() => view.visible && rerender(), everyMs);
    else if (!visible) stop();
  };
  const sub = view.onDidChangeVisibility((e) => sync(e.visible));
  sync(view.visible);
  return { dispose: () => { stop(); sub.dispose(); } };
}
