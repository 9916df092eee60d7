// Security Hub's 2025 generation (GetFindingsV2 / BatchUpdateFindingsV2): findings are OCSF documents.
// This module maps them onto the Findings view's summaries, builds the V2 filter, and maps triage onto
// OCSF status ids. Pure: no vscode, no SDK client.
// Field names: https://schema.ocsf.io/classes/detection_finding and the botocore model's OcsfStringField,
// OcsfNumberField and OcsfDateField enums (the fields GetFindingsV2 can filter on).
import type { OcsfFindingFilters } from '@aws-sdk/client-securityhub';
import { MAX_SERVER_VALUES, SEVERITIES, severitiesFrom, wanted, type FilterSettings, type FindingKey, type FindingSummary, type Severity, type WorkflowTarget } from './model';
import { l10n } from '../util/l10n';

/** The parts of an OCSF finding the view reads. Everything is optional: a document is outside data. */
export interface OcsfFinding {
  severity?: string;
  severity_id?: number;
  status?: string;
  status_id?: number;
  comment?: string;
  time_dt?: string;
  time?: number;
  cloud?: { account?: { uid?: string }; region?: string };
  finding_info?: {
    uid?: string; title?: string; desc?: string; types?: string[];
    created_time_dt?: string; first_seen_time_dt?: string; last_seen_time_dt?: string; modified_time_dt?: string;
  };
  metadata?: { uid?: string; product?: { uid?: string; name?: string; vendor_name?: string } };
  resources?: { uid?: string; type?: string; region?: string }[];
  compliance?: { status?: string; control?: string };
  remediation?: { desc?: string; references?: string[] };
}

/** OCSF severity_id → the view's levels. 6 (Fatal) counts as Critical; 0 (Unknown) and 99 (Other) fall back to the severity text. */
const SEVERITY_BY_ID: Record<number, Severity> = { 1: 'INFORMATIONAL', 2: 'LOW', 3: 'MEDIUM', 4: 'HIGH', 5: 'CRITICAL', 6: 'CRITICAL' };
const SEVERITY_ID: Record<Severity, number> = { INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

export function severityOfOcsf(f: Pick<OcsfFinding, 'severity' | 'severity_id'>): Severity {
  const byId = typeof f.severity_id === 'number' ? SEVERITY_BY_ID[f.severity_id] : undefined;
  if (byId) return byId;
  const text = (f.severity ?? '').toUpperCase();
  if (text === 'FATAL') return 'CRITICAL';
  return (SEVERITIES as readonly string[]).includes(text) ? (text as Severity) : 'INFORMATIONAL';
}

/**
 * OCSF status_id (BatchUpdateFindingsV2 allows 0, 1, 2, 3, 4, 5, 99) and its text. The view's triage
 * targets map onto it: NOTIFIED is "In Progress" (someone is on it; still open).
 */
export const STATUS_ID = { NEW: 1, NOTIFIED: 2, SUPPRESSED: 3, RESOLVED: 4, ARCHIVED: 5 } as const;
export const STATUS_TEXT: Record<number, string> = { 0: 'Unknown', 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved', 5: 'Archived', 99: 'Other' };
const WORKFLOW_BY_STATUS_ID: Record<number, string> = { 1: 'NEW', 2: 'NOTIFIED', 3: 'SUPPRESSED', 4: 'RESOLVED', 5: 'ARCHIVED' };

export const statusIdFor = (target: WorkflowTarget): number => STATUS_ID[target];
/** The word a V2 account's console uses for a triage target. */
export const v2StatusText = (target: WorkflowTarget): string => STATUS_TEXT[STATUS_ID[target]];

/** An OCSF time: the *_dt text when present, else epoch milliseconds. */
function isoOf(dt: string | undefined, ms?: number): string | undefined {
  if (dt) return dt;
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function toSummaryV2(doc: unknown): FindingSummary {
  const f = (doc && typeof doc === 'object' ? doc : {}) as OcsfFinding;
  const info = f.finding_info ?? {};
  const r = Array.isArray(f.resources) ? f.resources[0] : undefined;
  const statusId = typeof f.status_id === 'number' ? f.status_id : undefined;
  const workflowStatus = (statusId !== undefined && WORKFLOW_BY_STATUS_ID[statusId]) || 'NEW';
  const refs = Array.isArray(f.remediation?.references) ? f.remediation.references.filter((x): x is string => typeof x === 'string') : [];
  return {
    source: 'v2',
    id: str(info.uid) ?? '',
    productArn: str(f.metadata?.product?.uid) ?? '',
    accountId: str(f.cloud?.account?.uid),
    metadataUid: str(f.metadata?.uid),
    title: str(info.title) ?? l10n.t('(untitled finding)'),
    description: str(info.desc) ?? '',
    severity: severityOfOcsf(f),
    productName: str(f.metadata?.product?.name),
    companyName: str(f.metadata?.product?.vendor_name),
    resourceType: str(r?.type) ?? 'Other',
    resourceId: str(r?.uid) ?? '(no resource)',
    resourceCount: Array.isArray(f.resources) ? f.resources.length : 0,
    resourceTypes: Array.isArray(f.resources) ? [...new Set(f.resources.map((x) => str(x?.type) ?? 'Other'))] : [],
    workflowStatus,
    statusText: str(f.status) ?? (statusId !== undefined ? STATUS_TEXT[statusId] : undefined) ?? 'New',
    recordState: statusId === STATUS_ID.ARCHIVED ? 'ARCHIVED' : 'ACTIVE',
    complianceStatus: str(f.compliance?.status),
    remediationText: str(f.remediation?.desc),
    remediationUrl: refs[0],
    firstObservedAt: str(info.first_seen_time_dt),
    lastObservedAt: str(info.last_seen_time_dt) ?? isoOf(f.time_dt, f.time),
    createdAt: str(info.created_time_dt),
    updatedAt: str(info.modified_time_dt),
    region: str(f.cloud?.region) ?? str(r?.region),
    types: Array.isArray(info.types) ? info.types.filter((x): x is string => typeof x === 'string') : [],
    note: str(f.comment) ? { text: f.comment!, updatedBy: '', updatedAt: '' } : undefined,
  };
}

/**
 * GetFindingsV2 filters, the same selection as the CSPM filter. One composite per dimension (composites
 * are ANDed), its values ORed: status_id (the workflow statuses' ids), severity_id (the settings' floor as
 * a range, or the picked levels; Critical includes 6, Fatal), metadata.product.name, resources.type and
 * cloud.account.uid. A dimension with more than MAX_SERVER_VALUES values is filtered locally only.
 */
export function buildFiltersV2(s: FilterSettings): OcsfFindingFilters {
  const w = wanted(s);
  const composite: NonNullable<OcsfFindingFilters['CompositeFilters']> = [
    { Operator: 'OR', NumberFilters: w.workflow.map((x) => ({ FieldName: 'status_id' as const, Filter: { Eq: STATUS_ID[x as keyof typeof STATUS_ID] ?? 0 } })) },
  ];
  if (s.severities?.length) {
    const ids = w.severities!.flatMap((x) => (x === 'CRITICAL' ? [5, 6] : [SEVERITY_ID[x]]));
    composite.push({ Operator: 'OR', NumberFilters: ids.map((Eq) => ({ FieldName: 'severity_id' as const, Filter: { Eq } })) });
  } else {
    const severities = severitiesFrom(s.severityFloor);
    // Up to 6 (Fatal): 99 (Other) is not a level at or above the floor.
    if (severities.length < SEVERITIES.length) composite.push({ Operator: 'AND', NumberFilters: [{ FieldName: 'severity_id', Filter: { Gte: SEVERITY_ID[severities[severities.length - 1]], Lte: 6 } }] });
  }
  const strings = (FieldName: 'metadata.product.name' | 'resources.type' | 'cloud.account.uid' | 'cloud.region', values: string[] | undefined) => {
    if (!values?.length || values.length > MAX_SERVER_VALUES) return;
    composite.push({ Operator: 'OR', StringFilters: values.map((Value) => ({ FieldName, Filter: { Value, Comparison: 'EQUALS' as const } })) });
  };
  strings('metadata.product.name', w.products);
  strings('resources.type', w.resourceTypes);
  strings('cloud.account.uid', w.accounts);
  strings('cloud.region', w.regions);
  return { CompositeFilters: composite, CompositeOperator: 'AND' };
}

/** BatchUpdateFindingsV2 names a finding by account, finding_info.uid and metadata.product.uid. */
export function ocsfIdentifier(k: FindingKey): { CloudAccountUid: string; FindingInfoUid: string; MetadataProductUid: string } {
  return { CloudAccountUid: k.accountId ?? '', FindingInfoUid: k.id, MetadataProductUid: k.productArn };
}
