// The record of every Cost Explorer request this extension made, on disk under globalStorageUri so that
// every VS Code window appends to (and reads) the same ledger. One JSON object per line: appends from two
// windows never interleave within a line. No vscode import.
import { readFile } from 'node:fs/promises';
import { appendPrivateFile, writePrivateFile } from '../cache/privateFiles';
import { monthOf, utcToday, type Day } from './dates';

/** Cost Explorer's price per API request (each page is a request): https://aws.amazon.com/aws-cost-management/pricing/ */
export const PRICE_PER_REQUEST = 0.01;

export interface LedgerEntry {
  /** ISO timestamp. */
  at: string;
  /** API operation, e.g. GetCostAndUsage. */
  op: string;
  /** What was asked, for the person reading the ledger. */
  detail: string;
  ok: boolean;
  /** Profile (and endpoint) the request went to. */
  scope: string;
}

export interface LedgerSummary {
  today: number;
  month: number;
  total: number;
  dollarsToday: number;
  dollarsMonth: number;
  last?: LedgerEntry;
}

/** Counts by UTC day and month. Failed requests count too: the ledger errs on the side of spending. */
export function summarize(entries: LedgerEntry[], today: Day): LedgerSummary {
  const month = monthOf(today);
  let t = 0;
  let m = 0;
  for (const e of entries) {
    const day = e.at.slice(0, 10);
    if (day === today) t++;
    if (monthOf(day) === month) m++;
  }
  const cents = (n: number) => Math.round(n * PRICE_PER_REQUEST * 100) / 100;
  return { today: t, month: m, total: entries.length, dollarsToday: cents(t), dollarsMonth: cents(m), last: entries[entries.length - 1] };
}

const KEEP_DAYS = 400;

export class Ledger {
  constructor(private readonly file: string, private readonly now: () => number = Date.now) {}

  async record(e: Omit<LedgerEntry, 'at'>): Promise<void> {
    const entry: LedgerEntry = { at: new Date(this.now()).toISOString(), ...e };
    await appendPrivateFile(this.file, `${JSON.stringify(entry)}\n`);
  }

  async entries(): Promise<LedgerEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: LedgerEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as LedgerEntry);
      } catch {
        // A torn last line (a crash mid-append) is skipped, not fatal.
      }
    }
    return out;
  }

  async summary(): Promise<LedgerSummary> {
    return summarize(await this.entries(), utcToday(this.now()));
  }

  /** Drops entries older than ~13 months, so the file stays small. */
  async prune(): Promise<void> {
    const entries = await this.entries();
    const cutoff = new Date(this.now() - KEEP_DAYS * 86_400_000).toISOString();
    const kept = entries.filter((e) => e.at >= cutoff);
    if (kept.length < entries.length) await writePrivateFile(this.file, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }
}

/** 'profile|endpoint' as 'profile (endpoint)'. */
function scopeText(scope: string): string {
  const [profile, endpoint] = scope.split('|');
  return endpoint ? `${profile} (${endpoint})` : profile;
}

/** The ledger as a Markdown document: the totals, then every request, newest first. */
export function formatLedger(entries: LedgerEntry[], today: Day): string {
  const s = summarize(entries, today);
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Cost Explorer request ledger',
    '',
    `Every Cost Explorer API request this extension made from this machine (all windows). Cost Explorer charges $${PRICE_PER_REQUEST.toFixed(2)} per request; each page of a paged answer is a request. Days are UTC.`,
    '',
    `- Today (${today}): ${s.today} request${s.today === 1 ? '' : 's'}, $${s.dollarsToday.toFixed(2)}`,
    `- This month (${monthOf(today)}): ${s.month} request${s.month === 1 ? '' : 's'}, $${s.dollarsMonth.toFixed(2)}`,
    `- Recorded in total: ${s.total}`,
    '',
    '| Time (UTC) | Operation | Request | Result | Profile |',
    '| --- | --- | --- | --- | --- |',
    ...entries
      .slice()
      .reverse()
      .map((e) => `| ${e.at.replace('T', ' ').slice(0, 19)} | ${cell(e.op)} | ${cell(e.detail)} | ${e.ok ? 'ok' : 'failed'} | ${cell(scopeText(e.scope))} |`),
  ];
  if (!entries.length) lines.push('', 'No request yet.');
  return `${lines.join('\n')}\n`;
}
