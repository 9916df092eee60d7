// The `.cwlogs` file format: a Logs Insights query preceded by header comments that name the
// log groups and the time range. Pure, so it is unit-tested.
//
//   # groups: /aws/lambda/consumer, /app/api
//   # range: 1h                      (or 2025-01-01T00:00Z..2025-01-02T00:00Z)
//   # limit: 1000                    (optional: StartQuery's limit, 1 to 100,000; AWS's default is 10,000)
//   fields @timestamp, @message
//   | sort @timestamp desc
//
// Other `#` lines are ordinary comments: Logs Insights itself accepts `#` comments.

import { INSIGHTS_MAX_LIMIT } from './insights';

export interface InsightsQueryFile {
  groups: string[];
  range?: string;
  limit?: number;
  /** The query text without the header lines. */
  query: string;
  /** Line numbers (0-based) of problems, with messages, for diagnostics. */
  problems: { line: number; message: string }[];
}

const HEADER = /^\s*#\s*(groups?|log-?groups?|range|limit)\s*:\s*(.*)$/i;

export function parseInsightsFile(text: string): InsightsQueryFile {
  const lines = text.split(/\r?\n/);
  const groups: string[] = [];
  let range: string | undefined;
  let limit: number | undefined;
  const problems: InsightsQueryFile['problems'] = [];
  const queryLines: string[] = [];
  lines.forEach((line, i) => {
    const m = HEADER.exec(line);
    if (!m) {
      queryLines.push(line);
      return;
    }
    const key = m[1].toLowerCase();
    const value = m[2].trim();
    if (key.startsWith('range')) range = value || undefined;
    else if (key.startsWith('limit')) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > INSIGHTS_MAX_LIMIT) problems.push({ line: i, message: `limit must be a whole number from 1 to ${INSIGHTS_MAX_LIMIT}` });
      else limit = n;
    } else groups.push(...value.split(/[\s,]+/).filter(Boolean));
  });
  const query = queryLines.join('\n').trim();
  if (!groups.length) problems.push({ line: 0, message: 'Name the log groups in a header line: # groups: /aws/lambda/name' });
  if (!query || query.split('\n').every((l) => l.trim().startsWith('#'))) problems.push({ line: Math.max(0, lines.length - 1), message: 'The file has no query.' });
  return { groups, range, limit, query, problems };
}

/** A new query file's text, for "New Logs Insights Query" on a log group. */
export function newInsightsFile(groups: string[], range = '1h'): string {
  return [
    `# groups: ${groups.join(', ')}`,
    `# range: ${range}`,
    'fields @timestamp, @logStream, @message',
    '| sort @timestamp desc',
    '| limit 100',
    '',
  ].join('\n');
}
