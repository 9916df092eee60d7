// Extension-host tests of the foundation: activation, commands, connection against moto_server.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyAwsError } from '../../../src/aws/errors';
import { extension, extensionCtx, stubWarnings } from './api';
import { runAll, test } from './runner';

test('the extension is not active until a view is shown or a command runs', () => {
  assert.equal(extension().isActive, false);
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
