// The sandbox: moto_server seeded through the AWS APIs, and code-server with the packaged extension
// installed and the `sandbox` profile selected. Ctrl-C stops everything it started.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startCodeServer } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import type { SeedEnv } from './types';

const ENTRY = join(ROOT, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

interface SeedModule { seed?: (env: SeedEnv) => Promise<void>; afterStart?: (env: SeedEnv) => Promise<void> }

async function main() {
  const port = Number(process.env.DEMO_PORT ?? 8080);
  const dir = join(ROOT, '.sandbox');
  rmSync(dir, { recursive: true, force: true });
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });

  const moto = await startMoto({ port: process.env.MOTO_PORT ? Number(process.env.MOTO_PORT) : undefined });
  console.log(`moto_server on ${moto.endpoint}`);
  try {
    await serve(moto, dir, workspace, port);
  } catch (err) {
    await moto.stop();
    throw err;
  }
}

async function serve(moto: Moto, dir: string, workspace: string, port: number) {
  const profile = writeSandboxProfile(join(dir, 'aws'), moto.endpoint);
  const env: SeedEnv = {
    endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig('us-east-1'),
    workspace, root: ROOT, log: (m) => console.log(`  ${m}`),
  };
  const seedDir = join(ROOT, 'out', 'test', 'sandbox', 'seed');
  const modules: [string, SeedModule][] = [];
  for (const file of readdirSync(seedDir).filter((f) => f.endsWith('.js')).sort()) {
    const mod = (await import(join(seedDir, file))) as SeedModule;
    modules.push([file, mod]);
    if (mod.seed) {
      console.log(`seeding ${file}`);
      await mod.seed(env);
    }
  }
  writeFileSync(join(workspace, 'README.md'), '# Cloud Monitor sandbox\n\nEverything here runs against a local moto_server. Open the Cloud Monitor view in the activity bar.\n');

  // Install the packaged extension, as a user would.
  const userDataDir = join(dir, 'code-server');
  const install = spawnSync(process.execPath, [ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', join(userDataDir, 'extensions'), '--install-extension', join(ROOT, 'dist', 'cloud-cost-log-monitor.vsix')], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error('installing the .vsix into code-server failed');

  const server = await startCodeServer({ workspace, userDataDir, env: { ...profile.env, CLOUD_MONITOR_TEST: '' }, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, port });
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nCloud Monitor sandbox is ready: open ${url}\n(profile "sandbox" → ${moto.endpoint}). Ctrl-C stops everything.\n`);

  for (const [file, mod] of modules) {
    if (mod.afterStart) mod.afterStart(env).catch((err) => console.error(`${file} afterStart failed:`, err));
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server and moto_server…');
    await server.stop();
    await moto.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Keep the process alive until interrupted.
  setInterval(() => undefined, 1 << 30);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
