// A stopped code-server must not leave its extension host running (test/helpers/processTree.ts): the process
// tree is read before the parent goes, and what is still running of it afterwards is ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { descendants, killLeftovers } from '../helpers/processTree';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

test('a grandchild that outlives its parent (reparented to init) is found beforehand and ended afterwards', async () => {
  // sh starts a sleep in the background and prints its pid; killing sh leaves the sleep running, as the server leaves its host.
  const sh = spawn('sh', ['-c', 'sleep 300 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const grandchild = await new Promise<number>((resolve) => sh.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  const tree = descendants(sh.pid!);
  assert.deepEqual(tree.map((p) => p.pid), [grandchild]);
  const exited = new Promise((r) => sh.once('exit', r));
  sh.kill('SIGKILL');
  await exited;
  assert.ok(alive(grandchild), 'the sleep outlives sh');
  killLeftovers(tree);
  await until(() => !alive(grandchild), 'the leftover sleep to end');
});

test('a pid whose start time differs (reused by another process) is left alone', () => {
  killLeftovers([{ pid: process.pid, start: '0' }]);
  assert.ok(alive(process.pid));
  assert.deepEqual(descendants(process.pid), []);
});
