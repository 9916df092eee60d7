import * as vscode from 'vscode';
import { classifyAwsError } from './aws/errors';
import type { Log } from './util/log';
import { notify } from './util/notify';

export type Handler = (...args: never[]) => unknown;

export type Wrapped = (...args: unknown[]) => Promise<unknown>;

/**
 * Registers a command with the one error policy (see wrapCommand). Commands contributed in
 * package.json are already registered by the thin entry (src/extension.ts) and dispatch through
 * `table`; any other id is registered with VS Code here.
 */
export function registerCommand(context: { subscriptions: vscode.Disposable[] }, log: Log, table: Map<string, Wrapped>, id: string, handler: Handler): void {
  const wrapped = wrapCommand(log, id, handler);
  if (table.has(id)) table.set(id, wrapped);
  else context.subscriptions.push(vscode.commands.registerCommand(id, wrapped));
}

/**
 * The one error policy for commands: a clear message in a toast, details in the log channel, never
 * a stack trace in a toast and never an unhandled rejection. Cancellation is silent.
 */
export function wrapCommand(log: Log, id: string, handler: Handler): Wrapped {
  return async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        if (err instanceof vscode.CancellationError || (err as Error)?.name === 'AbortError') return undefined;
        const c = classifyAwsError(err);
        log.error(`Command ${id} failed`, err);
        const actions: string[] = [];
        if (c.actions.includes('selectProfile')) actions.push(vscode.l10n.t('Select Profile'));
        if (c.actions.includes('ssoLogin')) actions.push(vscode.l10n.t('Sign in with SSO'));
        actions.push(vscode.l10n.t('Show Log'));
        void notify.error(c.message, ...actions).then((pick) => {
          if (pick === vscode.l10n.t('Select Profile')) void vscode.commands.executeCommand('cloudMonitor.selectProfile');
          else if (pick === vscode.l10n.t('Sign in with SSO')) void vscode.commands.executeCommand('cloudMonitor.ssoLogin');
          else if (pick === vscode.l10n.t('Show Log')) log.show();
        });
        return undefined;
      }
  };
}
