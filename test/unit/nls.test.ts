// Localisable contributions: every user-visible string of package.json is a `%key%` that package.nls.json holds,
// and test/tools/nls.mjs (which the lead re-runs after merging branches that add commands or settings) moves a
// literal there with a stable key and leaves converted strings alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Field names whose string values VS Code shows to the user, wherever they sit in `contributes` (checked by name,
 * not by the script's own walk, so a field the script forgets is still caught). Ids, commands, `when` clauses,
 * icons, paths and enum values are not shown as text.
 */
const SHOWN = new Set(['title', 'shortTitle', 'category', 'name', 'contextualTitle', 'contents', 'label', 'description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage', 'enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels', 'altText']);

function shownStrings(value: Json, path: string, out: { path: string; text: string }[], shown = false): void {
  if (typeof value === 'string') {
    if (shown) out.push({ path, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => shownStrings(v, `${path}[${i}]`, out, shown));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // A setting called `description` would be a property name here, not a field: `properties` holds names.
      shownStrings(v, `${path}.${k}`, out, SHOWN.has(k) && !path.endsWith('.properties'));
    }
  }
}

function readJson(path: string): { [k: string]: Json } {
  return JSON.parse(readFileSync(path, 'utf8')) as { [k: string]: Json };
}

test('every user-visible string of the contributions (and the display name, description, untrusted-workspace note) is a %key% in package.nls.json', () => {
  const manifest = readJson('package.json');
  const nls = readJson('package.nls.json');
  const found: { path: string; text: string }[] = [];
  shownStrings(manifest.contributes, 'contributes', found);
  shownStrings((manifest.capabilities as { [k: string]: Json }).untrustedWorkspaces, 'capabilities.untrustedWorkspaces', found);
  found.push({ path: 'displayName', text: manifest.displayName as string }, { path: 'description', text: manifest.description as string });
  assert.ok(found.length > 100, `only ${found.length} strings found: the walk is broken`);
  const literal = found.filter((f) => !/^%[\w.-]+%$/.test(f.text));
  assert.deepEqual(literal.map((f) => `${f.path}: ${f.text.slice(0, 50)}`), [], 'literal strings: run `node test/tools/nls.mjs`');
  const missing = found.map((f) => f.text.slice(1, -1)).filter((k) => typeof nls[k] !== 'string' || !(nls[k] as string).trim());
  assert.deepEqual(missing, [], 'keys package.nls.json lacks');
  assert.equal(spawnSync(process.execPath, ['test/tools/nls.mjs', '--check'], { encoding: 'utf8' }).status, 0);
});

test('nls.mjs moves a new literal command title and setting description under stable keys, keeps converted ones, and a second run changes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nls-'));
  copyFileSync('package.json', join(dir, 'package.json'));
  copyFileSync('package.nls.json', join(dir, 'package.nls.json'));
  const manifest = readJson(join(dir, 'package.json')) as { contributes: { commands: Json[]; configuration: { properties: Record<string, Json> } } };
  // What a parallel branch adds after the conversion.
  manifest.contributes.commands.push({ command: 'cloudMonitor.example.newThing', title: 'Do the New Thing', category: 'Cloud Monitor' });
  manifest.contributes.configuration.properties['cloudMonitor.example.limit'] = { type: 'number', default: 5, description: 'How many new things.', enum: [5, 10], enumDescriptions: ['Five', 'Ten'] };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const before = readJson(join(dir, 'package.nls.json'));

  const run = () => spawnSync(process.execPath, ['test/tools/nls.mjs', '--dir', dir], { encoding: 'utf8' });
  assert.equal(spawnSync(process.execPath, ['test/tools/nls.mjs', '--check', '--dir', dir], { encoding: 'utf8' }).status, 1, '--check fails on the literals');
  assert.equal(run().status, 0);
  const after = readJson(join(dir, 'package.json')) as typeof manifest;
  const nls = readJson(join(dir, 'package.nls.json'));
  const added = after.contributes.commands.at(-1) as { title: string; category: string };
  assert.equal(added.title, '%command.cloudMonitor.example.newThing.title%');
  assert.equal(nls['command.cloudMonitor.example.newThing.title'], 'Do the New Thing');
  assert.equal(nls['command.cloudMonitor.example.newThing.category'], 'Cloud Monitor');
  const setting = after.contributes.configuration.properties['cloudMonitor.example.limit'] as { description: string; enumDescriptions: string[]; enum: number[] };
  assert.equal(setting.description, '%config.cloudMonitor.example.limit.description%');
  assert.deepEqual(setting.enumDescriptions, ['%config.cloudMonitor.example.limit.enumDescriptions.0%', '%config.cloudMonitor.example.limit.enumDescriptions.1%']);
  assert.deepEqual(setting.enum, [5, 10], 'values are not strings to translate');
  // Every key there before keeps its text.
  for (const [k, v] of Object.entries(before)) assert.equal(nls[k], v, k);

  const pkgText = readFileSync(join(dir, 'package.json'), 'utf8');
  const nlsText = readFileSync(join(dir, 'package.nls.json'), 'utf8');
  assert.equal(run().status, 0);
  assert.equal(readFileSync(join(dir, 'package.json'), 'utf8'), pkgText, 'second run leaves package.json alone');
  assert.equal(readFileSync(join(dir, 'package.nls.json'), 'utf8'), nlsText, 'second run leaves package.nls.json alone');
});
