// The only way this extension shows a notification or a modal message. Every message (and a modal's
// detail) passes through inert(): messages carry outside text (alert text, S3 keys, finding titles,
// AWS errors), and VS Code renders `[label](command:…)` in them as a link that runs a command.
// ESLint (eslint.config.mjs) forbids calling vscode.window.show*Message anywhere else in src/.
import * as vscode from 'vscode';
import { inert, inertLines } from './inert';

type Show = typeof vscode.window.showInformationMessage;

function guarded(show: Show): Show {
  return ((message: string, ...rest: unknown[]) => {
    const [first, ...items] = rest;
    if (first && typeof first === 'object' && !('title' in first)) {
      const options = first as vscode.MessageOptions;
      const safe: vscode.MessageOptions = { ...options, ...(options.detail !== undefined ? { detail: inertLines(options.detail) } : {}) };
      return (show as (...a: unknown[]) => Thenable<unknown>)(options.modal ? inertLines(message, 2000) : inert(message, 1000), safe, ...items);
    }
    return (show as (...a: unknown[]) => Thenable<unknown>)(inert(message, 1000), ...rest);
  }) as Show;
}

/* eslint-disable no-restricted-properties -- this module is the one place allowed to call them */
export const notify = {
  info: guarded((...a: Parameters<Show>) => vscode.window.showInformationMessage(...a)),
  warn: guarded(((...a: Parameters<Show>) => vscode.window.showWarningMessage(...a)) as Show),
  error: guarded(((...a: Parameters<Show>) => vscode.window.showErrorMessage(...a)) as Show),
};
/* eslint-enable no-restricted-properties */

/** The notify function for a severity (alerts carry one). */
export function notifyBySeverity(severity: 'error' | 'warning' | 'info'): Show {
  return severity === 'error' ? notify.error : severity === 'warning' ? notify.warn : notify.info;
}
