// The entry VS Code loads. It registers a stub for each contributed command and a stand-in serializer
// for each `onWebviewPanel:` view type, both dispatching through tables the features fill in, and
// starts loading the core bundle (dist/features.js) and then each feature's bundle (dist/features-<name>.js,
// esbuild.mjs) without waiting for them, so activation stays small (goal < 100 ms, `npm run bench -- activation`);
// the bundles after the side bar's first views wait for its first rows. A command or a restored panel that
// arrives before every bundle is in loads the rest at once and waits for them.
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

/** The side bar's views with data rows first (src/featureBundles.json's order), loaded at once. */
const FIRST_ROWS_BUNDLES = ['logs', 'buckets'];
/** Languages whose documents load every bundle at once (Athena's SQL, Logs Insights queries). */
const DOCUMENT_LANGUAGES = ['sql', 'cwlogs'];
/**
 * How long the other bundles wait at most for the side bar's first rows: well inside the 2 s after which VS Code
 * shows "There is no data provider registered that can provide view data" in a view still without one
 * (TreeView.activate() in VS Code's treeView.ts).
 */
const HOLD_MS = 1000;

export function activate(extension: vscode.ExtensionContext): TestApi | undefined {
  const table = new Map<string, Wrapped>();
  const serializers = new Map<string, vscode.WebviewPanelSerializer>();
  const manifest = extension.extension.packageJSON as { activationEvents?: string[]; contributes?: { commands?: { command: string }[] } };
  const contributed = manifest.contributes?.commands ?? [];
  let loading: Promise<Ctx> | undefined;
  // The core, then each feature bundle, each required in its own macrotask: compiling one bundle is one
  // extension-host task, so none of them is long. Separate bundles, required at run time, so that this file
  // stays small.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = <T>(name: string) => new Promise<void>((resolve) => setImmediate(resolve)).then(() => require(join(__dirname, `${name}.js`)) as T);
  // The bundles after FIRST_ROWS_BUNDLES wait until a side bar view has handed VS Code its first rows (or HOLD_MS,
  // or a command, a restored panel, an open document of theirs or the test API asks for everything): a view's
  // rows take many turns of the extension host's event loop (each message to and from the window passes the
  // connection's permessage-deflate streams, a round trip to libuv's thread pool per step; the AWS connection
  // reads files and sockets), and a bundle loading in every turn made them wait for the last bundle (README:
  // Activation).
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  // An open SQL or Logs Insights document needs its feature (CodeLens, completion) now, not after the side bar.
  const needsAll = (doc: vscode.TextDocument) => DOCUMENT_LANGUAGES.includes(doc.languageId);
  if (vscode.workspace.textDocuments.some(needsAll)) release();
  const opened = vscode.workspace.onDidOpenTextDocument((doc) => needsAll(doc) && release());
  extension.subscriptions.push(opened);
  void released.then(() => opened.dispose());
  const load = () =>
    (loading ??= bundle<typeof Features>('features').then(async (features) => {
      const ctx = features.activateFeatures(extension, table, serializers);
      const held = Promise.race([released, ctx.connection.rootLoads.firstSettled(HOLD_MS)]);
      for (const name of features.FEATURE_BUNDLES) {
        if (!FIRST_ROWS_BUNDLES.includes(name)) {
          await held;
          release();
        }
        const { register } = await bundle<{ register(ctx: Ctx): void }>(`features-${name}`);
        features.registerFeature(ctx, name, register);
      }
      return ctx;
    }));
  const loadAll = () => {
    release();
    return load();
  };
  const placeholder: Wrapped = async () => {
    throw new Error('This command is not available in this version.');
  };
  for (const { command } of contributed) {
    table.set(command, placeholder);
    extension.subscriptions.push(
      vscode.commands.registerCommand(command, async (...args: unknown[]) => {
        await loadAll();
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
            await loadAll();
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
  return { ready: loadAll, unhandledCommands: () => [...table].filter(([, h]) => h === placeholder).map(([id]) => id) };
}

export function deactivate(): void {}
