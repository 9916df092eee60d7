import * as vscode from 'vscode';

/** Every setting, read through one typed wrapper. Keys match package.json `contributes.configuration`. */
export const SECTION = 'cloudMonitor';

/*
 * Values read since the last configuration change. Some settings are read on hot paths: the daily budget
 * before every AWS request (the billing gate), the endpoint for every client lookup. Each read builds VS
 * Code's configuration view, and inspect() walks every layer and override: with a posture scan's thousands
 * of requests that was up to ~0.8 s of extension-host CPU, some of it in one long task
 * (`npm run bench -- large-account`). Any configuration change, and a grant of workspace trust (a workspace
 * value counts only once trusted), empties it before the next read, so a change still applies at once.
 */
const settingsCache = new Map<string, unknown>();
let watching: vscode.Disposable | undefined;

/**
 * Starts emptying the settings cache on every configuration change or trust grant. Called first in
 * activation, before any other onDidChangeConfiguration listener: VS Code calls listeners in the order they
 * were added, so every listener reads the new values. A read before it starts watching starts it.
 */
function watchSettings(): vscode.Disposable {
  if (!watching) {
    const subs = [
      vscode.workspace.onDidChangeConfiguration(() => settingsCache.clear()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => settingsCache.clear()),
    ];
    watching = { dispose: () => subs.forEach((d) => d.dispose()) };
  }
  return {
    dispose: () => {
      watching?.dispose();
      watching = undefined;
      settingsCache.clear();
    },
  };
}

function cached<T>(key: string, read: () => T): T {
  if (!watching) watchSettings();
  if (settingsCache.has(key)) return settingsCache.get(key) as T;
  const value = read();
  settingsCache.set(key, value);
  return value;
}

function get<T>(key: string, fallback: T): T {
  const value = cached(`get:${key}`, () => vscode.workspace.getConfiguration(SECTION).get<T>(key));
  return value === undefined ? fallback : value;
}

/**
 * A setting that decides where requests, credentials or results go, with where its value came from.
 * A workspace (or folder) value counts only in a trusted workspace; VS Code also drops these settings
 * there (package.json restrictedConfigurations), this holds whatever reads them.
 */
export interface Layered<T> {
  value: T;
  /** The value comes from the workspace's or folder's settings (trusted workspace only). */
  fromWorkspace: boolean;
  /** The user's own value (or the default), which applies when the workspace value does not. */
  userValue: T;
}

function layered<T>(key: string, fallback: T): Layered<T> {
  return cached(`layered:${key}`, () => {
    const i = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
    const userValue = i?.globalValue ?? i?.defaultValue ?? fallback;
    const workspaceValue = i?.workspaceFolderValue ?? i?.workspaceValue;
    // Frozen: every caller until the next change gets this same object.
    if (workspaceValue === undefined || !vscode.workspace.isTrusted) return Object.freeze({ value: userValue, fromWorkspace: false, userValue });
    return Object.freeze({ value: workspaceValue, fromWorkspace: true, userValue });
  });
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : min;
}
const COST_METRICS = ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost'] as const;

/** cloudMonitor.costs.* */
const costs = {
  /** How long Cost Explorer responses stay fresh (hours, default 6). */
  cacheTtlMs: () => Math.min(168, Math.max(1, get<number>('costs.cacheTtlHours', 6))) * 3_600_000,
  autoRefresh: () => get<boolean>('costs.autoRefresh', true),
  topN: () => Math.min(25, Math.max(1, Math.round(get<number>('costs.topN', 5)))),
  tagKey: () => get<string>('costs.tagKey', '').trim(),
  metric: (): (typeof COST_METRICS)[number] => {
    const m = get<string>('costs.metric', 'UnblendedCost');
    return (COST_METRICS as readonly string[]).includes(m) ? (m as (typeof COST_METRICS)[number]) : 'UnblendedCost';
  },
  excludeCreditsRefundsTax: () => get<boolean>('costs.excludeCreditsRefundsTax', false),
  statusBar: () => get<boolean>('costs.statusBar', false),
  curTable: () => get<string>('costs.curTable', '').trim(),
  /** Writes a costs setting in the user settings. */
  set: (key: 'tagKey' | 'curTable', value: string) => vscode.workspace.getConfiguration(SECTION).update(`costs.${key}`, value, vscode.ConfigurationTarget.Global),
};

/*
 * profile, region, endpointUrl and athena.outputLocation are `window`-scoped in package.json, not
 * `machine-overridable`. In a remote window (code-server, Remote-SSH) VS Code drops machine-overridable
 * values from the local user settings, but only when it re-reads that file: they applied at start-up and
 * vanished on the first write to it, so Toggle Alert Do Not Disturb (an application setting, written
 * there) disconnected everything (issue 14). LOCAL_MACHINE_SCOPES in
 * https://github.com/microsoft/vscode/blob/main/src/vs/workbench/services/configuration/common/configuration.ts
 */
export const Config = {
  section: SECTION,
  /** Profile to use when the workspace has not chosen one. */
  profile: () => layered<string>('profile', '').value.trim(),
  region: () => layered<string>('region', '').value.trim(),
  /** Endpoint override for every service (LocalStack, moto), and whether the workspace set it (see AwsConnection). */
  endpointUrl: () => layered<string>('endpointUrl', ''),
  /** Buckets checked at once by the posture scan (each makes eight S3 calls in parallel). */
  /** Requests in flight at once across every account and region of a multi-account scope (src/aws/scope). */
  scopeConcurrency: () => clamp(get<number>('scope.concurrency', 8), 1, 64),
  bucketsScanConcurrency: () => clamp(get<number>('buckets.scanConcurrency', 8), 1, 64),
  /** How long bucket lists, postures and storage metrics stay fresh in the disk cache. */
  bucketsCacheTtlMs: () => clamp(get<number>('buckets.cacheTtlMinutes', 15), 0, 24 * 60) * 60_000,
  /** Keys listed per "Load more" page when browsing a bucket. */
  bucketsPageSize: () => clamp(get<number>('buckets.pageSize', 200), 1, 1000),
  /** Bytes of an object read for a preview (and of inflated text for gzip). */
  bucketsPreviewMaxBytes: () => clamp(get<number>('buckets.previewMaxBytes', 1_048_576), 1024, 50 * 1_048_576),
  /** Lowest Security Hub severity label shown in the Findings view. */
  findingsSeverityFloor: () => get<string>('findings.severityFloor', 'INFORMATIONAL'),
  /** Only findings from this product (ProductName, e.g. "Security Hub", "GuardDuty"); empty for all. */
  findingsProductName: () => get<string>('findings.productName', '').trim(),
  /** Findings fetched before the view offers "Load more". */
  findingsMaxResults: () => clamp(get<number>('findings.maxResults', 1000), 100, 20_000),
  /** Athena workgroup, catalog and database used when this workspace has not picked one in the status bar. */
  athenaWorkgroup: () => get<string>('athena.workgroup', 'primary').trim() || 'primary',
  athenaCatalog: () => get<string>('athena.catalog', 'AwsDataCatalog').trim() || 'AwsDataCatalog',
  athenaDatabase: () => get<string>('athena.database', 'default').trim(),
  /** s3:// prefix for query results when the workgroup has no result location of its own. */
  athenaOutputLocation: () => layered<string>('athena.outputLocation', '').value.trim(),
  /** The Stats tab warns when a query scanned more than this many bytes. 0 turns the warning off. */
  athenaWarnScannedBytes: () => Math.max(0, get<number>('athena.warnScannedBytes', 10 * 1024 ** 3) || 0),
  /** Past queries kept in the Athena History view. */
  athenaHistorySize: () => clamp(get<number>('athena.historySize', 200), 10, 5000),
  /** Results (Athena, Logs Insights) larger than this many MB of text spill their rows to a file. */
  resultsSpillThresholdMb: () => clamp(get<number>('results.spillThresholdMb', 64), 1, 4096),
  /** A result stops (keeping what was read) once its spill file would pass this many MB. */
  resultsMaxSpillMb: () => clamp(get<number>('results.maxSpillMb', 20_480), 1, 1_048_576),
  costs,
  /** Events a tail document keeps; older ones are dropped. */
  logsTailMaxEvents: () => clamp(get<number>('logs.tailMaxEvents', 10_000), 100, 1_000_000),
  /** auto: Live Tail, falling back to FilterLogEvents polling where Live Tail is not served. */
  logsTailMode: () => {
    const m = get<string>('logs.tailMode', 'auto');
    return m === 'liveTail' || m === 'poll' ? m : 'auto';
  },
  logsTailPollIntervalMs: () => clamp(get<number>('logs.pollIntervalSeconds', 2), 1, 60) * 1000,
  /** Minutes of events a new tail starts with (FilterLogEvents); 0 starts empty. */
  logsTailBackfillMinutes: () => clamp(Math.round(get<number>('logs.tailBackfillMinutes', 5)), 0, 60),
  /** A tail not visible for this many minutes stops (Live Tail is billed per minute); 0 never stops. */
  logsLiveTailIdleMinutes: () => clamp(Math.round(get<number>('logs.liveTailIdleMinutes', 5)), 0, 1440),
  /** Long-poll the pipeline's inbox queue and show alerts as notifications. */
  alertsNotifications: () => get<boolean>('alerts.notifications', true),
  /** No alert notifications: alerts still arrive (view, history, badge); a summary follows when turned off. */
  alertsDoNotDisturb: () => get<boolean>('alerts.doNotDisturb', false),
  /** Writes Do Not Disturb in the user settings (it is an application setting). */
  setAlertsDoNotDisturb: (on: boolean) => vscode.workspace.getConfiguration(SECTION).update('alerts.doNotDisturb', on, vscode.ConfigurationTarget.Global),
  /** More alerts than this at once are shown as one summary. */
  alertsSummaryThreshold: () => clamp(get<number>('alerts.summaryThreshold', 5), 1, 100),
  /** The daily budget in USD (an application setting: never a workspace's value). */
  billingDailyBudgetUsd: () => {
    const v = layered<number>('billing.dailyBudgetUsd', 1).userValue;
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 1;
  },
  affects: (e: vscode.ConfigurationChangeEvent, key: string) => e.affectsConfiguration(`${SECTION}.${key}`),
  get,
  /** Keeps setting values between configuration changes (see settingsCache); call before anything else listens for changes. */
  watch: watchSettings,
};
export type ConfigApi = typeof Config;
