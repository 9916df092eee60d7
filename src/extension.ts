// The entry VS Code loads. It registers a stub for each contributed command and a stand-in serializer
// for each `onWebviewPanel:` view type, both dispatching through tables the features fill in, and
// starts loading the core bundle (dist/features.js) and then each feature's bundle (dist/features-<name>.js,
// esbuild.mjs) without waiting for them, so activation stays small (goal < 100 ms, `npm run bench -- activation`).
// A command or a restored panel that arrives before every bundle is in waits for them.
// Features register themselves through src/features.ts and src/featureBundles.json, not here.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { Wrapped } from './commands';
import type { Ctx } from './context';
import type * as Features from './features';
import { notify } from './util/notify';

export interface TestApi {
  ready(): Promise<Ctx>;
  /** Contributed commands that no feature registered a handler for (should be none). */
  unhandledCommands(): string[];
}

export function activate(extension: vscode.ExtensionContext): TestApi | undefined {
  const table = new Map<string, Wrapped>();
  const serializers = new Map<string, vscode.WebviewPanelSerializer>();
  const manifest = extension.extension.packageJSON as { activationEvents?: string[]; contributes?: { commands?: { command: string }[] } };
  const contributed = manifest.contributes?.commands ?? [];
  let loading: Promise<Ctx> | undefined;
  // The core, then each feature bundle, each required in its own macrotask: compiling one bundle is one
  // extension-host task, so none of them is long, and the side bar's views (loaded first) draw while the rest
  // still loads. Separate bundles, required at run time, so that this file stays small.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = <T>(name: string) => new Promise<void>((resolve) => setImmediate(resolve)).then(() => require(join(__dirname, `${name}.js`)) as T);
  const load = () =>
    (loading ??= bundle<typeof Features>('features').then(async (features) => {
      const ctx = features.activateFeatures(extension, table, serializers);
      for (const name of features.FEATURE_BUNDLES) {
        const { register } = await bundle<{ register(ctx: Ctx): void }>(`features-${name}`);
        features.registerFeature(ctx, name, register);
      }
      return ctx;
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
  // VS Code restores open panels (after Reload Window or a restart) as soon as activate() returns, so
  // their serializers must be registered here; the real ones come with the features.
  for (const event of manifest.activationEvents ?? []) {
    if (!event.startsWith('onWebviewPanel:')) continue;
    const viewType = event.slice('onWebviewPanel:'.length);
    // Until a feature fills it in: a panel nothing can restore is closed rather than left blank.
    serializers.set(viewType, { deserializeWebviewPanel: async (panel) => panel.dispose() });
    extension.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(viewType, {
        async deserializeWebviewPanel(panel, state) {
          try {
            await load();
          } catch {
            panel.dispose();
            return;
          }
          return serializers.get(viewType)?.deserializeWebviewPanel(panel, state);
        },
      }),
    );
  }
  load().catch((err: unknown) => {
    void notify.error(vscode.l10n.t('Cloud Monitor failed to start: {0}', err instanceof Error ? err.message : String(err)));
  });
  // Test hook: only when the test harness sets the flag, never in normal use.
  if (process.env.CLOUD_MONITOR_TEST !== '1') return undefined;
  return { ready: load, unhandledCommands: () => [...table].filter(([, h]) => h === placeholder).map(([id]) => id) };
}

export function deactivate(): void {}
