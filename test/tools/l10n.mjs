// Writes the English bundle of the runtime strings, l10n/bundle.l10n.json, from every `vscode.l10n.t('…', …)`
// in src/. (`@vscode/l10n-dev export` does the same job; it is not among the project's packages, and this is
// the small part of it we need.) Re-run it after adding or editing a runtime string, and after merging branches:
//
//   node test/tools/l10n.mjs            rewrite l10n/bundle.l10n.json
//   node test/tools/l10n.mjs --check    change nothing; exit 1 listing each string missing from the bundle or stale in it
//   node test/tools/l10n.mjs --dir DIR  work on DIR/src and DIR/l10n (tests)
//
// Rules it enforces: the message is a string literal (a translator needs the whole sentence, so outside text is
// an argument, `{0}`, never part of the message), and each `{n}` has its argument, never an English fragment.
// It also finds English that is not localisable (`unwrapped()`): in src/, a literal with letters as a tree item's
// label (`new InfoNode(id, '…')`, `new vscode.TreeItem('…')`), its description or tooltip, a `validateInput` answer,
// the message of a result a webview shows (`{ ok: false, reason, message: '…' }`),
// a quick pick's or input box's label/description/detail/placeholder/title/prompt, or a notification's message or button; in webview/, any label the
// webview sets itself (textContent, title, placeholder, aria-label, `text:`/`label:`/`title:`, text nodes) or
// any other literal that reads as words: a webview's labels come from the host's strings table
// (src/webview/strings.ts).
import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** `vscode.l10n.t(` or `l10n.t(` */
function isL10nCall(node) {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 't') return false;
  const owner = node.expression.expression;
  return (ts.isIdentifier(owner) && owner.text === 'l10n') || (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n');
}

/** Every message of src/ and the problems found: { messages: Map<message, where[]>, problems: string[] } */
export function extract(root) {
  const messages = new Map();
  const problems = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('l10n.t(')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const at = (n) => `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (node) => {
      if (isL10nCall(node)) {
        const [first, ...args] = node.arguments;
        if (!first || !(ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          problems.push(`${at(node)}: the message is not a string literal (outside text goes in as an argument, {0})`);
        } else {
          const message = first.text;
          const wanted = [...message.matchAll(/\{(\d+)\}/g)].reduce((n, m) => Math.max(n, Number(m[1]) + 1), 0);
          const positional = !(args.length === 1 && ts.isObjectLiteralExpression(args[0]));
          if (positional && args.length !== wanted) problems.push(`${at(node)}: "${message}" has ${wanted} placeholder(s) and ${args.length} argument(s)`);
          messages.set(message, [...(messages.get(message) ?? []), at(node)]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { messages, problems };
}

/** The literals with letters in an expression: itself, or the branches of `a ? b : c`, `a || b`, `a ?? b`, `(…)`. */
function wordLiterals(node) {
  if (!node) return [];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return wordLiterals(node.expression);
  if (ts.isConditionalExpression(node)) return [...wordLiterals(node.whenTrue), ...wordLiterals(node.whenFalse)];
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.PlusToken].includes(node.operatorToken.kind)) {
    return [...wordLiterals(node.left), ...wordLiterals(node.right)];
  }
  const text = literalText(node);
  return text !== undefined && isWords(text) ? [node] : [];
}

/** Text a person reads: two letters or more, and not a constant's name (NULL, CSV, NOTIFIED). */
const isWords = (t) => /[A-Za-z]{2,}/.test(t) && !/^[A-Z0-9_]+$/.test(t) && !/^[^\s…]*[._/:][^\s…]*$/.test(t);

/** A string literal's text, or a template's literal parts joined; undefined for anything else. */
function literalText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return undefined;
}

const calleeName = (call) => (ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : '');

/** src/: the user-visible positions a literal must not take (it goes through vscode.l10n.t). */
function hostSites(node, report) {
  if (ts.isNewExpression(node)) {
    const name = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : ts.isIdentifier(node.expression) ? node.expression.text : '';
    const at = name === 'InfoNode' ? 1 : name === 'TreeItem' ? 0 : -1;
    if (at >= 0) for (const l of wordLiterals(node.arguments?.[at])) report(l, `a tree item label (${name})`);
  }
  if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
    const key = node.name.text;
    if (['label', 'description', 'detail', 'tooltip', 'placeHolder', 'placeholder', 'title', 'prompt'].includes(key)) for (const l of wordLiterals(node.initializer)) report(l, `a ${key}`);
    // A result sent to a webview ({ ok: false, reason, message }) is shown there as it is.
    if (key === 'message' && ts.isObjectLiteralExpression(node.parent) && node.parent.properties.some((p) => p.name && ts.isIdentifier(p.name) && ['ok', 'reason'].includes(p.name.text))) {
      for (const l of wordLiterals(node.initializer)) report(l, 'a message a webview shows');
    }
    if (key === 'validateInput' && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) validateAnswers(node.initializer, report);
  }
  if (ts.isMethodDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'validateInput') validateAnswers(node, report);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && ['label', 'description', 'tooltip', 'placeholder', 'title', 'prompt'].includes(node.left.name.text)) {
    for (const l of wordLiterals(node.right)) report(l, `a ${node.left.name.text}`);
  }
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    // notify.info(message, …buttons) and notifyBySeverity(s)(message, …buttons)
    const isNotify = (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'notify')
      || (ts.isCallExpression(callee) && calleeName(callee) === 'notifyBySeverity');
    if (isNotify) node.arguments.forEach((a, i) => { for (const l of wordLiterals(a)) report(l, i === 0 ? 'a notification' : 'a notification button'); });
    if (isL10nCall(node)) node.arguments.slice(1).forEach((a) => { for (const l of wordLiterals(a)) report(l, 'an English fragment in a localised message (make it one whole sentence)'); });
  }
}

function validateAnswers(fn, report) {
  if (!ts.isBlock(fn.body)) {
    for (const l of wordLiterals(fn.body)) report(l, 'a validateInput answer');
    return;
  }
  const visit = (n) => {
    if (ts.isFunctionLike(n) && n !== fn) return;
    if (ts.isReturnStatement(n)) for (const l of wordLiterals(n.expression)) report(l, 'a validateInput answer');
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
}

/** Calls whose literal arguments are names, not words (ids, events, attributes, selectors, methods). */
const NAME_ARGS = new Set(['createElement', 'getElementById', 'querySelector', 'querySelectorAll', 'closest', 'addEventListener', 'removeEventListener', 'setAttribute', 'getAttribute', 'removeAttribute', 'hasAttribute', 'toggleAttribute', 'request', 'notify', 'on', 'mark', 'measure', 'getPropertyValue', 'setProperty', 'cssVar', 'tzDate', 'toLocaleString', 'replaceSync', 'toggle', 'add', 'remove', 'contains', 'valToPos', 'posToVal']);
/** Webview properties that show text. */
const SHOWN_PROPS = ['textContent', 'innerText', 'title', 'placeholder', 'label', 'ariaLabel', 'alt'];
const SHOWN_ATTRS = ['title', 'placeholder', 'label', 'aria-label', 'alt'];

/** Reads as words: a capitalised word (Summary, Open in Console) or two words. Not ids, classes, CSS or keys. */
const reads = (t) => /^[^A-Za-z]*[A-Z][a-z]+\b/.test(t) || (/[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}/.test(t) && !/^[a-z0-9-]+( [a-z0-9-]+)*$/.test(t));

/** webview/: a literal with letters where the page shows it, or one that reads as words anywhere but a name's place. */
function webviewSites(node, report) {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && SHOWN_PROPS.includes(node.left.name.text)) {
    for (const l of wordLiterals(node.right)) report(l, `the page's ${node.left.name.text}`);
  }
  if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ['text', 'title', 'label', 'placeholder'].includes(node.name.text)) {
    for (const l of wordLiterals(node.initializer)) report(l, `the page's ${node.name.text}`);
  }
  if (ts.isCallExpression(node) && calleeName(node) === 'setAttribute' && node.arguments[0] && SHOWN_ATTRS.includes(literalText(node.arguments[0]) ?? '')) {
    for (const l of wordLiterals(node.arguments[1])) report(l, `the page's ${literalText(node.arguments[0])}`);
  }
  if (ts.isCallExpression(node) && calleeName(node) === 'createTextNode') for (const l of wordLiterals(node.arguments[0])) report(l, 'a text node');
  const text = literalText(node);
  if (text !== undefined && reads(text) && !nameContext(node)) report(node, 'English in the webview');
}

/** A literal in a place where it is a name (import path, type, comparison, case, key, class or id, a NAME_ARGS call), not shown text. */
function nameContext(node) {
  const p = node.parent;
  if (!p) return false;
  if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p) || ts.isCaseClause(p) || ts.isElementAccessExpression(p) || ts.isExternalModuleReference(p)) return true;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name === node) return true;
  if (ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(p.operatorToken.kind)) return true;
  if (ts.isCallExpression(p) && NAME_ARGS.has(calleeName(p))) return true;
  // A developer's error, and the style of an element (CSS), are not shown text.
  if (ts.isNewExpression(p) && ts.isIdentifier(p.expression) && p.expression.text.endsWith('Error')) return true;
  if (ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left) && ts.isPropertyAccessExpression(p.left.expression) && p.left.expression.name.text === 'style') return true;
  if (ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left) && ['className', 'id', 'slot', 'type', 'key', 'font', 'cursor'].includes(p.left.name.text)) return true;
  if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ['className', 'id'].includes(p.name.text)) return true;
  return false;
}

/**
 * English that is not localisable: in src/ (the files that import vscode or src/util/l10n.ts: other pure modules
 * run outside VS Code too)
 * at the user-visible sites of hostSites(), in webview/ anywhere webviewSites() finds it.
 * Returns { file, line, start, end, text, what } for each.
 */
export function unwrappedSites(root) {
  const sites = [];
  const scan = (dir, finder) => {
    if (!existsSync(join(root, dir))) return;
    for (const file of sourceFiles(join(root, dir))) {
      const source = readFileSync(file, 'utf8');
      // Pure modules are checked once they translate through src/util/l10n.ts (they run outside VS Code too).
      if (dir === 'src' && !/from 'vscode'|from '(\.\.?\/)+util\/l10n'/.test(source)) continue;
      const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
      const seen = new Set();
      const report = (n, what) => {
        if (seen.has(n.getStart())) return;
        seen.add(n.getStart());
        sites.push({ file: relative(root, file), line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1, start: n.getStart(), end: n.getEnd(), text: literalText(n), what, dir });
      };
      const visit = (node) => {
        finder(node, report);
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  };
  scan('src', hostSites);
  scan('webview', webviewSites);
  return sites;
}

/** unwrappedSites() as problem lines. */
export function unwrapped(root) {
  return unwrappedSites(root).map((s) => `${s.file}:${s.line}: ${JSON.stringify(s.text)} is ${s.what}, not localisable (vscode.l10n.t${s.dir === 'webview' ? ' in the host\'s strings table' : ''})`);
}

export function bundleText(messages) {
  const sorted = Object.fromEntries([...messages.keys()].sort().map((m) => [m, m]));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const root = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : process.cwd();
  const bundlePath = join(root, 'l10n', 'bundle.l10n.json');
  const { messages, problems } = extract(root);
  problems.push(...unwrapped(root));
  if (args.includes('--check')) {
    const bundle = existsSync(bundlePath) ? JSON.parse(readFileSync(bundlePath, 'utf8')) : {};
    for (const [m, where] of messages) if (bundle[m] !== m) problems.push(`${where[0]}: "${m}" is not in l10n/bundle.l10n.json (run node test/tools/l10n.mjs)`);
    for (const m of Object.keys(bundle)) if (!messages.has(m)) problems.push(`l10n/bundle.l10n.json: "${m}" is no longer used (run node test/tools/l10n.mjs)`);
    if (problems.length) {
      process.stderr.write(`${problems.join('\n')}\n`);
      process.exit(1);
    }
    process.stdout.write(`${messages.size} runtime strings, all in the bundle\n`);
  } else {
    if (problems.length) {
      process.stderr.write(`${problems.join('\n')}\n`);
      process.exit(1);
    }
    mkdirSync(join(root, 'l10n'), { recursive: true });
    writeFileSync(bundlePath, bundleText(messages));
    process.stdout.write(`${bundlePath}: ${messages.size} strings\n`);
  }
}
