// The tail's day-to-day behaviour inside code-server against moto_server (issues 14 and 15): a tail
// starts with the last minutes (FilterLogEvents), then Live Tail; a tail nobody has looked at for
// cloudMonitor.logs.liveTailIdleMinutes stops, reports its billed minutes, and resumes with one click,
// back-filling the gap. Live Tail comes from a loopback stand-in started here, in the extension host
// (moto does not serve StartLiveTail; the stand-in passes every other operation to moto). The
// extension's clock (Ctx.clock) is the test's: its timers are captured and run by hand.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createLogGroup, putEvents } from '../../helpers/logFixtures';
import { startLiveTailStandIn, type LiveTailMessage, type LiveTailStandIn } from '../../helpers/liveTailStandIn';
import type { LiveTailSessionRecord } from '../../../src/logs/tail/liveTailSessions';
import { LogDocuments } from '../../../src/logs/tail/tailDocuments';
import { extensionCtx } from './api';
import { runAll, test, waitFor } from './runner';
import { driveClock, type TestClock } from './testClock';

const cfg = { endpoint: process.env.MOTO_ENDPOINT!, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const logs = new CloudWatchLogsClient(cfg);
const GROUP = '/app/idle-tail';
const ARN = `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}`;

// The Athena History view's provider, observed by wrapping createTreeView before the extension makes its views.
type Observed = { provider: vscode.TreeDataProvider<unknown>; view: vscode.TreeView<unknown>; fired: number };
const views = new Map<string, Observed>();
const win = vscode.window as unknown as { createTreeView: typeof vscode.window.createTreeView };
const createTreeView = win.createTreeView.bind(vscode.window);
win.createTreeView = <T>(id: string, opts: vscode.TreeViewOptions<T>) => {
  const view = createTreeView(id, opts);
  const seen: Observed = { provider: opts.treeDataProvider as vscode.TreeDataProvider<unknown>, view: view as vscode.TreeView<unknown>, fired: 0 };
  opts.treeDataProvider.onDidChangeTreeData?.(() => { seen.fired++; });
  views.set(id, seen);
  return view;
};

let clock: TestClock;
let standIn: LiveTailStandIn;
let uri = '';
const recentTwo = { message: 'WARN recent two', timestamp: 0 };

type Info = { state: string; resumable: boolean; liveTailSessions: LiveTailSessionRecord[] } | undefined;
const info = async () => (await vscode.commands.executeCommand('cloudMonitor.logs.documentInfo', uri)) as Info;
const text = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.getText() ?? '';
const count = (needle: string) => text().split(needle).length - 1;
const update = (events: { message: string; timestamp: number }[]): LiveTailMessage => ({
  event: 'sessionUpdate',
  body: { sessionMetadata: { sampled: false }, sessionResults: events.map((e) => ({ logStreamName: 'main', logGroupIdentifier: ARN, message: e.message, timestamp: e.timestamp, ingestionTime: e.timestamp + 5 })) },
});
/** Runs the idle check the extension's clock scheduled (and any relative-time tick: harmless). */
const tick = () => clock.tick();

test('set-up: a log group with events of the last minutes; Live Tail served by the stand-in; the extension on the test clock', async () => {
  const t = Date.now();
  recentTwo.timestamp = t - 60_000;
  await createLogGroup(logs, GROUP);
  await putEvents(logs, GROUP, [{ message: 'INFO too old', timestamp: t - 10 * 60_000 }, { message: 'INFO recent one', timestamp: t - 3 * 60_000 }, recentTwo]);
  standIn = await startLiveTailStandIn([{ event: 'sessionStart', body: { requestId: 'r1', sessionId: 'IDLE', logGroupIdentifiers: [ARN] } }], { forward: cfg.endpoint, keepOpen: true });
  // The extension reads the environment when it builds a client (AWS_ENDPOINT_URL_<SERVICE>, as the SDKs do).
  process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = standIn.endpoint;
  const ctx = await extensionCtx();
  clock = driveClock(ctx.clock);
  await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'sandbox');
  await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'us-east-1');
  assert.equal(ctx.connection.isReady, true);
});

test('a tail starts with the last 5 minutes (FilterLogEvents), then Live Tail: an event both bring shows once, in time order', async () => {
  uri = (await vscode.commands.executeCommand('cloudMonitor.logs.tail', { groupName: GROUP })) as string;
  await waitFor(() => text().includes('WARN recent two'), 'the back-filled events', 30_000);
  await waitFor(() => standIn.open === 1, 'the Live Tail session');
  standIn.send(update([recentTwo, { message: 'ERROR live three', timestamp: Date.now() }]));
  await waitFor(() => text().includes('ERROR live three'), 'the live event', 20_000);
  assert.match(text(), /# Back-filled 2 events from the last 5 minutes \(FilterLogEvents from \d\d:\d\d:\d\d UTC\); live events follow\./);
  assert.doesNotMatch(text(), /too old/, 'only the last 5 minutes');
  assert.equal(count('WARN recent two'), 1, 'the overlap shows once');
  assert.ok(text().indexOf('recent one') < text().indexOf('recent two') && text().indexOf('recent two') < text().indexOf('live three'), text());
  assert.equal((await info())?.state, 'live');
  assert.match(text(), /Live Tail session IDLE started/);
});

test('hidden for 5 minutes (the extension\'s clock): the tail stops, says when and why, reports its billed minutes; Resume back-fills the gap', async () => {
  const other = await vscode.workspace.openTextDocument({ content: 'something else to look at' });
  await vscode.window.showTextDocument(other, { preview: false });
  await waitFor(() => !vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri), 'the tail to be hidden');
  assert.ok(clock.live().some((i) => i.ms <= 60_000), 'an idle check runs on the extension\'s clock while a tail runs');
  clock.offset = 4 * 60_000;
  tick();
  assert.equal((await info())?.state, 'live', 'still running after 4 minutes hidden');
  clock.offset = 5 * 60_000 + 1_000;
  tick();
  await waitFor(async () => (await info())?.state === 'stopped', 'the idle stop');
  await waitFor(() => text().includes('Tail stopped at'), 'the stop line');
  assert.match(text(), /\n# Tail stopped at \d\d:\d\d:\d\d UTC: this document was not visible for 5 minutes \(setting cloudMonitor\.logs\.liveTailIdleMinutes\), and Live Tail is billed per minute while it runs\./);
  await waitFor(() => standIn.open === 0, 'the Live Tail session to close (billing stops)');
  const ended = (await info())!.liveTailSessions;
  assert.equal(ended.length, 1, JSON.stringify(ended));
  const [s] = ended;
  assert.deepEqual([s.endReason, s.logGroups, s.profile, s.region], ['idle', [GROUP], 'sandbox', 'us-east-1']);
  assert.equal(s.billedMinutes, Math.ceil((s.endedAt - s.startedAt) / 60_000));
  assert.ok(s.billedMinutes >= 6 && s.billedMinutes <= 8, `5 minutes hidden after a short visible time: ${s.billedMinutes}`);
  // The billing ledger has the idle-stopped session's minutes, from its start and stop (the extension's
  // clock), not from when its stream happened to end: one StartLiveTail call, billedMinutes × $0.01.
  const ledgerLines = async () => (await (await extensionCtx()).billing!.ledger.lines()).filter((l) => l.op === 'StartLiveTail');
  // (The call and the minutes can be two lines: rows are batched per flush, and the account id may arrive between.
  // The minutes reached the ledger a moment after the document reported the stop once, on a loaded machine: so
  // wait for them; on a timeout the assertions below say what is there.)
  const ledger = await waitFor(async () => {
    const lines = await ledgerLines();
    return lines.reduce((q, l) => q + l.q, 0) >= s.billedMinutes ? lines : undefined;
  }, 'the session\'s minutes in the ledger').catch(ledgerLines);
  assert.deepEqual([...new Set(ledger.map((l) => JSON.stringify([l.feature, l.profile, l.region, l.unit, l.priced])))], [JSON.stringify(['logs', 'sandbox', 'us-east-1', 'minute', true])], JSON.stringify(ledger));
  assert.equal(ledger.reduce((n, l) => n + l.n, 0), 1, 'one session, one call');
  assert.equal(ledger.reduce((q, l) => q + l.q, 0), s.billedMinutes, 'the idle-stopped session\'s minutes are in the ledger');
  assert.ok(Math.abs(ledger.reduce((u, l) => u + l.usd, 0) - s.billedMinutes * 0.01) < 1e-9);

  // Written while nobody watched (at the test clock's time): Resume must bring it.
  await putEvents(logs, GROUP, [{ message: 'INFO written in the gap', timestamp: Date.now() + clock.offset }]);
  const tailDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
  await vscode.window.showTextDocument(tailDoc, { preview: false });
  assert.equal((await info())?.resumable, true);
  const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', tailDoc.uri)) as vscode.CodeLens[];
  const resume = lenses.find((l) => l.command?.command === 'cloudMonitor.logs.resumeTail');
  assert.ok(resume, `a Resume CodeLens (${lenses.map((l) => l.command?.title).join(', ')})`);
  assert.match(tailDoc.lineAt(resume.range.start.line).text, /^# Tail stopped at/, 'on the stop line');
  assert.match(resume.command!.title, /Resume/);
  await vscode.commands.executeCommand(resume.command!.command, ...(resume.command!.arguments ?? []));
  await waitFor(() => text().includes('INFO written in the gap'), 'the gap back-filled', 30_000);
  await waitFor(async () => (await info())?.state === 'live' && standIn.open === 1, 'Live Tail again');
  const body = text();
  assert.ok(body.indexOf('# Tail stopped at') < body.indexOf('# Resumed at') && body.indexOf('# Resumed at') < body.indexOf('INFO written in the gap'), body);
  assert.match(body, /# Back-filled 1 event from the gap/);
  for (const m of ['INFO recent one', 'WARN recent two', 'ERROR live three', 'INFO written in the gap']) assert.equal(count(m), 1, m);
});

test('Athena History: "2 min ago" becomes "12 min ago" on the shared relative-time timer while the view shows, redrawn from the stored history', async () => {
  const ctx = await extensionCtx();
  const history = views.get('cloudMonitor.athenaHistory');
  assert.ok(history, `views observed: ${[...views.keys()].join(', ')}`);
  await ctx.extension.globalState.update('cloudMonitor.athena.history', [
    { id: 'local-times', sql: 'SELECT 1', startedAt: ctx.clock.now() - 2 * 60_000, state: 'SUCCEEDED', workgroup: 'primary', catalog: 'AwsDataCatalog', database: 'default' },
  ]);
  await vscode.commands.executeCommand('cloudMonitor.athenaHistory.focus');
  await waitFor(() => history.view.visible, 'the Athena History view to show');
  const description = async () => {
    const [first] = (await history.provider.getChildren?.(undefined)) ?? [];
    return first ? String((await history.provider.getTreeItem(first)).description ?? '') : '';
  };
  await waitFor(async () => (await description()).startsWith('2 min ago'), 'the entry, 2 min ago');
  const timers = clock.live();
  assert.ok(timers.length >= 1, 'a relative-time timer runs while the view shows');
  clock.offset += 10 * 60_000;
  const fired = history.fired;
  tick();
  assert.ok(history.fired > fired, 'the tick tells the view to redraw');
  assert.match(await description(), /^12 min ago · /);
});

test('a tail editor follows the end while batches arrive faster than the window confirms each scroll; scrolled up, it stays there', async () => {
  // Each push updates the document at once (flushMs 0), so a batch can land while the window is still scrolling
  // to the previous end: the editor's visible range is then older than its document (as on a busy machine, where
  // a CI run saw a tail stop following).
  const docs = new LogDocuments({ scheme: 'cloudmonitor-follow-test', flushMs: 0 });
  try {
    const session = docs.create('tail', 'follow test', 100_000);
    const editor = await docs.show(session);
    let n = 0;
    const push = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        docs.push(session, Array.from({ length: 20 }, () => ({ timestamp: Date.now(), message: `INFO follow line ${++n}`, id: `follow-${n}` })));
        await new Promise((r) => setTimeout(r, 2 + (i % 5) * 4));
      }
      const last = `follow line ${n}\n`;
      await waitFor(() => editor.document.getText().includes(last), 'the last batch in the document');
    };
    // The editor that shows the document now (VS Code may hand the extension a new TextEditor for it).
    const shown = () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === session.uri.toString()) ?? editor;
    const lastShown = () => shown().visibleRanges.at(-1)?.end.line ?? -1;
    await push(60);
    await waitFor(() => lastShown() >= shown().document.lineCount - 2, 'the end to show');

    // Scroll to the top, as a reader would, until the window says it shows the top.
    await waitFor(() => {
      if (shown().visibleRanges[0]?.start.line === 0) return true;
      shown().revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
      return false;
    }, 'the editor scrolled to the top');
    await push(10);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(shown().visibleRanges[0]?.start.line, 0, 'a reader who scrolled up is not pulled to the end');
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    docs.dispose();
  }
});

test('an event that arrives while the tail document opens reaches it (VS Code drops a change fired before the extension host has the document)', async () => {
  const docs = new LogDocuments({ scheme: 'cloudmonitor-open-test', flushMs: 0 });
  try {
    const session = docs.create('tail', 'open test', 1_000);
    docs.notice(session, 'Tail of the open test.');
    // The event arrives right after VS Code read the content to open the document, before the extension host is
    // told that the document is open (a message later): as a back-fill can on a busy machine.
    const provide = docs.provideTextDocumentContent.bind(docs);
    let arrived = false;
    docs.provideTextDocumentContent = (uri) => {
      const text = provide(uri);
      if (!arrived) {
        arrived = true;
        setImmediate(() => docs.push(session, [{ timestamp: Date.now(), message: 'INFO arrived while the document opened', id: 'opening-1' }]));
      }
      return text;
    };
    const editor = await docs.show(session);
    assert.ok(arrived, 'the event was pushed while the document opened');
    await waitFor(() => editor.document.getText().includes('arrived while the document opened'), 'the event in the document');
  } finally {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    docs.dispose();
  }
});

test('clean-up: closing the tail ends its Live Tail session', async () => {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor(() => standIn.open === 0, 'the session to close');
  await waitFor(async () => (await info()) === undefined, 'the document to end');
  delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
  await standIn.stop();
});

export const run = runAll;
