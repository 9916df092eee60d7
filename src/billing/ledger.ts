// The ledger of every AWS call the extension makes, with its price (src/billing/prices.ts) and the feature
// that caused it. On disk under globalStorageUri, so every VS Code window appends to (and reads) the same
// file. Calls are batched: one JSON line per (feature, profile, account, region, operation) per flush, with
// the count, the billable quantity and the dollars, so a posture scan of 500 buckets writes a few dozen
// lines, not 4,000. No vscode import: the bench and the integration tests drive this same code.
import { readFile, stat } from 'node:fs/promises';
import { appendPrivateFile, writePrivateFile } from '../cache/privateFiles';
import type { PriceUnit } from './prices';

export interface LedgerLine {
  /** ISO time of the first call in the line. */
  at: string;
  feature: string;
  profile: string;
  /** The account id when the connection knows it, else ''. */
  account: string;
  region: string;
  service: string;
  op: string;
  /** Calls. */
  n: number;
  /** Of them failed. */
  failed: number;
  /** Billable quantity, in `unit`. */
  q: number;
  unit: PriceUnit;
  usd: number;
  /** False when the price table has no entry for the operation (a defect the contract check catches). */
  priced: boolean;
}

/** One call; `calls: 0` adds a quantity to the ledger without a call (a Live Tail session's minutes). */
export type LedgerCall = Omit<LedgerLine, 'at' | 'n' | 'failed'> & { ok: boolean; calls?: number };

const KEEP_DAYS = 400;
const keyOf = (c: LedgerCall) => [c.feature, c.profile, c.account, c.region, c.service, c.op, c.unit, c.priced].join('|');

export interface SpendSummary {
  today: string;
  todayUsd: number;
  monthUsd: number;
  todayCalls: number;
  monthCalls: number;
  byFeatureToday: Map<string, number>;
  byFeatureMonth: Map<string, number>;
  byAccountToday: Map<string, number>;
  byAccountMonth: Map<string, number>;
}

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Sums by UTC day and month, feature and account. Failed calls count too: the ledger errs on the side of spending. */
export function summarizeSpend(lines: readonly LedgerLine[], today: string): SpendSummary {
  const month = today.slice(0, 7);
  const s: SpendSummary = { today, todayUsd: 0, monthUsd: 0, todayCalls: 0, monthCalls: 0, byFeatureToday: new Map(), byFeatureMonth: new Map(), byAccountToday: new Map(), byAccountMonth: new Map() };
  for (const l of lines) {
    if (l.at.slice(0, 7) !== month) continue;
    const account = l.account || l.profile;
    s.monthUsd += l.usd;
    s.monthCalls += l.n;
    add(s.byFeatureMonth, l.feature, l.usd);
    add(s.byAccountMonth, account, l.usd);
    if (l.at.slice(0, 10) !== today) continue;
    s.todayUsd += l.usd;
    s.todayCalls += l.n;
    add(s.byFeatureToday, l.feature, l.usd);
    add(s.byAccountToday, account, l.usd);
  }
  return s;
}

export class BillingLedger {
  private pending = new Map<string, LedgerLine>();
  private timer?: ReturnType<typeof setTimeout>;
  private writing: Promise<void> = Promise.resolve();
  /** The file as last read (other windows append to it too), and its size then. */
  private onDisk: LedgerLine[] = [];
  private readSize = -1;
  /** Queries already billed (Athena, Logs Insights): each is billed once, from its final state. */
  private readonly billed = new Set<string>();
  private readonly listeners = new Set<() => void>();
  /** Profile → account id, once GetCallerIdentity answered (fileUnder). */
  private readonly accounts = new Map<string, string>();

  constructor(readonly file: string, private readonly now: () => number = Date.now, private readonly flushMs = 1000) {}

  record(call: LedgerCall): void {
    if (!call.account && this.accounts.has(call.profile)) call = { ...call, account: this.accounts.get(call.profile)! };
    const k = keyOf(call);
    const { ok, calls = 1, ...rest } = call;
    const line = this.pending.get(k);
    if (line) {
      line.n += calls;
      line.failed += ok ? 0 : 1;
      line.q += call.q;
      line.usd += call.usd;
    } else {
      this.pending.set(k, { at: new Date(this.now()).toISOString(), ...rest, n: calls, failed: ok ? 0 : 1 });
    }
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    (this.timer as { unref?: () => void }).unref?.();
    for (const l of this.listeners) l();
  }

  /**
   * The account id of `profile` is known now (GetCallerIdentity answered). Calls made before, recorded under
   * the profile alone, are filed under the account: pending lines re-keyed, lines this file already holds
   * read under it, calls still in flight recorded under it.
   */
  fileUnder(profile: string, account: string): void {
    if (!account || this.accounts.get(profile) === account) return;
    this.accounts.set(profile, account);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const l of pending) {
      const line = !l.account && l.profile === profile ? { ...l, account } : l;
      const k = keyOf({ ...line, ok: true });
      const same = this.pending.get(k);
      if (!same) this.pending.set(k, line);
      else Object.assign(same, { at: same.at < line.at ? same.at : line.at, n: same.n + line.n, failed: same.failed + line.failed, q: same.q + line.q, usd: same.usd + line.usd });
    }
    for (const l of this.listeners) l();
  }

  /** True the first time for an id (a query id), false after: a final state read twice is billed once. */
  firstTime(id: string): boolean {
    if (this.billed.has(id)) return false;
    if (this.billed.size > 10_000) this.billed.clear();
    this.billed.add(id);
    return true;
  }

  /** Called after each recorded call (the spend line redraws from it, debounced by its owner). */
  onRecord(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Writes what is pending. Appends from two windows never interleave within a line. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = [...this.pending.values()];
    this.pending.clear();
    if (!lines.length) return this.writing;
    this.writing = this.writing.then(() => appendPrivateFile(this.file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''))).catch(() => undefined);
    return this.writing;
  }

  /** Every line, the file's (all windows) and this window's pending ones. */
  async lines(): Promise<LedgerLine[]> {
    await this.writing;
    let size = 0;
    try {
      size = (await stat(this.file)).size;
    } catch {
      size = 0;
    }
    if (size !== this.readSize) {
      this.onDisk = size ? parseLines(await readFile(this.file, 'utf8').catch(() => '')) : [];
      this.readSize = size;
    }
    const lines = [...this.onDisk, ...this.pending.values()];
    return this.accounts.size ? lines.map((l) => (!l.account && this.accounts.has(l.profile) ? { ...l, account: this.accounts.get(l.profile)! } : l)) : lines;
  }

  async summary(): Promise<SpendSummary> {
    return summarizeSpend(await this.lines(), utcDay(this.now()));
  }

  /** Drops lines older than ~13 months, so the file stays small. */
  async prune(): Promise<void> {
    await this.flush();
    const lines = await this.lines();
    const cutoff = new Date(this.now() - KEEP_DAYS * 86_400_000).toISOString();
    const kept = lines.filter((l) => l.at >= cutoff);
    if (kept.length < lines.length) {
      await writePrivateFile(this.file, kept.map((l) => `${JSON.stringify(l)}\n`).join(''));
      this.readSize = -1;
    }
  }
}

function parseLines(text: string): LedgerLine[] {
  const out: LedgerLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const l = JSON.parse(line) as LedgerLine;
      if (typeof l.at === 'string' && typeof l.usd === 'number' && typeof l.n === 'number') out.push(l);
    } catch {
      // A torn last line (a crash mid-append) is skipped, not fatal.
    }
  }
  return out;
}
