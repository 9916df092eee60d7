// Security Hub calls for the Findings view. No vscode import.
import { BatchUpdateFindingsCommand, GetFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { classifyAwsError } from '../aws/errors';
import { chunk } from '../buckets/pool';
import { buildFilters, keyOf, matchesFilters, toSummary, type FilterSettings, type FindingKey, type FindingSummary, type WorkflowTarget } from './model';

/** BatchUpdateFindings accepts at most 100 finding identifiers per call
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindings.html). */
export const MAX_FINDINGS_PER_UPDATE = 100;
const PAGE = 100;

export interface FindingsPage { findings: FindingSummary[]; nextToken?: string }

/**
 * Findings matching the filters, up to `max` (GetFindings pages of 100), newest first by update.
 * The filters are also applied locally: they are cheap, and some emulators ignore a few of them.
 */
export async function fetchFindings(hub: SecurityHubClient, settings: FilterSettings, opts: { max: number; nextToken?: string; signal?: AbortSignal }): Promise<FindingsPage> {
  const Filters = buildFilters(settings);
  return collectPages(settings, opts, async (MaxResults, NextToken) => {
    const res = await hub.send(new GetFindingsCommand({ Filters, MaxResults, NextToken, SortCriteria: [{ Field: 'UpdatedAt', SortOrder: 'desc' }] }), { abortSignal: opts.signal });
    return { findings: (res.Findings ?? []).map(toSummary), nextToken: res.NextToken };
  });
}

/**
 * Both generations' paging: pages of up to 100 (GetFindings' and GetFindingsV2's MaxResults maximum)
 * until `max` findings that pass the filters locally, or the last page.
 */
export async function collectPages(settings: FilterSettings, opts: { max: number; nextToken?: string }, page: (maxResults: number, nextToken: string | undefined) => Promise<{ findings: FindingSummary[]; nextToken?: string }>): Promise<FindingsPage> {
  const out: FindingSummary[] = [];
  let token = opts.nextToken;
  do {
    const res = await page(Math.max(1, Math.min(PAGE, opts.max - out.length)), token);
    for (const s of res.findings) if (matchesFilters(s, settings)) out.push(s);
    token = res.nextToken || undefined;
  } while (token && out.length < opts.max);
  return { findings: out, nextToken: token };
}

/**
 * One finding, by its identifier (for a restored detail panel). Security Hub's Id filter returns
 * just that finding; an emulator that ignores the filter is paged through, up to 20 pages.
 */
export async function fetchFinding(hub: SecurityHubClient, key: FindingKey): Promise<FindingSummary | undefined> {
  const Filters = { Id: [{ Value: key.id, Comparison: 'EQUALS' as const }], ProductArn: [{ Value: key.productArn, Comparison: 'EQUALS' as const }] };
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await hub.send(new GetFindingsCommand({ Filters, MaxResults: PAGE, NextToken: token }));
    const f = (res.Findings ?? []).find((x) => x.Id === key.id && x.ProductArn === key.productArn);
    if (f) return toSummary(f);
    token = res.NextToken || undefined;
    if (!token) break;
  }
  return undefined;
}

export interface TriageFailure { key: FindingKey; code: string; message: string }
export interface TriageResult { processed: FindingKey[]; failed: TriageFailure[]; calls: number }

/**
 * Sets the workflow status (and a note) with BatchUpdateFindings, 100 findings per call. Each
 * finding's outcome is reported: the API's UnprocessedFindings, or the whole call's error for
 * every finding in a call that failed. Never throws for AWS errors.
 */
export async function updateWorkflowStatus(
  hub: SecurityHubClient,
  keys: readonly FindingKey[],
  status: WorkflowTarget,
  note: { text: string; updatedBy: string } | undefined,
  opts: TriageOptions = {},
): Promise<TriageResult> {
  return triageInBatches(keys, opts, async (batch, signal) => {
    const res = await hub.send(new BatchUpdateFindingsCommand({
      FindingIdentifiers: batch.map((k) => ({ Id: k.id, ProductArn: k.productArn })),
      Workflow: { Status: status },
      Note: note ? { Text: note.text.slice(0, 512), UpdatedBy: note.updatedBy.slice(0, 512) } : undefined,
    }), { abortSignal: signal });
    const unprocessed = new Map((res.UnprocessedFindings ?? []).map((u) => [keyOf({ id: u.FindingIdentifier?.Id ?? '', productArn: u.FindingIdentifier?.ProductArn ?? '' }), u]));
    return (key) => {
      const u = unprocessed.get(keyOf({ id: key.id, productArn: key.productArn }));
      return u ? { code: u.ErrorCode ?? 'Unprocessed', message: u.ErrorMessage ?? 'not processed' } : undefined;
    };
  });
}

export interface TriageOptions { onProgress?: (done: number, total: number) => void; signal?: AbortSignal }

/**
 * Both generations' triage: 100 findings per call (their shared limit). `send` makes one call and
 * says which findings of it were not processed; a call that throws fails each of its findings with
 * the AWS message. Never throws for AWS errors.
 */
export async function triageInBatches<K extends FindingKey>(
  keys: readonly K[],
  opts: TriageOptions,
  send: (batch: K[], signal: AbortSignal | undefined) => Promise<(key: K) => { code: string; message: string } | undefined>,
): Promise<TriageResult> {
  const result: TriageResult = { processed: [], failed: [], calls: 0 };
  let done = 0;
  for (const batch of chunk(keys, MAX_FINDINGS_PER_UPDATE)) {
    if (opts.signal?.aborted) {
      for (const key of batch) result.failed.push({ key, code: 'Cancelled', message: 'not sent: cancelled' });
      continue;
    }
    result.calls++;
    try {
      const unprocessed = await send(batch, opts.signal);
      for (const key of batch) {
        const u = unprocessed(key);
        if (u) result.failed.push({ key, ...u });
        else result.processed.push(key);
      }
    } catch (err) {
      const c = classifyAwsError(err);
      for (const key of batch) result.failed.push({ key, code: c.code ?? c.kind, message: c.message });
    }
    done += batch.length;
    opts.onProgress?.(done, keys.length);
  }
  return result;
}
