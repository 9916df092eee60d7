// The Findings view's workspace filters (severity, workflow status, product, resource type, account):
// what is kept in workspaceState, how it reads back, and how it is described. Pure: no vscode, no SDK.
import { inert } from '../util/inert';
import { SEVERITIES, type FindingSummary, type Severity } from './model';

/** Security Hub's workflow statuses (ASFF Workflow.Status); a V2 finding's status_id maps onto them (ocsf.ts). */
export const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** An empty list means "any" (workflow: the default, New or Notified/In Progress). */
export interface WorkspaceFindingFilters {
  severities: Severity[];
  workflow: WorkflowStatus[];
  products: string[];
  resourceTypes: string[];
  accounts: string[];
}

export type FilterDimension = keyof WorkspaceFindingFilters;
export const FILTER_DIMENSIONS: readonly FilterDimension[] = ['severities', 'workflow', 'products', 'resourceTypes', 'accounts'];
export const DIMENSION_LABEL: Record<FilterDimension, string> = { severities: 'Severity', workflow: 'Workflow status', products: 'Product', resourceTypes: 'Resource type', accounts: 'Account' };

export const NO_FILTERS: WorkspaceFindingFilters = { severities: [], workflow: [], products: [], resourceTypes: [], accounts: [] };

/** Values kept per dimension, and their length: workspaceState is a file anyone with the folder can edit. */
const MAX_VALUES = 200;
const MAX_VALUE_LENGTH = 512;

function stringList(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const out = new Set<string>();
  for (const v of raw) if (typeof v === 'string' && v.length > 0 && v.length <= MAX_VALUE_LENGTH && out.size < MAX_VALUES) out.add(v);
  return [...out];
}

/** Reads stored filters back, keeping only what has the right shape (anything else is dropped). */
export function readFilters(raw: unknown): WorkspaceFindingFilters {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    severities: stringList(o.severities).filter((s): s is Severity => (SEVERITIES as readonly string[]).includes(s)),
    workflow: stringList(o.workflow).filter((s): s is WorkflowStatus => (WORKFLOW_STATUSES as readonly string[]).includes(s)),
    products: stringList(o.products),
    resourceTypes: stringList(o.resourceTypes),
    accounts: stringList(o.accounts).filter((a) => /^\d{12}$/.test(a)),
  };
}

export const isFiltered = (f: WorkspaceFindingFilters) => FILTER_DIMENSIONS.some((d) => f[d].length > 0);

/** "Severity: HIGH, CRITICAL · Product: GuardDuty" for the view's message; values are outside text, made inert. */
export function describeFilters(f: WorkspaceFindingFilters, statusWord: (s: WorkflowStatus) => string = (s) => s): string {
  const parts = FILTER_DIMENSIONS.filter((d) => f[d].length).map((d) => {
    const values = d === 'workflow' ? f.workflow.map(statusWord) : f[d];
    const shown = values.length > 3 ? `${values.slice(0, 3).join(', ')} +${values.length - 3}` : values.join(', ');
    return `${DIMENSION_LABEL[d]}: ${shown}`;
  });
  return inert(parts.join(' · '), 400);
}

/** Products, resource types and accounts seen in fetched findings: what the filter offers (no extra call). */
export interface SeenValues { products: Set<string>; resourceTypes: Set<string>; accounts: Set<string> }

export const emptySeen = (): SeenValues => ({ products: new Set(), resourceTypes: new Set(), accounts: new Set() });

export function addSeen(seen: SeenValues, findings: readonly FindingSummary[]): void {
  for (const f of findings) {
    if (f.productName) seen.products.add(f.productName);
    for (const t of f.resourceTypes ?? [f.resourceType]) seen.resourceTypes.add(t);
    if (f.accountId) seen.accounts.add(f.accountId);
  }
}

/**
 * What Filter Findings offered when the filters were set, kept with them in workspaceState: after a reload only
 * the filtered findings load, and without this the pick list would offer only their values.
 */
export interface StoredChoices { scope: string; products: string[]; resourceTypes: string[]; accounts: string[] }

/** The values to keep: those seen and those filtered on (bounded as the filters are). */
export function choicesToStore(scope: string, seen: SeenValues, filters: WorkspaceFindingFilters): StoredChoices {
  const kept = readFilters({ products: [...filters.products, ...seen.products], resourceTypes: [...filters.resourceTypes, ...seen.resourceTypes], accounts: [...filters.accounts, ...seen.accounts] });
  return { scope, products: kept.products, resourceTypes: kept.resourceTypes, accounts: kept.accounts };
}

/** The stored choices as seen values, for this connection's scope only (another profile or region starts empty). */
export function seenFromStore(raw: unknown, scope: string): SeenValues {
  const seen = emptySeen();
  if (!raw || typeof raw !== 'object' || (raw as { scope?: unknown }).scope !== scope) return seen;
  const kept = readFilters(raw);
  for (const d of ['products', 'resourceTypes', 'accounts'] as const) for (const v of kept[d]) seen[d].add(v);
  return seen;
}
