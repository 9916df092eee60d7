// What the user reads of the billing ledger: the spend line, the ledger document, the CSV export and the
// budget decision. Pure: no vscode.
import { serviceName } from '../aws/serviceNames';
import { encodeSpreadsheetSafeRow } from '../webview/results/csv';
import { summarizeSpend, type LedgerLine, type SpendSummary } from './ledger';
import { describePrice, formatSpend, PRICE_TABLE, priceOf } from './prices';

const byValue = (m: Map<string, number>) => [...m].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
const list = (m: Map<string, number>) => byValue(m).map(([k, v]) => `${k} ${formatSpend(v)}`).join(', ') || 'nothing';

/** "Cloud Monitor spend: today $0.03 (costs $0.03), this month $0.41 (…)" and the same by account. */
export function spendLines(s: SpendSummary, budgetUsd: number): string[] {
  return [
    `Cloud Monitor spend today: ${formatSpend(s.todayUsd)} of the ${formatSpend(budgetUsd)} daily budget, ${s.todayCalls} call${s.todayCalls === 1 ? '' : 's'} (${list(s.byFeatureToday)})`,
    `This month: ${formatSpend(s.monthUsd)}, ${s.monthCalls} call${s.monthCalls === 1 ? '' : 's'} (${list(s.byFeatureMonth)})`,
    `By account today: ${list(s.byAccountToday)}; this month: ${list(s.byAccountMonth)}`,
  ];
}

const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/[\r\n]/g, ' ');
const qty = (l: LedgerLine) => (l.unit === 'free' ? '' : `${Number(l.q.toPrecision(4))} ${l.unit}`);

/** Sums of lines by a key. */
function sums(lines: readonly LedgerLine[], key: (l: LedgerLine) => string): Map<string, { n: number; usd: number }> {
  const m = new Map<string, { n: number; usd: number }>();
  for (const l of lines) {
    const e = m.get(key(l)) ?? { n: 0, usd: 0 };
    e.n += l.n;
    e.usd += l.usd;
    m.set(key(l), e);
  }
  return m;
}

/** The ledger as a Markdown document: the totals, sums by feature, service and day, then the calls, newest first. */
export function formatBillingLedger(lines: readonly LedgerLine[], today: string, budgetUsd: number, maxRows = 2000): string {
  const s = summarizeSpend(lines, today);
  const month = lines.filter((l) => l.at.slice(0, 7) === today.slice(0, 7));
  const table = (title: string, m: Map<string, { n: number; usd: number }>, order: 'usd' | 'key') => [
    `## ${title}`, '', '| | Calls | List price |', '| --- | ---: | ---: |',
    ...[...m].sort(([a, x], [b, y]) => (order === 'usd' ? y.usd - x.usd || a.localeCompare(b) : b.localeCompare(a))).map(([k, v]) => `| ${cell(k)} | ${v.n} | ${formatSpend(v.usd)} |`), '',
  ];
  const rows = lines.slice().reverse().slice(0, maxRows);
  const out = [
    '# Cloud Monitor spend ledger',
    '',
    'Every AWS call this extension made from this machine (all windows), at list prices without free tiers. Days are UTC. Calls of the same operation within a second or so share a row.',
    '',
    ...spendLines(s, budgetUsd).map((l) => `- ${l}`),
    '',
    ...table(`By feature, this month (${today.slice(0, 7)})`, sums(month, (l) => l.feature), 'usd'),
    ...table('By service, this month', sums(month, (l) => l.service), 'usd'),
    ...table('By day', sums(lines, (l) => l.at.slice(0, 10)), 'key'),
    '## Calls',
    '',
    '| Time (UTC) | Feature | Account | Region | Operation | Calls | Quantity | List price |',
    '| --- | --- | --- | --- | --- | ---: | ---: | ---: |',
    ...rows.map((l) => `| ${l.at.replace('T', ' ').slice(0, 19)} | ${cell(l.feature)} | ${cell(l.account || l.profile)} | ${cell(l.region)} | ${cell(`${l.service}:${l.op}`)}${l.priced ? '' : ' (no price)'} | ${l.n}${l.failed ? ` (${l.failed} failed)` : ''} | ${qty(l)} | ${formatSpend(l.usd)} |`),
  ];
  if (!lines.length) out.push('', 'No call yet.');
  else if (lines.length > maxRows) out.push('', `Older rows: ${lines.length - maxRows} (in the CSV export).`);
  return `${out.join('\n')}\n`;
}

/** The ledger as CSV, every cell spreadsheet-safe (a profile or feature name starting with = stays text). */
export function billingCsv(lines: readonly LedgerLine[]): string {
  const header = ['time_utc', 'feature', 'profile', 'account', 'region', 'service', 'operation', 'calls', 'failed', 'quantity', 'unit', 'usd', 'priced'];
  return [header, ...lines.map((l) => [l.at, l.feature, l.profile, l.account, l.region, l.service, l.op, String(l.n), String(l.failed), String(l.q), l.unit, String(l.usd), String(l.priced)])]
    .map((r) => encodeSpreadsheetSafeRow(r)).join('');
}

/** What the budget gate decides for a call about to be sent. */
export type BudgetVerdict = { go: true } | { go: false; message: string };

/**
 * A call whose price is known in advance asks first when it would take today's spend past the budget; a
 * call billed afterwards (an Athena or Logs Insights query, a Live Tail session) asks when the budget is
 * already passed. Free calls never ask.
 */
export function judgeBudget(call: { key: string; usd: number; when: 'advance' | 'after' | 'free' }, spentToday: number, budgetUsd: number): BudgetVerdict {
  if (call.when === 'free') return { go: true };
  const [service, op] = call.key.split(':');
  const name = `${serviceName(service)} ${op}`;
  const of = `today's spend is ${formatSpend(spentToday)} of ${formatSpend(budgetUsd)} (cloudMonitor.billing.dailyBudgetUsd)`;
  if (call.when === 'advance') {
    if (call.usd <= 0 || spentToday + call.usd <= budgetUsd + 1e-9) return { go: true };
    return { go: false, message: `This ${name} request costs ${formatSpend(call.usd)}; ${of}.` };
  }
  if (spentToday < budgetUsd) return { go: true };
  const entry = PRICE_TABLE[call.key];
  const after = call.key === 'athena:StartQueryExecution' ? 'Athena bills it by the data it scans ($5 per TB, 10 MB minimum)'
    : call.key === 'logs:StartQuery' ? `Logs Insights bills it by the data it scans (${describePrice(PRICE_TABLE['logs:GetQueryResults'])})`
    : `it is billed ${entry ? describePrice(entry, priceOf(call.key, 'us-east-1')?.usdPerUnit) : 'afterwards'}`;
  return { go: false, message: `The daily budget is passed: ${of}. This ${name} is billed afterwards: ${after}.` };
}

/** An action the user starts (a refresh) that makes several calls priced in advance. */
export interface PricedAction {
  /** 'This refresh', 'Loading this view'. */
  what: string;
  /** 'Cost Explorer'. */
  service: string;
  requests: number;
  usd: number;
}

/**
 * One question for a whole action, before any of its calls is sent: "This refresh makes 4 Cost Explorer
 * requests ($0.04); today's spend is $0.98 of $1.00". It asks only when the action would pass the budget.
 */
export function judgeAction(action: PricedAction, spentToday: number, budgetUsd: number): BudgetVerdict {
  if (action.requests <= 0 || action.usd <= 0 || spentToday + action.usd <= budgetUsd + 1e-9) return { go: true };
  const n = `${action.requests} ${action.service} request${action.requests === 1 ? '' : 's'}`;
  return { go: false, message: `${action.what} makes ${n} (${formatSpend(action.usd)}); today's spend is ${formatSpend(spentToday)} of ${formatSpend(budgetUsd)} (cloudMonitor.billing.dailyBudgetUsd).` };
}

/** What each feature folder's calls are triggered by, for the README's cost table. */
const TRIGGERS: Record<string, string> = {
  aws: 'connecting (the account id in the status bar)',
  'aws/scope': 'Select Scope with an IAM Identity Center session (its accounts and roles; an account\'s role credentials when first used)',
  costs: 'the Costs view and cost dashboard (after consent; cached, see above)',
  buckets: 'the Buckets view (refresh, posture scan, storage metrics, browsing, preview)',
  findings: 'the Findings view (load, triage)',
  alerts: 'the Alerts view and the inbox poller',
  logs: 'the Logs view (search, tail, Logs Insights)',
  athena: 'running Athena queries, the schema and context checks',
  pipeline: 'the Pipeline view and its commands (deploy, inspect, test event, redrive, delete)',
};

/**
 * The README's table of every billable call: operation, list price, what triggers it. `callers` maps
 * 'service:Operation' to the src/ files that can call it (test/helpers/contract.ts shippedOperations).
 */
export function priceTableMarkdown(callers: ReadonlyMap<string, readonly string[]>): string {
  const rows = Object.entries(PRICE_TABLE).sort(([a, x], [b, y]) => Number(x.unit === 'free') - Number(y.unit === 'free') || a.localeCompare(b)).map(([op, e]) => {
    // src/aws/scope is told apart from the rest of src/aws: the Select Scope listing, not connecting.
    const folders = [...new Set((callers.get(op) ?? []).map((f) => (f.startsWith('src/aws/scope/') ? 'aws/scope' : f.split('/')[1])))].sort();
    const trigger = folders.length ? folders.map((f) => TRIGGERS[f] ?? f).join('; ') : 'signing in with a role, web identity or SSO profile';
    return `| \`${op}\` | ${describePrice(e)} | ${e.note} | ${trigger} |`;
  });
  return ['| Operation | List price | What is billed | Triggered by |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
