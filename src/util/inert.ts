// Outside text (log lines, alert messages, S3 keys, finding titles, AWS error text) is inert wherever
// VS Code would render it: notifications turn `[label](command:…)` and `[label](https://…)` into
// links (vs/base/common/linkedText.ts), and a `command:` link runs any command with any arguments;
// status bar text renders `$(icon)`. No vscode import: unit-tested with VS Code's own link pattern.

/**
 * VS Code's pattern for links in notification text (vs/base/common/linkedText.ts, 1.100). Kept
 * here so tests can prove that what `inert()` returns never matches it.
 */
export const VSCODE_NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

// C0 and C1 control characters, and the bidi overrides that can reorder what is shown (Trojan Source).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes outside text safe to show in a notification, status bar item, quick pick or any other place
 * that renders markdown-style links or icons. It keeps the text readable: `](` becomes `] (`, so
 * no `[label](target)` can form, `$(` becomes `$\(` (no icon), control characters go, and line
 * breaks fold into spaces. `max` caps the length (with an ellipsis).
 */
export function inert(value: unknown, max = 500): string {
  return neutralise(asText(value).replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' '), max);
}

/** As inert(), but line breaks stay (for a modal dialog's detail, which shows them). */
export function inertLines(value: unknown, max = 4000): string {
  return neutralise(asText(value).replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(/\t/g, ' '), max);
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : value instanceof Error ? value.message : String(value ?? '');
}

function neutralise(folded: string, max: number): string {
  const text = folded
    .replace(CONTROL, '')
    .replace(/\]\s*\(/g, '] (')
    .replace(/\$\(/g, '$\\(');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** True when VS Code would render a link in `text` (for tests and for a last check before showing). */
export function hasNotificationLink(text: string): boolean {
  VSCODE_NOTIFICATION_LINK.lastIndex = 0;
  const found = VSCODE_NOTIFICATION_LINK.test(text);
  VSCODE_NOTIFICATION_LINK.lastIndex = 0;
  return found;
}

/**
 * Outside text as markdown that renders as exactly that text, for a MarkdownString tooltip. VS Code's
 * `MarkdownString.appendText` escapes markdown syntax but not GFM autolinks, so a bare `https://…`,
 * `www.…` or `user@host` in it still renders as a clickable link (marked's `url` rule, VS Code 1.100).
 * Here every ASCII punctuation character is backslash-escaped, which CommonMark allows for all of them:
 * `https\:\/\/`, `www\.` and `user\@` no longer match any autolink rule, `<` starts no HTML or `<…>`
 * autolink, `&` starts no entity, and the renderer (and VS Code's plain-text fallback) shows the
 * characters themselves. As appendText: spaces become `&nbsp;` and a line break is a new paragraph.
 * Control and bidi characters go; `max` caps the length. Pass the result to `appendMarkdown`.
 */
export function inertMarkdown(value: unknown, max = 4000): string {
  let text = asText(value).replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(CONTROL, '');
  if (text.length > max) text = `${text.slice(0, max - 1)}…`;
  return text
    .replace(/[!-/:-@[-`{-~]/g, '\\$&')
    .replace(/[ \t]+/g, (run) => '&nbsp;'.repeat(run.length))
    .replace(/\n/g, '\n\n');
}
