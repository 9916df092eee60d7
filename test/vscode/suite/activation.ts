// Bench probe, run inside code-server's extension host: time from "not active" to "activated".
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import assert from 'node:assert/strict';
import { extension } from './api';
import { runAll, test } from './runner';

test('activation time', async () => {
  const ext = extension();
  assert.equal(ext.isActive, false, 'the extension was already active: activation is not lazy');
  const start = performance.now();
  const api = await ext.activate();
  const activationMs = performance.now() - start;
  assert.equal(ext.isActive, true);
  // The features bundle loads right after activation; an eager design would do this inside activate().
  assert.ok(api, 'test API missing');
  await api.ready();
  const readyMs = performance.now() - start;
  const out = process.env.CLOUD_MONITOR_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify({ activationMs, readyMs }));
});

export const run = runAll;
