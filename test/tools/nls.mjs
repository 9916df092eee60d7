// Moves every user-visible string of package.json (its contributions, the untrusted-workspace note, the display
// name and description) into package.nls.json under a stable key, and puts `%key%` in its place. Idempotent: a
// `%key%` already there is left alone, so re-run it after merging branches that add commands or settings:
//
//   node test/tools/nls.mjs            rewrite package.json and package.nls.json
//   node test/tools/nls.mjs --check    change nothing; exit 1 listing each literal string or missing key
//   node test/tools/nls.mjs --dir DIR  work on DIR/package.json (tests)
//
// Keys name what the string belongs to, never its position in a list: `command.<id>.title`,
// `config.<setting>.description`, `view.<id>.name`, `walkthrough.<id>.step.<step>.title`… A key whose text was
// edited as a literal since (a merge took a branch's literal) gets the new text. Keys no string uses are dropped.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const KEY = /^%([\w.-]+)%$/;

/**
 * Calls visit(holder, field, key) for every user-visible string field of the manifest, in document order.
 * `key` is the stable package.nls.json key for holder[field].
 */
export function forEachUserString(manifest, visit) {
  const at = (holder, field, key) => {
    if (holder && typeof holder[field] === 'string') visit(holder, field, key);
  };
  const list = (holder, field, key) => {
    if (holder && Array.isArray(holder[field])) holder[field].forEach((_, i) => at(holder[field], i, `${key}.${i}`));
  };
  at(manifest, 'displayName', 'displayName');
  at(manifest, 'description', 'description');
  at(manifest.capabilities?.untrustedWorkspaces, 'description', 'capabilities.untrustedWorkspaces.description');
  const c = manifest.contributes ?? {};
  for (const [where, containers] of Object.entries(c.viewsContainers ?? {})) {
    for (const vc of containers) at(vc, 'title', `viewsContainer.${where}.${vc.id}.title`);
  }
  for (const views of Object.values(c.views ?? {})) {
    for (const v of views) for (const f of ['name', 'contextualTitle']) at(v, f, `view.${v.id}.${f}`);
  }
  const welcomeSeen = new Map();
  for (const w of c.viewsWelcome ?? []) {
    const n = welcomeSeen.get(w.view) ?? 0;
    welcomeSeen.set(w.view, n + 1);
    at(w, 'contents', `viewsWelcome.${w.view}${n ? `.${n}` : ''}`);
  }
  for (const cmd of c.commands ?? []) for (const f of ['title', 'shortTitle', 'category']) at(cmd, f, `command.${cmd.command}.${f}`);
  for (const s of c.submenus ?? []) at(s, 'label', `submenu.${s.id}.label`);
  const configs = Array.isArray(c.configuration) ? c.configuration : c.configuration ? [c.configuration] : [];
  configs.forEach((cfg, i) => {
    at(cfg, 'title', `config.${cfg.id ?? (configs.length > 1 ? i : '')}`.replace(/\.$/, '') + '.title');
    for (const [name, prop] of Object.entries(cfg.properties ?? {})) {
      for (const f of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) at(prop, f, `config.${name}.${f}`);
      for (const f of ['enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels']) list(prop, f, `config.${name}.${f}`);
    }
  });
  for (const wt of c.walkthroughs ?? []) {
    for (const f of ['title', 'description']) at(wt, f, `walkthrough.${wt.id}.${f}`);
    for (const step of wt.steps ?? []) {
      for (const f of ['title', 'description']) at(step, f, `walkthrough.${wt.id}.step.${step.id}.${f}`);
      at(step.media, 'altText', `walkthrough.${wt.id}.step.${step.id}.altText`);
    }
  }
}

/** Converts manifest in place; returns { nls, problems } (problems: what --check reports). */
export function convert(manifest, oldNls) {
  const nls = {};
  const problems = [];
  forEachUserString(manifest, (holder, field, key) => {
    const value = holder[field];
    const ref = KEY.exec(value);
    if (ref) {
      if (!(ref[1] in oldNls)) problems.push(`${value} has no entry in package.nls.json`);
      else nls[ref[1]] = oldNls[ref[1]];
      return;
    }
    problems.push(`${key}: literal ${JSON.stringify(value.slice(0, 60))}`);
    if (key in nls && nls[key] !== value) throw new Error(`two strings want the key ${key}`);
    nls[key] = value;
    holder[field] = `%${key}%`;
  });
  return { nls, problems };
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const dirAt = args.indexOf('--dir');
  const dir = dirAt >= 0 ? args[dirAt + 1] : process.cwd();
  const pkgPath = join(dir, 'package.json');
  const nlsPath = join(dir, 'package.nls.json');
  const manifest = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const oldNls = existsSync(nlsPath) ? JSON.parse(readFileSync(nlsPath, 'utf8')) : {};
  const { nls, problems } = convert(manifest, oldNls);
  if (check) {
    for (const p of problems) console.error(p);
    process.exit(problems.length ? 1 : 0);
  }
  const missing = problems.filter((p) => p.endsWith('has no entry in package.nls.json'));
  if (missing.length) {
    console.error(missing.join('\n'));
    process.exit(1);
  }
  writeFileSync(pkgPath, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(nlsPath, `${JSON.stringify(nls, null, 2)}\n`);
  console.log(`${problems.length} string(s) moved to package.nls.json; ${Object.keys(nls).length} keys in all.`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
