// "Filter Findings…": one multi-select quick pick, a section per dimension. It offers the fixed
// severity and workflow values and the products, resource types and accounts seen in fetched findings
// (no extra AWS call), plus whatever is filtered on now and what was offered when the filters were set.
import * as vscode from 'vscode';
import { inert } from '../util/inert';
import { DIMENSION_LABEL, FILTER_DIMENSIONS, isFiltered, WORKFLOW_STATUSES, type FilterDimension, type SeenValues, type WorkflowStatus, type WorkspaceFindingFilters } from './filters';
import { SEVERITIES } from './model';

interface FilterItem extends vscode.QuickPickItem { dimension?: FilterDimension; value?: string }

const WORKFLOW_DETAIL: Record<WorkflowStatus, string> = {
  NEW: 'Not reviewed yet',
  NOTIFIED: 'The resource owner was told (2025 generation: In Progress)',
  RESOLVED: 'Fixed, or judged not to be an issue',
  SUPPRESSED: 'Reviewed; no action will be taken',
};

function valuesFor(d: FilterDimension, current: WorkspaceFindingFilters, seen: SeenValues): string[] {
  if (d === 'severities') return [...SEVERITIES];
  if (d === 'workflow') return [...WORKFLOW_STATUSES];
  return [...new Set([...current[d], ...seen[d]])].sort((a, b) => a.localeCompare(b));
}

/** The quick pick's items: a separator per dimension, each value picked when it is filtered on now. */
export function filterItems(current: WorkspaceFindingFilters, seen: SeenValues): FilterItem[] {
  const items: FilterItem[] = [];
  for (const d of FILTER_DIMENSIONS) {
    const values = valuesFor(d, current, seen);
    if (!values.length) continue;
    items.push({ label: DIMENSION_LABEL[d], kind: vscode.QuickPickItemKind.Separator });
    for (const value of values) {
      // Products and resource types are outside text: labels render $(icons).
      items.push({ label: inert(value, 200), description: d === 'workflow' ? WORKFLOW_DETAIL[value as WorkflowStatus] : undefined, picked: (current[d] as string[]).includes(value), dimension: d, value });
    }
  }
  return items;
}

/** Asks for the filters; undefined when dismissed. Nothing picked in a dimension means any value. */
export async function pickFilters(current: WorkspaceFindingFilters, seen: SeenValues): Promise<WorkspaceFindingFilters | undefined> {
  const picked = await vscode.window.showQuickPick(filterItems(current, seen), {
    title: vscode.l10n.t('Filter Findings (nothing picked in a section: any; workflow: New or Notified)'),
    canPickMany: true,
    matchOnDescription: true,
    // Only filtered findings load while filters are on: say where the other values are.
    placeHolder: isFiltered(current) ? vscode.l10n.t('Offered: values of the findings loaded and of those loaded when these filters were set. To see every value, run Clear Findings Filters first.') : undefined,
  });
  if (!picked) return undefined;
  const out: WorkspaceFindingFilters = { severities: [], workflow: [], products: [], resourceTypes: [], accounts: [] };
  for (const item of picked) if (item.dimension && item.value) (out[item.dimension] as string[]).push(item.value);
  return out;
}
