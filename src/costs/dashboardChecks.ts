// What the cost dashboard webview may send the host, checked at run time before the host acts on it
// (src/webview/validate.ts). No vscode import: the tests wire the same checks.
import { check } from '../webview/validate';
import type { CostsDashboardSpec, DashboardParams } from './dashboardProtocol';
import { METRICS } from './math';
import { DIMENSIONS } from './plan';

/** What the dashboard webview may ask for, checked before the host acts on it. */
export const dashboardChecks = {
  load: check.object<CostsDashboardSpec['hostRequests']['load']['params']>({
    params: check.object<DashboardParams>({
      rangeDays: check.oneOf([30, 90] as const),
      granularity: check.oneOf(['DAILY', 'MONTHLY'] as const),
      dimension: check.oneOf(DIMENSIONS),
      metric: check.oneOf(METRICS),
      excludeCreditsRefundsTax: check.boolean,
    }),
    refresh: check.optional(check.boolean),
  }),
};
