// What the .vsix ships is what the extension loads, and nothing else: `vsce ls` (the list `vsce package` zips,
// after .vscodeignore) against the files package.json points at, the files the shipped code reads at run time,
// and the Marketplace's documents. Needs a build (dist/), as `npm test` makes first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

function vsceLs(): string[] {
  const r = spawnSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls', '--no-dependencies'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = posix.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every string in package.json's manifest that names a file of this repo (icons, language configuration, walkthrough media). */
function manifestFiles(manifest: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      const p = posix.normalize(v.replace(/^\.\//, ''));
      if (/^[\w.-]+(\/[\w.-]+)*\.\w+$/.test(p) && existsSync(p) && statSync(p).isFile()) found.push(p);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(manifest);
  return found;
}

/** Images a shipped markdown file (a walkthrough step) shows, relative to it. */
function markdownImages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^\w+:/.test(l)).map((l) => posix.normalize(posix.join(dirname(file), l)));
}

/** Files the shipped code reads at run time, each with the source file that reads it (checked to still mention it). */
const RUNTIME: { files: string[]; readBy: string; mention: string }[] = [
  // The core, then one bundle per feature (esbuild.mjs, src/featureBundles.json), loaded by name.
  { files: ['dist/features.js'], readBy: 'src/extension.ts', mention: "bundle<typeof Features>('features')" },
  { files: (JSON.parse(readFileSync('src/featureBundles.json', 'utf8')) as string[]).map((f) => `dist/features-${f}.js`), readBy: 'src/extension.ts', mention: '`features-${name}`' },
  { files: ['dist/webview/codicon.css', 'dist/webview/codicon.ttf'], readBy: 'src/webview/host.ts', mention: "'codicon.css'" },
  { files: ['media/webview.css'], readBy: 'src/webview/host.ts', mention: "'webview.css'" },
  // One bundle per webview (esbuild.mjs: each webview/<name>/main.ts → dist/webview/<name>.js), loaded by name.
  { files: readdirSync('webview').filter((d) => existsSync(join('webview', d, 'main.ts'))).map((d) => `dist/webview/${d}.js`), readBy: 'src/webview/host.ts', mention: '`${bundle}.js`' },
  { files: filesUnder('media/queries'), readBy: 'src/athena/register.ts', mention: "'media', 'queries'" },
  { files: ['templates/pipeline.yaml'], readBy: 'src/pipeline/register.ts', mention: "'templates', 'pipeline.yaml'" },
  { files: ['dist/pipeline/consumer.zip'], readBy: 'src/pipeline/register.ts', mention: "'consumer.zip'" },
];

/** What the Marketplace page and the Extensions view show. */
const DOCUMENTS = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'];

test('vsce ls lists exactly what runs: bundles, webview assets, media the manifest names, queries, template, consumer zip, LICENSE, README, CHANGELOG', () => {
  assert.ok(existsSync('dist/extension.js'), 'build first (node esbuild.mjs): vsce ls lists dist/ as it is');
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; icon?: string; l10n?: string };
  for (const r of RUNTIME) assert.ok(readFileSync(r.readBy, 'utf8').includes(r.mention), `${r.readBy} no longer mentions ${r.mention}: update this table`);
  const fromManifest = manifestFiles(manifest);
  assert.ok(fromManifest.includes(manifest.main.replace(/^\.\//, '')), 'the manifest names its main bundle');
  const expected = new Set<string>([
    ...DOCUMENTS,
    ...(existsSync('package.nls.json') ? ['package.nls.json'] : []),
    // The English bundle of the runtime strings, where the manifest's `l10n` says.
    ...(manifest.l10n ? [`${manifest.l10n.replace(/^\.\//, '')}/bundle.l10n.json`] : []),
    ...fromManifest,
    ...fromManifest.filter((f) => f.endsWith('.md')).flatMap(markdownImages),
    ...RUNTIME.flatMap((r) => r.files),
  ]);
  for (const f of expected) assert.ok(existsSync(f), `${f} is needed but missing`);
  assert.deepEqual(vsceLs(), [...expected].sort());
});

test('the Marketplace icon is a 128×128 PNG', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { icon?: string };
  assert.equal(manifest.icon, 'media/icon.png');
  const png = readFileSync('media/icon.png');
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  // IHDR: width and height, big-endian, at bytes 16 and 20.
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
});

test('package.json has what the Marketplace asks for, and `npm run package` skips no check', () => {
  const m = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown> & { scripts: Record<string, string>; repository?: { url?: string }; galleryBanner?: { color?: string; theme?: string } };
  assert.equal(m.license, 'MIT');
  assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} Cloud Cost & Log Monitor contributors\n/);
  assert.match(m.repository?.url ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
  for (const k of ['bugs', 'homepage', 'keywords', 'categories']) assert.ok(m[k], `package.json has no ${k}`);
  assert.match(m.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(m.galleryBanner?.theme ?? ''));
  for (const flag of ['--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links', '--allow-star-activation']) assert.ok(!m.scripts.package.includes(flag), `npm run package passes ${flag}`);
});
