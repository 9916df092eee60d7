// Everything this extension writes under globalStorageUri (cache, Cost Explorer ledger, locks, alert
// mutes and lease) is private to the user: files 0600 in directories 0700, whatever the umask. The
// cache holds account ids, bucket names and cost figures that other local users have no business reading.
// No vscode import. On Windows the modes are mostly ignored, which is harmless.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) 0700, and narrows `dir` itself to 0700 if it already existed. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE);
}

/** Writes a whole file 0600 through a temporary file and a rename, so no reader sees half of it. */
export async function writePrivateFile(path: string, data: string): Promise<void> {
  await ensurePrivateDir(dirname(path));
  const tmp = `${path}.${randomUUID()}.tmp`;
  const fh = await open(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
  await rename(tmp, path).catch(async (err: unknown) => {
    await rm(tmp, { force: true });
    throw err;
  });
}

/** Appends to a file created 0600; a file left wider by an older version is narrowed. */
export async function appendPrivateFile(path: string, data: string): Promise<void> {
  await ensurePrivateDir(dirname(path));
  const fh = await open(path, 'a', PRIVATE_FILE_MODE);
  try {
    await fh.chmod(PRIVATE_FILE_MODE);
    await fh.appendFile(data);
  } finally {
    await fh.close();
  }
}

/**
 * Creates `path` 0600 only if it does not exist yet (a lock or mutex file): true if this call made it,
 * false if it was there already.
 */
export async function createPrivateExclusive(path: string, data = ''): Promise<boolean> {
  try {
    const fh = await open(path, 'wx', PRIVATE_FILE_MODE);
    try {
      if (data) await fh.writeFile(data);
    } finally {
      await fh.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}
