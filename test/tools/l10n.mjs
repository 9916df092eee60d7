// Writes the English bundle of the runtime strings, l10n/bundle.l10n.json, from every `vscode.l10n.t('…', …)`
// in src/. (`@vscode/l10n-dev export` does the same job; it is not among the project's packages, and this is
// the small part of it we need.) Re-run it after adding or editing a runtime string, and after merging branches:
//
//   node test/tools/l10n.mjs            rewrite l10n/bundle.l10n.json
//   node test/tools/l10n.mjs --check    change nothing; exit 1 listing each string missing from the bundle or stale in it
//   node test/tools/l10n.mjs --dir DIR  work on DIR/src and DIR/l10n (tests)
//
// Rules it enforces: the message is a string literal (a translator needs the whole sentence, so outside text is
// an argument, `{0}`, never part of the message), and each `{n}` has its argument.
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

export function bundleText(messages) {
  const sorted = Object.fromEntries([...messages.keys()].sort().map((m) => [m, m]));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const root = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : process.cwd();
  const bundlePath = join(root, 'l10n', 'bundle.l10n.json');
  const { messages, problems } = extract(root);
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
