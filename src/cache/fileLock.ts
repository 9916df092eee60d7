// A lock file shared by every VS Code window (they share globalStorageUri): two windows whose
// Cost Explorer caches expire at the same moment make one request, not two; two windows changing the alert
// mutes at once keep both changes. No vscode import.
import { rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createPrivateExclusive, ensurePrivateDir } from './privateFiles';

export interface LockOptions {
  /** A lock older than this is left over from a crashed window and is taken over. */
  staleMs?: number;
  /** Give up waiting after this long and go ahead without the lock (a duplicate request beats a hang). */
  waitMs?: number;
  pollMs?: number;
}

function tryCreate(path: string): Promise<boolean> {
  return createPrivateExclusive(path, String(process.pid));
}

/** Runs `fn` while holding the lock at `path`. `fn` should re-check the cache: another window may have just filled it. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const { staleMs = 120_000, waitMs = 60_000, pollMs = 100 } = opts;
  await ensurePrivateDir(dirname(path));
  const deadline = Date.now() + waitMs;
  let owned = false;
  while (!(owned = await tryCreate(path))) {
    const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > staleMs) await rm(path, { force: true });
    else if (Date.now() > deadline) break;
    else await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    return await fn();
  } finally {
    if (owned) await rm(path, { force: true });
  }
}
