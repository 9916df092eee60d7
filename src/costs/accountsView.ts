// The Costs view under a scope of several accounts (src/aws/scope): a line that says how the costs are asked
// for (one request from the payer, or one per account with its price), then an account level (AccountGroups)
// with each account's figures. The figures come from src/costs/accounts.ts (no vscode).
import * as vscode from 'vscode';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { join } from 'node:path';
import { Config } from '../config';
import type { Ctx } from '../context';
import { accountNodeId, type ScopeMember } from '../aws/scope/scope';
import { AccountGroups } from '../tree/accountGroup';
import { InfoNode, type TreeNode } from '../tree/nodes';
import { costExplorerModule, costExplorerRegion, sdkCeApi } from './api';
import { ScopeCosts, type AccountCosts, type CostPlan, type ScopeCostsView } from './accounts';
import { shortMonth } from './dates';
import { PRICE_PER_REQUEST } from './ledger';
import { formatChange, formatCurrency } from './math';
import type { FetchMode, FilterId } from './plan';
import { CostStore } from './store';
import { updateKept } from '../util/keptUpdate';

const PAYERS_KEY = 'cloudMonitor.costs.payerAccounts';
const ACCOUNT_ID = /^\d{12}$/;

export interface ScopeCostsHost {
  /** The consent gate and the view's count, as for the single-profile store. */
  beforeRequest(): void;
  afterRequest(): void;
  /** After a render: the fetch time of the oldest data shown (the automatic refresh aims at it). */
  shown?(fetchedAt: number): void;
  metric(): Parameters<ScopeCosts['load']>[0];
  filter(): FilterId;
}

export class AccountCostsView {
  private readonly stores = new Map<string, CostStore>();
  readonly costs: ScopeCosts;
  private last?: { view: ScopeCostsView; byKey: Map<string, AccountCosts> };
  private readonly groups = new AccountGroups('cloudMonitor.costs', (member) => this.accountNodes(member));

  constructor(private readonly ctx: Ctx, private readonly host: ScopeCostsHost) {
    const payers = () => (ctx.extension.globalState.get<unknown>(PAYERS_KEY) as unknown[] | undefined ?? []).filter((x): x is string => typeof x === 'string' && ACCOUNT_ID.test(x));
    this.costs = new ScopeCosts({
      members: () => ctx.scope.members(),
      storeFor: (m) => this.storeFor(m),
      payers: {
        ids: payers,
        // Kept globally: a management account stays one, whatever the workspace.
        remember: async (id, how) => {
          if (payers().includes(id)) return;
          await updateKept<unknown[]>(ctx.extension.globalState, PAYERS_KEY, () => [...payers(), id].slice(-50), () => payers().includes(id));
          ctx.log.info(how === 'organizations'
            ? `Organizations: account ${id} is the management account of the scope's organization; it serves the scope's costs.`
            : `Cost Explorer: account ${id} answers for other accounts (a management account); it serves the scope's costs from now on.`);
        },
      },
      // STS GetCallerIdentity is free; the portal already told an SSO member's account.
      accountOf: async (m) => (await ctx.scope.client(ctx.connection, m, STSClient).send(new GetCallerIdentityCommand({}))).Account,
      // Free; Organizations is global (one endpoint per partition, which the SDK picks from the region).
      // Its client module is loaded when first asked, like Cost Explorer's (api.ts).
      managementAccountOf: async (m) => {
        const { DescribeOrganizationCommand, OrganizationsClient } = await import('./orgSdk');
        return (await ctx.scope.client(ctx.connection, m, OrganizationsClient, { region: costExplorerRegion(ctx.connection.region), feature: 'costs' })
          .send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId;
      },
      today: () => new Date().toISOString().slice(0, 10),
    });
  }

  private storeFor(m: ScopeMember): CostStore {
    let s = this.stores.get(m.key);
    if (s) return s;
    const { ctx } = this;
    const endpoint = ctx.connection.endpointFor('Cost Explorer')?.url ?? '';
    s = new CostStore({
      cache: ctx.cache,
      api: async () => {
        const { CostExplorerClient } = await costExplorerModule();
        const client = ctx.scope.client(ctx.connection, m, CostExplorerClient, { region: costExplorerRegion(ctx.connection.region) });
        return sdkCeApi(() => client);
      },
      // Never keep credentials that someone put in an endpoint URL.
      scope: () => `account:${m.key}|${endpoint.replace(/\/\/[^/@]*@/, '//')}`,
      ttlMs: () => Config.costs.cacheTtlMs(),
      lockDir: join(ctx.extension.globalStorageUri.fsPath, 'costs', 'locks'),
      beforeRequest: () => this.host.beforeRequest(),
      afterRequest: () => this.host.afterRequest(),
      log: (msg) => ctx.log.info(`${msg} (${m.accountId ?? m.key})`),
    });
    this.stores.set(m.key, s);
    return s;
  }

  /** The Cost Explorer requests a refresh would make now (none is made). */
  price(stale: boolean): Promise<{ requests: number; plan: CostPlan }> {
    return this.costs.estimate(this.host.filter(), stale);
  }

  /** A manual refresh: every member's open months are asked again once. */
  markStale(): void {
    for (const s of this.stores.values()) s.markStale();
  }

  async roots(mode: FetchMode): Promise<TreeNode[]> {
    const view = await this.costs.load(this.host.metric(), this.host.filter(), mode);
    this.last = { view, byKey: new Map(view.accounts.map((a) => [a.member.key, a])) };
    const fetched = view.accounts.map((a) => a.fetchedAt).filter((t) => t > 0);
    if (fetched.length) this.host.shown?.(Math.min(...fetched));
    const price = view.plan.kind === 'perAccount' ? await this.price(true).catch(() => undefined) : undefined;
    return [planNode(view.plan, price?.requests), ...this.groups.roots(view.accounts.map((a) => a.member))];
  }

  private accountNodes(member: ScopeMember): TreeNode[] {
    const a = this.last?.byKey.get(member.key);
    const id = accountNodeId('cloudMonitor.costs', member.key);
    if (!a || a.notLoaded) {
      return [new InfoNode(`${id}/notLoaded`, vscode.l10n.t('Not loaded: Refresh to request it'), { icon: 'cloud-download', command: { command: 'cloudMonitor.costs.refresh', title: vscode.l10n.t('Refresh Costs') } })];
    }
    if (a.error && !a.fetchedAt) return [new InfoNode(`${id}/error`, vscode.l10n.t('Costs could not be loaded'), { icon: 'error', tooltip: a.error, contextValue: 'costError' })];
    const u = a.unit;
    const nodes: TreeNode[] = [];
    if (a.absentFromPayer) nodes.push(new InfoNode(`${id}/absent`, vscode.l10n.t('No costs in the management account\'s answer'), { icon: 'info', tooltip: vscode.l10n.t('The payer\'s Cost Explorer lists no cost of this account this month or last: none yet, or the account is not in that organization.') }));
    nodes.push(
      new InfoNode(`${id}/mtd`, vscode.l10n.t('Month to date: {0}', formatCurrency(a.monthToDate, u)), { icon: 'graph', description: vscode.l10n.t('{0} vs same point last month', formatChange(a.change, u)), contextValue: 'costHeadline' }),
      new InfoNode(`${id}/lastMonth`, vscode.l10n.t('Last month ({0}): {1}', shortMonth(a.lastMonth.month), formatCurrency(a.lastMonth.total, u)), { icon: 'history', contextValue: 'costHeadline' }),
      // Service names come from Cost Explorer: a label only.
      ...a.services.map((s, i) => new InfoNode(`${id}/service/${i}`, s.name, { icon: 'symbol-class', description: formatCurrency(s.amount, u), contextValue: 'costEntry' })),
    );
    if (a.error) nodes.unshift(new InfoNode(`${id}/stale`, vscode.l10n.t('Could not refresh: showing cached data'), { icon: 'warning', tooltip: a.error }));
    return nodes;
  }

  /** The scope or connection changed: other accounts, other stores. */
  clear(): void {
    this.stores.clear();
    this.groups.clear();
    this.last = undefined;
  }
}

/** The first line: how this scope's costs are asked for, and what that costs. */
function planNode(plan: CostPlan, requests?: number): TreeNode {
  if (plan.kind === 'payer') {
    // A plain-text tooltip (never rendered as Markdown): the account name stays text.
    const tip = `${vscode.l10n.t('Cost Explorer in the management (payer) account answers for every account of its organization: one GetCostAndUsage request grouped by linked account serves every account here, and is recorded under the payer in the spend ledger.')}\n\n${vscode.l10n.t('Payer: {0} ({1})', plan.payer.label, plan.payerAccount)}`;
    return new InfoNode('cloudMonitor.costs/plan', vscode.l10n.t('One request for every account, paid by {0}', plan.payer.label), { icon: 'organization', tooltip: tip, contextValue: 'costPlan+payer' });
  }
  const n = requests ?? plan.accounts;
  const usd = `$${(n * PRICE_PER_REQUEST).toFixed(2)}`;
  return new InfoNode('cloudMonitor.costs/plan', vscode.l10n.t('No management account known in this scope: {0} requests ({1}) per refresh', n, usd), {
    icon: 'info',
    tooltip: vscode.l10n.t('Each account is asked for its own costs ($0.01 per Cost Explorer request). When the scope holds the organization\'s management (payer) account, its answer lists every account; it is then recognised and one request serves them all.'),
    command: { command: 'cloudMonitor.costs.refresh', title: vscode.l10n.t('Refresh Costs') },
    contextValue: 'costPlan+perAccount',
  });
}
