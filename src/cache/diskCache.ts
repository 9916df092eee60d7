// A JSON cache on disk, shared by every view and every VS Code window (they share globalStorageUri).
// No vscode import: the directory is passed in, so it is unit-testable.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writePrivateFile } from './privateFiles';

export interface Cached<T> {
  value: T;
  storedAt: number;
  ageMs: number;
  /** Younger than the TTL asked for. Stale entries are still returned, for offline display. */
  fresh: boolean;
}

export class DiskCache {
  constructor(private readonly dir: string, private readonly now: () => number = Date.now) {}

  static keyOf(parts: unknown): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  }

  private file(key: string) { return join(this.dir, `${DiskCache.keyOf(key)}.json`); }

  async get<T>(key: string, ttlMs: number): Promise<Cached<T> | undefined> {
    try {
      const raw = JSON.parse(await readFile(this.file(key), 'utf8')) as { key: string; storedAt: number; value: T };
      if (raw.key !== key) return undefined;
      const ageMs = Math.max(0, this.now() - raw.storedAt);
      return { value: raw.value, storedAt: raw.storedAt, ageMs, fresh: ageMs < ttlMs };
    } catch {
      return undefined;
    }
  }

  async set<T>(key: string, value: T): Promise<void> {
    // Written then renamed (0600 in a 0700 folder), so a reader in another window never sees half a file.
    await writePrivateFile(this.file(key), JSON.stringify({ key, storedAt: this.now(), value }));
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  /** Fresh value from cache, or fetch and store it. On fetch failure, a stale value is returned with `error`. */
  async getOrFetch<T>(key: string, ttlMs: number, fetch: () => Promise<T>, opts: { force?: boolean } = {}): Promise<Cached<T> & { error?: unknown; fromCache: boolean }> {
    const hit = await this.get<T>(key, ttlMs);
    if (hit?.fresh && !opts.force) return { ...hit, fromCache: true };
    try {
      const value = await fetch();
      await this.set(key, value);
      return { value, storedAt: this.now(), ageMs: 0, fresh: true, fromCache: false };
    } catch (error) {
      if (hit) return { ...hit, error, fromCache: true };
      throw error;
    }
  }
}
