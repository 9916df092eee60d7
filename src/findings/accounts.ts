// The Findings view under a scope of several accounts or regions (src/aws/scope): account → (region →)
// severity → resource → finding. Each account and region reads its own Security Hub (the generation it uses)
// when its node is first expanded, through the same loadFindings/fetchPage and tree nodes as the single
// profile. A region where Security Hub is off says so under that region; an error (AccessDenied, an expired
// role, an opt-in region not enabled) becomes an error node under that account or region alone.
import * as vscode from 'vscode';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ScopeMember } from '../aws/scope/scope';
import { AccountSessions, type ScopePlace } from '../tree/accountGroup';
import { InfoNode, type TreeNode } from '../tree/nodes';
import type { ShownPages } from '../tree/paging';
import { groupFindings, keyOf, type FilterSettings, type FindingKey, type FindingSummary } from './model';
import { fetchPage, loadFindings, type FindingsLoad } from './source';
import { rootNodes } from './tree';

export interface AccountFindingsEnv {
  viewId: string;
  /** The member's Security Hub client in `region`. */
  hub(member: ScopeMember, region: string): SecurityHubClient;
  settings(): FilterSettings;
  filterText(): string;
  filtered(): boolean;
  maxResults(): number;
  pages: ShownPages;
  refresh(node?: TreeNode): void;
  /** Each account's findings once loaded (the filter choices). */
  loaded?(findings: FindingSummary[]): void;
}

interface PlaceState { place: ScopePlace; load?: Promise<FindingsLoad> }

export class AccountFindings {
  private readonly accounts: AccountSessions<PlaceState>;

  constructor(private readonly env: AccountFindingsEnv) {
    this.accounts = new AccountSessions<PlaceState>(env.viewId, (place) => ({ place }), (state) => this.children(state));
  }

  roots(members: ScopeMember[], regions: string[]): TreeNode[] { return this.accounts.roots(members, regions); }

  private async children(state: PlaceState): Promise<TreeNode[]> {
    const { env } = this;
    const { member, region, node } = state.place;
    const hub = env.hub(member, region);
    // Each finding remembers its account (and, by its node, its region): triage, the detail panel and Open in Console act there.
    state.load ??= loadFindings(hub, env.settings(), { max: env.maxResults() }).then((l) => (this.placed(l.findings, state.place), env.loaded?.(l.findings), l));
    // A failure is asked again on the next expansion or Retry (the provider shows it under this account).
    state.load.catch(() => (state.load = undefined));
    const loaded = await state.load;
    if (loaded.notEnabled) {
      return [new InfoNode(`${node.id}/notEnabled`, vscode.l10n.t('Security Hub is not enabled in {0}', region), { icon: 'info', tooltip: loaded.notEnabled.message, contextValue: 'findingsNotEnabled', parent: node })];
    }
    const more = loaded.nextToken ? async () => {
      const page = await fetchPage(hub, loaded.generation, env.settings(), { max: env.maxResults(), nextToken: loaded.nextToken });
      const known = new Set(loaded.findings.map(keyOf));
      loaded.findings.push(...page.findings.filter((f) => !known.has(keyOf(f))));
      loaded.nextToken = page.nextToken;
      this.placed(page.findings, state.place);
      env.loaded?.(page.findings);
      env.refresh(node);
    } : undefined;
    return rootNodes(node.id, groupFindings(loaded.findings), more, env.filterText(), env.filtered(), env.pages);
  }

  /** Where each finding read here came from, by key: kept across a Refresh, so an open detail panel still asks there. */
  private readonly places = new Map<string, ScopePlace>();
  private placed(findings: FindingSummary[], place: ScopePlace): void {
    for (const f of findings) {
      this.places.set(keyOf(f), place);
      f.member = place.member.key;
    }
  }

  /** The account and region a finding shown here was read from (its node's), for actions on it. */
  placeOf(f: FindingKey): { member: ScopeMember; region: string } | undefined {
    const p = this.places.get(keyOf(f));
    return p && { member: p.member, region: p.region };
  }

  /** Another scope or connection: no finding is placed any more. */
  forget(): void {
    this.places.clear();
    this.reset();
  }

  /** Every finding loaded in any account and region (selection, counts). */
  async findings(): Promise<FindingSummary[]> {
    const loads = await Promise.all(this.accounts.made().map((s) => s.load?.catch(() => undefined)));
    return loads.flatMap((l) => l?.findings ?? []);
  }

  /** After a triage: each account and region keeps only the findings that still match (the others leave the tree). */
  async prune(keep: (f: FindingSummary) => boolean): Promise<void> {
    for (const s of this.accounts.made()) {
      const l = await s.load?.catch(() => undefined);
      if (l) l.findings = l.findings.filter(keep);
    }
  }

  /** Filters changed, Refresh, or a new connection: every account and region reads again when shown. */
  reset(): void { this.accounts.clear(); }
}
