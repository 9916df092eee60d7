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
