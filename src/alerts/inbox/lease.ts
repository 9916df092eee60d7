// A cross-window lease, so only one VS Code window long-polls the inbox queue at a time.
// Every window shares globalStorageUri. The lease is a JSON file there naming its owner and an
// expiry; the owner renews it (a heartbeat) well before it expires, and a window that crashes
// or sleeps simply stops renewing, so another takes over after the TTL.
// Read-modify-write of the lease happens under a tiny mutex file created with O_EXCL ('wx'),
// which is atomic on local file systems; a mutex left by a crashed process is broken after
// `mutexStaleMs`. No vscode import.
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ensurePrivateDir, PRIVATE_FILE_MODE, writePrivateFile } from '../../cache/privateFiles';

export interface LeaseRecord {
  owner: string;
  /** Epoch ms after which anyone may take the lease. */
  expiresAt: number;
  heartbeatAt: number;
  acquiredAt: number;
}

export interface LeaseOptions {
  ttlMs?: number;
  mutexStaleMs?: number;
  now?: () => number;
}

export class InboxLease {
  readonly file: string;
  private readonly mutex: string;
  readonly ttlMs: number;
  private readonly mutexStaleMs: number;
  private readonly now: () => number;

  constructor(private readonly dir: string, readonly owner: string, opts: LeaseOptions = {}) {
    this.file = join(dir, 'inbox.lease.json');
    this.mutex = join(dir, 'inbox.lease.lock');
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.mutexStaleMs = opts.mutexStaleMs ?? 5_000;
    this.now = opts.now ?? Date.now;
  }

  async holder(): Promise<LeaseRecord | undefined> {
    try {
      const r = JSON.parse(await readFile(this.file, 'utf8')) as LeaseRecord;
      return typeof r.owner === 'string' && typeof r.expiresAt === 'number' ? r : undefined;
    } catch {
      return undefined;
    }
  }

  /** Takes the lease if it is free, expired or already ours. True when we hold it afterwards. */
  tryAcquire(): Promise<boolean> {
    return this.locked(async () => {
      const cur = await this.holder();
      const t = this.now();
      if (cur && cur.owner !== this.owner && cur.expiresAt > t) return false;
      await this.write({ owner: this.owner, expiresAt: t + this.ttlMs, heartbeatAt: t, acquiredAt: cur?.owner === this.owner ? cur.acquiredAt : t });
      return true;
    }, false);
  }

  /** The heartbeat: extends our lease. False when it is no longer ours (we must stop polling). */
  renew(): Promise<boolean> {
    return this.locked(async () => {
      const cur = await this.holder();
      const t = this.now();
      if (!cur || cur.owner !== this.owner) return false;
      await this.write({ ...cur, expiresAt: t + this.ttlMs, heartbeatAt: t });
      return true;
    }, false);
  }

  /** Gives the lease up so another window can take it at once. */
  release(): Promise<void> {
    return this.locked(async () => {
      const cur = await this.holder();
      if (cur?.owner === this.owner) await unlink(this.file).catch(() => undefined);
    }, undefined);
  }

  private async write(r: LeaseRecord): Promise<void> {
    await writePrivateFile(this.file, JSON.stringify(r));
  }

  private async locked<T>(fn: () => Promise<T>, onBusy: T, timeoutMs = 2_000): Promise<T> {
    await ensurePrivateDir(this.dir);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const h = await open(this.mutex, 'wx', PRIVATE_FILE_MODE);
        await h.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const st = await stat(this.mutex).catch(() => undefined);
        if (st && Date.now() - st.mtimeMs > this.mutexStaleMs) {
          await unlink(this.mutex).catch(() => undefined);
          continue;
        }
        if (Date.now() > deadline) return onBusy;
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
      }
    }
    try {
      return await fn();
    } finally {
      await unlink(this.mutex).catch(() => undefined);
    }
  }
}

/** A unique owner id for this window's extension host. */
export function newOwnerId(label = 'window'): string {
  return `${label}-${process.pid}-${randomUUID().slice(0, 8)}`;
}
