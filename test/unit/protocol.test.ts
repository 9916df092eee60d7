import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Endpoint, ProtocolTimeoutError, type Message } from '../../src/webview/protocol';

interface TestSpec {
  hostRequests: { getRows: { params: { offset: number; count: number }; result: number[] }; fail: { params: undefined; result: void } };
  toWebview: { state: { total: number } };
  toHost: { clicked: string };
}

function pair() {
  // Deliver asynchronously, like postMessage.
  const ends: { host?: Endpoint<TestSpec, 'host'>; web?: Endpoint<TestSpec, 'webview'> } = {};
  const host = new Endpoint<TestSpec, 'host'>((m: Message) => setImmediate(() => void ends.web?.receive(m)));
  const web = new Endpoint<TestSpec, 'webview'>((m: Message) => setImmediate(() => void ends.host?.receive(m)), 200);
  Object.assign(ends, { host, web });
  return { host, web };
}

test('requests are answered by id, in any order', async () => {
  const { host, web } = pair();
  host.handle('getRows', async ({ offset, count }) => {
    await new Promise((r) => setTimeout(r, offset === 0 ? 20 : 0));
    return Array.from({ length: count }, (_, i) => offset + i);
  });
  const [a, b] = await Promise.all([web.request('getRows', { offset: 0, count: 2 }), web.request('getRows', { offset: 10, count: 3 })]);
  assert.deepEqual(a, [0, 1]);
  assert.deepEqual(b, [10, 11, 12]);
});

test('handler errors reject the request with the message', async () => {
  const { host, web } = pair();
  host.handle('fail', () => { throw new Error('boom'); });
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
  host.on('clicked', (what) => seen.push(`host:${what}`));
  const state = new Promise<{ total: number }>((resolve) => web.on('state', resolve));
  web.notify('ready', undefined);
  assert.deepEqual(await state, { total: 5 });
  web.notify('clicked', 'row 3');
  await new Promise((r) => setTimeout(r, 10));
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

test('garbage messages are ignored', async () => {
  const { host } = pair();
  await host.receive(null);
  await host.receive({ kind: 'nope' });
  await host.receive('text');
  assert.ok(true, 'no throw');
});
