// Relative times in tree descriptions keep up while the view shows (issue 14, defect 3), inside
// code-server against moto_server. The extension's clock (Ctx.clock) is driven by the test: its
// setInterval is captured and run by hand, and its now() is moved forward, so nothing here sleeps
// for the timer. The Alerts and Pipeline views' providers are observed by wrapping createTreeView.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { PIPELINE_TAG } from '../../../src/pipeline/stack';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createFakePipeline, type FakePipeline } from '../../helpers/alertFixtures';
import { extensionCtx } from './api';
import { runAll, test, waitFor } from './runner';
import { driveClock, type TestClock } from './testClock';

const cfg = { endpoint: process.env.MOTO_ENDPOINT!, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const clients = { ddb: new DynamoDBClient(cfg), sqs: new SQSClient(cfg), sns: new SNSClient(cfg), logs: new CloudWatchLogsClient(cfg), cfn: new CloudFormationClient(cfg), cw: new CloudWatchClient(cfg) };

type Observed = { provider: vscode.TreeDataProvider<unknown>; view: vscode.TreeView<unknown>; fired: unknown[]; lastFiredAt: number };
const views = new Map<string, Observed>();
const win = vscode.window as unknown as { createTreeView: typeof vscode.window.createTreeView };
const createTreeView = win.createTreeView.bind(vscode.window);
win.createTreeView = <T>(id: string, opts: vscode.TreeViewOptions<T>) => {
  const view = createTreeView(id, opts);
  const seen: Observed = { provider: opts.treeDataProvider as vscode.TreeDataProvider<unknown>, view: view as vscode.TreeView<unknown>, fired: [], lastFiredAt: 0 };
  opts.treeDataProvider.onDidChangeTreeData?.((e) => {
    seen.fired.push(e);
    seen.lastFiredAt = Date.now();
  });
  views.set(id, seen);
  return view;
};

let clock: TestClock;
/** When the connection last changed: each change reloads the Alerts view from AWS. */
let connectionChangedAt = 0;
let pipeline: FakePipeline;
const live = () => clock.live();
const labelOf = (it: vscode.TreeItem) => String(typeof it.label === 'object' ? it.label?.label : it.label);

/** Every item the provider gives, depth first (from what it has loaded). */
async function items(id: string, depth = 9): Promise<vscode.TreeItem[]> {
  const { provider } = views.get(id)!;
  const out: vscode.TreeItem[] = [];
  const walk = async (el: unknown, d: number): Promise<void> => {
    for (const c of (await provider.getChildren?.(el)) ?? []) {
      const it = await provider.getTreeItem(c);
      out.push(it);
      if (d > 1 && it.collapsibleState !== vscode.TreeItemCollapsibleState.None) await walk(c, d - 1);
    }
  };
  await walk(undefined, depth);
  return out;
}
const describe = async (id: string, label: string, depth?: number) => String((await items(id, depth)).find((i) => labelOf(i) === label)?.description ?? '');
/** The description of an alert's state row (the History and Muted groups list the same key: skipped). */
async function alarmRow(key: string): Promise<string> {
  const { provider } = views.get('cloudMonitor.alerts')!;
  const walk = async (el: unknown): Promise<string | undefined> => {
    for (const c of (await provider.getChildren?.(el)) ?? []) {
      const it = await provider.getTreeItem(c);
      const label = labelOf(it);
      if (label === key) return String(it.description ?? '');
      if (/^(History|Muted)\b/.test(label) || it.collapsibleState === vscode.TreeItemCollapsibleState.None) continue;
      const found = await walk(c);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return (await walk(undefined)) ?? '';
}

test('set-up: a pipeline with an alert in ALARM since 3 minutes; the extension runs on the test clock', async () => {
  pipeline = await createFakePipeline(clients, 'cm-times');
  // The Pipeline view lists stacks tagged as its own deployments.
  await clients.cfn.send(new CreateStackCommand({
    StackName: 'cm-times-pipeline',
    TemplateBody: JSON.stringify({ Resources: { Marker: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'cm-times-pipeline-marker' } } } }),
    Tags: [PIPELINE_TAG],
  }));
  const now = Date.now();
  await clients.ddb.send(new PutItemCommand({ TableName: pipeline.table, Item: marshall({ alertKey: 'checkout#error', appId: 'checkout', alertType: 'error', state: 'ALARM', updatedAt: now - 3 * 60_000, summary: 'payment provider timed out' }) }));
  const ctx = await extensionCtx();
  assert.ok(views.has('cloudMonitor.alerts') && views.has('cloudMonitor.pipeline'), `views observed: ${[...views.keys()].join(', ')}`);
  // Before any of our views shows: from now on the extension's clock is the test's.
  clock = driveClock(ctx.clock);
  ctx.connection.onDidChange(() => { connectionChangedAt = Date.now(); });
  await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'sandbox');
  await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'us-east-1');
  assert.equal(ctx.connection.isReady, true);
});

test('Alerts: "since 3m ago" becomes "since 13m ago" on the timer while visible, from loaded data; the timer stops when hidden', async () => {
  const alerts = views.get('cloudMonitor.alerts')!;
  await vscode.commands.executeCommand('cloudMonitor.alerts.focus');
  await waitFor(() => alerts.view.visible, 'the Alerts view to show');
  await waitFor(async () => (await alarmRow('checkout#error')).includes('since 3m ago'), 'checkout#error since 3m ago', 30_000);
  // Let the reloads of the set-up's connection changes finish (a fresh-clone run had one land after the
  // tick, so the view was reading AWS again while the test looked at it).
  await waitFor(async () => Date.now() - Math.max(connectionChangedAt, alerts.lastFiredAt) > 2_000 && (await alarmRow('checkout#error')).includes('since 3m ago'), 'the Alerts view to settle', 30_000);
  // One timer per visible view of ours (the container shows several).
  const timers = live();
  assert.ok(timers.length >= 1, 'a relative-time timer runs while the Alerts view shows');
  assert.ok(timers.every((t) => t.ms <= 60_000), `they tick at least once a minute (${timers.map((t) => t.ms).join(', ')} ms)`);

  // The table changes behind the view: a tick must not read it again (no AWS call), only redraw.
  await clients.ddb.send(new PutItemCommand({ TableName: pipeline.table, Item: marshall({ alertKey: 'checkout#error', appId: 'checkout', alertType: 'error', state: 'ALARM', updatedAt: Date.now() - 3 * 60_000, summary: 'changed behind the view' }) }));
  clock.offset = 10 * 60_000;
  alerts.fired.length = 0;
  for (const t of timers) t.fn();
  assert.ok(alerts.fired.length > 0, 'the tick tells the view to redraw');
  const d = await alarmRow('checkout#error');
  assert.match(d, /since 13m ago/, d);
  assert.doesNotMatch(d, /changed behind the view/, 'redrawn from the states already loaded');

  await vscode.commands.executeCommand('workbench.view.explorer');
  await waitFor(() => !alerts.view.visible, 'the Alerts view to hide');
  assert.deepEqual(live(), [], 'the timers stop when the views hide');
});

test('Pipeline: a stack updated minutes ago ages on the timer while visible; the tick redraws the stack items only', async () => {
  clock.offset = 0;
  const view = views.get('cloudMonitor.pipeline')!;
  await vscode.commands.executeCommand('cloudMonitor.pipeline.focus');
  await waitFor(() => view.view.visible, 'the Pipeline view to show');
  // Created by the set-up, a minute or a few ago: "just now" or "N min ago".
  const before = await waitFor(async () => {
    const d = await describe('cloudMonitor.pipeline', 'cm-times-pipeline', 1);
    return /just now|\d+ min ago/.test(d) && d;
  }, 'cm-times-pipeline with its age', 30_000);
  const timers = live();
  assert.ok(timers.length >= 1, 'a relative-time timer runs while the Pipeline view shows');
  clock.offset = 5 * 3_600_000;
  view.fired.length = 0;
  for (const t of timers) t.fn();
  assert.ok(view.fired.length > 0, 'the tick tells the view to redraw');
  assert.ok(view.fired.every((e) => e !== undefined), 'it redraws stack items, not the whole view (which would list the stacks again)');
  const after = await describe('cloudMonitor.pipeline', 'cm-times-pipeline', 1);
  assert.match(after, /5 h ago/, `was ${before}, now ${after}`);
  await vscode.commands.executeCommand('workbench.view.explorer');
  await waitFor(() => !view.view.visible, 'the Pipeline view to hide');
  assert.deepEqual(live(), [], 'the timers stop when the views hide');
});

export const run = runAll;
