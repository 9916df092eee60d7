// A minimal test runner for inside the extension host: `test(name, fn)` registers, `runAll()` runs them
// in order, writes results to $CLOUD_MONITOR_TEST_RESULTS for the outer node:test file, and rejects on any
// failure (so VS Code reports exit code 1). The same module works under @vscode/test-electron.
//
// All tests share one extension host, so a test that overruns its timeout must not keep running into the
// next one. On a timeout the runner aborts the test's signal (passed to fn, and honoured by waitFor() and
// sleep() below without being passed), which makes its waits reject and its `finally` blocks restore what
// it stubbed; then it waits for the test to settle before starting the next. A test that does not settle
// within the grace period leaves the host in an unknown state: the tests after it are reported as not run.
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';

export type TestFn = (signal: AbortSignal) => unknown;
export interface TestCase { name: string; fn: TestFn; timeoutMs: number }
export interface TestResult { name: string; ok: boolean; error?: string; durationMs: number }

const tests: TestCase[] = [];
/** The running test's signal, for waits deep in its call chain. */
const current = new AsyncLocalStorage<AbortSignal>();

export function test(name: string, fn: TestFn, timeoutMs = 60_000): void {
  tests.push({ name, fn, timeoutMs });
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
}

/** Runs `list` in order, one at a time; a timed-out test is aborted and awaited (up to graceMs) before the next starts. */
export async function runTests(list: readonly TestCase[], opts: { graceMs?: number } = {}): Promise<TestResult[]> {
  const graceMs = opts.graceMs ?? 10_000;
  const results: TestResult[] = [];
  let stuck: string | undefined;
  for (const t of list) {
    if (stuck) {
      results.push({ name: t.name, ok: false, error: `not run: "${stuck}" was still running after its timeout and ${graceMs} ms of grace, so the host is not clean`, durationMs: 0 });
      continue;
    }
    const start = Date.now();
    const ac = new AbortController();
    const run = current.run(ac.signal, () => Promise.resolve().then(() => t.fn(ac.signal)));
    const settled = run.then(() => undefined, () => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), t.timeoutMs)));
    try {
      if ((await Promise.race([run, timedOut])) === 'timeout') {
        ac.abort(new Error(`timed out after ${t.timeoutMs} ms`));
        results.push({ name: t.name, ok: false, error: `timed out after ${t.timeoutMs} ms`, durationMs: Date.now() - start });
        let grace: ReturnType<typeof setTimeout> | undefined;
        const stopped = await Promise.race([settled.then(() => true), new Promise<false>((r) => (grace = setTimeout(() => r(false), graceMs)))]);
        clearTimeout(grace);
        if (!stopped) stuck = t.name;
      } else {
        results.push({ name: t.name, ok: true, durationMs: Date.now() - start });
      }
    } catch (err) {
      results.push({ name: t.name, ok: false, error: errorText(err), durationMs: Date.now() - start });
    } finally {
      clearTimeout(timer);
      // Whatever the test left running (a listener, a late callback) has nothing left to wait for.
      if (!ac.signal.aborted) ac.abort(new Error('the test has ended'));
    }
  }
  return results;
}

export async function runAll(): Promise<void> {
  const results = await runTests(tests);
  const file = process.env.CLOUD_MONITOR_TEST_RESULTS;
  if (file) writeFileSync(file, JSON.stringify(results, null, 2));
  else for (const r of results) console.log(`${r.ok ? 'ok' : 'FAIL'} ${r.name}${r.error ? `\n${r.error}` : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  if (failed) throw new Error(`${failed} of ${results.length} extension-host tests failed`);
}

/** The signal of the test this code runs for (undefined outside a test). */
export function currentSignal(): AbortSignal | undefined {
  return current.getStore();
}

/** Waits `ms`; rejects as soon as the signal (by default the current test's) aborts. */
export function sleep(ms: number, signal = currentSignal()): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason as Error);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits until `check` returns a truthy value, polling; for state that settles asynchronously. Stops when the test is aborted. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const signal = currentSignal();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100, signal);
  }
}
