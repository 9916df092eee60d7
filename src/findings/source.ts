// Which Security Hub the Findings view reads, and the calls that follow from it: the 2025 generation
// (OCSF, src/findings/apiV2.ts) when it is enabled, else Security Hub CSPM (src/findings/api.ts).
// No vscode import: the view (register.ts) and the integration tests use the same functions.
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { classifyAwsError, type ClassifiedError } from '../aws/errors';
import { fetchFinding, fetchFindings, updateWorkflowStatus, type FindingsPage, type TriageOptions, type TriageResult } from './api';
import { detectGeneration, fetchFindingsV2, fetchFindingV2, updateWorkflowStatusV2, type Generation } from './apiV2';
import type { FilterSettings, FindingKey, FindingSummary, WorkflowTarget } from './model';

export interface FindingsLoad extends FindingsPage { generation: Generation; notEnabled?: ClassifiedError }

/** A page of findings from the generation this account uses. */
export function fetchPage(hub: SecurityHubClient, generation: Generation, settings: FilterSettings, opts: { max: number; nextToken?: string; signal?: AbortSignal }): Promise<FindingsPage> {
  return generation.kind === 'v2' ? fetchFindingsV2(hub, settings, opts) : fetchFindings(hub, settings, opts);
}

/**
 * The generation each account and region uses (DescribeSecurityHubV2), asked once per key and kept for the
 * connection's life: a filter change or another read of the same place does not ask again. `clear()` on an
 * explicit Refresh or another scope or connection (Security Hub may have been turned on or off meanwhile).
 * A check that failed (credentials, network, throttling) is not kept: the next read asks again.
 */
export class Generations {
  private readonly known = new Map<string, Promise<Generation>>();

  of(key: string, hub: SecurityHubClient, signal?: AbortSignal): Promise<Generation> {
    let p = this.known.get(key);
    if (!p) {
      const made = detectGeneration(hub, signal);
      this.known.set(key, (p = made));
      made.catch(() => this.known.get(key) === made && this.known.delete(key));
    }
    return p;
  }

  clear(): void { this.known.clear(); }
}

/**
 * The first page: detect the generation (or take `generation`, a check already made), then read it. Neither generation enabled is a state
 * (`notEnabled`), not an error; its message says when the 2025 generation could not be checked.
 */
export async function loadFindings(hub: SecurityHubClient, settings: FilterSettings, opts: { max: number; signal?: AbortSignal; generation?: Promise<Generation> }): Promise<FindingsLoad> {
  const generation = await (opts.generation ?? detectGeneration(hub, opts.signal));
  try {
    return { ...(await fetchPage(hub, generation, settings, opts)), generation };
  } catch (err) {
    const c = classifyAwsError(err);
    if (c.kind !== 'notEnabled' || generation.kind !== 'cspm') throw err;
    const unchecked = generation.v2Unknown ? ` The 2025 generation could not be checked: ${generation.v2Unknown.message}` : '';
    return { findings: [], generation, notEnabled: { ...c, message: `${c.message}${unchecked && !/[.!?]$/.test(c.message) ? '.' : ''}${unchecked}` } };
  }
}

/** One finding by its key, from the generation it came from (a restored detail panel). */
export function fetchOne(hub: SecurityHubClient, key: FindingKey): Promise<FindingSummary | undefined> {
  return key.source === 'v2' ? fetchFindingV2(hub, key) : fetchFinding(hub, key);
}

/**
 * Triage, each finding through its own generation's API (BatchUpdateFindings or BatchUpdateFindingsV2).
 * A selection comes from one load, so one generation; a panel restored after a reload may be older.
 */
export async function triageFindings(hub: SecurityHubClient, findings: readonly FindingSummary[], status: WorkflowTarget, note: { text: string; updatedBy: string } | undefined, opts: TriageOptions = {}): Promise<TriageResult> {
  const v2 = findings.filter((f) => f.source === 'v2');
  const cspm = findings.filter((f) => f.source !== 'v2');
  const progress = (offset: number) => (done: number) => opts.onProgress?.(offset + done, findings.length);
  const a = await updateWorkflowStatus(hub, cspm, status, note, { signal: opts.signal, onProgress: progress(0) });
  const b = await updateWorkflowStatusV2(hub, v2, status, note?.text, { signal: opts.signal, onProgress: progress(cspm.length) });
  return { processed: [...a.processed, ...b.processed], failed: [...a.failed, ...b.failed], calls: a.calls + b.calls };
}
