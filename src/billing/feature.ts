// The billing ledger in the editor: the ledger every client records into, the daily budget gate, the spend
// line (connection status bar tooltip), the ledger document and its CSV export.
import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Config } from '../config';
import type { Log } from '../util/log';
import { notify } from '../util/notify';
import { ReadOnlyMarkdownDoc } from '../util/readOnlyDoc';
import { BillingLedger, utcDay } from './ledger';
import type { BillingSink, PendingCall } from './middleware';
import { billingCsv, formatBillingLedger, judgeAction, judgeBudget, spendLines, type BudgetVerdict, type PricedAction } from './report';

export class BudgetDeclinedError extends Error {
  override name = 'BudgetDeclined';
  constructor(message: string) { super(`Not sent: ${message}`); }
}

const LEDGER_URI = vscode.Uri.from({ scheme: 'cloudmonitor-billing', path: '/Cloud Monitor spend ledger.md' });
/** After the user declines, calls over the budget are refused without asking for this long. */
const DECLINE_MS = 10 * 60_000;
/** After an action is allowed, its feature's calls go without asking again for this long (its pages, its retries). */
const ACTION_MS = 2 * 60_000;
export const ALLOW_TODAY = 'Allow for Today';

export class BillingFeature implements vscode.Disposable {
  readonly ledger: BillingLedger;
  readonly sink: BillingSink;
  private allowedDay?: string;
  private declinedUntil = 0;
  private asking?: Promise<boolean>;
  private spent?: { at: number; usd: Promise<number> };
  /** An allowed action: its feature's calls pass the per-call gate until then. */
  private readonly allowedActions = new Map<string, number>();
  private doc?: ReadOnlyMarkdownDoc;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(extension: vscode.ExtensionContext, private readonly log: Log, private readonly now: () => number = Date.now) {
    this.ledger = new BillingLedger(join(extension.globalStorageUri.fsPath, 'billing', 'ledger.jsonl'), now);
    this.sink = { ledger: this.ledger, gate: (call) => this.gate(call) };
    void this.ledger.prune().catch(() => undefined);
  }

  /** Today's spend, read at most once a second (a posture scan sends hundreds of calls). */
  private spentToday(): Promise<number> {
    const t = this.now();
    if (!this.spent || t - this.spent.at > 1000) this.spent = { at: t, usd: this.ledger.summary().then((s) => s.todayUsd, () => 0) };
    return this.spent.usd;
  }

  /** Whether `feature`'s calls go without a question now: allowed for today, or its action was allowed. */
  private allowed(feature?: string): boolean {
    return this.allowedDay === utcDay(this.now()) || (feature !== undefined && (this.allowedActions.get(feature) ?? 0) > this.now());
  }

  /**
   * Runs before every call is sent: asks when the call would pass today's budget; throws when the user declines.
   * Allowed is asked again after today's spend is read: a question answered meanwhile ("Allow for Today" while this
   * call read the ledger) must not be asked a second time.
   */
  async gate(call: PendingCall): Promise<void> {
    if (call.when === 'free' || call.feature === 'sign-in') return;
    if (this.allowed(call.feature)) return;
    const budget = Config.billingDailyBudgetUsd();
    const verdict = judgeBudget(call, await this.spentToday(), budget);
    if (verdict.go || this.allowed(call.feature)) return;
    if (this.now() < this.declinedUntil) throw new BudgetDeclinedError(verdict.message);
    // One question at a time: the calls of one refresh wait for the same answer.
    this.asking ??= this.ask(verdict.message).finally(() => (this.asking = undefined));
    if (!(await this.asking)) throw new BudgetDeclinedError(verdict.message);
  }

  /**
   * Before an action that makes several calls priced in advance (a Cost Explorer refresh): one question
   * for all of them, with their number and price, when they would pass today's budget. True: go (its
   * calls are not asked about again); false: the user declined, send nothing.
   */
  async confirmAction(feature: string, action: PricedAction): Promise<boolean> {
    if (this.allowed()) return true;
    this.spent = undefined;
    const verdict = judgeAction(action, await this.spentToday(), Config.billingDailyBudgetUsd());
    if (verdict.go || this.allowed()) return true;
    this.asking ??= this.ask(verdict.message).finally(() => (this.asking = undefined));
    if (!(await this.asking)) return false;
    this.allowedActions.set(feature, this.now() + ACTION_MS);
    return true;
  }

  /** confirmAction's verdict without asking: an automatic refresh, which must not ask from a timer, skips on `go: false`. */
  async actionVerdict(feature: string, action: PricedAction): Promise<BudgetVerdict> {
    if (this.allowed(feature)) return { go: true };
    this.spent = undefined;
    return judgeAction(action, await this.spentToday(), Config.billingDailyBudgetUsd());
  }

  private async ask(message: string): Promise<boolean> {
    this.log.info(`Daily budget: ${message}`);
    const pick = await notify.warn(message, {
      modal: true,
      detail: vscode.l10n.t('Prices are AWS list prices without free tiers. "Allow for Today" lets calls over the budget go until midnight UTC; otherwise they are refused for 10 minutes without asking. Change the budget with cloudMonitor.billing.dailyBudgetUsd; every call is listed in Show Spend Ledger.'),
    }, ALLOW_TODAY);
    if (pick === ALLOW_TODAY) {
      this.allowedDay = utcDay(this.now());
      return true;
    }
    this.declinedUntil = this.now() + DECLINE_MS;
    return false;
  }

  /** The spend line, for the connection status bar item's tooltip. */
  async spendLines(): Promise<string[]> {
    return spendLines(await this.ledger.summary(), Config.billingDailyBudgetUsd());
  }

  /** The whole ledger in a read-only editor, read afresh each time it is shown. */
  showLedger(): Promise<vscode.TextDocument> {
    if (!this.doc) this.disposables.push((this.doc = new ReadOnlyMarkdownDoc(LEDGER_URI, async () => formatBillingLedger(await this.ledger.lines(), utcDay(this.now()), Config.billingDailyBudgetUsd()))));
    return this.doc.show();
  }

  /** Saves the ledger as spreadsheet-safe CSV where the user picks (or `target`, from a test). */
  async exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const uri = target ?? await vscode.window.showSaveDialog({ title: vscode.l10n.t('Export Cloud Monitor Spend Ledger'), filters: { CSV: ['csv'] }, saveLabel: 'Export' });
    if (!uri) return undefined;
    await writeFile(uri.fsPath, billingCsv(await this.ledger.lines()), { mode: 0o600 });
    this.log.info(`Spend ledger exported to ${uri.fsPath}`);
    return uri;
  }

  dispose(): void {
    void this.ledger.flush();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
