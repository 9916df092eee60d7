// The bundled query library: media/queries/<group>/*.sql. Each file starts with comment lines:
// `-- Title`, a description, then `-- Parameters:` and one `--   N. meaning` line per `?`
// (Athena execution parameters, asked for when the query runs). Identifiers that cannot be
// parameters (a table) are written {{name}} and filled in when the query is opened. No vscode import.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { splitStatements } from './sql';

export interface LibraryQuery {
  group: string;
  file: string;
  title: string;
  description: string;
  /** One line per `?`, in order. */
  parameters: string[];
  /** {{name}} placeholders, in order of first use. */
  placeholders: string[];
  text: string;
}

export const GROUP_LABELS: Record<string, string> = { pipeline: 'Pipeline events', cur: 'CUR 2.0 (Data Exports)' };

export function parseLibraryQuery(group: string, file: string, text: string): LibraryQuery {
  const header: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('--')) break;
    header.push(line.replace(/^--\s?/, ''));
  }
  const title = header[0]?.trim() || file.replace(/\.sql$/, '');
  const paramsAt = header.findIndex((l) => /^\s*Parameters\b/i.test(l));
  const description = header.slice(1, paramsAt < 0 ? undefined : paramsAt).join(' ').replace(/\s+/g, ' ').trim();
  const parameters = paramsAt < 0 ? [] : header.slice(paramsAt + 1).map((l) => /^\s*\d+\.\s*(.*)$/.exec(l)?.[1]?.trim()).filter((p): p is string => !!p);
  const placeholders = [...new Set([...text.matchAll(/\{\{([a-z_][a-z0-9_]*)\}\}/gi)].map((m) => m[1]))];
  return { group, file, title, description, parameters, placeholders, text };
}

export async function listLibrary(root: string): Promise<LibraryQuery[]> {
  const out: LibraryQuery[] = [];
  let groups: string[] = [];
  try {
    groups = (await readdir(root)).sort();
  } catch {
    return out;
  }
  for (const group of groups) {
    const dir = join(root, group);
    if (!(await stat(dir)).isDirectory()) continue;
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()) {
      out.push(parseLibraryQuery(group, file, await readFile(join(dir, file), 'utf8')));
    }
  }
  return out;
}

/** database.table or table; plain or double-quoted identifiers only (they are pasted into SQL). */
const IDENT_PATH = /^(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+")(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+"))?$/;

export function identifierProblem(value: string): string | undefined {
  return IDENT_PATH.test(value.trim()) ? undefined : 'Write database.table (letters, digits, _) or "quoted"."names".';
}

export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{([a-z_][a-z0-9_]*)\}\}/gi, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) return whole;
    const problem = identifierProblem(v);
    if (problem) throw new Error(`${name}: ${problem}`);
    return v.trim();
  });
}

/** Checks a library file: the `?` markers match its documented parameters. */
export function libraryProblems(q: LibraryQuery): string[] {
  const problems: string[] = [];
  const stmts = splitStatements(q.text);
  if (stmts.length !== 1) problems.push(`${q.file}: expected one statement, found ${stmts.length}`);
  const marks = stmts.reduce((n, s) => n + s.parameters.length, 0);
  if (marks !== q.parameters.length) problems.push(`${q.file}: ${marks} ? markers but ${q.parameters.length} documented parameters`);
  return problems;
}
