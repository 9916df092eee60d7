// inertMarkdown(): outside text as markdown with no link VS Code's renderer would make. The patterns
// below are marked 14's GFM `url` and `autolink` rules as bundled in VS Code 1.100.3 (code-server
// 4.100.3, vs/base/common/marked/marked.js); marked tries them at every position where inline text
// may stop, so none may match anywhere in the markdown. The real renderer is exercised by
// test/vscode/tooltipLinks.ui.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inertMarkdown } from '../../src/util/inert';
import { BIDI, COMMAND_LINK, HOSTILE_AUTOLINKS, HOSTILE_FINDING_IDS, HTTPS_LINK } from '../fixtures/hostile';

const GFM_URL = /((?:ftp|https?):\/\/|www\.)(?:[a-zA-Z0-9-]+\.?)+[^\s<]*|[A-Za-z0-9._+-]+(@)[a-zA-Z0-9-_]+(?:\.[a-zA-Z0-9-_]*[a-zA-Z0-9])+(?![-_])/i;
// eslint-disable-next-line no-control-regex -- marked's own rule, copied as is
const AUTOLINK = /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s\x00-\x1f<>]*|[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+(@)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+(?![-_]))>/;
const MD_LINK = /\]\(/;
const HTML_OR_ENTITY = /(?<!\\)(?:<[a-zA-Z/!?]|&(?!nbsp;)[#a-zA-Z0-9]+;)/;

/** What marked renders from inertMarkdown's output, as text: backslash escapes, &nbsp; and paragraphs undone. */
function renderedText(md: string): string {
  return md.split('\n\n').join('\n').replace(/&nbsp;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const SAMPLES = [...HOSTILE_AUTOLINKS, ...HOSTILE_FINDING_IDS, COMMAND_LINK, HTTPS_LINK];

test('the fixtures are live: each holds an autolink, a markdown link or HTML before escaping', () => {
  for (const s of HOSTILE_AUTOLINKS) assert.ok(GFM_URL.test(s) || AUTOLINK.test(s) || MD_LINK.test(s) || /^run command:/.test(s), s);
});

test('inertMarkdown() leaves nothing marked would autolink, link or read as HTML or an entity', () => {
  for (const s of SAMPLES) {
    const md = inertMarkdown(s);
    assert.equal(GFM_URL.test(md), false, `GFM url in ${JSON.stringify(md)}`);
    assert.equal(AUTOLINK.test(md), false, `<autolink> in ${JSON.stringify(md)}`);
    assert.equal(/(^|[^\\])\]\(/.test(md), false, `markdown link in ${JSON.stringify(md)}`);
    assert.equal(HTML_OR_ENTITY.test(md), false, `HTML or entity in ${JSON.stringify(md)}`);
    assert.equal(/(^|[^\\])(?:\\\\)*[:.@<&]/.test(md.replace(/&nbsp;/g, '')), false, `an unescaped : . @ < & in ${JSON.stringify(md)}`);
  }
});

test('the text round-trips: what renders is what went in', () => {
  for (const s of [...HOSTILE_AUTOLINKS, COMMAND_LINK, HTTPS_LINK, 'a\\b \\[x\\]', 'line 1\nline 2', '  two  spaces\ttab', '1. not a list', '# not a heading', '$(pass) no icon']) {
    assert.equal(renderedText(inertMarkdown(s)), s.replace(/\t/g, ' '), JSON.stringify(s));
  }
});

test('control and bidi characters go; long text is capped', () => {
  assert.equal(renderedText(inertMarkdown(BIDI)), 'invoicefdp.exe');
  assert.equal(renderedText(inertMarkdown('x'.repeat(20), 10)), `${'x'.repeat(9)}…`);
  assert.equal(inertMarkdown(undefined), '');
  assert.equal(renderedText(inertMarkdown(new Error('boom https://evil.example'))), 'boom https://evil.example');
});
