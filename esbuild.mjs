// The only bundler. `node esbuild.mjs [--production] [--watch] [--tests]`
//   dist/extension.js            the extension host bundle (cjs, vscode external)
//   dist/webview/<name>.js       one ESM bundle per folder in webview/ that has a main.ts
//   dist/pipeline/consumer.zip   the Lambda consumer, when pipeline/consumer/ exists
//   out/test/**                  tests, benches and the sandbox (with --tests)
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync, rmSync, mkdirSync, copyFileSync, createWriteStream } from 'node:fs';
import yazl from 'yazl';
import { join, relative } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    // Two bundles: the thin entry that VS Code activates, and the features it loads right after.
    entryPoints: { extension: 'src/extension.ts', features: 'src/features.ts' },
    outdir: 'dist',
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
  },
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
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  copyCodicons();
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  copyCodicons();
  await zipConsumer();
  const ext = results[0].metafile;
  if (ext) {
    const sizes = Object.entries(ext.outputs).filter(([, o]) => o.entryPoint).map(([file, o]) => `${file} ${(o.bytes / 1024).toFixed(0)} KiB`);
    console.log(`${sizes.join(', ')}${production ? ' (minified)' : ''}`);
  }
  if (withTests) console.log(`tests built into ${relative('.', 'out/test')}`);
}
