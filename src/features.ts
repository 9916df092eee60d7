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
import { register as registerCosts } from './costs/register';
import { register as registerBuckets } from './buckets/register';
import { register as registerFindings } from './findings/register';
import { register as registerAlerts } from './alerts/register';
import { register as registerLogs } from './logs/register';
import { register as registerPipeline } from './pipeline/register';
import { register as registerAthena } from './athena/register';
import { BillingFeature } from './billing/feature';
import { liveTailLine } from './billing/middleware';
import { onLiveTailSession } from './logs/tail/liveTailSessions';

/**
 * Everything the extension does, loaded by the thin entry (src/extension.ts) right after activation.
 * Registers every feature and returns the context; no AWS call happens here.
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
  // Each feature's clients record their calls under its name in the billing ledger.
  const features = { connection: registerConnection, costs: registerCosts, buckets: registerBuckets, findings: registerFindings, alerts: registerAlerts, logs: registerLogs, pipeline: registerPipeline, athena: registerAthena };
  for (const [feature, register] of Object.entries(features)) {
    register(feature === 'connection' ? ctx : { ...ctx, connection: connection.forFeature(feature) });
  }
  return ctx;
}
