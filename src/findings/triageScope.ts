// Triage across the accounts of a multi-account scope: a selection may hold findings of several accounts
// (each FindingSummary says which scope member it was read through), and each account's findings go to that
// account's Security Hub with that account's credentials, never the profile's. No vscode import: the view
// (register.ts) and the integration tests use the same functions.
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { MAX_FINDINGS_PER_UPDATE, type TriageOptions, type TriageResult } from './api';
import type { FindingSummary, WorkflowTarget } from './model';
import { triageFindings } from './source';

/** The findings of one account (scope member; undefined: the selected profile), in selection order; with regionOf, of one account and region. */
export interface AccountShare { member?: string; region?: string; findings: FindingSummary[] }

/**
 * The selection split by account (and, given regionOf, by the region each finding was read in: each region
 * has its own Security Hub), in the order each first appears.
 */
export function sharesByAccount(findings: readonly FindingSummary[], regionOf?: (f: FindingSummary) => string | undefined): AccountShare[] {
  const out = new Map<string, AccountShare>();
  for (const f of findings) {
    const region = regionOf?.(f);
    const key = JSON.stringify([f.member ?? null, region ?? null]);
    let s = out.get(key);
    if (!s) out.set(key, (s = { member: f.member, region, findings: [] }));
    s.findings.push(f);
  }
  return [...out.values()];
}

/** BatchUpdateFindings(V2) calls one account's share takes: each generation in calls of at most 100. */
export function callsFor(findings: readonly FindingSummary[]): number {
  const v2 = findings.filter((f) => f.source === 'v2').length;
  return Math.ceil(v2 / MAX_FINDINGS_PER_UPDATE) + Math.ceil((findings.length - v2) / MAX_FINDINGS_PER_UPDATE);
}

/** One account's part of a bulk triage, as the confirmation says it: its findings, regions and calls. */
export interface AccountPlan { member?: string; findings: number; regions: number; calls: number }

/**
 * What triageAcrossAccounts will send for a selection, per account in the order each first appears: the calls
 * are counted per account × region share (each region has its own Security Hub), so the total is the number of
 * calls actually made, also when one account's findings span regions.
 */
export function triagePlan(findings: readonly FindingSummary[], regionOf?: (f: FindingSummary) => string | undefined): { calls: number; accounts: AccountPlan[] } {
  const byMember = new Map<string | undefined, AccountPlan>();
  for (const share of sharesByAccount(findings, regionOf)) {
    let a = byMember.get(share.member);
    if (!a) byMember.set(share.member, (a = { member: share.member, findings: 0, regions: 0, calls: 0 }));
    a.findings += share.findings.length;
    a.regions += 1;
    a.calls += callsFor(share.findings);
  }
  const accounts = [...byMember.values()];
  return { calls: accounts.reduce((n, a) => n + a.calls, 0), accounts };
}

export interface AccountTriageDeps {
  /** The Security Hub client of a member (undefined: the profile's) in a region (undefined: its default). Throws when the member is no longer in the scope. */
  hub(member: string | undefined, region?: string): SecurityHubClient | Promise<SecurityHubClient>;
  /** The region a finding was read in, under a scope of several regions. */
  regionOf?(f: FindingSummary): string | undefined;
  /** Who the note is written by in that account (its caller ARN), or undefined when unknown. */
  updatedBy?(member: string | undefined): Promise<string | undefined>;
}

/**
 * Sets the workflow status on findings of any accounts: one share per account, each through its own client
 * (in calls of 100, per generation). A share whose client cannot be had (the account left the scope, its
 * role cannot be assumed) fails each of its findings with that reason; the other accounts go on. Never
 * throws for AWS errors.
 */
export async function triageAcrossAccounts(
  findings: readonly FindingSummary[],
  status: WorkflowTarget,
  noteText: string | undefined,
  deps: AccountTriageDeps,
  opts: TriageOptions = {},
): Promise<TriageResult & { accounts: number }> {
  const shares = sharesByAccount(findings, deps.regionOf);
  const out: TriageResult & { accounts: number } = { processed: [], failed: [], calls: 0, accounts: new Set(shares.map((s) => s.member)).size };
  let offset = 0;
  for (const share of shares) {
    const base = offset;
    offset += share.findings.length;
    let hub: SecurityHubClient;
    try {
      hub = await deps.hub(share.member, share.region);
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      for (const f of share.findings) out.failed.push({ key: f, code: (err as Error)?.name || 'NoAccount', message });
      opts.onProgress?.(offset, findings.length);
      continue;
    }
    const text = noteText?.trim();
    const note = text ? { text, updatedBy: (await deps.updatedBy?.(share.member).catch(() => undefined)) || 'Cloud Monitor for VS Code' } : undefined;
    const r = await triageFindings(hub, share.findings, status, note, { signal: opts.signal, onProgress: (done) => opts.onProgress?.(base + done, findings.length) });
    out.processed.push(...r.processed);
    out.failed.push(...r.failed);
    out.calls += r.calls;
  }
  return out;
}
