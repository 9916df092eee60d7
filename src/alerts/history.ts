// The alert history: what arrived from the inbox (shown, in a summary, or muted) and the state
// changes read from the alert-state table, newest first, bounded, kept in globalState so it survives
// a restart and is shared by windows. Text is from outside: stored as parsed (already inert for the
// inbox) and made inert again wherever it is shown. No vscode import.
import { updateKept, type StateStore } from '../util/keptUpdate';

/** 'dnd': received during Do Not Disturb (no notification; summed up when it is turned off). */
export type HistoryOutcome = 'shown' | 'summarised' | 'muted' | 'table' | 'dnd';

export interface AlertHistoryEntry {
  /** When this window saw it (epoch ms). */
  at: number;
  key: string;
  appId?: string;
  state: string;
  severity?: string;
  text: string;
  outcome: HistoryOutcome;
  /** When the alert or state change happened, if it says (epoch ms). */
  happenedAt?: number;
}

export const ALERT_HISTORY_KEY = 'cloudMonitor.alertHistory';
export const ALERT_HISTORY_MAX = 500;

export class AlertHistory {
  constructor(private readonly memento: StateStore, private readonly max = ALERT_HISTORY_MAX) {}

  /** Newest first. */
  list(): AlertHistoryEntry[] {
    return entriesOf(this.memento.get<unknown>(ALERT_HISTORY_KEY));
  }

  /** Adds `entries` (newest first overall, at most max), and writes them again if VS Code's state dropped them (updateKept). */
  async add(entries: AlertHistoryEntry[]): Promise<void> {
    if (!entries.length) return;
    const merged = (stored: unknown) => {
      const rest = entriesOf(stored).filter((e) => !entries.some((m) => sameEntry(m, e)));
      return [...entries, ...rest].sort((a, b) => b.at - a.at).slice(0, this.max);
    };
    // Kept: each entry is there, or the history is full of newer ones.
    const kept = (stored: unknown) => {
      const list = entriesOf(stored);
      const full = list.length >= this.max;
      return entries.every((m) => list.some((e) => sameEntry(m, e)) || (full && m.at <= list[list.length - 1].at));
    };
    await updateKept<unknown>(this.memento, ALERT_HISTORY_KEY, merged, kept);
  }

  /**
   * State changes read from the table, each recorded once (by key, state and since): what changed while
   * no window polled, or what the inbox did not bring.
   */
  async addStates(rows: readonly { key: string; appId?: string; state: string; since?: number; lastMessage?: string; severity?: string }[], now: number): Promise<number> {
    const seen = new Set(this.list().filter((e) => e.outcome === 'table').map((e) => `${e.key}|${e.state}|${e.happenedAt}`));
    const fresh = rows
      .filter((r) => r.since !== undefined && !seen.has(`${r.key}|${r.state}|${r.since}`))
      .map((r): AlertHistoryEntry => ({ at: now, key: r.key, appId: r.appId, state: r.state, severity: r.severity, text: r.lastMessage ?? '', outcome: 'table', happenedAt: r.since }));
    await this.add(fresh);
    return fresh.length;
  }
}

function entriesOf(raw: unknown): AlertHistoryEntry[] {
  return Array.isArray(raw) ? raw.filter(isEntry) : [];
}

const sameEntry = (a: AlertHistoryEntry, b: AlertHistoryEntry) =>
  a.at === b.at && a.key === b.key && a.outcome === b.outcome && a.state === b.state && a.text === b.text && a.happenedAt === b.happenedAt;

function isEntry(e: unknown): e is AlertHistoryEntry {
  const x = e as AlertHistoryEntry;
  return !!x && typeof x === 'object' && typeof x.at === 'number' && typeof x.key === 'string' && typeof x.state === 'string' && typeof x.text === 'string' && typeof x.outcome === 'string';
}

export const OUTCOME_LABEL: Record<HistoryOutcome, string> = {
  shown: 'shown',
  summarised: 'in a summary',
  muted: 'muted',
  dnd: 'during Do Not Disturb',
  table: 'state change (table)',
};
