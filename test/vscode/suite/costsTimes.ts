// The Costs view's "updated N min ago" keeps up while the view shows (issue 14), inside code-server against
// the Cost Explorer stand-in (test/vscode/costsTimes.exthost.test.ts). The extension's clock (Ctx.clock) is
// the test's: its setInterval is captured and run by hand and its now() moved forward, so nothing sleeps
// for the timer. The tick must redraw from the overview already shown: the request count in the same
// description must not move.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BillingFeature } from '../../../src/billing/feature';
import type { Ctx } from '../../../src/context';
import { extensionCtx, stubWarnings } from './api';
import { runAll, sleep, test, waitFor } from './runner';

let costsView: vscode.TreeView<unknown> | undefined;
const win = vscode.window as unknown as { createTreeView: typeof vscode.window.createTreeView };
const createTreeView = win.createTreeView.bind(vscode.window);
win.createTreeView = <T>(id: string, opts: vscode.TreeViewOptions<T>) => {
  const view = createTreeView(id, opts);
  if (id === 'cloudMonitor.costs') costsView = view as vscode.TreeView<unknown>;
  return view;
};

interface FakeInterval { fn: () => void; ms: number; cleared: boolean }
const intervals: FakeInterval[] = [];
let offset = 0;
const live = () => intervals.filter((i) => !i.cleared);
const description = () => String(costsView?.description ?? '');

test('set-up: Cost Explorer requests allowed, the sandbox profile, the extension on the test clock', async () => {
  const ctx = await extensionCtx();
  assert.ok(costsView, 'the Costs view was created');
  ctx.clock.now = () => Date.now() + offset;
  ctx.clock.setInterval = (fn, ms) => {
    const h = { fn, ms, cleared: false };
    intervals.push(h);
    return h;
  };
  ctx.clock.clearInterval = (h) => { (h as FakeInterval).cleared = true; };
  // The consent the view's "Allow requests" button records (its modal cannot be answered here).
  await ctx.extension.globalState.update('cloudMonitor.costs.consent', true);
  await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'sandbox');
  await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'us-east-1');
  assert.equal(ctx.connection.isReady, true);
});

test('Costs: "updated just now" becomes "updated 10 min ago" on the timer while visible, with no request; the timer stops when hidden', async () => {
  await vscode.commands.executeCommand('cloudMonitor.costs.focus');
  await waitFor(() => costsView?.visible, 'the Costs view to show');
  const before = await waitFor(() => /^updated just now · (\d+) CE requests? today/.exec(description()), `"updated just now" with the request count (${description()})`, 60_000);
  // Let requests settle (the count in the description is written after each one).
  await waitFor(async () => {
    const now = description();
    await new Promise((r) => setTimeout(r, 1_000));
    return now === description() && now;
  }, 'the description to settle', 30_000);
  const settled = description();
  const timers = live();
  assert.ok(timers.length >= 1, 'a relative-time timer runs while the Costs view shows');
  assert.ok(timers.every((t) => t.ms <= 60_000), `it ticks at least once a minute (${timers.map((t) => t.ms).join(', ')} ms)`);
  offset = 10 * 60_000;
  for (const t of timers) t.fn();
  const after = await waitFor(() => (/^updated 10 min ago/.test(description()) ? description() : undefined), `"updated 10 min ago" (was ${settled}, now ${description()})`);
  assert.equal(after.replace(/^updated [^·]+/, ''), settled.replace(/^updated [^·]+/, ''), `the same request count: redrawn, not requested (${before[0]})`);

  await vscode.commands.executeCommand('workbench.view.explorer');
  await waitFor(() => !costsView?.visible, 'the Costs view to hide');
  assert.deepEqual(live().filter((t) => timers.includes(t)), [], 'the timer stops when the view hides');
});

/** Ages every entry of the extension's disk cache by `ms`, as if it had been stored that much earlier. */
/** The Cost Explorer requests in the billing ledger so far. */
async function ceCallsOf(ctx: Ctx): Promise<number> {
  return (await ctx.billing!.ledger.lines()).filter((l) => l.service === 'ce').reduce((n, l) => n + l.n, 0);
}

/**
 * The Cost Explorer requests in the ledger once a refresh has sent them all: the count once it stayed the same for
 * a second. A refresh sends several, so the first one in the ledger does not mean the refresh is done.
 */
async function settledCeCalls(ctx: Ctx): Promise<number> {
  const count = () => ceCallsOf(ctx);
  let last = await count();
  for (let i = 0; i < 30; i++) {
    await sleep(1_000);
    const now = await count();
    if (now === last) return now;
    last = now;
  }
  throw new Error(`Cost Explorer requests still going out after 30 s (${last})`);
}

function ageCache(dir: string, ms: number): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const entry = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { storedAt?: number };
    if (typeof entry.storedAt !== 'number') continue;
    entry.storedAt -= ms;
    writeFileSync(join(dir, name), JSON.stringify(entry));
    n++;
  }
  return n;
}

test('automatic refresh over the daily budget: skipped without a question and without a request, the view says why; within the budget it goes, without a question', async () => {
  const ctx = await extensionCtx();
  const ceCalls = () => ceCallsOf(ctx);
  const budget = (usd: number | undefined) => vscode.workspace.getConfiguration('cloudMonitor').update('billing.dailyBudgetUsd', usd, vscode.ConfigurationTarget.Global);
  const asked: string[] = [];
  const warnings = stubWarnings((message) => void asked.push(message));
  const offsetBefore = offset;
  // The timer is aimed when the view shows: hide it, age what it shows past the cache TTL (6 hours), show it.
  const showAfter = async (ms: number) => {
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(() => !costsView?.visible, 'the Costs view to hide');
    assert.ok(ageCache(join(ctx.extension.globalStorageUri.fsPath, 'cache'), ms) > 0, 'cached Cost Explorer answers to age');
    offset += ms;
    await vscode.commands.executeCommand('cloudMonitor.costs.focus');
    await waitFor(() => costsView?.visible, 'the Costs view to show');
  };
  try {
    const before = await ceCalls();
    // A budget no Cost Explorer request fits in.
    await budget(Math.round(((await ctx.billing!.ledger.summary()).todayUsd + 0.001) * 1000) / 1000);
    await showAfter(7 * 3_600_000);
    const message = await waitFor(() => costsView?.message, 'the view\'s message');
    assert.match(message, /^Automatic refresh skipped: This automatic refresh makes [1-9]\d* Cost Explorer requests? \(\$\d+\.\d\d\); today's spend is \$[\d.]+ of \$[\d.]+ \(cloudMonitor\.billing\.dailyBudgetUsd\)\. Refresh to load anyway\.$/);
    assert.deepEqual(asked, [], 'no question from a timer');
    assert.equal(await ceCalls(), before, 'no request');

    // Within the budget: the next automatic refresh (15 minutes on) sends its requests without asking.
    await budget(Math.round(((await ctx.billing!.ledger.summary()).todayUsd + 1) * 1000) / 1000);
    await showAfter(16 * 60_000);
    await waitFor(async () => (await ceCalls()) > before, 'the automatic refresh\'s requests', 30_000);
    await waitFor(() => costsView?.message === undefined, `the message to go (${costsView?.message})`);
    // Every request of the refresh is out before the next test counts them.
    await settledCeCalls(ctx);
    assert.deepEqual(asked, [], 'no question');
  } finally {
    warnings.restore();
    offset = offsetBefore;
    await budget(undefined);
  }
});

test('Refresh over the daily budget: one question for the whole refresh, with its number of requests and price, before any is sent; declined sends none, allowed sends them', async () => {
  const ctx = await extensionCtx();
  await vscode.commands.executeCommand('cloudMonitor.costs.focus');
  await waitFor(() => costsView?.visible, 'the Costs view to show');
  const ceCalls = () => ceCallsOf(ctx);
  const spent = (await ctx.billing!.ledger.summary()).todayUsd;
  // A budget a single request passes.
  await vscode.workspace.getConfiguration('cloudMonitor').update('billing.dailyBudgetUsd', Math.round((spent + 0.005) * 1000) / 1000, vscode.ConfigurationTarget.Global);
  const asked: { message: string; sentBefore: number }[] = [];
  let answer: string | undefined;
  const warnings = stubWarnings((message) => {
    void ceCalls().then((n) => asked.push({ message, sentBefore: n }));
    return answer;
  });
  try {
    const before = await settledCeCalls(ctx);
    // Declined: nothing is sent.
    await vscode.commands.executeCommand('cloudMonitor.costs.refresh');
    await waitFor(() => asked.length === 1, 'the budget question');
    const m = /^This refresh makes (\d+) Cost Explorer requests? \(\$(\d+\.\d\d)\); today's spend is \$[\d.]+ of \$[\d.]+ \(cloudMonitor\.billing\.dailyBudgetUsd\)\.$/.exec(asked[0].message);
    assert.ok(m, asked[0].message);
    const planned = Number(m[1]);
    assert.ok(planned >= 1);
    assert.equal(Number(m[2]), planned / 100, 'a cent a request');
    assert.equal(asked[0].sentBefore, before, 'asked before any request is sent');
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(await ceCalls(), before, 'declined: no request');
    assert.equal(asked.length, 1, 'one question');

    // Allowed for today: the refresh sends its requests, with no second question.
    answer = 'Allow for Today';
    await vscode.commands.executeCommand('cloudMonitor.costs.refresh');
    await waitFor(() => asked.length === 2, 'the budget question, again');
    assert.equal(asked[1].message, asked[0].message, 'the same figures: nothing was spent meanwhile');
    await waitFor(async () => (await ceCalls()) >= before + planned, `the ${planned} planned requests`, 30_000);
    assert.equal(asked.length, 2, 'one question for the whole refresh');
  } finally {
    warnings.restore();
    await vscode.workspace.getConfiguration('cloudMonitor').update('billing.dailyBudgetUsd', undefined, vscode.ConfigurationTarget.Global);
  }
});

test('Costs title: of two updates in flight, the later one is shown, even when the earlier one\'s ledger read answers last (the racing order forced)', async () => {
  const ctx = await extensionCtx();
  await vscode.commands.executeCommand('cloudMonitor.costs.focus');
  await waitFor(() => costsView?.visible, 'the Costs view to show');
  await waitFor(() => (/ · [1-9]\d* CE requests? today/.test(description()) ? description() : undefined), `a title with today's requests (${description()})`, 30_000);
  // Nothing else in flight: the previous test's refresh ends with title updates of its own, and the read held
  // below must be the first tick's, not one of theirs (in a fresh-clone run a late one was held, and the first
  // tick's update was taken for the second). The title has not changed for a second.
  let last = description();
  let since = Date.now();
  await waitFor(() => {
    if (description() !== last) [last, since] = [description(), Date.now()];
    return Date.now() - since >= 1_000;
  }, 'the Costs title to settle', 30_000);
  const shown = description();
  const timers = live();
  assert.ok(timers.length >= 1, 'a relative-time timer runs while the Costs view shows');
  // The first title update's ledger read is held, and answers with the ledger as it was before any Cost
  // Explorer request; the second reads the ledger as it is. Each tick of the timer is one title update.
  const ledger = ctx.billing!.ledger;
  const lines = ledger.lines;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let firstAnswered!: () => void;
  const firstDone = new Promise<void>((r) => (firstAnswered = r));
  let reads = 0;
  ledger.lines = async function (this: typeof ledger) {
    const all = await lines.call(this);
    if (++reads > 1) return all;
    await held;
    setImmediate(firstAnswered);
    return all.filter((l) => l.service !== 'ce');
  };
  try {
    offset += 20 * 60_000;
    for (const t of timers) t.fn();
    await waitFor(() => reads >= 1, 'the first update to read the ledger');
    offset += 20 * 60_000;
    for (const t of timers) t.fn();
    const second = await waitFor(() => (description() !== shown && / CE requests? today/.test(description()) ? description() : undefined), `the second update (was ${shown}, now ${description()})`);
    assert.match(second, / · [1-9]\d* CE requests? today/);
    release();
    await firstDone;
    // The first update's own continuation has run by the next macrotask.
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(description(), second, 'the later update stays: the earlier one, answered last, does not overwrite it');
  } finally {
    release();
    ledger.lines = lines;
  }
});

test('"Allow for Today" answered while another call or refresh read today\'s spend: it goes, without a second question (a CI run saw a second budget dialog)', async () => {
  const ctx = await extensionCtx();
  await vscode.workspace.getConfiguration('cloudMonitor').update('billing.dailyBudgetUsd', 0, vscode.ConfigurationTarget.Global);
  // A budget gate of its own (the extension's was allowed for today by the test above), on the same ledger.
  const billing = new BillingFeature(ctx.extension, ctx.log);
  const w = vscode.window as unknown as { showWarningMessage: (...a: unknown[]) => Thenable<unknown> };
  const original = w.showWarningMessage;
  const asked: string[] = [];
  let answer: (pick: string) => void = () => undefined;
  // The first question waits for the test's answer; any other is allowed at once (so a second question fails the
  // assertion below rather than hanging the call that asked it).
  w.showWarningMessage = (message: unknown) => {
    asked.push(String(message));
    return asked.length === 1 ? new Promise((resolve) => (answer = resolve)) : Promise.resolve('Allow for Today');
  };
  try {
    const call = { key: 's3:ListBuckets', feature: 'buckets', usd: 0.005, when: 'advance' as const };
    const first = billing.gate(call);
    await waitFor(() => asked.length === 1, 'the budget question');
    // Today's spend is kept for a second: the next call reads the ledger file, and the answer comes while it reads.
    await new Promise((r) => setTimeout(r, 1_100));
    const second = billing.gate(call);
    const refresh = billing.confirmAction('costs', { what: 'This refresh', service: 'Cost Explorer', requests: 2, usd: 0.02 });
    answer('Allow for Today');
    await first;
    await second;
    assert.equal(await refresh, true, 'the refresh goes');
    assert.equal(asked.length, 1, `one question for the day: ${asked.join(' | ')}`);
    assert.match(asked[0], /^This S3 ListBuckets request costs /);
  } finally {
    w.showWarningMessage = original;
    billing.dispose();
    await vscode.workspace.getConfiguration('cloudMonitor').update('billing.dailyBudgetUsd', undefined, vscode.ConfigurationTarget.Global);
  }
});

export const run = runAll;
