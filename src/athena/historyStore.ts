// Past Athena queries, persisted (newest first): text, time, state, data scanned and cost, plus what
// is needed to re-run them or reopen their results. No vscode import: any Memento-like store works.
import { formatBytes, formatUsd } from './cost';
import { updateKept, type StateStore } from '../util/keptUpdate';

export interface HistoryEntry {
  /** The QueryExecutionId, or a local id when the query never started. */
  id: string;
  sql: string;
  startedAt: number;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'ERROR';
  workgroup: string;
  catalog: string;
  database: string;
  profile?: string;
  region?: string;
  parameters?: string[];
  scannedBytes?: number;
  costUsd?: number;
  durationMs?: number;
  rows?: number;
  error?: string;
  outputLocation?: string;
  /** The document the statement came from, to reopen it. */
  source?: string;
}

const KEY = 'cloudMonitor.athena.history';

export class HistoryStore {
  private readonly listeners = new Set<() => void>();
  constructor(private readonly store: StateStore, private readonly limit: () => number) {}

  list(): HistoryEntry[] {
    return this.store.get<HistoryEntry[]>(KEY) ?? [];
  }

  get(id: string): HistoryEntry | undefined {
    return this.list().find((e) => e.id === id);
  }

  /** Adds or updates (by id) and keeps the newest `limit` entries; written again if VS Code's state dropped it (updateKept). */
  async put(entry: HistoryEntry): Promise<void> {
    const limit = this.limit();
    const json = JSON.stringify(entry);
    await updateKept<HistoryEntry[]>(
      this.store,
      KEY,
      (stored) => [entry, ...(stored ?? []).filter((e) => e.id !== entry.id)].sort((a, b) => b.startedAt - a.startedAt).slice(0, limit),
      // Kept: there as written, or the history is full of newer ones.
      (stored = []) => stored.some((e) => e.id === entry.id && JSON.stringify(e) === json) || (stored.length >= limit && entry.startedAt <= stored[stored.length - 1].startedAt),
    );
    this.fire();
  }

  async patch(id: string, patch: Partial<HistoryEntry>): Promise<void> {
    const e = this.get(id);
    if (e) await this.put({ ...e, ...patch });
  }

  async remove(id: string): Promise<void> {
    await updateKept<HistoryEntry[]>(this.store, KEY, (stored) => (stored ?? []).filter((e) => e.id !== id), (stored = []) => !stored.some((e) => e.id === id));
    this.fire();
  }

  /** Removes every entry there is now (one added meanwhile stays); written again if VS Code's state dropped it. */
  async clear(): Promise<void> {
    const ids = new Set(this.list().map((e) => e.id));
    await updateKept<HistoryEntry[]>(this.store, KEY, (stored) => (stored ?? []).filter((e) => !ids.has(e.id)), (stored = []) => !stored.some((e) => ids.has(e.id)));
    this.fire();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** "SUCCEEDED · 1.20 GB · $0.00586 · 3.1 s · 12 rows" */
export function describeEntry(e: HistoryEntry): string {
  const parts: string[] = [e.state];
  if (e.scannedBytes !== undefined) parts.push(formatBytes(e.scannedBytes));
  if (e.costUsd !== undefined) parts.push(formatUsd(e.costUsd));
  if (e.durationMs !== undefined) parts.push(e.durationMs < 1000 ? `${e.durationMs} ms` : `${(e.durationMs / 1000).toFixed(1)} s`);
  if (e.rows !== undefined) parts.push(`${e.rows.toLocaleString('en-US')} rows`);
  return parts.join(' · ');
}

/** The statement's first meaningful line, for a label. */
export function entryLabel(e: HistoryEntry, max = 80): string {
  return sqlLabel(e.sql, max);
}

/** A statement's first line of code (not a comment), cut to `max` characters. */
export function sqlLabel(sql: string, max = 80): string {
  const line = sql.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('--')) ?? sql.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
