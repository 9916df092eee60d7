// A minimal test runner for inside the extension host: `test(name, fn)` registers, `runAll()` runs them
// in order, writes results to $CLOUD_MONITOR_TEST_RESULTS for the outer node:test file, and rejects on any
// failure (so VS Code reports exit code 1). The same module works under @vscode/test-electron.
import { writeFileSync } from 'node:fs';

type Fn = () => unknown | Promise<unknown>;
const tests: { name: string; fn: Fn; timeoutMs: number }[] = [];

export function test(name: string, fn: Fn, timeoutMs = 60_000): void {
  tests.push({ name, fn, timeoutMs });
}

export async function runAll(): Promise<void> {
  const results: { name: string; ok: boolean; error?: string; durationMs: number }[] = [];
  for (const t of tests) {
    const start = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(t.fn),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${t.timeoutMs} ms`)), t.timeoutMs))),
      ]);
      results.push({ name: t.name, ok: true, durationMs: Date.now() - start });
    } catch (err) {
      results.push({ name: t.name, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err), durationMs: Date.now() - start });
    } finally {
      clearTimeout(timer);
    }
  }
  const file = process.env.CLOUD_MONITOR_TEST_RESULTS;
  if (file) writeFileSync(file, JSON.stringify(results, null, 2));
  else for (const r of results) console.log(`${r.ok ? 'ok' : 'FAIL'} ${r.name}${r.error ? `\n${r.error}` : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  if (failed) throw new Error(`${failed} of ${results.length} extension-host tests failed`);
}

/** Waits until `check` returns a truthy value, polling; for state that settles asynchronously. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
