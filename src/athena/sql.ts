// SQL text handling for Athena: statement splitting, `?` parameters, error positions. Pure: no vscode.
// The lexer knows just enough SQL to find semicolons that end statements: '…' strings (with ''),
// "…" and `…` identifiers, -- line comments and /* */ block comments.

export interface Statement {
  /** The statement as sent to Athena: trimmed, without its terminating semicolon. */
  text: string;
  /** Offsets into the whole text: [start, end) of `text`. */
  start: number;
  end: number;
  /** Offsets of each `?` parameter marker, relative to the whole text. */
  parameters: number[];
}

const enum S { Code, Single, Double, Back, Line, Block }

/** Splits a script into statements. Statements holding only comments or whitespace are dropped. */
export function splitStatements(source: string): Statement[] {
  const out: Statement[] = [];
  let state = S.Code;
  let segStart = 0;
  let hasCode = false;
  let params: number[] = [];
  const n = source.length;
  const finish = (endExclusive: number) => {
    if (hasCode) {
      let s = segStart;
      let e = endExclusive;
      while (s < e && /\s/.test(source[s])) s++;
      while (e > s && /\s/.test(source[e - 1])) e--;
      out.push({ text: source.slice(s, e), start: s, end: e, parameters: params });
    }
    hasCode = false;
    params = [];
  };
  for (let i = 0; i < n; i++) {
    const c = source[i];
    switch (state) {
      case S.Code:
        if (c === ';') {
          finish(i);
          segStart = i + 1;
        } else if (c === "'") { state = S.Single; hasCode = true; }
        else if (c === '"') { state = S.Double; hasCode = true; }
        else if (c === '`') { state = S.Back; hasCode = true; }
        else if (c === '-' && source[i + 1] === '-') { state = S.Line; i++; }
        else if (c === '/' && source[i + 1] === '*') { state = S.Block; i++; }
        else if (c === '?') { params.push(i); hasCode = true; }
        else if (!/\s/.test(c)) hasCode = true;
        break;
      case S.Single:
        if (c === "'") {
          if (source[i + 1] === "'") i++;
          else state = S.Code;
        }
        break;
      case S.Double:
        if (c === '"') {
          if (source[i + 1] === '"') i++;
          else state = S.Code;
        }
        break;
      case S.Back:
        if (c === '`') state = S.Code;
        break;
      case S.Line:
        if (c === '\n') state = S.Code;
        break;
      case S.Block:
        if (c === '*' && source[i + 1] === '/') { state = S.Code; i++; }
        break;
    }
  }
  finish(n);
  return out;
}

/**
 * The statement to run for a cursor offset: the one containing it, else the nearest one before it
 * on the same stretch (cursor after the semicolon or in trailing blank lines), else the next one.
 */
export function statementAt(statements: Statement[], offset: number): Statement | undefined {
  let before: Statement | undefined;
  for (const s of statements) {
    if (offset >= s.start && offset <= s.end + 1) return s;
    if (s.end < offset) before = s;
    else return before ?? s;
  }
  return before;
}

/** Leading comments and whitespace removed; for detecting what kind of statement it is. */
export function firstKeyword(sql: string): string {
  const stripped = sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return /^[A-Za-z]+/.exec(stripped)?.[0].toUpperCase() ?? '';
}

/** Athena puts the position in its messages as "line L:C" (1-based). */
export function errorPosition(message: string): { line: number; column: number } | undefined {
  const m = /\bline (\d+):(\d+)/i.exec(message);
  if (!m) return undefined;
  return { line: Number(m[1]), column: Number(m[2]) };
}

/**
 * Maps Athena's 1-based position inside a statement to a 0-based {line, character} in the document,
 * given where the statement starts in the document.
 */
export function mapErrorPosition(statementStart: { line: number; character: number }, pos: { line: number; column: number }): { line: number; character: number } {
  const line = Math.max(1, pos.line);
  const column = Math.max(1, pos.column);
  if (line === 1) return { line: statementStart.line, character: statementStart.character + column - 1 };
  return { line: statementStart.line + line - 1, character: column - 1 };
}

/** 0-based line/character of an offset; for mapping without a vscode TextDocument. */
export function positionOf(source: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/**
 * Checks a value typed for an execution parameter. Athena substitutes parameters as SQL literals,
 * so text must be quoted ('abc'), numbers bare (42), and typed literals spelled out (DATE '2024-01-01').
 */
export function parameterProblem(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Enter a SQL literal, e.g. \'my-app\', 42 or DATE \'2024-01-31\'.';
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return undefined;
  if (/^(true|false|null)$/i.test(v)) return undefined;
  if (/^'([^']|'')*'$/.test(v)) return undefined;
  if (/^(date|timestamp|time|interval|decimal|cast)\b/i.test(v)) return undefined;
  if (/^'/.test(v)) return 'Unterminated string: end it with \' (write \'\' for a quote inside).';
  return `Text must be quoted: '${v.replace(/'/g, "''")}'`;
}

const NOT_ALIAS = new Set(['where', 'on', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'group', 'order', 'limit', 'union', 'having', 'using', 'natural', 'offset', 'except', 'intersect', 'window', 'with', 'tablesample', 'unnest']);

export interface TableRef { database?: string; table: string; alias?: string }

function unquote(id: string): string {
  return id.startsWith('"') ? id.slice(1, -1).replace(/""/g, '"') : id.toLowerCase();
}

/** Tables named after FROM and JOIN, with their aliases; for completing column names. */
export function referencedTables(sql: string): TableRef[] {
  const refs: TableRef[] = [];
  const ident = '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)';
  const re = new RegExp(`\\b(?:from|join)\\s+(${ident})(?:\\s*\\.\\s*(${ident}))?(?:\\s+(?:as\\s+)?(${ident}))?`, 'gi');
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    const first = unquote(m[1]);
    const second = m[2] ? unquote(m[2]) : undefined;
    const alias = m[3] && !NOT_ALIAS.has(m[3].toLowerCase()) ? unquote(m[3]) : undefined;
    refs.push(second ? { database: first, table: second, alias } : { table: first, alias });
  }
  return refs;
}

/** The `name.` just before the cursor, if the user is completing a member of it. */
export function qualifierBefore(textBeforeCursor: string): string | undefined {
  const m = /("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)\s*\.\s*[A-Za-z0-9_]*$/.exec(textBeforeCursor);
  return m ? unquote(m[1]) : undefined;
}
