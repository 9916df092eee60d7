// Mutes, persisted in a JSON file under globalStorageUri so every window (and the next start)
// sees the same ones. Read fresh before each decision: another window may have changed it.
import { readFile } from 'node:fs/promises';
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

  async mute(key: string, durationMs: number): Promise<Mute> {
    const m = { key, until: this.now() + durationMs };
    await this.save([...(await this.list()).filter((x) => x.key !== key), m]);
    return m;
  }

  async unmute(key?: string): Promise<void> {
    await this.save(key === undefined ? [] : (await this.list()).filter((x) => x.key !== key));
  }

  /** Whether an alert with this key (and app) is muted now. */
  async isMuted(key: string, appId?: string): Promise<boolean> {
    const mutes = await this.list();
    return mutes.some((m) => m.key === key || (appId !== undefined && m.key === appMuteKey(appId)));
  }
}
