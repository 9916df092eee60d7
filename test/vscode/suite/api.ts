// Access to the running extension from inside the extension host (its exports exist only under CLOUD_MONITOR_TEST=1).
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/context';
import type { TestApi } from '../../../src/extension';

export const EXTENSION_ID = 'cloud-monitor.cloud-cost-log-monitor';

export function extension(): vscode.Extension<TestApi | undefined> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** Activates the extension if needed and returns its context. */
export async function extensionCtx(): Promise<Ctx> {
  const api = await extension().activate();
  if (!api) throw new Error('the extension returned no test API: is CLOUD_MONITOR_TEST=1 set?');
  return api.ready();
}

/**
 * Answers every warning message (the budget gate's modal question) with `answer(message)` instead of showing
 * it, until `restore()`.
 */
export function stubWarnings(answer: (message: string) => unknown = () => undefined): { restore(): void } {
  const w = vscode.window as unknown as { showWarningMessage: (...a: unknown[]) => Thenable<unknown> };
  const original = w.showWarningMessage;
  w.showWarningMessage = (message: unknown) => Promise.resolve(answer(String(message)));
  return { restore: () => { w.showWarningMessage = original; } };
}
