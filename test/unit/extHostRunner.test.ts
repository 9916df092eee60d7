// The extension-host test runner (test/vscode/suite/runner.ts) on fake tests, in plain node: the suites
// share one host, so a test that overruns its timeout must be stopped before the next one starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTests, sleep, waitFor, type TestCase } from '../vscode/suite/runner';

test('a test that overruns its timeout is reported failed, its signal aborts, its wait stops and its finally restores before the next test starts', async () => {
  const host = { prompt: 'original' };
  const events: string[] = [];
  let polls = 0;
  let signalOfA: AbortSignal | undefined;
  let seenByB: { prompt: string; pollsDuringB: number } | undefined;
  const list: TestCase[] = [
    {
      name: 'A overruns', timeoutMs: 150, fn: async (signal) => {
        signalOfA = signal;
        host.prompt = 'stubbed by A';
        try {
          await waitFor(() => { polls++; return false; }, 'something that never happens', 60_000);
          events.push('A went on after its wait');
        } finally {
          host.prompt = 'original';
        }
      },
    },
    {
      name: 'B follows', timeoutMs: 5_000, fn: async () => {
        events.push('B start');
        const before = polls;
        // Long enough for A's wait to poll three more times if it were still running.
        await new Promise((r) => setTimeout(r, 350));
        seenByB = { prompt: host.prompt, pollsDuringB: polls - before };
      },
    },
  ];
  const results = await runTests(list, { graceMs: 5_000 });
  assert.deepEqual(results.map((r) => [r.name, r.ok]), [['A overruns', false], ['B follows', true]]);
  assert.match(results[0].error ?? '', /^timed out after 150 ms/);
  assert.equal(signalOfA?.aborted, true);
  assert.ok(polls >= 1, 'A was waiting when it timed out');
  assert.deepEqual(seenByB, { prompt: 'original', pollsDuringB: 0 });
  assert.deepEqual(events, ['B start']);
});

test('a test that ignores its signal is awaited (within the grace period) before the next test starts', async () => {
  const events: string[] = [];
  const results = await runTests([
    { name: 'A ignores its signal', timeoutMs: 50, fn: async () => { events.push('A start'); await new Promise((r) => setTimeout(r, 300)); events.push('A end'); } },
    { name: 'B', timeoutMs: 5_000, fn: () => { events.push('B start'); } },
  ], { graceMs: 5_000 });
  assert.deepEqual(results.map((r) => r.ok), [false, true]);
  assert.deepEqual(events, ['A start', 'A end', 'B start']);
});

test('a test still running after the grace period: the tests after it are reported not run and never start', async () => {
  const events: string[] = [];
  const results = await runTests([
    { name: 'A never settles', timeoutMs: 50, fn: () => new Promise(() => undefined) },
    { name: 'B', timeoutMs: 5_000, fn: () => { events.push('B ran'); } },
    { name: 'C', timeoutMs: 5_000, fn: () => { events.push('C ran'); } },
  ], { graceMs: 100 });
  assert.deepEqual(results.map((r) => [r.name, r.ok]), [['A never settles', false], ['B', false], ['C', false]]);
  assert.match(results[1].error ?? '', /^not run: "A never settles" was still running/);
  assert.deepEqual(events, []);
});

test('passing and failing tests are reported with the error; sleep() in a test rejects once the test has timed out', async () => {
  let slept = 0;
  const results = await runTests([
    { name: 'passes', timeoutMs: 1_000, fn: () => undefined },
    { name: 'fails', timeoutMs: 1_000, fn: () => { throw new Error('expected 1, got 2'); } },
    { name: 'sleeps too long', timeoutMs: 100, fn: async () => { for (;;) { await sleep(10); slept++; } } },
  ], { graceMs: 5_000 });
  assert.deepEqual(results.map((r) => r.ok), [true, false, false]);
  assert.match(results[1].error ?? '', /^expected 1, got 2/);
  const after = slept;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(slept, after, 'the sleeping loop stopped when its test timed out');
});
