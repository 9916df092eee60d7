// Security Hub's 2025 generation for the Findings view: DescribeSecurityHubV2 (is it on?),
// GetFindingsV2 (OCSF findings) and BatchUpdateFindingsV2 (triage). No vscode import.
// https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindingsV2.html
import { BatchUpdateFindingsV2Command, DescribeSecurityHubV2Command, GetFindingsV2Command, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { classifyAwsError, type ClassifiedError } from '../aws/errors';
import { collectPages, triageInBatches, type FindingsPage, type TriageOptions, type TriageResult } from './api';
import { keyOf, type FilterSettings, type FindingKey, type FindingSummary, type WorkflowTarget } from './model';
import { buildFiltersV2, ocsfIdentifier, statusIdFor, toSummaryV2 } from './ocsf';

/** GetFindingsV2's MaxResults is 1 to 100 (the model's MaxResults shape). */
const PAGE = 100;
/** Newest first, by the time the finding itself last changed (an OcsfDateField). */
const SORT = [{ Field: 'finding_info.modified_time_dt', SortOrder: 'desc' as const }];

/** Which Security Hub serves this account and region. */
export type Generation = { kind: 'v2'; hubArn: string } | { kind: 'cspm'; v2Unknown?: ClassifiedError };

/**
 * The 2025 generation when DescribeSecurityHubV2 answers; otherwise the CSPM path (GetFindings), which
 * itself says whether Security Hub CSPM is enabled. ResourceNotFoundException is AWS's "not enabled";
 * any other answer that is not about credentials or the network (access denied to the new action, an
 * endpoint without it) also falls back, and is kept so a "not enabled" message can say V2 was not checked.
 * When both generations are on, the 2025 one is used: it takes in the CSPM control findings as OCSF
 * findings too, so reading both would list them twice.
 */
export async function detectGeneration(hub: SecurityHubClient, signal?: AbortSignal): Promise<Generation> {
  try {
    const res = await hub.send(new DescribeSecurityHubV2Command({}), { abortSignal: signal });
    if (res.HubV2Arn) return { kind: 'v2', hubArn: res.HubV2Arn };
    return { kind: 'cspm' };
  } catch (err) {
    const c = classifyAwsError(err);
    if (c.kind === 'noCredentials' || c.kind === 'ssoExpired' || c.kind === 'network' || c.kind === 'throttled') throw err;
    // ResourceNotFoundException is DescribeSecurityHubV2's "not enabled" (its message may say so in words).
    return c.code === 'ResourceNotFoundException' || c.kind === 'notEnabled' ? { kind: 'cspm' } : { kind: 'cspm', v2Unknown: c };
  }
}

/** Findings matching the filters, up to `max` (pages of 100), as the CSPM path's fetchFindings. */
export async function fetchFindingsV2(hub: SecurityHubClient, settings: FilterSettings, opts: { max: number; nextToken?: string; signal?: AbortSignal }): Promise<FindingsPage> {
  const Filters = buildFiltersV2(settings);
  return collectPages(settings, opts, async (MaxResults, NextToken) => {
    const res = await hub.send(new GetFindingsV2Command({ Filters, MaxResults, NextToken, SortCriteria: SORT }), { abortSignal: opts.signal });
    return { findings: (res.Findings ?? []).map(toSummaryV2), nextToken: res.NextToken };
  });
}

/** One V2 finding by its identifier (for a restored detail panel), up to 20 pages. */
export async function fetchFindingV2(hub: SecurityHubClient, key: FindingKey): Promise<FindingSummary | undefined> {
  const eq = (FieldName: 'finding_info.uid' | 'metadata.product.uid' | 'cloud.account.uid', Value: string) => ({ FieldName, Filter: { Value, Comparison: 'EQUALS' as const } });
  const StringFilters = [eq('finding_info.uid', key.id), eq('metadata.product.uid', key.productArn)];
  if (key.accountId) StringFilters.push(eq('cloud.account.uid', key.accountId));
  const Filters = { CompositeFilters: [{ Operator: 'AND' as const, StringFilters }] };
  const want = keyOf({ ...key, source: 'v2' });
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await hub.send(new GetFindingsV2Command({ Filters, MaxResults: PAGE, NextToken: token }));
    const f = (res.Findings ?? []).map(toSummaryV2).find((x) => keyOf(x) === want || (!key.accountId && x.id === key.id && x.productArn === key.productArn));
    if (f) return f;
    token = res.NextToken || undefined;
    if (!token) break;
  }
  return undefined;
}

/**
 * Triage with BatchUpdateFindingsV2: StatusId (NOTIFIED → 2 In Progress, RESOLVED → 4, SUPPRESSED → 3)
 * and the note as Comment (1 to 512 characters; V2 has no "updated by"). Findings are named by
 * FindingIdentifiers (the model forbids sending MetadataUids with them); the answer's
 * UnprocessedFindings name them by identifier or by metadata uid, and both are matched.
 */
export async function updateWorkflowStatusV2(hub: SecurityHubClient, keys: readonly (FindingKey & { metadataUid?: string })[], status: WorkflowTarget, note: string | undefined, opts: TriageOptions = {}): Promise<TriageResult> {
  const comment = note?.trim().slice(0, 512);
  return triageInBatches(keys, opts, async (batch, signal) => {
    const res = await hub.send(new BatchUpdateFindingsV2Command({
      FindingIdentifiers: batch.map(ocsfIdentifier),
      StatusId: statusIdFor(status),
      Comment: comment || undefined,
    }), { abortSignal: signal });
    const byId = new Map<string, { code: string; message: string }>();
    const byUid = new Map<string, { code: string; message: string }>();
    for (const u of res.UnprocessedFindings ?? []) {
      const why = { code: u.ErrorCode ?? 'Unprocessed', message: u.ErrorMessage ?? 'not processed' };
      const i = u.FindingIdentifier;
      if (i) byId.set(keyOf({ source: 'v2', accountId: i.CloudAccountUid, productArn: i.MetadataProductUid ?? '', id: i.FindingInfoUid ?? '' }), why);
      if (u.MetadataUid) byUid.set(u.MetadataUid, why);
    }
    return (key) => byId.get(keyOf({ ...key, source: 'v2' })) ?? (key.metadataUid ? byUid.get(key.metadataUid) : undefined);
  });
}
