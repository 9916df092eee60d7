// What the dashboard's stacked chart shows, as CSV for a spreadsheet. Service names, account names and tag
// values come from AWS (and tag values from anyone who can tag a resource), so every cell goes through the
// results grid's formula guard (src/webview/results/csv.ts): a value like =HYPERLINK(…) is written as text.
// No vscode import.
import { encodeSpreadsheetSafeRow } from '../webview/results/csv';
import { DIMENSION_LABEL, onlyText } from './plan';
import type { DashboardData } from './service';

/** One row per day (or month) of the chart, one column per series as drawn (top N, then Other), then the total. */
export function chartCsv(d: DashboardData, tagKey: string): string {
  const p = d.params;
  const by = p.dimension === 'TAG' ? `tag ${tagKey}` : DIMENSION_LABEL[p.dimension];
  const header = [p.granularity === 'MONTHLY' ? 'Month' : 'Date', ...d.stacked.series.map((s) => s.label), 'Total'];
  const lines = [
    // A first line that says what the figures are: range, grouping, metric, unit, filter.
    encodeSpreadsheetSafeRow([`${d.range.start} to ${d.range.end} (UTC), ${p.metric} in ${d.unit}, by ${by}${p.excludeCreditsRefundsTax ? ', excl. credits/refunds/tax' : ''}${p.filter ? `, only ${onlyText(p.filter)}` : ''}`]),
    encodeSpreadsheetSafeRow(header),
  ];
  d.stacked.x.forEach((x, i) => {
    const values = d.stacked.series.map((s) => s.values[i] ?? 0);
    const total = values.reduce((a, b) => a + b, 0);
    lines.push(encodeSpreadsheetSafeRow([p.granularity === 'MONTHLY' ? x.slice(0, 7) : x, ...values.map(money), money(total)]));
  });
  return lines.join('');
}

function money(n: number): string {
  return (Math.round(n * 1e4) / 1e4).toString();
}

/** A file name from our own values only (never a service name or tag value). */
export function csvFileName(d: DashboardData): string {
  return `costs-${d.range.start}-to-${d.range.end}-by-${d.params.dimension.toLowerCase()}.csv`;
}
