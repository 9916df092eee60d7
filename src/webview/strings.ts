// A webview's labels come from the host: each webview has a strings table (a function of an L10n, so the
// host makes it with vscode.l10n and the tests with `english`), and the host puts the table into the page it
// builds (src/webview/html.ts), where webview/shared/ipc.ts `hostStrings()` reads it. A label with a `{0}`
// is a template the webview fills with `fill()`. No vscode or DOM import: both sides bundle this file.

/** What a strings table is made with: `vscode.l10n` on the host. */
export interface L10n {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

/** Fills `{0}`, `{1}`… in one pass (text in an argument is never filled again). */
export function fill(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}

/** The English messages themselves, for pages served outside VS Code (tests). */
export const english: L10n = { t: (message, ...args) => fill(message, ...args.map(String)) };

/**
 * The argument a table passes for a placeholder the webview fills: `l10n.t('Setting {0}…', LATER)` keeps the
 * `{0}` in the translated text.
 */
export const LATER = '{0}';
export const LATER1 = '{1}';
export const LATER2 = '{2}';
