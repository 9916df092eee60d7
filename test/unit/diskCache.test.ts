import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache } from '../../src/cache/diskCache';

test('fresh within TTL, stale after, shared by two instances on the same folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-'));
  let now = 1_000_000;
  const a = new DiskCache(dir, () => now);
  const b = new DiskCache(dir, () => now);
  await a.set('k', { total: 42 });
  assert.deepEqual((await b.get('k', 1000))?.value, { total: 42 });
  now += 2000;
  const stale = await b.get<{ total: number }>('k', 1000);
  assert.equal(stale?.fresh, false);
  assert.equal(stale?.ageMs, 2000);
  assert.equal(await a.get('missing', 1000), undefined);
});

test('getOrFetch fetches once within TTL and serves stale data with the error when the fetch fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-'));
  let now = 0;
  const cache = new DiskCache(dir, () => now);
  let calls = 0;
  const fetch = async () => ++calls;
  assert.equal((await cache.getOrFetch('x', 100, fetch)).value, 1);
  assert.equal((await cache.getOrFetch('x', 100, fetch)).value, 1);
  assert.equal(calls, 1);
  now = 500;
  const offline = await cache.getOrFetch('x', 100, async () => { throw new Error('offline'); });
  assert.equal(offline.value, 1);
  assert.equal(offline.fresh, false);
  assert.match(String(offline.error), /offline/);
  await assert.rejects(cache.getOrFetch('never', 100, async () => { throw new Error('offline'); }), /offline/);
});
