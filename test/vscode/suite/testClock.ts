// Makes the extension's clock (Ctx.clock) the test's: now() is the real time plus an offset the test
// moves, and setInterval only records the timer, which the test runs by hand. No test waits for a timer.
import type { Clock } from '../../../src/tree/relativeTimes';

export interface FakeInterval { fn: () => void; ms: number; cleared: boolean }

export interface TestClock {
  /** Every timer the extension started, cleared ones included. */
  readonly intervals: FakeInterval[];
  /** Milliseconds added to the real time. */
  offset: number;
  /** Timers still running. */
  live(): FakeInterval[];
  /** Runs every running timer once. */
  tick(): void;
}

export function driveClock(clock: Clock): TestClock {
  const intervals: FakeInterval[] = [];
  const test: TestClock = {
    intervals,
    offset: 0,
    live: () => intervals.filter((i) => !i.cleared),
    tick: () => { for (const t of test.live()) t.fn(); },
  };
  clock.now = () => Date.now() + test.offset;
  clock.setInterval = (fn, ms) => {
    const h = { fn, ms, cleared: false };
    intervals.push(h);
    return h;
  };
  clock.clearInterval = (h) => { (h as FakeInterval).cleared = true; };
  return test;
}
