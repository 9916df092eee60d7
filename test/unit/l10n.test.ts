// Localisable runtime strings: every `vscode.l10n.t('…')` message in src/ is in the English bundle
// (l10n/bundle.l10n.json, which package.json's `l10n` names), the message is a literal with outside text as
// `{n}` arguments, and test/tools/l10n.mjs (the extractor) finds what a wrong call looks like.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const TOOL = resolve('test/tools/l10n.mjs');

function check(dir = '.') {
  const r = spawnSync(process.execPath, [TOOL, '--check', '--dir', dir], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('every vscode.l10n.t message in src/ is in l10n/bundle.l10n.json, and the bundle holds no stale one', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { l10n?: string };
  assert.equal(manifest.l10n, './l10n');
  const bundle = JSON.parse(readFileSync('l10n/bundle.l10n.json', 'utf8')) as Record<string, string>;
  assert.ok(Object.keys(bundle).length > 100, 'the bundle holds the runtime strings');
  for (const [k, v] of Object.entries(bundle)) assert.equal(v, k, 'the English bundle maps each message to itself');
  const r = check();
  assert.equal(r.status, 0, r.out);
});

test('the check catches a message missing from the bundle, a stale one, a non-literal message and a placeholder without its argument', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l10n-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'l10n'));
  writeFileSync(join(dir, 'l10n', 'bundle.l10n.json'), JSON.stringify({ 'Bundled {0}': 'Bundled {0}', Stale: 'Stale' }));
  writeFileSync(join(dir, 'src', 'a.ts'), [
    "import * as vscode from 'vscode';",
    'declare const name: string;',
    "vscode.l10n.t('Bundled {0}', name);",
    "vscode.l10n.t('Not bundled');",
    'vscode.l10n.t(`Deleted ${name}`);',
    "vscode.l10n.t('Copied {0} to {1}', name);",
  ].join('\n'));
  const r = check(dir);
  assert.equal(r.status, 1);
  assert.match(r.out, /a\.ts:4: "Not bundled" is not in l10n\/bundle\.l10n\.json/);
  assert.match(r.out, /"Stale" is no longer used/);
  assert.match(r.out, /a\.ts:5: the message is not a string literal/);
  assert.match(r.out, /a\.ts:6: "Copied \{0\} to \{1\}" has 2 placeholder\(s\) and 1 argument\(s\)/);
  assert.doesNotMatch(r.out, /Bundled/);
});

test('the check finds English that is not localisable: a tree label, description and tooltip, a validateInput answer, quick pick and input box texts, a notification and its button, a fragment in a message, and English a webview sets itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l10n-'));
  for (const d of ['src', 'l10n', 'webview/page']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'l10n', 'bundle.l10n.json'), JSON.stringify({ 'Wrapped {0}': 'Wrapped {0}', '{0} buckets': '{0} buckets' }));
  writeFileSync(join(dir, 'src', 'a.ts'), [
    "import * as vscode from 'vscode';",
    'declare const name: string; declare class InfoNode { constructor(id: string, label: string, o?: object) }',
    "new InfoNode('x/empty', 'No buckets here');",
    "new InfoNode('x/ok', vscode.l10n.t('Wrapped {0}', name));",
    "void vscode.window.showInputBox({ validateInput: (v) => (v ? undefined : 'Type a name') });",
    "void vscode.window.showQuickPick([{ label: 'Other…' }], { placeHolder: `Current: ${name}`, title: 'Pick one' });",
    "declare const notify: { info(m: string, ...b: string[]): void };",
    "notify.info(vscode.l10n.t('Wrapped {0}', name), 'Show Log');",
    "notify.info(`Deleted ${name}`);",
    "vscode.l10n.t('{0} buckets', 'public');",
    "new vscode.TreeItem('Load more…');",
    "new InfoNode('x/id', name, { icon: 'info', contextValue: 'some value' });",
    "new InfoNode('x/d', name, { description: 'click to clear', tooltip: `Stacks tagged ${name}.` });",
  ].join('\n'));
  writeFileSync(join(dir, 'webview', 'page', 'main.ts'), [
    "declare const S: { title: string }; declare function el(t: string, p: object): HTMLElement;",
    "const b = document.createElement('vscode-button');",
    "b.textContent = 'Refresh';",
    "b.setAttribute('title', 'Request the data again');",
    "b.className = 'status ok';",
    "el('h1', { text: 'Cost dashboard' });",
    "el('h1', { text: S.title, className: 'header bar' });",
    "const DIMS = [['SERVICE', 'Usage type']];",
    "if (b.id === 'Enter') throw new Error('No such thing here');",
  ].join('\n'));
  const r = check(dir);
  assert.equal(r.status, 1);
  const found = (line: string, text: string, what: RegExp) => assert.match(r.out, new RegExp(`${line}: ${JSON.stringify(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is ${what.source}`), `${line} ${text}`);
  found('src/a.ts:3', 'No buckets here', /a tree item label \(InfoNode\)/);
  found('src/a.ts:5', 'Type a name', /a validateInput answer/);
  found('src/a.ts:6', 'Other…', /a label/);
  found('src/a.ts:6', 'Current:  ', /a placeHolder/);
  found('src/a.ts:6', 'Pick one', /a title/);
  found('src/a.ts:8', 'Show Log', /a notification button/);
  found('src/a.ts:9', 'Deleted  ', /a notification/);
  found('src/a.ts:10', 'public', /an English fragment/);
  found('src/a.ts:11', 'Load more…', /a tree item label \(TreeItem\)/);
  found('src/a.ts:13', 'click to clear', /a description/);
  found('src/a.ts:13', 'Stacks tagged  .', /a tooltip/);
  found('webview/page/main.ts:3', 'Refresh', /the page's textContent/);
  found('webview/page/main.ts:4', 'Request the data again', /the page's title/);
  found('webview/page/main.ts:6', 'Cost dashboard', /the page's text/);
  found('webview/page/main.ts:8', 'Usage type', /English in the webview/);
  // Wrapped messages, ids, icons, context values, class names, comparisons and developer errors are not English to translate.
  assert.doesNotMatch(r.out, /src\/a\.ts:4:|src\/a\.ts:12:|main\.ts:[579]:|"SERVICE"/);
});
