import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Endpoint, ProtocolTimeoutError, type Message } from '../../src/webview/protocol';
import { check } from '../../src/webview/validate';

interface TestSpec {
  hostRequests: { getRows: { params: { offset: number; count: number }; result: number[] }; fail: { params: undefined; result: void } };
  toWebview: { state: { total: number } };
  toHost: { clicked: string };
}

const getRowsCheck = check.object<{ offset: number; count: number }>({ offset: check.int(0, 1_000_000), count: check.int(0, 100) });

function pair(onInvalid?: (problem: string) => void) {
  // Deliver asynchronously, like postMessage.
  const ends: { host?: Endpoint<TestSpec, 'host'>; web?: Endpoint<TestSpec, 'webview'> } = {};
  const host = new Endpoint<TestSpec, 'host'>((m: Message) => setImmediate(() => void ends.web?.receive(m)), undefined, onInvalid);
  const web = new Endpoint<TestSpec, 'webview'>((m: Message) => setImmediate(() => void ends.host?.receive(m)), 200);
  Object.assign(ends, { host, web });
  return { host, web };
}

/** Waits (event-loop turns, up to 5 s) until `done()`; the assertions after it say what was expected. */
async function until(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !done() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
}

test('requests are answered by id, in any order', async () => {
  const { host, web } = pair();
  host.handle('getRows', async ({ offset, count }) => {
    await new Promise((r) => setTimeout(r, offset === 0 ? 20 : 0));
    return Array.from({ length: count }, (_, i) => offset + i);
  }, getRowsCheck);
  const [a, b] = await Promise.all([web.request('getRows', { offset: 0, count: 2 }), web.request('getRows', { offset: 10, count: 3 })]);
  assert.deepEqual(a, [0, 1]);
  assert.deepEqual(b, [10, 11, 12]);
});

test('handler errors reject the request with the message', async () => {
  const { host, web } = pair();
  host.handle('fail', () => { throw new Error('boom'); }, check.none);
  await assert.rejects(web.request('fail', undefined), /boom/);
});

test('an unanswered request times out', async () => {
  const web = new Endpoint<TestSpec, 'webview'>(() => undefined, 30);
  await assert.rejects(web.request('getRows', { offset: 0, count: 1 }), ProtocolTimeoutError);
});

test('ready handshake, then notifications both ways', async () => {
  const { host, web } = pair();
  const seen: string[] = [];
  host.on('ready', () => host.notify('state', { total: 5 }));
  host.on('clicked', (what) => seen.push(`host:${what}`), check.string(100));
  const state = new Promise<{ total: number }>((resolve) => web.on('state', resolve));
  web.notify('ready', undefined);
  assert.deepEqual(await state, { total: 5 });
  web.notify('clicked', 'row 3');
  await until(() => seen.length > 0);
  assert.deepEqual(seen, ['host:row 3']);
});

test('ready is sticky: a listener added after the webview said ready still answers it (restored panels load their content late)', async () => {
  const { host, web } = pair();
  const state = new Promise<{ total: number }>((resolve) => web.on('state', resolve));
  web.notify('ready', undefined);
  await new Promise((r) => setTimeout(r, 10));
  let calls = 0;
  host.on('ready', () => { calls++; host.notify('state', { total: 7 }); });
  assert.deepEqual(await state, { total: 7 });
  assert.equal(calls, 1);
  // A later ready (the webview reloaded) reaches the listener again.
  web.notify('ready', undefined);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(calls, 2);
});

test('garbage messages are ignored: no handler or listener runs, nothing is answered, and the endpoint still answers afterwards', async () => {
  const posted: Message[] = [];
  const host = new Endpoint<TestSpec, 'host'>((m) => posted.push(m));
  const fired: string[] = [];
  host.handle('getRows', ({ offset, count }) => { fired.push('getRows'); return Array.from({ length: count }, (_, i) => offset + i); }, getRowsCheck);
  host.on('clicked', (what) => fired.push(`clicked:${what}`), check.string(100));
  host.on('ready', () => fired.push('ready'));
  const garbage: unknown[] = [
    null, undefined, 'text', 42, [], { kind: 'nope' }, { kind: 'request' }, { kind: 'request', id: '1', method: 'getRows', params: { offset: 0, count: 1 } },
    { kind: 'request', id: 1.5, method: 'getRows', params: { offset: 0, count: 1 } }, { kind: 'request', id: 1, method: 7, params: {} },
    { kind: 'request', id: 1, method: 'x'.repeat(1000), params: {} }, { kind: 'notify', method: ['clicked'], params: 'a' },
    { kind: 'notify' }, { kind: 'response', id: 'x' }, { kind: 'response', id: 99, result: 1 },
  ];
  for (const g of garbage) await host.receive(g);
  assert.deepEqual(fired, [], 'no handler or listener fired');
  assert.deepEqual(posted, [], 'nothing was answered: none of them was a request with an id');
  await host.receive({ kind: 'request', id: 7, method: 'getRows', params: { offset: 3, count: 2 } });
  assert.deepEqual(posted, [{ kind: 'response', id: 7, result: [3, 4] }], 'the endpoint still answers');
  await host.receive({ kind: 'notify', method: 'clicked', params: 'row 1' });
  assert.deepEqual(fired, ['getRows', 'clicked:row 1']);
});

test('a request that fails its check gets an error answer, the handler never runs, and the problem is logged as text', async () => {
  const problems: string[] = [];
  const { host, web } = pair((p) => problems.push(p));
  const calls: unknown[] = [];
  host.handle('getRows', (p) => { calls.push(p); return []; }, getRowsCheck);
  const bad: unknown[] = [
    undefined, null, 'offset=0', [0, 1], { offset: '0', count: 1 }, { offset: 0 }, { offset: -1, count: 1 }, { offset: 0, count: -5 },
    { offset: 2 ** 53, count: 1 }, { offset: 0, count: 1e9 }, { offset: 0.5, count: 1 }, { offset: Number.NaN, count: 1 }, { offset: 0, count: Infinity },
  ];
  for (const params of bad) {
    await assert.rejects(web.request('getRows', params as never), /^Error: invalid getRows request$/, JSON.stringify(params));
  }
  assert.deepEqual(calls, []);
  assert.equal(problems.length, bad.length);
  assert.match(problems[6], /^Dropped a webview request getRows: params\.offset: -1 is outside 0\.\.1000000$/);
  // Keys the check does not know are dropped before the handler sees the params.
  await web.request('getRows', { offset: 1, count: 1, extra: '<script>' } as never);
  assert.deepEqual(calls, [{ offset: 1, count: 1 }]);
});

test('a notification that fails its check is dropped and logged; valid ones still arrive', async () => {
  const problems: string[] = [];
  const { host, web } = pair((p) => problems.push(p));
  const seen: string[] = [];
  host.on('clicked', (what) => seen.push(what), check.string(100));
  for (const params of [7, null, { a: 1 }, 'x'.repeat(101)]) web.notify('clicked', params as never);
  web.notify('clicked', 'ok');
  // Delivery is by setImmediate; a fixed 20 ms timer could fire first on a loaded machine (seen was []).
  await until(() => seen.length > 0 && problems.length >= 4);
  assert.deepEqual(seen, ['ok']);
  assert.equal(problems.length, 4);
  assert.ok(problems.every((p) => p.startsWith('Dropped a webview notification clicked: params')), problems.join('\n'));
  assert.ok(!problems.some((p) => p.includes('xxxx')), 'the offending text itself is not copied into the log');
});
