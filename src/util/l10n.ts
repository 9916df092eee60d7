// Runtime strings of modules that also run outside the extension host (unit tests, benches, and webviews that
// bundle them): `l10n.t` is vscode.l10n.t once activation has handed it over (useHostL10n), and the English
// message with its {n} filled before that and everywhere else. No vscode import, so every side can bundle it.
// test/tools/l10n.mjs collects these messages like any `vscode.l10n.t`.
import { english, type L10n } from '../webview/strings';

let host: L10n | undefined;

/** Called once at activation with `vscode.l10n`. */
export function useHostL10n(l: L10n): void { host = l; }

export const l10n: L10n = { t: (message, ...args) => (host ?? english).t(message, ...args) };
