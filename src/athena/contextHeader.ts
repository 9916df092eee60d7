// A .sql file can name its own Athena context in its leading comments:
//   -- workgroup: my-pipeline
//   -- database: cloud_monitor_my_pipeline
// That context applies to that file only (a query opened for a pipeline carries the pipeline's), and
// the workspace's context (status bar pick or settings) fills in the rest. No vscode import.
//
// The names go to StartQueryExecution's WorkGroup and QueryExecutionContext, never into SQL text;
// still, only names of the shapes Athena and Glue accept are read, anything else is reported.

export type ContextKey = 'workgroup' | 'catalog' | 'database';
export type ContextHeader = Partial<Record<ContextKey, string>>;

/** One header line: which key, on which line, and the range of the whole line (for removing it). */
export interface HeaderLine { key: ContextKey; value: string; line: number }

/** Athena workgroup names: 1–128 of letters, digits, `.`, `_` and `-`. */
export const WORKGROUP_NAME = /^[A-Za-z0-9._-]{1,128}$/;
/** Data catalog names: 1–127 of letters, digits, `_`, `@` and `-`. */
export const CATALOG_NAME = /^[A-Za-z0-9_@-]{1,127}$/;
/** Glue database names as this extension writes them: letters, digits, `_` and `-` (1–255). */
export const DATABASE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

const PATTERNS: Record<ContextKey, RegExp> = { workgroup: WORKGROUP_NAME, catalog: CATALOG_NAME, database: DATABASE_NAME };
const LINE = /^\s*--\s*(workgroup|catalog|database)\s*:\s*(.*?)\s*$/i;

export interface ParsedHeader {
  header: ContextHeader;
  lines: HeaderLine[];
  /** Header lines whose value is not a name of the right shape (ignored). */
  problems: { line: number; key: ContextKey; message: string }[];
}

/** Reads the context lines among the file's leading comment lines (up to the first line of code). */
export function parseContextHeader(text: string): ParsedHeader {
  const out: ParsedHeader = { header: {}, lines: [], problems: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && i < 200; i++) {
    const t = lines[i].trim();
    if (!t) continue;
    if (!t.startsWith('--')) break;
    const m = LINE.exec(lines[i]);
    if (!m) continue;
    const key = m[1].toLowerCase() as ContextKey;
    const value = m[2];
    if (!PATTERNS[key].test(value)) {
      out.problems.push({ line: i, key, message: `"${key}:" needs a ${key} name (letters, digits, ${key === 'workgroup' ? '. _ -' : key === 'catalog' ? '_ @ -' : '_ -'}); this line is ignored.` });
      continue;
    }
    // The first line for a key wins.
    if (out.header[key] === undefined) {
      out.header[key] = value;
      out.lines.push({ key, value, line: i });
    }
  }
  return out;
}

/** The header lines for a context; refuses names of the wrong shape (they come from stack outputs). */
export function contextHeaderText(ctx: ContextHeader): string {
  const keys: ContextKey[] = ['workgroup', 'catalog', 'database'];
  let text = '';
  for (const key of keys) {
    const v = ctx[key];
    if (v === undefined || v === '') continue;
    if (!PATTERNS[key].test(v)) throw new Error(`Not a valid Athena ${key} name: ${JSON.stringify(v.slice(0, 80))}`);
    text += `-- ${key}: ${v}\n`;
  }
  return text;
}
