// Long lists page: a view hands VS Code one page of rows (100) and a "Load more…" row saying how many are
// shown, and Load more shows the next page from memory. The tree data providers are captured as the
// extension creates them (this suite loads before the extension activates) and asked as VS Code would.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { extensionCtx } from './api';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { STACK_PAGES_FEATURE } from '../../../src/aws/stackPages';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { runAll, sleep, test, waitFor } from './runner';

interface Node { id: string; loadMore?: () => Promise<void> }
const providers = new Map<string, vscode.TreeDataProvider<Node>>();
const win = vscode.window as unknown as { createTreeView: (id: string, opts: { treeDataProvider: vscode.TreeDataProvider<Node> }) => unknown };
const realCreate = win.createTreeView.bind(vscode.window);
win.createTreeView = (id, opts) => {
  providers.set(id, opts.treeDataProvider);
  return realCreate(id, opts);
};

const provider = (view: string) => {
  const p = providers.get(`cloudMonitor.${view}`);
  if (!p) throw new Error(`no tree view cloudMonitor.${view}`);
  return p;
};
const children = async (view: string, node?: Node) => ((await provider(view).getChildren(node)) ?? []) as Node[];
const item = async (view: string, node: Node) => provider(view).getTreeItem(node);
const label = async (view: string, node: Node) => {
  const l = (await item(view, node)).label;
  return typeof l === 'string' ? l : l?.label ?? '';
};
const isMore = (n: Node) => n.id.endsWith('/more');

/** The rows and the Load more row (if any) of a list; asserts Load more comes right after the rows. */
async function page(view: string, node: Node | undefined, row: RegExp): Promise<{ rows: Node[]; more?: Node; moreText?: string }> {
  const list = await children(view, node);
  const rows = list.filter((n) => row.test(n.id) && !isMore(n));
  const more = list.find(isMore);
  if (more) assert.equal(list.indexOf(more), list.indexOf(rows[rows.length - 1]) + 1, 'Load more follows the last row of its list');
  return { rows, more, moreText: more ? String((await item(view, more)).description ?? '') : undefined };
}

async function loadMore(more: Node): Promise<void> {
  await vscode.commands.executeCommand('cloudMonitor.loadMore', more);
}

/** Counts the `command`s a client sends until remove(). */
function countSent(client: { middlewareStack: { add: (mw: never, opts: never) => void; remove: (name: string) => boolean } }, command: string) {
  const name = `count${command}`;
  const counted = { sent: 0, remove: () => void client.middlewareStack.remove(name) };
  client.middlewareStack.add(((next: (a: unknown) => unknown, context: { commandName?: string }) => (args: unknown) => {
    if (context.commandName === command) counted.sent++;
    return next(args);
  }) as never, { step: 'initialize', name } as never);
  return counted;
}

test('set-up: connect to the emulator', async () => {
  await extensionCtx();
  await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'sandbox');
  await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'us-east-1');
});

test('Buckets: a region with 130 buckets lists 100, then Load more lists all 130', async () => {
  const [region] = await children('buckets');
  assert.equal(await label('buckets', region), 'us-east-1');
  const first = await page('buckets', region, /\/b\/[^/]+$/);
  assert.equal(first.rows.length, 100);
  assert.equal(first.moreText, '100 of 130 shown');
  await loadMore(first.more!);
  const all = await page('buckets', region, /\/b\/[^/]+$/);
  assert.equal(all.rows.length, 130);
  assert.equal(all.more, undefined);
});

test('Buckets: a load\'s own list change fires no redraw of the whole view that its roots already show (each would make the window ask again)', async () => {
  const whole: number[] = [];
  const sub = provider('buckets').onDidChangeTreeData!((node) => void (node ? undefined : whole.push(Date.now())));
  try {
    await vscode.commands.executeCommand('cloudMonitor.buckets.refresh');
    const asked = Date.now();
    const [region] = await children('buckets');
    assert.equal(await label('buckets', region), 'us-east-1');
    const drawn = String((await item('buckets', region)).description ?? '');
    // Past the view's 250 ms batching of model changes.
    await sleep(1_000);
    if (whole.some((t) => t >= asked)) {
      // Only for something the roots drawn did not show: the refresh command returns with the first page of rows,
      // and the regions of the 30 buckets past it are located once no view is loading its rows, which can end
      // after these roots were drawn (then the region's count changes).
      const [now] = await children('buckets');
      assert.notEqual(String((await item('buckets', now)).description ?? ''), drawn, 'a redraw of the whole view after its roots were answered, for nothing they did not show');
    }
    assert.equal((await page('buckets', region, /\/b\/[^/]+$/)).rows.length, 100);
  } finally {
    sub.dispose();
  }
});

test('rows are handed over without their tooltips; hovering one resolves it (resolveTreeItem)', async () => {
  // VS Code converts every handed-over row's markdown tooltip in the extension host: a page of 100 findings
  // or buckets at once was a long task. The tooltip waits for the hover.
  const [region] = await children('buckets');
  const { rows } = await page('buckets', region, /\/b\/[^/]+$/);
  const rows2 = await children('findings', (await children('findings'))[0]);
  for (const [view, row] of [['buckets', rows[0]], ['findings', rows2[0]]] as const) {
    const handed = await item(view, row);
    assert.equal(handed.tooltip, undefined, `${view}: the row handed to VS Code carries no tooltip`);
    const p = provider(view);
    assert.ok(p.resolveTreeItem, `${view}: the provider resolves tooltips on hover`);
    const resolved = await p.resolveTreeItem(handed, row, new vscode.CancellationTokenSource().token);
    const md = resolved?.tooltip;
    assert.ok(md instanceof vscode.MarkdownString && md.value.length > 0, `${view}: the hover gets the tooltip`);
  }
});

test('Findings: the first GetFindings page shows first (100), the rest of the load follows; 130 resources page at 100', async () => {
  const [critical] = await children('findings');
  assert.match(await label('findings', critical), /^Critical \(100\)$/, 'the first rows come from one GetFindings page');
  const loaded = await waitFor(async () => {
    const [c] = await children('findings');
    return (await label('findings', c)) === 'Critical (130)' ? c : undefined;
  }, 'the rest of the first load');
  const first = await page('findings', loaded, /\/s\/CRITICAL\/r\//);
  assert.equal(first.rows.length, 100);
  assert.equal(first.moreText, '100 of 130 shown');
  await loadMore(first.more!);
  const [again] = await children('findings');
  assert.equal((await page('findings', again, /\/s\/CRITICAL\/r\//)).rows.length, 130);
});

test('Findings: the rest of the first load waits while another view still loads its first rows (rootLoads), then follows', async () => {
  const ctx = await extensionCtx();
  const pages = countSent(ctx.connection.client(SecurityHubClient, { feature: 'findings' }), 'GetFindingsCommand');
  let drawn!: () => void;
  // Another view's first rows, still loading.
  ctx.connection.rootLoads.track(new Promise<void>((done) => (drawn = done)));
  try {
    await vscode.commands.executeCommand('cloudMonitor.findings.refresh');
    const [critical] = await children('findings');
    assert.match(await label('findings', critical), /^Critical \(100\)$/);
    assert.equal(pages.sent, 1, 'the first page');
    await sleep(1_500);
    assert.equal(pages.sent, 1, 'no second page while another view loads');
    assert.match(await label('findings', (await children('findings'))[0]), /^Critical \(100\)$/);
    drawn();
    await waitFor(async () => (await label('findings', (await children('findings'))[0])) === 'Critical (130)', 'the rest of the first load once the views drew');
    assert.equal(pages.sent, 2);
  } finally {
    drawn();
    pages.remove();
  }
}, 60_000);

test('Logs: the first page of log groups does not wait for the pipeline\'s groups (their lookup held 8 s), which come on top after', async () => {
  const ctx = await extensionCtx();
  // The Logs view's own client (the factory hands the same one for the same service, profile, region and feature).
  const logs = ctx.connection.client(CloudWatchLogsClient, { feature: 'logs' });
  let held = 0;
  logs.middlewareStack.add((next, context) => async (args) => {
    // The pipeline's groups are looked up by name (a prefix query each); the first page asks without a prefix.
    if (context.commandName === 'DescribeLogGroupsCommand' && (args.input as { logGroupNamePrefix?: string }).logGroupNamePrefix) {
      held++;
      await sleep(8_000);
    }
    return next(args);
  }, { step: 'initialize', name: 'holdPipelineGroupLookup' });
  try {
    const started = Date.now();
    const roots = await children('logs');
    const ms = Date.now() - started;
    assert.ok(ms < 6_000, `the first page waited ${ms} ms for the pipeline's groups`);
    assert.ok(roots.some((n) => n.id.startsWith('logs/group/')), `the first page lists the groups: ${roots.map((n) => n.id).join(', ')}`);
    await waitFor(async () => (await children('logs'))[0]?.id === `logs/group/pipeline/${encodeURIComponent('/aws/lambda/cm-lists-consumer')}`, 'the pipeline\'s group on top', 30_000);
    assert.ok(held > 0, 'the pipeline\'s groups were looked up');
  } finally {
    logs.middlewareStack.remove('holdPipelineGroupLookup');
  }
}, 60_000);

test('Alerts: the first load takes the pipeline stacks just read (by the Logs view), not a second read of every DescribeStacks page', async () => {
  const ctx = await extensionCtx();
  // The stack lookup's client (src/alerts/pipelines.ts: the 'alerts' feature's CloudFormation client).
  const reads = countSent(ctx.connection.client(CloudFormationClient, { feature: 'alerts' }), 'DescribeStacksCommand');
  try {
    const roots = await children('alerts');
    assert.ok(roots.some((n) => n.id.startsWith('alerts/pipeline/')), `the pipelines are listed: ${roots.map((n) => n.id).join(', ')}`);
    assert.equal(reads.sent, 0, 'the first load read the stacks again');
  } finally {
    reads.remove();
  }
});

test('Alerts: 110 keys in ALARM list 100 then all; 111 pipeline stacks page too, the one with alert states first', async () => {
  const roots = await page('alerts', undefined, /^alerts\/pipeline\//);
  assert.equal(roots.rows.length, 100);
  assert.equal(roots.moreText, '100 of 111 shown');
  assert.equal(roots.rows[0].id, 'alerts/pipeline/cm-lists');
  const [alarm] = await children('alerts', roots.rows[0]);
  assert.equal(alarm.id, 'alerts/cm-lists/ALARM');
  // The group draws from the first Query page (Limit 100) while the rest is read; every item read, it lists 100 of the 110.
  const first = await waitFor(async () => {
    const [pipelineNode] = await children('alerts');
    const [group] = await children('alerts', pipelineNode);
    const p = await page('alerts', group, /^alerts\/cm-lists\/ALARM\/.+/);
    return p.moreText ? p : undefined;
  }, 'every ALARM item read');
  assert.equal(first.rows.length, 100);
  assert.equal(first.moreText, '100 of 110 shown');
  await loadMore(first.more!);
  const [pipelineNode] = await children('alerts');
  const [alarmAgain] = await children('alerts', pipelineNode);
  const all = await page('alerts', alarmAgain, /^alerts\/cm-lists\/ALARM\/.+/);
  assert.equal(all.rows.length, 110);
  assert.equal(all.more, undefined);
});

test('Pipeline: 111 stacks (110 and the alerts\' pipeline) list 100, then Load more lists all 111', async () => {
  // The first DescribeStacks page's stacks show first; every page read, the view lists 100 of the 111.
  const first = await waitFor(async () => {
    const p = await page('pipeline', undefined, /^pipeline\/[^/]+\/[^/]+$/);
    return p.moreText ? p : undefined;
  }, 'every DescribeStacks page read');
  assert.equal(first.rows.length, 100);
  assert.equal(first.moreText, '100 of 111 shown');
  await loadMore(first.more!);
  const all = await page('pipeline', undefined, /^pipeline\/[^/]+\/[^/]+$/);
  assert.equal(all.rows.length, 111);
  assert.equal(all.more, undefined);
});

/**
 * Holds every DescribeStacks request for a later page (one with a NextToken) on the CloudFormation client of the
 * read the Pipeline view and the Alerts/Logs pipeline lookup share (src/aws/stackPages.ts) until `release`:
 * CloudFormation cannot filter stacks by tag, so a view must read every page (111 stacks: three pages of moto's 50)
 * before it knows all the pipeline stacks.
 */
async function holdLaterStackPages(): Promise<{ held: () => number; release: () => void }> {
  const cfn = (await extensionCtx()).connection.client(CloudFormationClient, { feature: STACK_PAGES_FEATURE });
  let held = 0;
  let release!: () => void;
  const gate = new Promise<void>((done) => (release = done));
  cfn.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'DescribeStacksCommand' && (args.input as { NextToken?: string }).NextToken) {
      held++;
      await gate;
    }
    return next(args);
  }, { step: 'initialize', name: 'holdLaterStackPages' });
  return { held: () => held, release: () => { release(); cfn.middlewareStack.remove('holdLaterStackPages'); } };
}
/** Within `ms`, or undefined (the call goes on). */
const within = <T>(ms: number, p: Promise<T>) => Promise.race([p, sleep(ms).then(() => undefined)]);

test('Pipeline: the stacks of the first DescribeStacks page show while the later pages are read; then all 111', async () => {
  const hold = await holdLaterStackPages();
  try {
    await vscode.commands.executeCommand('cloudMonitor.pipeline.refresh');
    const shown = await within(10_000, children('pipeline'));
    assert.ok(shown, 'the view waited for every DescribeStacks page before showing any stack');
    const rows = shown.filter((n) => /^pipeline\/[^/]+\/[^/]+$/.test(n.id));
    assert.ok(rows.length > 0 && rows.length < 111, `the first page's stacks: ${rows.length}`);
    assert.ok(shown.some((n) => n.id === 'pipeline/stacks-reading'), `a row says more stacks are being read: ${shown.map((n) => n.id).join(', ')}`);
    assert.ok(hold.held() > 0, 'the later pages were asked for');
  } finally {
    hold.release();
  }
  // Nothing lost: when the last page is read the view redraws with every stack (Load more, if shown, lists the rest).
  const all = await waitFor(async () => {
    const list = await children('pipeline');
    return list.some((n) => n.id === 'pipeline/stacks-reading') ? undefined : list;
  }, 'every stack after the last page');
  const more = all.find(isMore);
  if (more) await loadMore(more);
  assert.equal((await page('pipeline', undefined, /^pipeline\/[^/]+\/[^/]+$/)).rows.length, 111);
}, 60_000);

test('Alerts: the alert states show once the page with their stack is read, while the later DescribeStacks pages are read; then all 111 stacks', async () => {
  const hold = await holdLaterStackPages();
  try {
    await vscode.commands.executeCommand('cloudMonitor.alerts.refresh');
    const shown = await within(10_000, children('alerts'));
    assert.ok(shown, 'the view waited for every DescribeStacks page before showing any alert state');
    assert.equal(shown[0].id, 'alerts/pipeline/cm-lists', `the stack with alert states first: ${shown.map((n) => n.id).join(', ')}`);
    assert.ok(shown.some((n) => n.id === 'alerts/pipelines-reading'), `a row says more stacks are being read: ${shown.map((n) => n.id).join(', ')}`);
    const [alarm] = await children('alerts', shown[0]);
    const first = await page('alerts', alarm, /^alerts\/cm-lists\/ALARM\/.+/);
    assert.ok(first.rows.length >= 100, `the first rows are real alert states: ${first.rows.length}`);
    assert.ok(hold.held() > 0, 'the later pages were asked for');
  } finally {
    hold.release();
  }
  const roots = await waitFor(async () => {
    const p = await page('alerts', undefined, /^alerts\/pipeline\//);
    return p.moreText === '100 of 111 shown' ? p : undefined;
  }, 'every stack after the last page');
  assert.equal(roots.rows[0].id, 'alerts/pipeline/cm-lists');
  assert.ok(!(await children('alerts')).some((n) => n.id === 'alerts/pipelines-reading'));
}, 60_000);

export const run = runAll;
