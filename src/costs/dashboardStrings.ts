// The cost dashboard webview's labels (webview/costs/), made by the host with vscode.l10n.
import { LATER, LATER1, LATER2, type L10n } from '../webview/strings';

export function dashboardStrings(l10n: L10n) {
  return {
    title: l10n.t('Cost dashboard'),
    dimService: l10n.t('Service'),
    dimAccount: l10n.t('Account'),
    dimRegion: l10n.t('Region'),
    dimUsageType: l10n.t('Usage type'),
    dimTag: l10n.t('Tag'),
    /** {0}: the cost allocation tag key */
    dimTagKey: l10n.t('Tag: {0}', LATER),
    metricUnblended: l10n.t('Unblended'),
    metricAmortized: l10n.t('Amortized'),
    metricNetUnblended: l10n.t('Net unblended'),
    noFilter: l10n.t('No filter'),
    /** {0}: how many days */
    activeLastDays: l10n.t('Last {0} days', LATER),
    /** {0}: how many days, {1} and {2}: the first and last day */
    activeLastDaysFromTo: l10n.t('Last {0} days ({1} – {2})', LATER, LATER1, LATER2),
    allCosts: l10n.t('all costs'),
    /** {0}: the tag key, {1}: the tag value */
    onlyTag: l10n.t('only tag {0} = {1}', LATER, LATER1),
    untagged: l10n.t('(untagged)'),
    /** {0}: a service name */
    onlyService: l10n.t('only service = {0}', LATER),
    /** {0}: an account */
    onlyAccount: l10n.t('only account = {0}', LATER),
    /** {0}: a region */
    onlyRegion: l10n.t('only region = {0}', LATER),
    excludeCredits: l10n.t('Exclude credits, refunds and tax'),
    refresh: l10n.t('Refresh'),
    refreshTitle: l10n.t('Request the data that can still change again ($0.01 a request); closed months are never requested again.'),
    ledger: l10n.t('Ledger'),
    exportCsv: l10n.t('Export CSV'),
    exportTitle: l10n.t('Save what the stacked chart shows as CSV (no request).'),
    range: l10n.t('Range'),
    last30: l10n.t('Last 30 days'),
    last90: l10n.t('Last 90 days'),
    custom: l10n.t('Custom…'),
    granularity: l10n.t('Granularity'),
    daily: l10n.t('Daily'),
    monthly: l10n.t('Monthly'),
    groupBy: l10n.t('Group by'),
    metric: l10n.t('Metric'),
    from: l10n.t('From'),
    toIncluded: l10n.t('To (included)'),
    filter: l10n.t('Filter'),
    tagValuePlaceholder: l10n.t('tag value (empty: untagged)'),
    valuePlaceholder: l10n.t('value'),
    value: l10n.t('Value'),
    apply: l10n.t('Apply'),
    /** Beside the disabled Apply button when the range and filter being edited are the ones shown. */
    nothingToApply: l10n.t('Nothing to apply: the charts show this range and filter.'),
    pricing: l10n.t('pricing…'),
    /** {0}: the error message */
    exportFailed: l10n.t('Export failed: {0}', LATER),
    /** {0}: the file saved */
    saved: l10n.t('Saved {0}', LATER),
    refreshing: l10n.t('Refreshing…'),
    loading: l10n.t('Loading…'),
    selectProfile: l10n.t('Select Profile'),
    allowRequests: l10n.t('Allow requests…'),
    chooseTagKey: l10n.t('Choose a tag key…'),
    retry: l10n.t('Retry'),
    /** {0}: how long ago, {1}: the requests ledger line */
    updated: l10n.t('Updated {0} · {1}', LATER, LATER1),
    /** {0}: the error message */
    couldNotRefresh: l10n.t('Could not refresh ({0}); showing cached data.', LATER),
    monthToDate: l10n.t('Month to date'),
    /** {0}: the change, e.g. +$1.20 (+5%) */
    vsSamePoint: l10n.t('{0} vs same point last month', LATER),
    forecastMonthEnd: l10n.t('Forecast for month end'),
    /** {0} and {1}: the 80% interval's bounds */
    interval80: l10n.t('80%: {0} – {1}', LATER, LATER1),
    unavailable: l10n.t('Unavailable'),
    forecastUnavailable: l10n.t('Forecast unavailable: not enough cost history yet'),
    forecastUnavailableWhy: l10n.t('Cost Explorer forecasts once the account has enough cost history, usually one full billing cycle (a whole calendar month). Month to date and the charts are actual costs.'),
    notAvailable: l10n.t('not available'),
    /** {0}: how many days */
    spanLastDays: l10n.t('last {0} days', LATER),
    /** Chart titles. {0}: the span (last 30 days, or two dates), {1}: what the costs are grouped by */
    dailyCostBy: l10n.t('Daily cost, {0}, by {1}', LATER, LATER1),
    monthlyCostBy: l10n.t('Monthly cost, {0}, by {1}', LATER, LATER1),
    /** What a chart's costs are grouped by, after "by" */
    byService: l10n.t('service'),
    byAccount: l10n.t('account'),
    byRegion: l10n.t('region'),
    byUsageType: l10n.t('usage type'),
    byTag: l10n.t('tag'),
    /** {0}: the tag key */
    byTagKey: l10n.t('tag {0}', LATER),
    /** {0}: the span (last 30 days, or two dates) */
    noCostsIn: l10n.t('No costs in the {0}.', LATER),
    anomaliesHeading: l10n.t('▲ Anomalies on this chart (Cost Anomaly Detection, last 30 days; not filtered):'),
    /** {0}: what the costs are grouped by */
    monthByMonth: l10n.t('Month by month, last 12 months and this month so far, by {0}', LATER),
    thisMonthActualNoForecast: l10n.t('This month: actual (forecast unavailable: not enough cost history yet)'),
    thisMonthActualForecast: l10n.t('This month: actual and forecast (80% interval)'),
    topMovers: l10n.t('Top movers: this month to date vs the same point last month'),
    noChange: l10n.t('No change.'),
    name: l10n.t('Name'),
    thisMonth: l10n.t('This month'),
    lastMonth: l10n.t('Last month'),
    change: l10n.t('Change'),
    chartMonth: l10n.t('Month'),
    chartDay: l10n.t('Day'),
    chartActual: l10n.t('Actual'),
    chartForecast: l10n.t('Forecast'),
    chart80Upper: l10n.t('80% upper'),
    chart80Lower: l10n.t('80% lower'),
    /** {0}: the day or days, {1}: the dimension (or "cost"), {2}: the impact, {3}: " (+12%)" or nothing, {4}: the largest day's impact */
    anomaly: l10n.t('Anomaly {0}: {1}, impact {2}{3}, largest day {4}', LATER, LATER1, LATER2, '{3}', '{4}'),
    anomalyCost: l10n.t('cost'),
  };
}

export type DashboardStrings = ReturnType<typeof dashboardStrings>;
