// Security Hub findings as the Findings view sees them: summaries, filters and grouping.
// Pure: no vscode, no SDK client (types only).
import type { AwsSecurityFinding, AwsSecurityFindingFilters } from '@aws-sdk/client-securityhub';
import { inert } from '../util/inert';
import { l10n } from '../util/l10n';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const WORKFLOW_TARGETS = ['NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const;
export type WorkflowTarget = (typeof WORKFLOW_TARGETS)[number];
/** The default filter shows findings still needing attention. */
export const OPEN_WORKFLOW = ['NEW', 'NOTIFIED'] as const;

/**
 * Identifies a finding. CSPM (BatchUpdateFindings): Id and ProductArn. The 2025 generation
 * (source 'v2', BatchUpdateFindingsV2): finding_info.uid in `id`, metadata.product.uid in `productArn`,
 * and cloud.account.uid in `accountId`.
 */
export interface FindingKey {
  id: string; productArn: string; source?: 'cspm' | 'v2'; accountId?: string;
  /**
   * The key of the multi-account scope member it was read through (src/aws/scope): triage, the detail panel
   * and Open in Console act on that member's account. Absent: the selected profile's.
   */
  member?: string;
}

export interface FindingSummary extends FindingKey {
  title: string;
  description: string;
  severity: Severity;
  productName?: string;
  companyName?: string;
  /** The first resource's type and id (the tree groups by them). */
  resourceType: string;
  resourceId: string;
  resourceCount: number;
  /** Every resource's type: the server-side ResourceType filter matches any of them. */
  resourceTypes?: string[];
  /** NEW, NOTIFIED, RESOLVED or SUPPRESSED (a V2 status_id is mapped onto these: src/findings/ocsf.ts). */
  workflowStatus: string;
  /** The status as a V2 account's console words it ("In Progress"); absent for CSPM findings. */
  statusText?: string;
  /** A V2 finding's metadata.uid. */
  metadataUid?: string;
  recordState?: string;
  complianceStatus?: string;
  remediationText?: string;
  remediationUrl?: string;
  firstObservedAt?: string;
  lastObservedAt?: string;
  createdAt?: string;
  updatedAt?: string;
  region?: string;
  types: string[];
  note?: { text: string; updatedBy: string; updatedAt: string };
  /** Set locally when a triage call failed for this finding. */
  lastError?: string;
}

/** Label from Severity.Label, else from Normalized with Security Hub's documented ranges. */
export function severityOf(f: Pick<AwsSecurityFinding, 'Severity'>): Severity {
  const label = f.Severity?.Label;
  if (label && (SEVERITIES as readonly string[]).includes(label)) return label as Severity;
  const n = f.Severity?.Normalized ?? 0;
  if (n >= 90) return 'CRITICAL';
  if (n >= 70) return 'HIGH';
  if (n >= 40) return 'MEDIUM';
  if (n >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

export function toSummary(f: AwsSecurityFinding): FindingSummary {
  const r = f.Resources?.[0];
  return {
    id: f.Id ?? '',
    productArn: f.ProductArn ?? '',
    title: f.Title ?? l10n.t('(untitled finding)'),
    description: f.Description ?? '',
    severity: severityOf(f),
    productName: f.ProductName,
    companyName: f.CompanyName,
    resourceType: r?.Type ?? 'Other',
    resourceId: r?.Id ?? '(no resource)',
    resourceCount: f.Resources?.length ?? 0,
    resourceTypes: [...new Set((f.Resources ?? []).map((x) => x.Type ?? 'Other'))],
    workflowStatus: f.Workflow?.Status ?? f.WorkflowState ?? 'NEW',
    recordState: f.RecordState,
    complianceStatus: f.Compliance?.Status,
    remediationText: f.Remediation?.Recommendation?.Text,
    remediationUrl: f.Remediation?.Recommendation?.Url,
    firstObservedAt: f.FirstObservedAt,
    lastObservedAt: f.LastObservedAt,
    createdAt: f.CreatedAt,
    updatedAt: f.UpdatedAt,
    region: f.Region,
    accountId: f.AwsAccountId,
    types: f.Types ?? [],
    note: f.Note?.Text ? { text: f.Note.Text, updatedBy: f.Note.UpdatedBy ?? '', updatedAt: f.Note.UpdatedAt ?? '' } : undefined,
  };
}

/**
 * What the view asks for: the settings' severity floor and product, and the workspace filters
 * (src/findings/filters.ts). A workspace filter on a dimension replaces the setting's for it; an empty
 * list is "any" (workflow: New or Notified).
 */
export interface FilterSettings {
  severityFloor: string;
  productName: string;
  severities?: readonly Severity[];
  workflow?: readonly string[];
  products?: readonly string[];
  resourceTypes?: readonly string[];
  accounts?: readonly string[];
  /** The finding's Region: set by a read in a cross-region aggregation (home) region (src/findings/hubRoutes.ts), never by the user. */
  regions?: readonly string[];
}

/**
 * GetFindingsV2 allows at most 20 filters of a type in a composite (the model's documentation). Both
 * generations send at most that many values per dimension; a dimension with more is filtered locally only.
 */
export const MAX_SERVER_VALUES = 20;

export function severitiesFrom(floor: string): Severity[] {
  const i = SEVERITIES.indexOf(floor as Severity);
  return SEVERITIES.slice(0, i < 0 ? SEVERITIES.length : i + 1);
}

/** Each dimension as the values a finding must have one of (undefined: any). */
export function wanted(s: FilterSettings): { severities?: Severity[]; workflow: string[]; products?: string[]; resourceTypes?: string[]; accounts?: string[]; regions?: string[] } {
  const floor = severitiesFrom(s.severityFloor);
  const severities = s.severities?.length ? SEVERITIES.filter((x) => s.severities!.includes(x)) : floor.length < SEVERITIES.length ? floor : undefined;
  const list = (v: readonly string[] | undefined) => (v?.length ? [...v] : undefined);
  return {
    severities,
    workflow: s.workflow?.length ? [...s.workflow] : [...OPEN_WORKFLOW],
    products: list(s.products) ?? (s.productName ? [s.productName] : undefined),
    resourceTypes: list(s.resourceTypes),
    accounts: list(s.accounts),
    regions: list(s.regions),
  };
}

/**
 * GetFindings filters: ACTIVE records, then each dimension as a list of EQUALS values (ORed within a
 * field, fields ANDed): SeverityLabel, WorkflowStatus, ProductName, ResourceType, AwsAccountId, Region.
 */
export function buildFilters(s: FilterSettings): AwsSecurityFindingFilters {
  const eq = (Value: string) => ({ Value, Comparison: 'EQUALS' as const });
  const w = wanted(s);
  const filters: AwsSecurityFindingFilters = { RecordState: [eq('ACTIVE')] };
  const put = (field: 'SeverityLabel' | 'WorkflowStatus' | 'ProductName' | 'ResourceType' | 'AwsAccountId' | 'Region', values: string[] | undefined) => {
    if (values?.length && values.length <= MAX_SERVER_VALUES) filters[field] = values.map(eq);
  };
  put('SeverityLabel', w.severities);
  put('WorkflowStatus', w.workflow);
  put('ProductName', w.products);
  put('ResourceType', w.resourceTypes);
  put('AwsAccountId', w.accounts);
  put('Region', w.regions);
  return filters;
}

/**
 * The same filter, applied locally: a finding triaged out of it leaves the tree without a reload, and
 * an emulator that ignores GetFindings' filters (moto 5.2.1 ignores all of them) still shows the right set.
 */
export function matchesFilters(f: FindingSummary, s: FilterSettings): boolean {
  const w = wanted(s);
  if (f.recordState && f.recordState !== 'ACTIVE') return false;
  if (!w.workflow.includes(f.workflowStatus)) return false;
  if (w.severities && !w.severities.includes(f.severity)) return false;
  if (w.products && !w.products.includes(f.productName ?? '')) return false;
  if (w.resourceTypes && !(f.resourceTypes ?? [f.resourceType]).some((t) => w.resourceTypes!.includes(t))) return false;
  if (w.accounts && !w.accounts.includes(f.accountId ?? '')) return false;
  if (w.regions && !w.regions.includes(f.region ?? '')) return false;
  return true;
}

/** The bucket a finding is about, for findings on S3 bucket resources ("arn:aws:s3:::name"): AwsS3Bucket (CSPM) or AWS::S3::Bucket (OCSF). */
export function bucketOf(f: Pick<FindingSummary, 'resourceType' | 'resourceId'>): string | undefined {
  if (f.resourceType !== 'AwsS3Bucket' && f.resourceType !== 'AWS::S3::Bucket') return undefined;
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(f.resourceId);
  return m ? m[1] : f.resourceId.includes(':') ? undefined : f.resourceId;
}

/** A short name for a resource id: the part after the last "/" or ":" of an ARN. */
export function resourceLabel(id: string): string {
  if (!id.startsWith('arn:')) return id;
  const rest = id.split(':').slice(5).join(':');
  const cut = Math.max(rest.lastIndexOf('/'), rest.lastIndexOf(':'));
  return (cut >= 0 ? rest.slice(cut + 1) : rest) || id;
}

export interface ResourceGroup { key: string; type: string; id: string; findings: FindingSummary[] }
export interface SeverityGroup { severity: Severity; count: number; resources: ResourceGroup[] }

/** CRITICAL down to INFORMATIONAL (empty levels left out), then resources by count, then findings newest first. */
export function groupFindings(findings: readonly FindingSummary[]): SeverityGroup[] {
  const out: SeverityGroup[] = [];
  for (const severity of SEVERITIES) {
    const inLevel = findings.filter((f) => f.severity === severity);
    if (!inLevel.length) continue;
    const byResource = new Map<string, ResourceGroup>();
    for (const f of inLevel) {
      const key = `${f.resourceType}|${f.resourceId}`;
      let g = byResource.get(key);
      if (!g) byResource.set(key, (g = { key, type: f.resourceType, id: f.resourceId, findings: [] }));
      g.findings.push(f);
    }
    const resources = [...byResource.values()].sort((a, b) => b.findings.length - a.findings.length || resourceLabel(a.id).localeCompare(resourceLabel(b.id)));
    for (const r of resources) r.findings.sort((a, b) => (b.lastObservedAt ?? b.updatedAt ?? '').localeCompare(a.lastObservedAt ?? a.updatedAt ?? ''));
    out.push({ severity, count: inLevel.length, resources });
  }
  return out;
}

/** Active findings per bucket name, for the Buckets view. */
export function countsByBucket(findings: readonly FindingSummary[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) {
    const b = bucketOf(f);
    if (b) out[b] = (out[b] ?? 0) + 1;
  }
  return out;
}

export const keyOf = (f: FindingKey) => (f.source === 'v2' ? `v2\u0000${f.accountId ?? ''}\u0000${f.productArn}\u0000${f.id}` : `${f.productArn}\u0000${f.id}`);

/** The status as the finding's own console words it: "In Progress" for V2, NOTIFIED for CSPM. */
export const statusLabel = (f: Pick<FindingSummary, 'workflowStatus' | 'statusText'>) => f.statusText ?? f.workflowStatus;

/**
 * A remediation link (Remediation.Recommendation.Url, outside text) is opened only when it is https:
 * no http (readable and changeable on the way), command:, file:, vscode: or javascript:.
 */
export function safeLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'https:' && u.hostname ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** A quick pick item for a finding. Quick pick labels and descriptions render $(icons): the title and resource id are outside text. */
export function findingPickItem(f: FindingSummary): { label: string; description: string } {
  return { label: inert(f.title, 200), description: inert(`${f.severity} · ${f.resourceId}`, 300) };
}
