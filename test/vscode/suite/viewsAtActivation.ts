// Extension-host tests of the views at activation (src/viewSlots.ts): every contributed tree view is created
// inside activate(), before the core bundle loads, so that VS Code's window takes them in while the bundles load;
// a view asked for its rows right away waits for its feature's bundle and for the connection, then answers
// once, with real rows (not empty, to be asked again after a refresh).
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { extension } from './api';
import { runAll, test } from './runner';

type Provider = vscode.TreeDataProvider<{ id?: string }>;
const GROUP = process.env.CLOUD_MONITOR_TEST_LOG_GROUP ?? '';
const coreLoaded = () => Object.keys(require.cache).some((k) => k.endsWith(`${sep}dist${sep}features.js`));
const created = new Map<string, { provider: Provider; coreLoaded: boolean }>();
// Before the extension activates: which views it creates, when, and with which provider.
const win = vscode.window as unknown as { createTreeView: (id: string, opts: { treeDataProvider: Provider }) => unknown };
const realCreate = win.createTreeView.bind(vscode.window);
win.createTreeView = (id, opts) => {
  created.set(id, { provider: opts.treeDataProvider, coreLoaded: coreLoaded() });
  return realCreate(id, opts);
};

test('every contributed tree view is created inside activate(), before the core bundle loads', async () => {
  assert.equal(extension().isActive, false, 'the extension was already active');
  await extension().activate();
  const pkg = JSON.parse(readFileSync(join(extension().extensionPath, 'package.json'), 'utf8')) as { contributes: { views: Record<string, { id: string }[]> } };
  const ids = Object.values(pkg.contributes.views).flat().map((v) => v.id).sort();
  assert.deepEqual([...created.keys()].sort(), ids);
  assert.deepEqual(ids.filter((id) => created.get(id)?.coreLoaded), [], 'created after dist/features.js loaded');
});

test('a view asked for its rows before its bundle and the connection are in answers once, with its rows, and is not refreshed for that connection', async () => {
  const logs = created.get('cloudMonitor.logs')?.provider;
  assert.ok(logs, 'no Logs view at activation');
  assert.equal(coreLoaded(), false, 'the core was in already: this asks too late to test the wait');
  let refreshes = 0;
  const sub = logs.onDidChangeTreeData?.(() => refreshes++);
  try {
    const rows = (await logs.getChildren(undefined)) ?? [];
    assert.ok(rows.some((r) => r.id === `logs/group/${GROUP}`), `the first answer lacks the log group: ${JSON.stringify(rows.map((r) => r.id))}`);
    assert.equal(refreshes, 0, 'the view was refreshed for the connection its answer waited for');
  } finally {
    sub?.dispose();
  }
  const api = extension().exports;
  await api?.ready();
  assert.deepEqual(api?.unattachedViews(), [], 'views no feature attached a provider to');
});

export const run = runAll;
