// The entry VS Code loads. It registers a stub for each contributed command (dispatching through a
// table the features fill in) and loads the features bundle (dist/features.js: every view, the AWS SDK
// clients). activate() currently waits for that load, because webview serializers must exist when it
// returns; the stubs are what lets activation return early again once the entry registers the
// serializers itself (goal < 100 ms, `npm run bench -- activation`).
// Features register themselves in src/features.ts, not here.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { Wrapped } from './commands';
import type { Ctx } from './context';
import type * as Features from './features';

export interface TestApi {
  ready(): Promise<Ctx>;
  /** Contributed commands that no feature registered a handler for (should be none). */
  unhandledCommands(): string[];
}

export async function activate(extension: vscode.ExtensionContext): Promise<TestApi | undefined> {
  const table = new Map<string, Wrapped>();
  const contributed = (extension.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
  let loading: Promise<Ctx> | undefined;
  const load = () =>
    (loading ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      // A separate bundle, required at run time so that this file stays small.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const features = require(join(__dirname, 'features.js')) as typeof Features;
      return features.activateFeatures(extension, table);
    }));
  const placeholder: Wrapped = async () => {
    throw new Error('This command is not available in this version.');
  };
  for (const { command } of contributed) {
    table.set(command, placeholder);
    extension.subscriptions.push(
      vscode.commands.registerCommand(command, async (...args: unknown[]) => {
        await load();
        return table.get(command)?.(...args);
      }),
    );
  }
  // Activation waits for the features: VS Code asks for WebviewPanelSerializers (panel restore after a
  // reload) as soon as activate() returns, and they are registered by the features bundle.
  try {
    await load();
  } catch (err) {
    void vscode.window.showErrorMessage(`Cloud Monitor failed to start: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Test hook: only when the test harness sets the flag, never in normal use.
  if (process.env.CLOUD_MONITOR_TEST !== '1') return undefined;
  return { ready: load, unhandledCommands: () => [...table].filter(([, h]) => h === placeholder).map(([id]) => id) };
}

export function deactivate(): void {}
