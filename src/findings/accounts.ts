// The Findings view under a scope of several accounts or regions (src/aws/scope): account → (region →)
// severity → resource → finding. Each account and region reads its own Security Hub (the generation it uses)
// when its node is first expanded, through the same loadFindings/fetchPage and tree nodes as the single
// profile. A region where Security Hub is off says so under that region; an error (AccessDenied, an expired
// role, an opt-in region not enabled) becomes an error node under that account or region alone.
// When the account has a cross-region aggregator, or its Security Hub administrator is another account of the
// scope (src/findings/hubRoutes.ts), its places share one read there; each place shows its own findings of it
// (by Region and AwsAccountId) and says where they came from in its node's description.
import * as vscode from 'vscode';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ScopeMember } from '../aws/scope/scope';
import { AccountSessions, type ScopePlace } from '../tree/accountGroup';
import { InfoNode, type TreeNode } from '../tree/nodes';
import type { ShownPages } from '../tree/paging';
import type { HubRoute } from './hubRoutes';
import { groupFindings, keyOf, type FilterSettings, type FindingKey, type FindingSummary } from './model';
import { PlaceReads, type PlaceLoad } from './placeReads';
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
  /** The output channel (a detection that could not be made, a shared read that fell back). */
  log?(message: string): void;
}

interface PlaceState { place: ScopePlace; load?: Promise<PlaceLoad> }

/** "via aggregator in us-east-1", "via administrator Security Tooling": where a place's findings were read. Plain text. */
export function viaText(route: HubRoute): string | undefined {
  const admin = route.via.administrator?.label;
  if (admin && route.via.aggregator) return vscode.l10n.t('via administrator {0}, aggregator in {1}', admin, route.via.aggregator);
  if (admin) return vscode.l10n.t('via administrator {0}', admin);
  return route.via.aggregator ? vscode.l10n.t('via aggregator in {0}', route.via.aggregator) : undefined;
}

export class AccountFindings {
  private readonly accounts: AccountSessions<PlaceState>;
  private readonly reads: PlaceReads;

  constructor(private readonly env: AccountFindingsEnv) {
    this.accounts = new AccountSessions<PlaceState>(env.viewId, (place) => ({ place }), (state) => this.children(state));
    this.reads = new PlaceReads({ hub: env.hub, settings: env.settings, maxResults: env.maxResults, loaded: env.loaded, log: (m) => env.log?.(m) });
  }

  roots(members: ScopeMember[], regions: string[]): TreeNode[] {
    this.reads.setScope(members, regions);
    return this.accounts.roots(members, regions);
  }

  private async children(state: PlaceState): Promise<TreeNode[]> {
    const { env } = this;
    const { member, region, node } = state.place;
    // Each finding remembers its account (and, by its node, its region): triage, the detail panel and Open in Console act there.
    state.load ??= this.reads.load(member, region);
    // A failure is asked again on the next expansion or Retry (the provider shows it under this account).
    state.load.catch(() => (state.load = undefined));
    const { route, loaded } = await state.load;
    this.note(node, viaText(route));
    if (loaded.notEnabled) {
      return [new InfoNode(`${node.id}/notEnabled`, vscode.l10n.t('Security Hub is not enabled in {0}', route.region), { icon: 'info', tooltip: loaded.notEnabled.message, contextValue: 'findingsNotEnabled', parent: node })];
    }
    const mine = this.reads.placeFindings({ route, loaded }, member, region);
    this.placed(mine, state.place);
    // Load more is this place's alone (also under a shared read): only its node is drawn again.
    const more = this.reads.hasMore({ route, loaded }, member, region) ? async () => {
      await this.reads.more({ route, loaded }, member, region);
      env.refresh(node);
    } : undefined;
    return rootNodes(node.id, groupFindings(mine), more, env.filterText(), env.filtered(), env.pages);
  }

  /** Says on the place's node where its findings came from; redraws that node when it changed. */
  private note(node: TreeNode, text: string | undefined): void {
    const n = node as TreeNode & { note?: string };
    if (n.note === text) return;
    n.note = text;
    this.env.refresh(node);
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

  /** An explicit Refresh of the view: each account's aggregator, administrator and generation are detected again (a redraw or a filter change keeps them). */
  detectAgain(): void {
    this.reads.detectAgain();
  }

  /** Another scope or connection: no finding is placed any more. */
  forget(): void {
    this.places.clear();
    this.reads.forget();
    this.reset();
  }

  /** Every finding loaded in any account and region (selection, counts). */
  async findings(): Promise<FindingSummary[]> {
    const out = await Promise.all(this.accounts.made().map(async (s) => {
      const l = await s.load?.catch(() => undefined);
      return l ? this.reads.placeFindings(l, s.place.member, s.place.region) : [];
    }));
    return out.flat();
  }

  /** After a triage: each account and region keeps only the findings that still match (the others leave the tree). */
  async prune(keep: (f: FindingSummary) => boolean): Promise<void> {
    for (const l of await this.reads.loads()) l.findings = l.findings.filter(keep);
  }

  /** Filters changed, Refresh, or a new connection: every account and region reads again when shown. */
  reset(): void {
    this.accounts.clear();
    this.reads.reset();
  }
}
