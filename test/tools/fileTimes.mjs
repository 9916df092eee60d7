// A node:test reporter that test/run.mjs adds beside `spec`: for each top-level test, one JSON line with its
// file and duration (its before/after hooks included) appended to $CLOUD_MONITOR_TEST_TIMES, so the run can end
// with the slowest files. Appended synchronously: --test-force-exit ends the process before a reporter's
// stream is drained. It also appends one line per test that passed or failed (suites and skipped tests not
// counted), so the run's last line can total every phase: `N passed, N failed`. It prints nothing.
import { appendFileSync } from 'node:fs';

export default async function* fileTimes(source) {
  const out = process.env.CLOUD_MONITOR_TEST_TIMES;
  for await (const event of source) {
    if (!out || (event.type !== 'test:pass' && event.type !== 'test:fail')) continue;
    const { file, nesting, details, skip, todo } = event.data;
    if (details?.type !== 'suite' && !skip && !todo) appendFileSync(out, `${JSON.stringify({ result: event.type === 'test:pass' ? 'pass' : 'fail' })}\n`);
    if (file && nesting === 0) appendFileSync(out, `${JSON.stringify({ file, ms: details?.duration_ms ?? 0 })}\n`);
  }
  yield '';
}
