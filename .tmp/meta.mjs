import * as esbuild from 'esbuild';
const r = await esbuild.build({ bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], mainFields: ['module','main'], entryPoints: ['src/features.ts'], outdir: '/tmp/act2-meta-out', write: false, minify: true, metafile: true, logLevel: 'silent' });
const out = Object.values(r.metafile.outputs)[0];
const groups = {};
for (const [k, v] of Object.entries(out.inputs)) {
  const m = k.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  const g = m ? m[1] : k.split('/').slice(0, 2).join('/');
  groups[g] = (groups[g] ?? 0) + v.bytesInOutput;
}
console.log(Object.entries(groups).sort((a, b) => b[1] - a[1]).slice(0, 40).map(([g, b]) => `${(b/1024).toFixed(1).padStart(7)} ${g}`).join('\n'));
