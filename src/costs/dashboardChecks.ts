// What the cost dashboard webview may send the host, checked at run time before the host acts on it
// (src/webview/validate.ts). No vscode import: the tests wire the same checks.
import { check } from '../webview/validate';
import type { CostsDashboardSpec, DashboardParams } from './dashboardProtocol';
import { METRICS } from './math';
import { DIMENSIONS, FILTER_DIMENSIONS, type CostFilter } from './plan';
import type { DayRange } from './range';

const params = check.object<DashboardParams>({
  rangeDays: check.oneOf([30, 90] as const),
  granularity: check.oneOf(['DAILY', 'MONTHLY'] as const),
  dimension: check.oneOf(DIMENSIONS),
  metric: check.oneOf(METRICS),
  excludeCreditsRefundsTax: check.boolean,
  // The dates' meaning (order, future, history) is checked by the host with rangeProblem, which says why.
  custom: check.optional(check.object<DayRange>({ start: check.string(10), end: check.string(10) })),
  // Cost Explorer's dimension and tag values are at most 1,024 characters (botocore: Value), tag keys 1,024 too.
  filter: check.optional(check.object<CostFilter>({ dimension: check.oneOf(FILTER_DIMENSIONS), key: check.optional(check.string(1024)), value: check.string(1024) })),
});

/** What the dashboard webview may ask for, checked before the host acts on it. */
export const dashboardChecks = {
  load: check.object<CostsDashboardSpec['hostRequests']['load']['params']>({
    params,
    refresh: check.optional(check.boolean),
  }),
  /** The price of loading each of these (the group-by options, a staged range or filter), before the switch. */
  estimate: check.object<CostsDashboardSpec['hostRequests']['estimate']['params']>({ params: check.array(params, 8) }),
  exportCsv: check.object<CostsDashboardSpec['hostRequests']['exportCsv']['params']>({ params }),
};
