// Extension-host tests of the Logs and Alerts views and the alert notifications, inside code-server
// against moto_server. Notifications are observed by wrapping vscode.window.show*Message (each call
// is recorded, then passed on so the toast really appears); unexpected prompts fail the test.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createAlarm, createFakePipeline, publishAlert, type FakePipeline } from '../../helpers/alertFixtures';
import { jsonLine, putEvents } from '../../helpers/logFixtures';
import { SQL_INJECTION_APP_IDS } from '../../fixtures/hostile';
import { extensionCtx } from './api';
import { runAll, test, waitFor } from './runner';

const cfg = { endpoint: process.env.MOTO_ENDPOINT!, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const clients = {
  ddb: new DynamoDBClient(cfg), sqs: new SQSClient(cfg), sns: new SNSClient(cfg),
  logs: new CloudWatchLogsClient(cfg), cfn: new CloudFormationClient(cfg), cw: new CloudWatchClient(cfg),
};
let pipeline: FakePipeline;

type Shown = { level: 'error' | 'warning' | 'info'; message: string; items: string[] };
const shown: Shown[] = [];
const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const [name, level] of [['showErrorMessage', 'error'], ['showWarningMessage', 'warning'], ['showInformationMessage', 'info']] as const) {
  const original = win[name].bind(vscode.window);
  win[name] = (message: unknown, ...rest: unknown[]) => {
    shown.push({ level, message: String(message), items: rest.filter((x): x is string => typeof x === 'string') });
    return original(message, ...rest);
  };
}
let quickPickAnswer: ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined) | undefined;
win.showQuickPick = async (items: unknown) => {
  const list = (await items) as vscode.QuickPickItem[];
  if (!quickPickAnswer) throw new Error(`unexpected QuickPick: ${list.map((i) => i.label).join(' | ')}`);
  const answer = quickPickAnswer(list);
  quickPickAnswer = undefined;
  return answer;
};
win.showInputBox = async () => { throw new Error('unexpected InputBox'); };

type Observed = { view: vscode.TreeView<unknown> };
const views = new Map<string, Observed>();
const createTreeView = vscode.window.createTreeView.bind(vscode.window);
win.createTreeView = (id: unknown, opts: unknown) => {
  const view = createTreeView(id as string, opts as vscode.TreeViewOptions<unknown>);
  views.set(id as string, { view });
  return view;
};

async function depth(queueUrl: string): Promise<number> {
  const a = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible);
}

const alertToasts = () => shown.filter((s) => s.items.includes('Open Logs'));

test('set-up: a pipeline stack (tagged) with its table, topic and inbox; connect to the emulator', async () => {
  pipeline = await createFakePipeline(clients, 'cm-exthost');
  const now = Date.now();
  for (const it of [
    { alertKey: 'checkout#error', appId: 'checkout', alertType: 'error', state: 'ALARM', updatedAt: now - 600_000, notifiedAt: now - 600_000, suppressed: 4, summary: 'NullPointerException in cart' },
    { alertKey: 'search#error-rate', appId: 'search', alertType: 'error-rate', state: 'OK', updatedAt: now - 3_600_000, summary: 'recovered' },
  ]) await clients.ddb.send(new PutItemCommand({ TableName: pipeline.table, Item: marshall(it) }));
  await createAlarm(clients.cw, 'cm-exthost-dlq-depth', 'ALARM', 'Threshold Crossed');
  await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'sandbox');
  await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'us-east-1');
  const ctx = await extensionCtx();
  assert.equal(ctx.connection.isReady, true);
});

test('alerts published on the SNS topic: each shown once, with its actions; the queue is emptied', async () => {
  await vscode.commands.executeCommand('cloudMonitor.alerts.refresh');
  await waitFor(async () => ((await vscode.commands.executeCommand('cloudMonitor.alerts.inboxStatus', true)) as { status: { kind: string } }).status.kind === 'polling', 'this window polls');
  await publishAlert(clients.sns, pipeline.topicArn, { appId: 'checkout', alertType: 'error', summary: 'NullPointerException in cart' });
  await publishAlert(clients.sns, pipeline.topicArn, { appId: 'search', alertType: 'errorRate', kind: 'clear', summary: 'about 3 errors in 5 min (threshold 50)' });
  await waitFor(() => alertToasts().length >= 2, 'two alert notifications', 40_000);
  await waitFor(async () => (await depth(pipeline.queueUrl)) === 0, 'the inbox queue is empty', 20_000);
  await new Promise((r) => setTimeout(r, 3_000));
  const toasts = alertToasts();
  assert.equal(toasts.length, 2, toasts.map((t) => t.message).join(' | '));
  const checkout = toasts.find((t) => t.message.startsWith('checkout'));
  assert.equal(checkout?.level, 'error');
  assert.deepEqual(checkout?.items, ['Open Logs', 'Query in Athena', 'Mute…']);
  const search = toasts.find((t) => t.message.startsWith('Recovered: search'));
  assert.equal(search?.level, 'info', toasts.map((t) => t.message).join(' | '));
  assert.match(search?.message ?? '', /^Recovered: search \(errorRate\): about 3 errors in 5 min/);
});

test('mutes are honoured and persisted; unmuted alerts still show', async () => {
  const ctx = await extensionCtx();
  quickPickAnswer = (items) => items.find((i) => i.label === 'Mute every alert from checkout for 1 hour');
  await vscode.commands.executeCommand('cloudMonitor.alerts.mute', { key: 'checkout#error', appId: 'checkout' });
  const before = alertToasts().length;
  await publishAlert(clients.sns, pipeline.topicArn, { appId: 'checkout', alertType: 'error', summary: 'muted one' });
  await publishAlert(clients.sns, pipeline.topicArn, { appId: 'billing', alertType: 'error', summary: 'not muted' });
  await waitFor(() => alertToasts().length > before, 'the unmuted alert', 40_000);
  await waitFor(async () => (await depth(pipeline.queueUrl)) === 0, 'the inbox queue is empty', 20_000);
  await new Promise((r) => setTimeout(r, 2_000));
  const after = alertToasts().slice(before);
  assert.deepEqual(after.map((t) => t.message.split(':')[0]), ['billing (error)']);
  const file = vscode.Uri.joinPath(ctx.extension.globalStorageUri, 'alert-mutes.json');
  assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)), /"app:checkout"/);
  quickPickAnswer = (items) => items.find((i) => i.label.startsWith('Unmute all'));
  await vscode.commands.executeCommand('cloudMonitor.alerts.mute');
});

test('Do Not Disturb mutes notifications only: an alert arriving meanwhile is received (history, view badge and message), with no toast; turning it off sums it up once, with Show History', async () => {
  const ctx = await extensionCtx();
  const status = async () => ((await vscode.commands.executeCommand('cloudMonitor.alerts.inboxStatus', true)) as { status: { kind: string } }).status.kind;
  const alerts = views.get('cloudMonitor.alerts');
  assert.ok(alerts, `views observed: ${[...views.keys()].join(', ')}`);
  await vscode.commands.executeCommand('cloudMonitor.alerts.focus');
  await waitFor(() => alerts.view.visible, 'the Alerts view');
  // The set-up's checkout#error and its CloudWatch alarm are in ALARM: counted once the view has loaded.
  const badgeBefore = await waitFor(() => alerts.view.badge?.value, 'the badge', 30_000);
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.alerts.toggleDoNotDisturb'), true);
  assert.equal(vscode.workspace.getConfiguration('cloudMonitor').get('alerts.doNotDisturb'), true, 'persisted as a setting');
  await waitFor(() => /Do Not Disturb/.test(alerts.view.message ?? '') && alerts.view.description === 'do not disturb', 'the view to say Do Not Disturb is on');
  assert.equal(await status(), 'polling', 'the inbox is still polled');
  const toastsBefore = alertToasts().length;
  const shownBefore = shown.length;
  // What the consumer does for an alert: its state row, and the message on the topic.
  await clients.ddb.send(new PutItemCommand({ TableName: pipeline.table, Item: marshall({ alertKey: 'orders#error', appId: 'orders', alertType: 'error', state: 'ALARM', updatedAt: Date.now(), summary: 'while do-not-disturb' }) }));
  await publishAlert(clients.sns, pipeline.topicArn, { appId: 'orders', alertType: 'error', summary: 'while do-not-disturb' });
  const history = () => ctx.extension.globalState.get<{ key: string; outcome: string; text: string }[]>('cloudMonitor.alertHistory') ?? [];
  await waitFor(() => history().some((h) => h.key === 'orders#error' && h.outcome === 'dnd'), 'the alert in the history, received during Do Not Disturb', 40_000).catch(async (err: Error) => {
    // What the inbox was doing (this failed twice in CI on VS Code 1.100.3 and once locally: the history lost the entry).
    const inbox = await vscode.commands.executeCommand('cloudMonitor.alerts.inboxStatus', true);
    throw new Error(`${err.message}; inbox ${JSON.stringify(inbox)}; queue depth ${await depth(pipeline.queueUrl)}; newest history ${JSON.stringify(history().slice(0, 4))}`);
  });
  await waitFor(async () => (await depth(pipeline.queueUrl)) === 0, 'the inbox queue is empty (received, not left waiting)', 20_000);
  await waitFor(() => alerts.view.badge?.value === badgeBefore + 1, `the badge to count the new ALARM (was ${badgeBefore})`, 20_000);
  assert.equal(alertToasts().length, toastsBefore, 'no alert notification during Do Not Disturb');
  assert.deepEqual(shown.slice(shownBefore).map((s) => s.message), [], 'no notification at all');

  assert.equal(await vscode.commands.executeCommand('cloudMonitor.alerts.toggleDoNotDisturb'), false);
  const summary = await waitFor(() => shown.slice(shownBefore).find((s) => s.items.includes('Show History')), 'the summary of what arrived', 20_000);
  assert.match(summary.message, /^1 alert arrived during Do Not Disturb: 1 ALARM\. Most from orders \(1\)\./);
  assert.equal(summary.level, 'error');
  assert.deepEqual(summary.items, ['Show History', 'Show Alerts']);
  await waitFor(() => alerts.view.message === undefined && alerts.view.description !== 'do not disturb', 'the view to drop the Do Not Disturb note');
  assert.equal(shown.slice(shownBefore).length, 1, `one notification: ${shown.slice(shownBefore).map((s) => s.message).join(' | ')}`);
  assert.equal(alertToasts().length, toastsBefore, 'the alert itself is not shown again');
});

test('Open Logs tails the consumer log group filtered to the app (polling fallback on moto says so)', async () => {
  const uri = (await vscode.commands.executeCommand('cloudMonitor.alerts.openLogs', { key: 'checkout#error', appId: 'checkout' })) as string;
  assert.ok(uri?.startsWith('cloudmonitor-tail:'));
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
  await waitFor(() => doc.getText().includes('Falling back to polling FilterLogEvents'), 'the fallback notice');
  assert.match(doc.getText(), /filtered by \{ \$\.appId = "checkout" \}/);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
});

test('a tail document receives new events, colours levels, pretty-prints on demand, stops on close', async () => {
  await putEvents(clients.logs, pipeline.logGroup, [{ message: jsonLine('INFO', 'checkout', 'before') }], 'consumer');
  const uri = (await vscode.commands.executeCommand('cloudMonitor.logs.tail', { groupName: pipeline.logGroup })) as string;
  const doc = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
  await waitFor(() => doc()?.getText().includes('"before"'), 'the backfilled event');
  await putEvents(clients.logs, pipeline.logGroup, [{ message: jsonLine('ERROR', 'checkout', 'live event one') }, { message: 'WARN plain text two' }], 'consumer');
  await waitFor(() => doc().getText().includes('live event one') && doc().getText().includes('plain text two'), 'new events', 20_000);
  assert.match(doc().getText(), /Z {2}ERROR {2}\[consumer\] {2}\{"level":"ERROR"/);
  // Log text with link detection off (package.json's configurationDefaults for this language): a URL in a log line is not a link.
  assert.equal(doc().languageId, 'cloudmonitor-log');
  assert.equal(vscode.workspace.getConfiguration('editor', { languageId: doc().languageId }).get('links'), false);
  assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri);
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.logs.togglePrettyJson'), true);
  await waitFor(() => doc().getText().includes('\n  "message": "live event one"'), 'pretty JSON');
  const info = (await vscode.commands.executeCommand('cloudMonitor.logs.documentInfo', uri)) as { state: string; events: number };
  assert.equal(info.state, 'polling');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  await waitFor(async () => !(await vscode.commands.executeCommand('cloudMonitor.logs.documentInfo', uri)), 'the session ends when its tab closes');
});

test('search with a relative range and Logs Insights from a .cwlogs file into the results grid', async () => {
  const uri = (await vscode.commands.executeCommand('cloudMonitor.logs.search', { groupName: pipeline.logGroup }, '"live event"', '15m')) as string;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
  assert.match(doc.getText(), /1 matching event: the whole range has been searched/);
  assert.match(doc.getText(), /live event one/);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  const q = await vscode.workspace.openTextDocument({ language: 'cwlogs', content: `# groups: ${pipeline.logGroup}\n# range: 1h\nfields @timestamp, @message\n| sort @timestamp desc\n| limit 10\n` });
  await vscode.window.showTextDocument(q);
  const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', q.uri)) as vscode.CodeLens[];
  assert.ok(lenses.some((l) => l.command?.command === 'cloudMonitor.logs.runInsightsQuery'));
  const r = (await vscode.commands.executeCommand('cloudMonitor.logs.runInsightsQuery', q.uri)) as { columns: string[]; rows: number };
  assert.ok(r.columns.includes('@message'));
  assert.ok(r.rows >= 3, `rows: ${r.rows}`);
  await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Logs Insights'))), 'the results grid');
});

test('an untitled Logs Insights query is saved as a .cwlogs file and listed under Saved queries', async () => {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'a workspace folder');
  const target = vscode.Uri.joinPath(folder, 'queries', 'saved-from-test.cwlogs');
  win.showSaveDialog = async () => target;
  const q = await vscode.workspace.openTextDocument({ language: 'cwlogs', content: `# groups: ${pipeline.logGroup}\n# range: 15m\nfields @message | limit 5\n` });
  await vscode.window.showTextDocument(q);
  const saved = (await vscode.commands.executeCommand('cloudMonitor.logs.saveInsightsQuery', q.uri)) as vscode.Uri;
  assert.equal(saved.toString(), target.toString());
  assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(target)), /^# groups: \/aws\/lambda\/cm-exthost-consumer\n# range: 15m/);
  const files = await vscode.workspace.findFiles('**/*.cwlogs');
  assert.ok(files.some((f) => f.toString() === target.toString()));
});

test('Query in Athena runs exactly the statement it generated; an alert naming SQL as its app builds no query', async () => {
  const ctx = await extensionCtx();
  const history = () => ctx.extension.globalState.get<{ sql: string }[]>('cloudMonitor.athena.history') ?? [];
  const sqlDocs = () => vscode.workspace.textDocuments.filter((d) => d.languageId === 'sql').length;
  const docsBefore = sqlDocs();
  const errorsBefore = shown.filter((s) => s.level === 'error').length;
  // From the Alerts view or a notification the command gets { key, appId }: the app id may be anything.
  for (const appId of SQL_INJECTION_APP_IDS) {
    assert.equal(await vscode.commands.executeCommand('cloudMonitor.alerts.queryInAthena', { key: `${appId}#error`, appId }), undefined);
  }
  const errors = shown.filter((s) => s.level === 'error').slice(errorsBefore);
  assert.equal(errors.length, SQL_INJECTION_APP_IDS.length, errors.map((e) => e.message).join(' | '));
  for (const e of errors) assert.match(e.message, /does not name an app id the pipeline accepts; no query was built/);
  assert.equal(sqlDocs(), docsBefore, 'no query editor was opened');
  assert.ok(!history().some((h) => /DROP|CREATE/.test(h.sql)), 'nothing ran');

  const uri = (await vscode.commands.executeCommand('cloudMonitor.alerts.queryInAthena', { key: 'checkout#error', appId: 'checkout' })) as string;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  assert.ok(doc, 'the generated query is open');
  await waitFor(() => history().some((h) => h.sql.includes("appid = 'checkout'")), 'the statement to run', 30_000);
  const ran = history().find((h) => h.sql.includes("appid = 'checkout'"))!;
  // The whole document is the one generated statement: what ran is that text, without its semicolon.
  assert.equal(ran.sql, doc.getText().trimEnd().replace(/;$/, ''));
  assert.match(ran.sql, /^-- database: cm_exthost\n-- The last hour of one app's events \(opened from an alert notification\)\.\nSELECT \*\nFROM "cm_exthost"\."events"\n/);
});

export const run = runAll;
