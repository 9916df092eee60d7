// A deterministic, realistic Cost Explorer: a small organisation (two accounts, a dozen services, two
// regions, a cost_center tag, monthly credits and tax, a spike) that answers GetCostAndUsage for any
// grouping, granularity, period and filter, plus GetCostForecast, GetAnomalyMonitors and GetAnomalies.
// Used by the unit tests and the bench (as a CeApi), and by the sandbox seeder and the integration and UI
// tests to build the canned results moto_server hands out.
import type { CeApi } from '../../src/costs/api';
import { addDays, addMonths, daysInRange, monthEnd, monthOf, type Day } from '../../src/costs/dates';
import type { CostPage } from '../../src/costs/math';
import { AwsErrorAnswer } from './ceEndpoint';

export const ACCOUNTS = [
  { id: '111111111111', name: 'prod' },
  { id: '222222222222', name: 'dev' },
];
export const TAG_KEY = 'cost_center';

interface Line { service: string; account: string; region: string; usageType: string; tag: string; base: number; recordType?: 'Usage' | 'Credit' | 'Tax' }

const [PROD, DEV] = ACCOUNTS.map((a) => a.id);
export const EC2 = 'Amazon Elastic Compute Cloud - Compute';

const LINES: Line[] = [
  { service: EC2, account: PROD, region: 'us-east-1', usageType: 'USE1-BoxUsage:m5.large', tag: 'team-a', base: 38 },
  { service: EC2, account: DEV, region: 'eu-west-1', usageType: 'EUW1-BoxUsage:t3.medium', tag: 'team-b', base: 9 },
  { service: 'Amazon Relational Database Service', account: PROD, region: 'us-east-1', usageType: 'USE1-InstanceUsage:db.r6g.large', tag: 'team-a', base: 21 },
  { service: 'Amazon Simple Storage Service', account: PROD, region: 'us-east-1', usageType: 'USE1-TimedStorage-ByteHrs', tag: 'team-a', base: 6.2 },
  { service: 'Amazon Simple Storage Service', account: DEV, region: 'eu-west-1', usageType: 'EUW1-Requests-Tier1', tag: 'team-b', base: 1.1 },
  { service: 'AWS Lambda', account: PROD, region: 'us-east-1', usageType: 'USE1-Lambda-GB-Second', tag: 'team-b', base: 3.4 },
  { service: 'AmazonCloudWatch', account: PROD, region: 'us-east-1', usageType: 'USE1-CW:MetricMonitorUsage', tag: '', base: 2.8 },
  { service: 'AmazonCloudWatch', account: DEV, region: 'eu-west-1', usageType: 'EUW1-CW:MetricMonitorUsage', tag: '', base: 0.9 },
  { service: 'Amazon DynamoDB', account: PROD, region: 'us-east-1', usageType: 'USE1-TimedStorage-ByteHrs', tag: 'team-b', base: 1.6 },
  { service: 'Amazon Simple Queue Service', account: DEV, region: 'eu-west-1', usageType: 'EUW1-Requests-FIFO-Tier1', tag: 'team-b', base: 0.4 },
  { service: 'Amazon Simple Notification Service', account: PROD, region: 'us-east-1', usageType: 'USE1-Requests-Tier1', tag: '', base: 0.15 },
  { service: 'Amazon Athena', account: DEV, region: 'us-east-1', usageType: 'USE1-DataScannedInTB', tag: 'team-a', base: 0.8 },
  { service: 'AWS Key Management Service', account: PROD, region: 'us-east-1', usageType: 'USE1-KMS-Keys', tag: '', base: 0.3 },
  { service: 'AWS Cost Explorer', account: PROD, region: 'global', usageType: 'APIRequest', tag: '', base: 0.05 },
  // Monthly lines, booked on the 1st.
  { service: EC2, account: PROD, region: 'us-east-1', usageType: 'USE1-BoxUsage:m5.large', tag: 'team-a', base: -25, recordType: 'Credit' },
  { service: 'Tax', account: PROD, region: 'global', usageType: 'Tax', tag: '', base: 12, recordType: 'Tax' },
];

function dayNumber(day: Day): number {
  return Date.parse(`${day}T00:00:00Z`) / 86_400_000;
}

/**
 * The account's cost history: no line item costs anything before `from` (a new account). Unbounded without it.
 * `viewer`: the calling account when it is a member account of the organization: Cost Explorer then answers
 * for that account's own line items only (a management account, or no viewer, sees every account's).
 */
export interface CostHistory { from?: Day; viewer?: string }

/** One line's unblended, amortized and net unblended cost on one day. `today` anchors the spike. */
function amounts(line: Line, day: Day, today: Day, history: CostHistory = {}): [number, number, number] {
  if (history.from && day < history.from) return [0, 0, 0];
  if (line.recordType === 'Credit' || line.recordType === 'Tax') {
    return day.endsWith('-01') && day < today ? [line.base, line.base, line.base] : [0, 0, 0];
  }
  const n = dayNumber(day);
  const weekday = new Date(n * 86_400_000).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 0.8 : 1;
  const wave = 1 + 0.12 * Math.sin(n / 5 + line.base);
  const growth = 1 + 0.0015 * (n - 19_700);
  const ago = (dayNumber(today) - n);
  const spike = line.service === EC2 && line.account === PROD && ago >= 4 && ago <= 6 ? 2.2 : 1;
  // Today is partial: about half a day has been recorded.
  const partial = day === today ? 0.5 : 1;
  const u = Math.round(line.base * weekend * wave * growth * spike * partial * 1e4) / 1e4;
  const amortized = line.service === EC2 || line.service.includes('Relational') ? u * 0.93 : u;
  const net = line.service === EC2 ? u * 0.95 : u;
  return [u, Math.round(amortized * 1e4) / 1e4, Math.round(net * 1e4) / 1e4];
}

interface GroupBy { Type?: string; Key?: string }
export interface CostAndUsageInput {
  TimePeriod?: { Start?: string; End?: string };
  Granularity?: string;
  GroupBy?: GroupBy[];
  Filter?: Expression;
  NextPageToken?: string;
  Metrics?: string[];
}

/** Cost Explorer's filter Expression (botocore's Expression shape; CostCategories are not modelled here). */
export interface Expression {
  And?: Expression[];
  Or?: Expression[];
  Not?: Expression;
  Dimensions?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
  Tags?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
  CostCategories?: unknown;
}

/**
 * Whether a line item matches a filter, as Cost Explorer reads one: one operator per Expression (And, Or,
 * Not, Dimensions, Tags); Dimensions match when the line's value is one of Values; Tags with Values match
 * the tag's value, and a Key without Values matches items without that tag (botocore's TagValues: "the
 * ABSENT MatchOption is applied to the tag Key only"). Anything else is refused as Cost Explorer refuses it.
 */
export function matchesFilter(line: Line, e: Expression): boolean {
  const ops = (['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const).filter((k) => e[k] !== undefined);
  if (ops.length !== 1) throw new AwsErrorAnswer('ValidationException', `Expression must have exactly one of And, Or, Not, Dimensions, Tags or CostCategories; got ${ops.join(', ') || 'none'}`);
  if (e.And) return e.And.every((x) => matchesFilter(line, x));
  if (e.Or) return e.Or.some((x) => matchesFilter(line, x));
  if (e.Not) return !matchesFilter(line, e.Not);
  if (e.Dimensions) {
    if (e.Dimensions.MatchOptions) throw new AwsErrorAnswer('ValidationException', 'MatchOptions is not supported for Dimensions in this operation');
    return (e.Dimensions.Values ?? []).includes(keyOf(line, { Type: 'DIMENSION', Key: e.Dimensions.Key }));
  }
  if (e.Tags) {
    if (e.Tags.MatchOptions) throw new AwsErrorAnswer('ValidationException', 'MatchOptions is not supported for Tags in this operation');
    if (e.Tags.Key !== TAG_KEY) return !e.Tags.Values?.length;
    return e.Tags.Values?.length ? e.Tags.Values.includes(line.tag) : line.tag === '';
  }
  throw new AwsErrorAnswer('ValidationException', 'the stand-in has no cost categories');
}

function keyOf(line: Line, g: GroupBy): string {
  if (g.Type === 'TAG') return `${g.Key}$${line.tag}`;
  switch (g.Key) {
    case 'SERVICE': return line.service;
    case 'LINKED_ACCOUNT': return line.account;
    case 'REGION': return line.region;
    case 'USAGE_TYPE': return line.usageType;
    case 'RECORD_TYPE': return line.recordType ?? 'Usage';
    default: throw new Error(`the fake Cost Explorer does not group by ${g.Key}`);
  }
}

function metricsOf(a: [number, number, number], wanted: string[]) {
  const all: Record<string, number> = { UnblendedCost: a[0], AmortizedCost: a[1], NetUnblendedCost: a[2] };
  return Object.fromEntries(wanted.map((m) => [m, { Amount: (all[m] ?? 0).toFixed(10), Unit: 'USD' }]));
}

/**
 * What Cost Explorer would answer on `today`. Periods end at tomorrow at the latest; the last three days
 * (and anything of the current month) are Estimated. `pageSize` splits the groups into pages.
 */
export function answerCostAndUsage(input: CostAndUsageInput, today: Day, pageSize = Infinity, history: CostHistory = {}): CostPage {
  const start = input.TimePeriod?.Start ?? today;
  const end = input.TimePeriod?.End ?? addDays(today, 1);
  const last = end < addDays(today, 1) ? end : addDays(today, 1);
  // Cost Explorer's TimePeriod rules: Start before End, and no further back than 13 months before this one.
  if (start >= end) throw new AwsErrorAnswer('ValidationException', 'Start date (and hour) should be before end date (and hour)');
  if (start < `${addMonths(monthOf(today), -13)}-01`) throw new AwsErrorAnswer('ValidationException', 'start date is too old: historical data beyond 13 months is not available');
  const filter = input.Filter;
  const groupBy = input.GroupBy ?? [];
  const metrics = input.Metrics ?? ['UnblendedCost'];
  const periods: { start: Day; end: Day }[] = [];
  if (input.Granularity === 'MONTHLY') {
    for (let s = start; s < last; s = monthEnd(monthOf(s))) periods.push({ start: s, end: monthEnd(monthOf(s)) < last ? monthEnd(monthOf(s)) : last });
  } else {
    for (const d of daysInRange(start, last)) periods.push({ start: d, end: addDays(d, 1) });
  }
  const estimatedFrom = addDays(today, -3);
  type Result = NonNullable<CostPage['ResultsByTime']>[number];
  const results: Result[] = periods.map((p) => {
    const sums = new Map<string, [number, number, number]>();
    for (const line of LINES) {
      if (history.viewer && line.account !== history.viewer) continue;
      if (filter && !matchesFilter(line, filter)) continue;
      const k = JSON.stringify(groupBy.map((g) => keyOf(line, g)));
      const acc = sums.get(k) ?? [0, 0, 0];
      for (const d of daysInRange(p.start, p.end)) {
        const a = amounts(line, d, today, history);
        acc[0] += a[0]; acc[1] += a[1]; acc[2] += a[2];
      }
      sums.set(k, acc);
    }
    const estimated = p.end > estimatedFrom || monthOf(p.start) === monthOf(today);
    if (!groupBy.length) {
      const t = sums.get('[]') ?? [0, 0, 0];
      return { TimePeriod: { Start: p.start, End: p.end }, Total: metricsOf(t, metrics), Groups: [], Estimated: estimated };
    }
    const groups = [...sums].filter(([, a]) => a.some((x) => x !== 0)).map(([k, a]) => ({ Keys: JSON.parse(k) as string[], Metrics: metricsOf(a, metrics) }));
    return { TimePeriod: { Start: p.start, End: p.end }, Total: {}, Groups: groups, Estimated: estimated };
  });
  const attributes = groupBy.some((g) => g.Key === 'LINKED_ACCOUNT') ? ACCOUNTS.filter((a) => !history.viewer || a.id === history.viewer).map((a) => ({ Value: a.id, Attributes: { description: a.name } })) : [];
  // Only groups are paged: an ungrouped answer (a Total per period) is one page.
  if (!Number.isFinite(pageSize) || !groupBy.length) return { ResultsByTime: results, DimensionValueAttributes: attributes };

  // Pages hold at most pageSize groups; a day's groups may be split across two pages, as Cost Explorer does.
  const offset = Number(input.NextPageToken ?? 0);
  const flat = results.flatMap((r) => (r.Groups ?? []).map((g) => ({ r, g })));
  const slice = flat.slice(offset, offset + pageSize);
  const byPeriod: Result[] = [];
  for (const { r, g } of slice) {
    let cur = byPeriod[byPeriod.length - 1];
    if (!cur || cur.TimePeriod?.Start !== r.TimePeriod?.Start) byPeriod.push((cur = { ...r, Groups: [] }));
    cur.Groups!.push(g);
  }
  const next = offset + pageSize < flat.length ? String(offset + pageSize) : undefined;
  return { ResultsByTime: byPeriod, DimensionValueAttributes: attributes, ...(next ? { NextPageToken: next } : {}) };
}

/**
 * GetCostForecast: the last week's average per day over the request's Filter (every record type without one), ±15 %.
 *
 * Cost Explorer forecasts only with enough history: "If AWS doesn't have enough data to forecast an 80%
 * prediction interval, Cost Explorer doesn't provide a forecast. This is common for accounts that have less
 * than one full billing cycle" (https://docs.aws.amazon.com/cost-management/latest/userguide/ce-forecast.html).
 * So, as the rule here: unless the costs under the request's Filter go back to the first day of last month
 * (one whole calendar month recorded), the answer is the model's DataUnavailableException with the message
 * Cost Explorer gives new accounts.
 */
export function answerForecast(input: { TimePeriod?: { Start?: string; End?: string }; Metric?: string; Filter?: CostAndUsageInput['Filter'] }, today: Day, history: CostHistory = {}) {
  const metric = { UNBLENDED_COST: 'UnblendedCost', AMORTIZED_COST: 'AmortizedCost', NET_UNBLENDED_COST: 'NetUnblendedCost' }[input.Metric ?? 'UNBLENDED_COST'] ?? 'UnblendedCost';
  const filter = input.Filter ? { Filter: input.Filter } : {};
  const cycleStart = `${addMonths(monthOf(today), -1)}-01`;
  const firstDay = answerCostAndUsage({ TimePeriod: { Start: cycleStart, End: addDays(cycleStart, 1) }, Granularity: 'DAILY', Metrics: [metric], ...filter }, today, Infinity, history);
  if (!(firstDay.ResultsByTime ?? []).some((r) => Number(r.Total?.[metric]?.Amount ?? 0) !== 0)) throw new AwsErrorAnswer('DataUnavailableException', FORECAST_NO_HISTORY_MESSAGE);
  const week = answerCostAndUsage({ TimePeriod: { Start: addDays(today, -7), End: today }, Granularity: 'DAILY', Metrics: [metric], ...filter }, today, Infinity, history);
  const avg = (week.ResultsByTime ?? []).reduce((s, r) => s + Number(r.Total?.[metric]?.Amount ?? 0), 0) / 7;
  const days = daysInRange(input.TimePeriod?.Start ?? today, input.TimePeriod?.End ?? addDays(today, 1));
  const f = (n: number) => n.toFixed(4);
  return {
    Total: { Amount: f(avg * days.length), Unit: 'USD' },
    ForecastResultsByTime: days.map((d) => ({ TimePeriod: { Start: d, End: addDays(d, 1) }, MeanValue: f(avg), PredictionIntervalLowerBound: f(avg * 0.85), PredictionIntervalUpperBound: f(avg * 1.15) })),
  };
}

/** What Cost Explorer answers a forecast for an account without enough history (seen in the wild, e.g. zoph-io/instance-watcher#38). */
export const FORECAST_NO_HISTORY_MESSAGE = 'Insufficient amount of historical data.';

export const MONITOR_ARN = 'arn:aws:ce::111111111111:anomalymonitor/6c6e2a5c-0000-4000-8000-000000000001';

export function answerAnomalyMonitors() {
  return { AnomalyMonitors: [{ MonitorArn: MONITOR_ARN, MonitorName: 'services', MonitorType: 'DIMENSIONAL' as const, MonitorDimension: 'SERVICE' as const }] };
}

/** One anomaly: the EC2 spike in prod, 4 to 6 days ago. */
export function answerAnomalies(today: Day) {
  return {
    Anomalies: [
      {
        AnomalyId: 'a1b2c3d4-0000-4000-8000-000000000001',
        AnomalyStartDate: addDays(today, -6),
        AnomalyEndDate: addDays(today, -4),
        DimensionValue: EC2,
        MonitorArn: MONITOR_ARN,
        AnomalyScore: { MaxScore: 0.92, CurrentScore: 0.4 },
        Impact: { MaxImpact: 48.1, TotalImpact: 131.4, TotalActualSpend: 251.2, TotalExpectedSpend: 119.8, TotalImpactPercentage: 109.7 },
        RootCauses: [{ Service: EC2, Region: 'us-east-1', LinkedAccount: PROD, LinkedAccountName: 'prod', UsageType: 'USE1-BoxUsage:m5.large', Impact: { Contribution: 131.4 } }],
      },
    ],
  };
}

/** The fake as a CeApi, counting every call (each page is one call, as Cost Explorer bills). */
export class FakeCostExplorer implements CeApi {
  readonly calls: { op: string; input: unknown }[] = [];
  offline = false;
  pageSize = Infinity;
  history: CostHistory = {};
  constructor(private readonly today: () => Day) {}

  private call<T>(op: string, input: unknown, answer: () => T): Promise<T> {
    this.calls.push({ op, input });
    if (this.offline) return Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND ce.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' }));
    // A refusal (AwsErrorAnswer) rejects, as the SDK's ServiceException does.
    return new Promise<T>((resolve) => resolve(answer()));
  }

  count(op?: string): number { return op ? this.calls.filter((c) => c.op === op).length : this.calls.length; }

  getCostAndUsage(input: CostAndUsageInput) { return this.call('GetCostAndUsage', input, () => answerCostAndUsage(input, this.today(), this.pageSize, this.history)); }
  getCostForecast(input: Parameters<typeof answerForecast>[0]) { return this.call('GetCostForecast', input, () => answerForecast(input, this.today(), this.history)); }
  getAnomalyMonitors(input: unknown) { return this.call('GetAnomalyMonitors', input, () => answerAnomalyMonitors()); }
  getAnomalies(input: unknown) { return this.call('GetAnomalies', input, () => answerAnomalies(this.today())); }
}

/**
 * An AWS Organization as Cost Explorer sees it: the management (payer) account answers for every member
 * account; a member account answers for its own costs only. `accountOf` tells the calling account from the
 * signer's access key id (the test knows which keys it handed to which account).
 */
export interface Organization { payer: string; accountOf(accessKeyId: string | undefined): string | undefined }

/** The account whose own costs only are answered, or undefined for the payer (every account). An unknown caller sees nothing of others. */
function viewerOf(org: Organization, accessKeyId: string | undefined): string {
  const account = org.accountOf(accessKeyId) ?? 'unknown-caller';
  return account === org.payer ? '' : account;
}

/**
 * The recorded answers for startCeEndpoint: every Cost Explorer operation this extension calls, computed
 * per request from the line items above for `today()` (so TimePeriod, Filter, GroupBy and paging are honoured).
 */
export function costExplorerAnswers(today: () => Day, opts: { pageSize?: number; history?: CostHistory; costAndUsage?: (page: CostPage) => CostPage; organization?: Organization } = {}): Record<string, (body: Record<string, unknown>, caller: { accessKeyId?: string }) => unknown> {
  const history = opts.history ?? {};
  const org = opts.organization;
  return {
    GetCostAndUsage: (body, caller) => (opts.costAndUsage ?? ((p: CostPage) => p))(answerCostAndUsage(body as CostAndUsageInput, today(), opts.pageSize, { ...history, viewer: org ? viewerOf(org, caller.accessKeyId) : undefined })),
    // A forecast, like the costs it is made from, covers what the caller sees: a member its own account.
    GetCostForecast: (body, caller) => answerForecast(body as Parameters<typeof answerForecast>[0], today(), { ...history, viewer: org ? viewerOf(org, caller.accessKeyId) : undefined }),
    GetAnomalyMonitors: () => answerAnomalyMonitors(),
    GetAnomalies: () => answerAnomalies(today()),
  };
}
