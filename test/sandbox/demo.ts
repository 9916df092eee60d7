// The sandbox: moto_server seeded through the AWS APIs, and code-server with the packaged extension
// installed and the `sandbox` profile selected. Ctrl-C stops everything it started.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startCodeServer } from '../helpers/codeServer';
import { installVsix, VSIX_NAME } from '../helpers/vsix';
import { startMoto, type Moto } from '../helpers/moto';
import { seedSandbox } from './seedAll';


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
  // `npm run demo -- --large`: 2,000 buckets, 5,000 findings, 10,000 log groups, 500 alert keys, 300 stacks.
  const large = process.argv.includes('--large');
  const sandbox = await seedSandbox(moto, dir, workspace, (m) => console.log(m.startsWith('seeding') ? m : `  ${m}`), { large });
  writeFileSync(join(workspace, 'README.md'), '# Cloud Monitor sandbox\n\nEverything here runs against a local moto_server. Open the Cloud Monitor view in the activity bar.\n');

  // Install the packaged extension, as a user would.
  const userDataDir = join(dir, 'code-server');
  installVsix(join(ROOT, 'dist', VSIX_NAME), userDataDir);

  const server = await startCodeServer({ workspace, userDataDir, env: { ...sandbox.profile.env, CLOUD_MONITOR_TEST: '' }, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, port });
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nCloud Monitor sandbox is ready: open ${url}\n(profile "sandbox" → ${sandbox.endpoint}: moto_server at ${moto.endpoint}, with recorded answers for what moto lacks). Ctrl-C stops everything.\n`);

  sandbox.afterStart((file, err) => console.error(`${file} afterStart failed:`, err));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server and moto_server…');
    await server.stop();
    await sandbox.close();
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
