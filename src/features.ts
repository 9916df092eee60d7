import * as vscode from 'vscode';
import { Client } from '@smithy/core/client';
import { AwsConnection } from './aws/connection';
import { Config } from './config';
import { AccountScope } from './aws/scope/accountScope';
import { useHostL10n } from './util/l10n';
import { register as registerConnection } from './aws/register';
import { DiskCache } from './cache/diskCache';
import { registerCommand, type Wrapped } from './commands';
import type { Ctx } from './context';
import { Log } from './util/log';
import { systemClock } from './tree/relativeTimes';
import { BillingFeature } from './billing/feature';
import { liveTailLine } from './billing/middleware';
import { onLiveTailSession } from './logs/tail/liveTailSessions';
import featureBundles from './featureBundles.json';

/** The feature bundles (dist/features-<name>.js, from src/<name>/register.ts), in load order: the side bar's views first, Athena (in the panel) last. */
export const FEATURE_BUNDLES: readonly string[] = featureBundles;

/**
 * The shared core, loaded by the thin entry (src/extension.ts) right after activation: the connection, the
 * account scope, billing, the cache and the context. Each feature then comes in its own bundle, registered with
 * registerFeature(); no AWS call happens here.
 * `commandTable` holds the contributed commands that the entry has already registered as stubs;
 * `serializers` the webview panel serializers the entry registered stand-ins for.
 */
export function activateFeatures(extension: vscode.ExtensionContext, commandTable: Map<string, Wrapped>, serializers: Map<string, vscode.WebviewPanelSerializer>): Ctx {
  // Modules that also run outside VS Code translate through src/util/l10n.ts from now on.
  useHostL10n(vscode.l10n);
  // A test run's preload (test/helpers/contractPreload.ts) sets this hook to record this bundle's AWS calls for
  // the contract check; the recorder itself never ships, and nothing sets the hook outside tests.
  const recordForTests = (globalThis as Record<symbol, unknown>)[Symbol.for('cloudMonitor.test.recordSdkClient')];
  if (typeof recordForTests === 'function') recordForTests(Client);
  const own = <T extends vscode.Disposable>(d: T) => (extension.subscriptions.push(d), d);
  // Before any listener of configuration changes: settings are kept between changes, emptied on each.
  own(Config.watch());
  const log = own(new Log());
  const connection = own(new AwsConnection(extension.workspaceState, log, extension.globalState));
  const billing = own(new BillingFeature(extension, log));
  connection.setBilling(billing.sink);
  // Live Tail minutes come from the session's start and stop (the idle stop too), not from its stream.
  own(onLiveTailSession((s) => billing.ledger.record(liveTailLine(s, connection.knownAccount(s.profile ?? '')))));
  const scope = own(new AccountScope(extension.workspaceState, connection, log));
  const ctx: Ctx = {
    extension, connection, scope, log, own, billing, clock: { ...systemClock },
    cache: new DiskCache(vscode.Uri.joinPath(extension.globalStorageUri, 'cache').fsPath),
    command: (id, handler) => registerCommand(extension, log, commandTable, id, handler),
    serializer: (viewType, serializer) => {
      if (!serializers.has(viewType)) throw new Error(`${viewType} is not an onWebviewPanel activation event in package.json`);
      serializers.set(viewType, serializer);
    },
  };
  ctx.command('cloudMonitor.billing.showLedger', () => billing.showLedger());
  ctx.command('cloudMonitor.billing.exportLedgerCsv', (target?: unknown) => billing.exportCsv(target instanceof vscode.Uri ? target : undefined));
  registerConnection(ctx);
  return ctx;
}

/** Registers one feature of FEATURE_BUNDLES; its clients record their calls under its name in the billing ledger. */
export function registerFeature(ctx: Ctx, feature: string, register: (ctx: Ctx) => void): void {
  register({ ...ctx, connection: ctx.connection.forFeature(feature) });
}
