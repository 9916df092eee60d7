// The only bundler. `node esbuild.mjs [--production] [--watch] [--tests]`
//   dist/extension.js            the thin entry VS Code activates (cjs, vscode external)
//   dist/features.js             the shared core: connection, scope, billing, cache, trees, SDK core (cjs)
//   dist/features-<name>.js      one bundle per feature in src/featureBundles.json (src/<name>/register.ts),
//                                loaded one per macrotask after the core; see featureBundlePlan() below
//   dist/webview/<name>.js       one ESM bundle per folder in webview/ that has a main.ts
//   dist/pipeline/consumer.zip   the Lambda consumer, when pipeline/consumer/ exists
//   out/test/**                  tests, benches and the sandbox (with --tests)
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, readdirSync, statSync, rmSync, mkdirSync, copyFileSync, createWriteStream } from 'node:fs';
import yazl from 'yazl';
import { join, relative, resolve, sep } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

/** What every extension-host bundle shares. */
const hostOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: true,
  minify: production,
  // The SDK ships ESM and CJS; prefer the ESM entry so esbuild can tree-shake it.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  metafile: true,
};

// The extension host of VS Code 1.100 loads CommonJS, and esbuild splits code only for ESM, so the features are
// several CJS bundles with a load order: the core (src/features.ts), then one per feature of
// src/featureBundles.json (src/<name>/register.ts), each required in its own macrotask, so that no single
// compile is one long task (`npm run bench -- activation`). Each module is in exactly one bundle: the first in
// that order whose code reaches it. A later bundle that imports it takes it from that bundle at run time
// (`require` of an already loaded bundle returns that same module), never a copy of its own: one client
// factory, one disk cache, one ledger, one l10n binding, one Live Tail session emitter.
const FEATURES = JSON.parse(readFileSync('src/featureBundles.json', 'utf8'));
const ORDER = [['features', 'src/features.ts'], ...FEATURES.map((f) => [`features-${f}`, `src/${f}/register.ts`])];
/** A module's name in metafiles and in the bundles' hand-out tables: its path from the repo root. */
const keyOf = (path) => relative(process.cwd(), path).split(sep).join('/');

/** Which bundle owns each module, and which of its modules each bundle hands out to later ones. */
async function featureBundlePlan() {
  // What each bundle's code reaches on its own (dry builds, nothing written).
  const reach = await Promise.all(ORDER.map(async ([, entry]) => {
    const r = await esbuild.build({ ...hostOptions, entryPoints: [entry], outdir: 'dist', write: false, sourcemap: false, minify: false, logLevel: 'silent' });
    return Object.keys(r.metafile.inputs);
  }));
  const owner = new Map();
  ORDER.forEach(([name], i) => reach[i].forEach((k) => owner.has(k) || owner.set(k, name)));
  const handsOut = new Map(ORDER.map(([name]) => [name, new Set()]));
  ORDER.forEach(([name], i) => reach[i].forEach((k) => owner.get(k) !== name && handsOut.get(owner.get(k)).add(k)));
  const ids = new Map([...handsOut.values()].flatMap((keys) => [...keys]).sort().map((k, i) => [k, i]));
  return { owner, handsOut, ids };
}

/**
 * The names `importer` imports from `spec` (a static import or re-export), or 'all' when it takes the whole
 * module or the statement is not one this reads (then the owner hands out every export).
 */
const sources = new Map();
function importedNames(importer, spec, kind) {
  if (kind !== 'import-statement') return 'all';
  let text = sources.get(importer);
  if (text === undefined) sources.set(importer, (text = readFileSync(importer, 'utf8')));
  const quoted = spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const names = new Set();
  let found = false;
  for (const m of text.matchAll(new RegExp(`(import|export)\\s*([^;'"]*?)\\s*from\\s*['"]${quoted}['"]|import\\s*['"]${quoted}['"]`, 'g'))) {
    found = true;
    const what = (m[2] ?? '').trim();
    if (!m[1] || /^type\s/.test(what)) continue;
    if (/\*/.test(what)) return 'all';
    const braces = what.match(/\{([^}]*)\}/);
    if (/^[\w$]+/.test(what) && m[1] === 'import') names.add('default');
    if (!braces && what && !/^[\w$]+$/.test(what)) return 'all';
    for (const part of braces?.[1].split(',') ?? []) {
      const name = part.trim().replace(/^type\s+.*/, '').split(/\s+as\s+/)[0].trim();
      if (name) names.add(name);
    }
  }
  return found ? names : 'all';
}

/**
 * The plugin for bundle `name` of ORDER. Its entry also exports `__shared`, what later bundles take from it (by
 * module number, only the exports they import); an import of a module an earlier bundle owns becomes a look-up
 * in that bundle's `__shared`, recorded in `used` (the bundles are built last to first).
 */
function sharedModules(name, entry, plan, used) {
  return {
    name: 'shared-modules',
    setup(build) {
      build.onResolve({ filter: /^cloud-monitor:entry$/ }, () => ({ path: name, namespace: 'cm-entry' }));
      build.onLoad({ filter: /.*/, namespace: 'cm-entry' }, () => {
        const lines = [`export * from ${JSON.stringify(resolve(entry))};`];
        // Only what a later bundle took (`used` is complete: those are built already); everything under --watch.
        const table = [...plan.handsOut.get(name)].filter((k) => !used || used.has(k)).map((k) => {
          const id = plan.ids.get(k);
          lines.push(`import * as m${id} from ${JSON.stringify(resolve(k))};`);
          const names = used?.get(k) ?? 'all';
          // Getters keep ES live bindings; naming each export lets esbuild drop the rest.
          return names === 'all' ? `${id}: m${id}` : `${id}: {${[...names].map((n) => `get ${JSON.stringify(n)}() { return m${id}[${JSON.stringify(n)}]; }`).join(', ')}}`;
        });
        lines.push(`export const __shared = {${table.join(', ')}};`);
        return { contents: lines.join('\n'), loader: 'js', resolveDir: process.cwd() };
      });
      build.onResolve({ filter: /^cloud-monitor:runtime$/ }, () => ({ path: 'runtime', namespace: 'cm-runtime' }));
      build.onLoad({ filter: /.*/, namespace: 'cm-runtime' }, () => ({
        loader: 'js',
        contents: `const { join } = require('node:path');
exports.take = (bundle, id) => {
  const ns = require(join(__dirname, bundle + '.js')).__shared?.[id];
  if (!ns) throw new Error(bundle + '.js does not hand out module ' + id + ': the bundles are from different builds');
  const out = { __esModule: true };
  for (const k of Object.keys(ns)) Object.defineProperty(out, k, { enumerable: true, get: () => ns[k] });
  return out;
};`,
      }));
      build.onLoad({ filter: /.*/, namespace: 'cm-shared' }, (args) => ({
        loader: 'js',
        contents: `module.exports = require('cloud-monitor:runtime').take(${JSON.stringify(args.pluginData)}, ${plan.ids.get(args.path)});`,
      }));
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'inner' || args.kind === 'entry-point' || args.namespace !== 'file') return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'inner' });
        if (r.errors.length || r.external || !r.path) return undefined;
        const key = keyOf(r.path);
        const from = plan.owner.get(key);
        if (!from || from === name) return r;
        const names = importedNames(args.importer, args.path, args.kind);
        const before = used?.get(key);
        used?.set(key, before === 'all' || names === 'all' ? 'all' : new Set([...(before ?? []), ...names]));
        return { path: key, namespace: 'cm-shared', pluginData: from };
      });
    },
  };
}

const plan = await featureBundlePlan();
// Which exports of each handed-out module later bundles import; `--watch` hands out whole modules, as a rebuilt
// bundle may import more than the first build saw.
const used = new Map();
/** The feature bundles, last to first: each is built after every bundle that takes modules from it. */
const featureBuilds = ORDER.map(([name, entry]) => ({ ...hostOptions, entryPoints: { [name]: 'cloud-monitor:entry' }, outdir: 'dist', plugins: [sharedModules(name, entry, plan, watch ? undefined : used)] })).reverse();
/** @type {esbuild.BuildOptions[]} */
const builds = [
  // The thin entry that VS Code activates: command stubs, panel stand-ins, and the loader of the rest.
  { ...hostOptions, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
];

const webviewEntries = existsSync('webview')
  ? readdirSync('webview')
      .filter((d) => existsSync(join('webview', d, 'main.ts')))
      .map((d) => ({ in: join('webview', d, 'main.ts'), out: d }))
  : [];
if (webviewEntries.length) {
  builds.push({
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    loader: { '.css': 'text' },
    logLevel: 'warning',
  });
}

const consumerEntry = 'pipeline/consumer/index.ts';
if (existsSync(consumerEntry)) {
  builds.push({
    entryPoints: [consumerEntry],
    outfile: 'dist/pipeline/consumer/index.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The Lambda nodejs20.x runtime provides SDK v3, but bundling pins the version we test against.
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  });
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

if (withTests) {
  rmSync('out/test', { recursive: true, force: true });
  builds.push({
    entryPoints: walk('test'),
    outbase: 'test',
    outdir: 'out/test',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

// Webviews load codicons from dist/webview (inside localResourceRoots), for @vscode-elements icons.
function copyCodicons() {
  mkdirSync('dist/webview', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join('node_modules/@vscode/codicons/dist', f), join('dist/webview', f));
}

async function zipConsumer() {
  if (!existsSync(consumerEntry)) return;
  // A fixed mtime keeps the zip byte-identical for identical code, so its content hash is stable.
  const zip = new yazl.ZipFile();
  zip.addFile('dist/pipeline/consumer/index.js', 'index.js', { mtime: new Date(Date.UTC(2020, 0, 1)), mode: 0o644 });
  zip.end();
  await new Promise((resolve, reject) =>
    zip.outputStream.pipe(createWriteStream('dist/pipeline/consumer.zip')).on('close', resolve).on('error', reject),
  );
}

if (watch) {
  const contexts = await Promise.all([...featureBuilds, ...builds].map((b) => esbuild.context(b)));
  copyCodicons();
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const others = Promise.all(builds.map((b) => esbuild.build(b)));
  const features = [];
  for (const b of featureBuilds) features.unshift(await esbuild.build(b));
  const results = await others;
  copyCodicons();
  await zipConsumer();
  const host = [results[0], ...features].flatMap((r) => Object.entries(r.metafile.outputs).filter(([file]) => file.endsWith('.js')));
  // Each module in one bundle only (a copy would be a second instance of its state).
  const seen = new Map();
  for (const [file, o] of host) {
    for (const [k, i] of Object.entries(o.inputs)) {
      if (k.includes(':') || !i.bytesInOutput || file === 'dist/extension.js') continue;
      if (seen.has(k)) throw new Error(`${k} is in both ${seen.get(k)} and ${file}`);
      seen.set(k, file);
    }
  }
  console.log(`${host.map(([file, o]) => `${file} ${(o.bytes / 1024).toFixed(0)} KiB`).join(', ')}${production ? ' (minified)' : ''}`);
  if (withTests) console.log(`tests built into ${relative('.', 'out/test')}`);
}
