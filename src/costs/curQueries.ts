// The bundled Athena queries for a CUR 2.0 (Data Exports) table, in media/queries/cur/*.sql. Each file
// starts with `-- Title`, a description, and the list of its `?` parameters (Athena execution parameters,
// which the Athena feature prompts for). The table is not a parameter (Athena cannot bind identifiers): it
// is written in where the file says {{cur_table}}. No vscode import.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TABLE_PLACEHOLDER = '{{cur_table}}';

export interface CurQuery {
  file: string;
  title: string;
  description: string;
  /** One line per `?`, in order. */
  parameters: string[];
  text: string;
}

export function parseQuery(file: string, text: string): CurQuery {
  const header: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('--')) break;
    header.push(line.replace(/^--\s?/, ''));
  }
  const title = header[0]?.trim() || file;
  const paramsAt = header.findIndex((l) => /^Parameters\b/.test(l));
  const description = header.slice(1, paramsAt < 0 ? undefined : paramsAt).join(' ').trim();
  const parameters = paramsAt < 0 ? [] : header.slice(paramsAt + 1).map((l) => /^\s*\d+\.\s*(.*)$/.exec(l)?.[1]).filter((p): p is string => !!p);
  return { file, title, description, parameters, text };
}

export async function listQueries(dir: string): Promise<CurQuery[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(files.map(async (f) => parseQuery(f, await readFile(join(dir, f), 'utf8'))));
}

/** database.table or table, plain or double-quoted identifiers. */
const TABLE_RE = /^(?:[A-Za-z_][A-Za-z0-9_]*|"[^"]+")(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|"[^"]+"))?$/;

export function tableProblem(table: string): string | undefined {
  return TABLE_RE.test(table.trim()) ? undefined : 'A table looks like database.table (letters, digits, _), or "quoted"."names".';
}

/** The query with its table written in, ready for the Athena feature to run. */
export function renderQuery(q: CurQuery, table: string): string {
  const problem = tableProblem(table);
  if (problem) throw new Error(problem);
  return q.text.split(TABLE_PLACEHOLDER).join(table.trim());
}
