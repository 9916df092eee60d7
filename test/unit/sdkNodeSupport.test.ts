// The SDK/Node decision (README, "VS Code and Node versions"): engines.vscode stays ^1.100.0, whose extension
// host runs Node 20, so the AWS SDK is pinned to releases that still run on Node 20. AWS says SDK releases
// after the first week of January 2027 require Node >= 22; this test fails when an installed @aws-sdk or
// @smithy package (the ones bundled into dist/extension.js) no longer admits Node 20, or a pin was loosened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
/** The Node of VS Code 1.100's extension host (Electron 34). */
const NODE_20 = [20, 19, 0];

interface Manifest { name: string; version: string; engines?: { node?: string }; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

/** Every installed @aws-sdk/* and @smithy/* package, nested copies included. */
function sdkManifests(dir = join(ROOT, 'node_modules')): Manifest[] {
  const out: Manifest[] = [];
  for (const scope of ['@aws-sdk', '@smithy']) {
    const scoped = join(dir, scope);
    if (!existsSync(scoped)) continue;
    for (const name of readdirSync(scoped)) {
      const pkg = join(scoped, name);
      if (existsSync(join(pkg, 'package.json'))) out.push(read(join(pkg, 'package.json')));
      if (existsSync(join(pkg, 'node_modules'))) out.push(...sdkManifests(join(pkg, 'node_modules')));
    }
  }
  return out;
}

const parts = (v: string) => v.split('.').map(Number).concat(0, 0).slice(0, 3);
const compare = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether an engines.node range admits `version`. Knows `>=X`, `^X`, `X` and `||`; anything else throws, so a new form gets looked at. */
function admits(range: string, version: number[]): boolean {
  return range.split('||').some((alt) => {
    const m = /^\s*(>=|\^)?\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(alt);
    if (!m) throw new Error(`engines.node form not understood: "${range}"`);
    const bound = parts(m[2]);
    if (m[1] === '>=') return compare(version, bound) >= 0;
    if (m[1] === '^') return version[0] === bound[0] && compare(version, bound) >= 0;
    return compare(version, bound) === 0 || (m[2].split('.').length === 1 && version[0] === bound[0]);
  });
}

test('the range reader: >=20 and ^20 admit 20.19.0; >=22, ^22 and 22 do not', () => {
  assert.ok(admits('>=20.0.0', NODE_20));
  assert.ok(admits('>=18.0.0', NODE_20));
  assert.ok(admits('^20.0.0 || >=22', NODE_20));
  assert.ok(!admits('>=22.0.0', NODE_20));
  assert.ok(!admits('^22', NODE_20));
  assert.ok(!admits('22', NODE_20));
  assert.throws(() => admits('>20 <23', NODE_20), /not understood/);
});

test('every installed @aws-sdk and @smithy package runs on Node 20.19 (VS Code 1.100\'s extension host)', () => {
  const manifests = sdkManifests();
  assert.ok(manifests.length > 40, `found only ${manifests.length} SDK packages under node_modules`);
  const refusing = manifests.filter((m) => m.engines?.node && !admits(m.engines.node, NODE_20)).map((m) => `${m.name}@${m.version} (${m.engines?.node})`);
  assert.deepEqual(refusing, [], 'these SDK packages drop Node 20: pin them back, or raise engines.vscode to ^1.101.0 (Node 22) and say so in the README');
});

test('the @aws-sdk and @smithy dependencies are pinned to exact versions', () => {
  const pkg = read(join(ROOT, 'package.json'));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const sdk = Object.entries(deps).filter(([name]) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'));
  assert.ok(sdk.length > 10);
  assert.deepEqual(sdk.filter(([, spec]) => !/^\d+\.\d+\.\d+$/.test(spec)), []);
});
