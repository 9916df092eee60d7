// Extension-host tests of the foundation: activation, commands, connection against moto_server.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { appendFileSync, readFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import type { ClientRequest } from 'node:http';
import { join } from 'node:path';
import { classifyAwsError } from '../../../src/aws/errors';
import { extension, extensionCtx, stubWarnings } from './api';
import { runAll, sleep, test, waitFor } from './runner';

// Each tree view's root asks and answers, counted from the providers the extension hands VS Code (wrapped as
// the views are created, so this must run before the extension activates).
const roots = new Map<string, { asked: number; answered: number; ids?: string[] }>();
// The connection's first read of the shared config file is held until the window first asks the Logs view for
// its rows (10 s at most), as on a busy machine where the read comes back after the views are asked: the SDK's
// loader takes fs/promises' readFile when the extension's core loads, after this.
let releaseConfig!: () => void;
const configRead = new Promise<void>((done) => (releaseConfig = done));
setTimeout(releaseConfig, 10_000).unref();
{
  const fsp = fsPromises as unknown as { readFile: (...a: unknown[]) => Promise<unknown> };
  const readFile = fsp.readFile;
  fsp.readFile = async (...a: unknown[]) => {
    if (a[0] === process.env.AWS_CONFIG_FILE) await configRead;
    return readFile(...a);
  };
}
{
  const win = vscode.window as unknown as { createTreeView: (id: string, opts: { treeDataProvider: vscode.TreeDataProvider<unknown> }) => unknown };
  const create = win.createTreeView.bind(vscode.window);
  win.createTreeView = (id, opts) => {
    const count: { asked: number; answered: number; ids?: string[] } = { asked: 0, answered: 0 };
    roots.set(id, count);
    const provider = opts.treeDataProvider;
    const getChildren = provider.getChildren.bind(provider);
    provider.getChildren = (node) => {
      if (node) return getChildren(node);
      count.asked++;
      if (id === 'cloudMonitor.logs') setTimeout(releaseConfig, 50);
      const r = getChildren(node);
      void Promise.resolve(r).then((nodes) => { count.ids = (nodes ?? []).map((n) => String((n as { id?: string }).id)); }).finally(() => count.answered++).catch(() => undefined);
      return r;
    };
    return create(id, opts);
  };
}

test('the extension is not active until a view is shown or a command runs', () => {
  assert.equal(extension().isActive, false);
});

test('opening the side bar asks each view for its rows once, also when they are asked before the connection has read the config file: one ListBuckets, one DescribeLogGroups', async () => {
  // What each HTTP request to AWS was: S3's ListBuckets is a GET of the endpoint's root, JSON protocols name the
  // operation in X-Amz-Target.
  const sent: string[] = [];
  const onStart = (m: unknown) => {
    const req = (m as { request: ClientRequest }).request;
    const target = req.getHeader('x-amz-target');
    sent.push(typeof target === 'string' ? target.replace(/^.*\./, '') : `${req.method} ${req.path.replace(/\?.*$/, '')}`);
  };
  subscribe('http.client.request.start', onStart);
  try {
    await vscode.commands.executeCommand('workbench.view.extension.cloudMonitor');
    const answered = (id: string) => (roots.get(id)?.answered ?? 0) > 0;
    const state = () => `views: ${JSON.stringify(Object.fromEntries(roots))}; requests: ${sent.join(', ')}`;
    await waitFor(() => answered('cloudMonitor.buckets') && answered('cloudMonitor.logs') && sent.includes('DescribeLogGroups') && sent.includes('GET /'), 'the Buckets and Logs views to answer their rows', 30_000)
      .catch((err: unknown) => { throw new Error(`${String(err)}; ${state()}`); });
    // A needless refresh would come back within VS Code's 200 ms debounce and a round trip to the window.
    await sleep(2_000);
    const asked = Object.fromEntries([...roots].filter(([, c]) => c.asked).map(([id, c]) => [id, c.asked]));
    assert.ok(asked['cloudMonitor.buckets'] && asked['cloudMonitor.logs'], `views asked: ${JSON.stringify(asked)}`);
    // Not Buckets: it draws its rows again from memory once Security Hub's finding counts are in.
    for (const [id, n] of Object.entries(asked)) if (id !== 'cloudMonitor.buckets') assert.equal(n, 1, `${id}'s rows were asked ${n} times (views asked: ${JSON.stringify(asked)}; requests: ${sent.join(', ')})`);
    assert.ok(roots.get('cloudMonitor.logs')?.ids?.some((i) => i.startsWith('logs/group/')), `the Logs view drew no log group: ${state()}`);
    assert.equal(sent.filter((s) => s === 'GET /').length, 1, `ListBuckets sent more than once: ${sent.join(', ')}`);
    assert.equal(sent.filter((s) => s === 'DescribeLogGroups').length, 1, `DescribeLogGroups sent more than once: ${sent.join(', ')}`);
  } finally {
    unsubscribe('http.client.request.start', onStart);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  }
});

test('activation registers every contributed command, and each has a feature handler once loaded', async () => {
  await extensionCtx();
  const pkg = JSON.parse(readFileSync(join(extension().extensionPath, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = pkg.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
  assert.deepEqual(missing, []);
  assert.deepEqual(extension().exports?.unhandledCommands(), []);
});

test('Select Profile and Select Region by command, persisted in the workspace', async () => {
  const ctx = await extensionCtx();
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'sandbox'), 'sandbox');
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'eu-west-1'), 'eu-west-1');
  assert.equal(ctx.connection.profile, 'sandbox');
  assert.equal(ctx.connection.region, 'eu-west-1');
  assert.equal(ctx.extension.workspaceState.get('cloudMonitor.selectedRegion'), 'eu-west-1');
  await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'us-east-1');
});

test('the connection reaches the emulator through the profile endpoint_url (STS GetCallerIdentity)', async () => {
  const ctx = await extensionCtx();
  const id = await ctx.connection.identity();
  assert.equal(id.account, '123456789012');
  assert.equal(ctx.connection.endpointOverride?.source, 'profile');
});

test('an invalid region is refused without throwing, and nothing changes', async () => {
  const ctx = await extensionCtx();
  const result = await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'mars-north-1x');
  assert.equal(result, undefined);
  assert.equal(ctx.connection.region, 'us-east-1');
});

test('an unknown profile is refused without throwing', async () => {
  const ctx = await extensionCtx();
  assert.equal(await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'no-such-profile'), undefined);
  assert.equal(ctx.connection.profile, 'sandbox');
});

test('a profile without credentials is reported as missing credentials', async () => {
  const ctx = await extensionCtx();
  // Profiles are re-read on every Select Profile, so a profile added now is offered.
  appendFileSync(process.env.AWS_CONFIG_FILE!, `[profile nokeys]\nregion = us-east-1\nendpoint_url = ${process.env.MOTO_ENDPOINT}\n`);
  await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'nokeys');
  const err = await ctx.connection.identity().then(() => undefined, (e: unknown) => e);
  assert.equal(classifyAwsError(err).kind, 'noCredentials');
  await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'sandbox');
});

test('the endpoint setting overrides the profile, and switching tears clients down', async () => {
  const ctx = await extensionCtx();
  const config = vscode.workspace.getConfiguration('cloudMonitor');
  await config.update('endpointUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
  try {
    assert.equal(ctx.connection.endpointOverride?.source, 'setting');
    const err = await ctx.connection.identity().then(() => undefined, (e: unknown) => e);
    assert.equal(classifyAwsError(err).kind, 'network');
  } finally {
    await config.update('endpointUrl', undefined, vscode.ConfigurationTarget.Global);
  }
  assert.equal((await ctx.connection.identity()).account, '123456789012');
});

test('a change of the daily budget applies to the very next request: settings are kept between requests, never past a change', async () => {
  const ctx = await extensionCtx();
  const config = vscode.workspace.getConfiguration('cloudMonitor');
  // The gate's question (modal): recorded and declined.
  const asked: string[] = [];
  const warnings = stubWarnings((message) => void asked.push(message));
  // ListBuckets is priced before it is sent ($0.005 per 1,000), so the gate judges it against the budget.
  const list = () => ctx.connection.client(S3Client, { feature: 'budget-test' }).send(new ListBucketsCommand({})).then(() => 'sent', (e: unknown) => (e as Error).name);
  try {
    await config.update('billing.dailyBudgetUsd', 100, vscode.ConfigurationTarget.Global);
    assert.equal(await list(), 'sent');
    assert.equal(await list(), 'sent', 'the budget read for the first request serves the second');
    await config.update('billing.dailyBudgetUsd', 0, vscode.ConfigurationTarget.Global);
    assert.equal(await list(), 'BudgetDeclined', 'a budget of $0 refuses the next priced request');
    assert.equal(asked.length, 1);
    assert.match(asked[0], /^This S3 ListBuckets request costs \$[\d.]+; today.s spend is \$[\d.]+ of \$0 \(cloudMonitor\.billing\.dailyBudgetUsd\)\.$/);
    await config.update('billing.dailyBudgetUsd', 100, vscode.ConfigurationTarget.Global);
    // Declined calls are refused for 10 minutes only while over the budget: the raised budget lets it go at once.
    assert.equal(await list(), 'sent');
    assert.equal(asked.length, 1, 'no second question');
  } finally {
    warnings.restore();
    await config.update('billing.dailyBudgetUsd', undefined, vscode.ConfigurationTarget.Global);
  }
});

export const run = runAll;
