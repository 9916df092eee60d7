// The .vsix as users get it: `npm run package` (production bundles, then vsce with every check on) run in a
// staging copy of the repo, so the dist/ the rest of the test run loads is left alone; and its install into a
// code-server user-data folder with --install-extension, as `npm run demo` does.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, uiBuild, type VsCodeBuild } from './codeServer';

/** Copied: what vsce reads (a symlinked folder is not followed by vsce). Linked: what only esbuild reads. */
const COPIED = ['package.json', 'package.nls.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'esbuild.mjs', 'tsconfig.json', 'media', 'templates'];
const LINKED = ['src', 'webview', 'pipeline', 'node_modules'];

export const VSIX_NAME = 'cloud-cost-log-monitor.vsix';

/** Runs `npm run package` in a staging copy; returns the .vsix path and what npm printed. */
export function packageVsix(): { vsix: string; output: string } {
  const stage = mkdtempSync(join(tmpdir(), 'vsix-stage-'));
  for (const name of COPIED) if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(stage, name), { recursive: true });
  for (const name of LINKED) symlinkSync(join(ROOT, name), join(stage, name));
  const r = spawnSync('npm', ['run', 'package'], { cwd: stage, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`npm run package failed (${r.status}):\n${output}`);
  return { vsix: join(stage, 'dist', VSIX_NAME), output };
}

/** Installs a .vsix into `userDataDir`/extensions with `build`'s code-server; returns the installed extension's folder. */
export function installVsix(vsix: string, userDataDir: string, build: VsCodeBuild = uiBuild()): string {
  const extensionsDir = join(userDataDir, 'extensions');
  const r = spawnSync(build.node, [build.entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`installing ${vsix} into code-server failed:\n${r.stdout}${r.stderr}`);
  const folder = readdirSync(extensionsDir).find((d) => d.startsWith('cloud-monitor.cloud-cost-log-monitor-'));
  if (!folder) throw new Error(`no cloud-monitor.cloud-cost-log-monitor-* folder in ${extensionsDir} after the install:\n${r.stdout}`);
  return join(extensionsDir, folder);
}
