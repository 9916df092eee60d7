// The Cost Explorer request ledger is a view of the billing ledger (src/billing/ledger.ts), which every
// Cost Explorer client records into: the view title's "3 CE requests today ($0.03)", the dashboard's
// line and the request ledger document all read the billing ledger's 'ce' lines. No count of its own.
// No vscode import.
import type { LedgerLine } from '../billing/ledger';
import { PRICE_TABLE } from '../billing/prices';
import { monthOf, type Day } from './dates';

/** Cost Explorer's price per API request (each page is a request), from the one price table. */
export const PRICE_PER_REQUEST = PRICE_TABLE['ce:GetCostAndUsage'].usd;

export interface CeSummary {
  today: number;
  month: number;
  total: number;
  dollarsToday: number;
  dollarsMonth: number;
}

const isCe = (l: LedgerLine) => l.service === 'ce';
const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Cost Explorer requests by UTC day and month. Failed requests count too: the ledger errs on the side of spending. */
export function summarizeCe(lines: readonly LedgerLine[], today: Day): CeSummary {
  const month = monthOf(today);
  const s = { today: 0, month: 0, total: 0, dollarsToday: 0, dollarsMonth: 0 };
  for (const l of lines.filter(isCe)) {
    s.total += l.n;
    if (l.at.slice(0, 7) !== month) continue;
    s.month += l.n;
    s.dollarsMonth += l.usd;
    if (l.at.slice(0, 10) !== today) continue;
    s.today += l.n;
    s.dollarsToday += l.usd;
  }
  return { ...s, dollarsToday: cents(s.dollarsToday), dollarsMonth: cents(s.dollarsMonth) };
}

/** "3 CE requests today ($0.03)": the Costs view's title. */
export function ceTitleText(s: CeSummary): string {
  return `${s.today} CE request${s.today === 1 ? '' : 's'} today ($${s.dollarsToday.toFixed(2)})`;
}

/** The dashboard's line: today and this month. */
export function ceDashboardText(s: CeSummary): string {
  return `${s.today} Cost Explorer request${s.today === 1 ? '' : 's'} today ($${s.dollarsToday.toFixed(2)}), ${s.month} this month ($${s.dollarsMonth.toFixed(2)})`;
}

/** The Cost Explorer lines of the billing ledger as a Markdown document: the totals, then the requests, newest first. */
export function formatLedger(lines: readonly LedgerLine[], today: Day): string {
  const s = summarizeCe(lines, today);
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/[\r\n]/g, ' ');
  const ce = lines.filter(isCe);
  const out = [
    '# Cost Explorer request ledger',
    '',
    `Every Cost Explorer API request this extension made from this machine (all windows), as the spend ledger (Show Spend Ledger) records them. Cost Explorer charges $${PRICE_PER_REQUEST.toFixed(2)} per request; each page of a paged answer is a request. Days are UTC; requests of the same operation within a second or so share a row.`,
    '',
    `- Today (${today}): ${s.today} request${s.today === 1 ? '' : 's'}, $${s.dollarsToday.toFixed(2)}`,
    `- This month (${monthOf(today)}): ${s.month} request${s.month === 1 ? '' : 's'}, $${s.dollarsMonth.toFixed(2)}`,
    `- Recorded in total: ${s.total}`,
    '',
    '| Time (UTC) | Operation | Requests | Price | Profile | Account |',
    '| --- | --- | ---: | ---: | --- | --- |',
    ...ce
      .slice()
      .reverse()
      .map((l) => `| ${l.at.replace('T', ' ').slice(0, 19)} | ${cell(l.op)} | ${l.n}${l.failed ? ` (${l.failed} failed)` : ''} | $${l.usd.toFixed(2)} | ${cell(l.profile)} | ${cell(l.account)} |`),
  ];
  if (!ce.length) out.push('', 'No request yet.');
  return `${out.join('\n')}\n`;
}
