import * as vscode from 'vscode';
import { classifyAwsError } from './aws/errors';
import type { Log } from './util/log';

export type Handler = (...args: never[]) => unknown;

/**
 * Registers a command with the one error policy: a clear message in a toast, details in the log
 * channel, never a stack trace in a toast and never an unhandled rejection. Cancellation is silent.
 */
export function registerCommand(context: { subscriptions: vscode.Disposable[] }, log: Log, id: string, handler: Handler): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        if (err instanceof vscode.CancellationError || (err as Error)?.name === 'AbortError') return undefined;
        const c = classifyAwsError(err);
        log.error(`Command ${id} failed`, err);
        const actions: string[] = [];
        if (c.actions.includes('selectProfile')) actions.push('Select Profile');
        if (c.actions.includes('ssoLogin')) actions.push('Sign in with SSO');
        actions.push('Show Log');
        void vscode.window.showErrorMessage(c.message, ...actions).then((pick) => {
          if (pick === 'Select Profile') void vscode.commands.executeCommand('cloudMonitor.selectProfile');
          else if (pick === 'Sign in with SSO') void vscode.commands.executeCommand('cloudMonitor.ssoLogin');
          else if (pick === 'Show Log') log.show();
        });
        return undefined;
      }
    }),
  );
}
