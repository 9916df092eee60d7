// The `npm run demo` sandbox in code-server for a UI test: moto_server seeded by every seeder
// (test/sandbox/seedAll.ts), the sandbox stand-in in front of it, and a workbench on the sandbox profile.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { seedSandbox, type Sandbox } from '../sandbox/seedAll';

export interface SandboxSession {
  vs: VsCodeSession;
  moto: Moto;
  sandbox: Sandbox;
  close(): Promise<void>;
}

export async function openSandbox(viewport = { width: 1600, height: 1000 }): Promise<SandboxSession> {
  const moto = await startMoto();
  let sandbox: Sandbox | undefined;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    sandbox = await seedSandbox(moto, dir, workspace, () => undefined);
    const vs = await openVsCode({ workspace, env: sandbox.profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport });
    const opened = sandbox;
    return {
      vs, moto, sandbox,
      close: async () => {
        await vs.close();
        await opened.close();
        await moto.stop();
      },
    };
  } catch (err) {
    await sandbox?.close();
    await moto.stop();
    throw err;
  }
}

/** Drags the side bar's edge `px` to the right, as someone who keeps it open all day would have it. */
export async function widenSideBar(vs: VsCodeSession, px: number): Promise<void> {
  const bar = await vs.page.locator('.part.sidebar').boundingBox();
  if (!bar) return;
  const x = bar.x + bar.width + 1;
  await vs.page.mouse.move(x, bar.y + bar.height / 2);
  await vs.page.mouse.down();
  await vs.page.mouse.move(x + px, bar.y + bar.height / 2, { steps: 8 });
  await vs.page.mouse.up();
}
