// The views' first-row loads that background work (the bucket posture scan) waits on: src/tree/rootLoads.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RootLoads } from '../../src/tree/rootLoads';

const later = () => {
  let settle!: (fail?: boolean) => void;
  const p = new Promise<void>((done, reject) => (settle = (fail) => (fail ? reject(new Error('failed')) : done())));
  return { p, settle };
};
const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 10));
  return done;
};

test('idle settles at once with no load in flight, and only once every load in flight settled (a failed one too)', async () => {
  const loads = new RootLoads();
  assert.equal(await settled(loads.idle()), true);
  const a = later();
  const b = later();
  loads.track(a.p);
  loads.track(b.p).catch(() => undefined);
  assert.equal(loads.busy, true);
  const idle = loads.idle();
  a.settle();
  assert.equal(await settled(idle), false, 'one view still loads its first rows');
  b.settle(true);
  assert.equal(await settled(idle), true);
  assert.equal(loads.busy, false);
});

test('a load that never settles holds idle back for at most maxWaitMs', async () => {
  const loads = new RootLoads();
  loads.track(new Promise<void>(() => undefined));
  const t0 = Date.now();
  await loads.idle(50);
  assert.ok(Date.now() - t0 >= 45);
  assert.equal(loads.busy, true);
});

test('track hands back the load unchanged', async () => {
  const loads = new RootLoads();
  assert.equal(await loads.track(Promise.resolve(42)), 42);
  await assert.rejects(loads.track(Promise.reject(new Error('denied'))), /denied/);
});

test('firstSettled waits for the first load to settle (a failed one too), then settles at once; never before a load ran', async () => {
  const loads = new RootLoads();
  const first = loads.firstSettled(10_000);
  assert.equal(await settled(first), false, 'no view has loaded its first rows yet');
  const a = later();
  const b = later();
  loads.track(a.p).catch(() => undefined);
  loads.track(b.p);
  assert.equal(await settled(first), false, 'both views still load');
  a.settle(true);
  assert.equal(await settled(first), true, 'one view has its answer (an error is an answer)');
  assert.equal(loads.busy, true);
  assert.equal(await settled(loads.firstSettled(10_000)), true);
  b.settle();
});

test('firstSettled gives up after maxWaitMs when no load settles (no view open, no connection)', async () => {
  const loads = new RootLoads();
  const t0 = Date.now();
  await loads.firstSettled(50);
  assert.ok(Date.now() - t0 >= 45);
});
