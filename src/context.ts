import type * as vscode from 'vscode';
import type { AwsConnection } from './aws/connection';
import type { AccountScope } from './aws/scope/accountScope';
import type { BillingFeature } from './billing/feature';
import type { DiskCache } from './cache/diskCache';
import type { Handler } from './commands';
import type { Log } from './util/log';
import type { Clock } from './tree/relativeTimes';

/** Everything a feature's register(ctx) needs, passed in rather than reached through globals. */
export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly connection: AwsConnection;
  /** The views' scope: one profile (today), or several accounts the views group by (src/aws/scope). */
  readonly scope: AccountScope;
  readonly log: Log;
  /** On-disk JSON cache under globalStorageUri, shared by all views and windows. */
  readonly cache: DiskCache;
  /** Registers a command through the shared error wrapper. */
  command(id: string, handler: Handler): void;
  /**
   * Registers the WebviewPanelSerializer of a contributed `onWebviewPanel:` view type. The entry has
   * registered a stand-in for it already (panels restore as soon as activation returns); this fills it.
   */
  serializer(viewType: string, serializer: vscode.WebviewPanelSerializer): void;
  /** Time and timers for what re-renders on a clock (relative times in trees); tests may drive it. */
  readonly clock: Clock;
  /** The billing ledger and daily budget (src/billing); every client of `connection` records into it. */
  readonly billing?: BillingFeature;
  /** Adds to the extension's subscriptions. */
  own<T extends vscode.Disposable>(d: T): T;
}
