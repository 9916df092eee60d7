// Mutes, persisted in a JSON file under globalStorageUri so every window (and the next start)
// sees the same ones. Read fresh before each decision: another window may have changed it. A change reads and
// writes the file under a lock file all windows share, so two windows muting at once keep both mutes.
import { readFile } from 'node:fs/promises';
import { withFileLock } from '../../cache/fileLock';
import { writePrivateFile } from '../../cache/privateFiles';

export interface Mute { key: string; until: number }

/** `app:<appId>` mutes every alert of that app; anything else is an exact alert key. */
export function appMuteKey(appId: string): string { return `app:${appId}`; }

export class MuteStore {
  constructor(private readonly file: string, private readonly now: () => number = Date.now) {}

  async list(): Promise<Mute[]> {
    try {
      const raw = JSON.parse(await readFile(this.file, 'utf8')) as { mutes?: Record<string, number> };
      const t = this.now();
      return Object.entries(raw.mutes ?? {}).filter(([, until]) => typeof until === 'number' && until > t).map(([key, until]) => ({ key, until }));
    } catch {
      return [];
    }
  }

  private async save(mutes: Mute[]): Promise<void> {
    await writePrivateFile(this.file, JSON.stringify({ mutes: Object.fromEntries(mutes.map((m) => [m.key, m.until])) }));
  }

  /**
   * Reads, changes and writes the mutes while holding the lock. The lock is held for a read and a write: one
   * left by a window that crashed is taken over after 10 s, and a change waits at most 10 s for it.
   */
  private change(edit: (mutes: Mute[]) => Mute[]): Promise<void> {
    return withFileLock(`${this.file}.lock`, async () => this.save(edit(await this.list())), { staleMs: 10_000, waitMs: 10_000, pollMs: 20 });
  }

  async mute(key: string, durationMs: number): Promise<Mute> {
    const m = { key, until: this.now() + durationMs };
    await this.change((mutes) => [...mutes.filter((x) => x.key !== key), m]);
    return m;
  }

  async unmute(key?: string): Promise<void> {
    await this.change((mutes) => (key === undefined ? [] : mutes.filter((x) => x.key !== key)));
  }

  /** Whether an alert with this key (and app) is muted now. */
  async isMuted(key: string, appId?: string): Promise<boolean> {
    const mutes = await this.list();
    return mutes.some((m) => m.key === key || (appId !== undefined && m.key === appMuteKey(appId)));
  }
}
