// The Findings view under a multi-account scope (src/aws/scope): account → severity → resource → finding.
// Each account reads its own Security Hub (the generation it uses) when its node is first expanded, through
// the same loadFindings/fetchPage and tree nodes as the single profile. An account where Security Hub is off
// says so under its name; an error (AccessDenied, an expired role) becomes an error node under that account.
import * as vscode from 'vscode';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ScopeMember } from '../aws/scope/scope';
import { AccountSessions, type AccountGroupNode } from '../tree/accountGroup';
import { InfoNode, type TreeNode } from '../tree/nodes';
import type { ShownPages } from '../tree/paging';
import { groupFindings, keyOf, type FilterSettings, type FindingSummary } from './model';
import { fetchPage, loadFindings, type FindingsLoad } from './source';
import { rootNodes } from './tree';

export interface AccountFindingsEnv {
  viewId: string;
  hub(member: ScopeMember): SecurityHubClient;
  settings(): FilterSettings;
  filterText(): string;
  filtered(): boolean;
  maxResults(): number;
  region(): string;
  pages: ShownPages;
  refresh(node?: TreeNode): void;
  /** Each account's findings once loaded (the filter choices). */
  loaded?(findings: FindingSummary[]): void;
}

interface AccountState { member: ScopeMember; load?: Promise<FindingsLoad> }

export class AccountFindings {
  private readonly accounts: AccountSessions<AccountState>;

  constructor(private readonly env: AccountFindingsEnv) {
    this.accounts = new AccountSessions<AccountState>(env.viewId, (member) => ({ member }), (state, node) => this.children(state, node));
  }

  roots(members: ScopeMember[]): AccountGroupNode[] { return this.accounts.roots(members); }

  private async children(state: AccountState, node: AccountGroupNode): Promise<TreeNode[]> {
    const { env } = this;
    const hub = env.hub(state.member);
    // Each finding remembers its account: triage, the detail panel and Open in Console act on that account.
    state.load ??= loadFindings(hub, env.settings(), { max: env.maxResults() }).then((l) => (ownedBy(l.findings, state.member), env.loaded?.(l.findings), l));
    // A failure is asked again on the next expansion or Retry (the provider shows it under this account).
    state.load.catch(() => (state.load = undefined));
    const loaded = await state.load;
    if (loaded.notEnabled) {
      return [new InfoNode(`${node.id}/notEnabled`, vscode.l10n.t('Security Hub is not enabled in {0}', env.region()), { icon: 'info', tooltip: loaded.notEnabled.message, contextValue: 'findingsNotEnabled', parent: node })];
    }
    const more = loaded.nextToken ? async () => {
      const page = await fetchPage(hub, loaded.generation, env.settings(), { max: env.maxResults(), nextToken: loaded.nextToken });
      ownedBy(page.findings, state.member);
      const known = new Set(loaded.findings.map(keyOf));
      loaded.findings.push(...page.findings.filter((f) => !known.has(keyOf(f))));
      loaded.nextToken = page.nextToken;
      env.loaded?.(page.findings);
      env.refresh(node);
    } : undefined;
    return rootNodes(node.id, groupFindings(loaded.findings), more, env.filterText(), env.filtered(), env.pages);
  }

  /** Every finding loaded in any account (selection, counts). */
  async findings(): Promise<FindingSummary[]> {
    const loads = await Promise.all(this.accounts.made().map((s) => s.load?.catch(() => undefined)));
    return loads.flatMap((l) => l?.findings ?? []);
  }

  /** After a triage: each account keeps only the findings that still match (the others leave the tree). */
  async prune(keep: (f: FindingSummary) => boolean): Promise<void> {
    for (const s of this.accounts.made()) {
      const l = await s.load?.catch(() => undefined);
      if (l) l.findings = l.findings.filter(keep);
    }
  }

  /** Filters changed, Refresh, or a new connection: every account reads again when shown. */
  reset(): void { this.accounts.clear(); }
}

function ownedBy(findings: FindingSummary[], member: ScopeMember): void {
  for (const f of findings) f.member = member.key;
}
