// The one price table of every AWS operation the extension can call, free ones included. Pure: no vscode,
// no SDK. Each price names its source page and when it was read. List prices (us-east-1 unless a region
// has its own entry), without free tiers: the ledger errs on the side of spending.
//
// An entry says when its price is known:
//   - 'advance': from the request (a Cost Explorer request, an S3 LIST, GetMetricData's metric count);
//   - 'after':   from the answer (Athena's DataScannedInBytes on the query's final GetQueryExecution,
//                Logs Insights' statistics.bytesScanned on the final GetQueryResults, Live Tail minutes
//                from the session's start and stop, the idle stop included);
//   - 'free':    AWS does not charge for the call itself.

import { formatUsd } from '../athena/cost';

export const PRICES_READ = '2025-01';
// Checked again on 2026-12-04, from stored copies of public pages (no live AWS page could be opened here):
// - Cost Explorer: AWS's own pricing page says "Each request will incur a cost of $0.01": unchanged, read 2026-12.
// - CloudWatch: AWS's page as stored shows only the free tier (its paid-tier tabs are scripted); third-party
//   pages dated 2026 still give Logs Insights $0.005 per GB scanned and Live Tail $0.01 per minute.
// - Athena: third-party pages give $5 per TB, rounded up to the MB, 10 MB minimum: the same.
// The other entries could not be checked; they keep the date they were read (2025-01).
const CE_READ = '2026-12';

export type PriceUnit = 'request' | 'metric' | 'GB scanned' | 'TB scanned' | 'minute' | 'read unit' | 'free';
export type PriceWhen = 'advance' | 'after' | 'free';

export interface PriceEntry {
  unit: PriceUnit;
  /** USD per unit in us-east-1 (and every region without its own figure). */
  usd: number;
  /** USD per unit where a region's price differs. */
  regions?: Readonly<Record<string, number>>;
  when: PriceWhen;
  source: string;
  read: string;
  /** What the price covers, for the README and the ledger view. */
  note: string;
}

const SRC = {
  ce: 'https://aws.amazon.com/aws-cost-management/aws-cost-explorer/pricing/',
  s3: 'https://aws.amazon.com/s3/pricing/',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  athena: 'https://aws.amazon.com/athena/pricing/',
  sqs: 'https://aws.amazon.com/sqs/pricing/',
  dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  glue: 'https://aws.amazon.com/glue/pricing/',
  cloudformation: 'https://aws.amazon.com/cloudformation/pricing/',
  securityhub: 'https://aws.amazon.com/security-hub/pricing/',
  sts: 'https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html',
  sso: 'https://aws.amazon.com/iam/identity-center/faqs/',
  organizations: 'https://aws.amazon.com/organizations/pricing/',
} as const;

const entry = (e: Omit<PriceEntry, 'read'> & { read?: string }): PriceEntry => ({ read: PRICES_READ, ...e });
const free = (source: string, note: string): PriceEntry => entry({ unit: 'free', usd: 0, when: 'free', source, note });

const CE_REQUEST = entry({ unit: 'request', usd: 0.01, when: 'advance', read: CE_READ, source: SRC.ce, note: '$0.01 per API request; each page of a paged answer is a request' });
// S3 Standard request tiers. LIST and PUT, COPY, POST share one price, GET, HEAD and "all other" another.
const S3_PUT_LIST = entry({
  unit: 'request', usd: 0.005 / 1000, when: 'advance', source: SRC.s3, note: 'PUT, COPY, POST, LIST requests: $0.005 per 1,000',
  regions: { 'us-west-1': 0.0055 / 1000, 'eu-central-1': 0.0054 / 1000, 'eu-west-2': 0.0053 / 1000, 'ap-northeast-1': 0.0047 / 1000, 'ap-southeast-1': 0.005 / 1000, 'ap-southeast-2': 0.0055 / 1000, 'sa-east-1': 0.007 / 1000 },
});
const S3_GET = entry({
  unit: 'request', usd: 0.0004 / 1000, when: 'advance', source: SRC.s3, note: 'GET, SELECT, HEAD and all other requests: $0.0004 per 1,000 (data transfer out not included)',
  regions: { 'us-west-1': 0.00044 / 1000, 'eu-central-1': 0.00043 / 1000, 'eu-west-2': 0.00042 / 1000, 'ap-northeast-1': 0.00037 / 1000, 'ap-southeast-1': 0.0004 / 1000, 'ap-southeast-2': 0.00044 / 1000, 'sa-east-1': 0.00056 / 1000 },
});
const S3_DELETE = free(SRC.s3, 'DELETE requests are free');
const CW_REQUEST = entry({ unit: 'request', usd: 0.01 / 1000, when: 'advance', source: SRC.cloudwatch, note: 'API requests: $0.01 per 1,000' });
const SQS_REQUEST = entry({ unit: 'request', usd: 0.4 / 1_000_000, when: 'advance', source: SRC.sqs, note: 'standard queue: $0.40 per million requests (FIFO queues $0.50); a batch is one request per 64 KB' });
const ATHENA_FREE = free(SRC.athena, 'metadata and control calls are not charged; queries are billed by data scanned');
const CFN_FREE = free(SRC.cloudformation, 'no charge for AWS resource types');
const HUB_FREE = free(SRC.securityhub, 'Security Hub bills checks and ingested findings, not API calls');
const LOGS_FREE = free(SRC.cloudwatch, 'no per-request charge');

/** 'service:Operation' (botocore's service names, as the contract check uses them) → price. */
export const PRICE_TABLE: Readonly<Record<string, PriceEntry>> = {
  'ce:GetCostAndUsage': CE_REQUEST,
  'ce:GetCostForecast': CE_REQUEST,
  'ce:GetAnomalies': CE_REQUEST,
  'ce:GetAnomalyMonitors': CE_REQUEST,

  'athena:StartQueryExecution': free(SRC.athena, 'billed by data scanned when the query ends (see GetQueryExecution)'),
  'athena:GetQueryExecution': entry({ unit: 'TB scanned', usd: 5, when: 'after', source: SRC.athena, note: '$5.00 per TB scanned, rounded up to the MB, 10 MB minimum per query; DDL and failed queries free; recorded once per query, from its final state' }),
  'athena:GetQueryResults': ATHENA_FREE,
  'athena:StopQueryExecution': ATHENA_FREE,
  'athena:GetWorkGroup': ATHENA_FREE,
  'athena:GetDatabase': ATHENA_FREE,
  'athena:ListDataCatalogs': ATHENA_FREE,
  'athena:ListDatabases': ATHENA_FREE,
  'athena:ListTableMetadata': ATHENA_FREE,
  'athena:ListWorkGroups': ATHENA_FREE,
  'glue:GetTables': entry({ unit: 'request', usd: 1 / 1_000_000, when: 'advance', source: SRC.glue, note: 'Data Catalog requests: $1.00 per million (first million a month free)' }),

  'logs:StartQuery': free(SRC.cloudwatch, 'billed by data scanned when the query ends (see GetQueryResults)'),
  'logs:GetQueryResults': entry({ unit: 'GB scanned', usd: 0.005, when: 'after', source: SRC.cloudwatch, note: 'Logs Insights: $0.005 per GB scanned, recorded once per query from its final statistics.bytesScanned' }),
  'logs:StopQuery': LOGS_FREE,
  'logs:StartLiveTail': entry({ unit: 'minute', usd: 0.01, when: 'after', source: SRC.cloudwatch, note: 'Live Tail: $0.01 per session minute, from the session\'s start and stop (idle stop included), recorded when it ends' }),
  'logs:FilterLogEvents': LOGS_FREE,
  'logs:DescribeLogGroups': LOGS_FREE,

  'cloudwatch:GetMetricData': entry({ unit: 'metric', usd: 0.01 / 1000, when: 'advance', source: SRC.cloudwatch, note: 'GetMetricData: $0.01 per 1,000 metrics requested' }),
  'cloudwatch:ListMetrics': CW_REQUEST,
  'cloudwatch:DescribeAlarms': CW_REQUEST,

  's3:ListBuckets': S3_PUT_LIST,
  's3:ListObjectsV2': S3_PUT_LIST,
  's3:ListObjectVersions': S3_PUT_LIST,
  's3:CreateBucket': S3_PUT_LIST,
  's3:PutObject': S3_PUT_LIST,
  's3:PutBucketEncryption': S3_PUT_LIST,
  's3:PutBucketLifecycleConfiguration': S3_PUT_LIST,
  's3:PutBucketOwnershipControls': S3_PUT_LIST,
  's3:PutBucketPolicy': S3_PUT_LIST,
  's3:PutBucketVersioning': S3_PUT_LIST,
  's3:PutPublicAccessBlock': S3_PUT_LIST,
  's3:GetObject': S3_GET,
  's3:HeadObject': S3_GET,
  's3:HeadBucket': S3_GET,
  's3:GetBucketAcl': S3_GET,
  's3:GetBucketEncryption': S3_GET,
  's3:GetBucketLifecycleConfiguration': S3_GET,
  's3:GetBucketLocation': S3_GET,
  's3:GetBucketOwnershipControls': S3_GET,
  's3:GetBucketPolicy': S3_GET,
  's3:GetBucketPolicyStatus': S3_GET,
  's3:GetBucketVersioning': S3_GET,
  's3:GetPublicAccessBlock': S3_GET,
  's3:DeleteObjects': S3_DELETE,
  // The pricing page lists no S3 Control price of its own: counted as an "all other" S3 request.
  's3control:GetPublicAccessBlock': S3_GET,

  'sqs:ReceiveMessage': SQS_REQUEST,
  'sqs:DeleteMessageBatch': SQS_REQUEST,
  'sqs:ChangeMessageVisibilityBatch': SQS_REQUEST,
  'sqs:SendMessage': SQS_REQUEST,
  'sqs:SendMessageBatch': SQS_REQUEST,
  'sqs:GetQueueAttributes': SQS_REQUEST,
  'sqs:StartMessageMoveTask': SQS_REQUEST,
  'sqs:ListMessageMoveTasks': SQS_REQUEST,

  'dynamodb:Query': entry({ unit: 'read unit', usd: 0.125 / 1_000_000, when: 'advance', source: SRC.dynamodb, note: 'on-demand reads: $0.125 per million read request units (at least one per request; the consumed units when the answer reports them)' }),
  'dynamodb:Scan': entry({ unit: 'read unit', usd: 0.125 / 1_000_000, when: 'advance', source: SRC.dynamodb, note: 'on-demand reads: $0.125 per million read request units (at least one per request; the consumed units when the answer reports them)' }),
  'dynamodb:DescribeTable': free(SRC.dynamodb, 'control-plane calls are not charged'),
  'dynamodb:UpdateTable': free(SRC.dynamodb, 'control-plane calls are not charged'),

  'cloudformation:CreateChangeSet': CFN_FREE,
  'cloudformation:DeleteChangeSet': CFN_FREE,
  'cloudformation:DeleteStack': CFN_FREE,
  'cloudformation:DetectStackDrift': CFN_FREE,
  'cloudformation:DescribeChangeSet': CFN_FREE,
  'cloudformation:DescribeStackDriftDetectionStatus': CFN_FREE,
  'cloudformation:DescribeStackEvents': CFN_FREE,
  'cloudformation:DescribeStackResourceDrifts': CFN_FREE,
  'cloudformation:DescribeStacks': CFN_FREE,
  'cloudformation:ExecuteChangeSet': CFN_FREE,
  'cloudformation:ListStackResources': CFN_FREE,

  'securityhub:GetFindings': HUB_FREE,
  'securityhub:GetFindingsV2': HUB_FREE,
  'securityhub:BatchUpdateFindings': HUB_FREE,
  'securityhub:BatchUpdateFindingsV2': HUB_FREE,
  'securityhub:DescribeSecurityHubV2': HUB_FREE,
  'securityhub:GetAdministratorAccount': HUB_FREE,
  'securityhub:ListFindingAggregators': HUB_FREE,
  'securityhub:GetFindingAggregator': HUB_FREE,

  // Sign-in: the connection's identity, and the clients the credential providers make for role, web
  // identity and SSO profiles.
  'sts:GetCallerIdentity': free(SRC.sts, 'STS is not charged'),
  'sts:AssumeRole': free(SRC.sts, 'STS is not charged'),
  'sts:AssumeRoleWithWebIdentity': free(SRC.sts, 'STS is not charged'),
  'sso:GetRoleCredentials': free(SRC.sso, 'IAM Identity Center is not charged (also called when signing in with an SSO profile)'),
  // The Select Scope listing of an sso-session's accounts and roles (src/aws/scope/ssoPortal.ts).
  'sso:ListAccounts': free(SRC.sso, 'IAM Identity Center is not charged'),
  'sso:ListAccountRoles': free(SRC.sso, 'IAM Identity Center is not charged'),
  'sso-oidc:CreateToken': free(SRC.sso, 'IAM Identity Center is not charged'),

  // The payer of a scope's costs (src/costs/accounts.ts).
  'organizations:DescribeOrganization': free(SRC.organizations, 'AWS Organizations is offered at no additional charge'),
};

/** Calls that start work billed afterwards: the budget gate asks before them once the budget is passed. */
export const STARTS_BILLED_WORK: ReadonlySet<string> = new Set(['athena:StartQueryExecution', 'logs:StartQuery', 'logs:StartLiveTail']);

/** How the budget gate treats a call: priced before it is sent, starting billed work, or free. */
export function gateKind(key: string): PriceWhen {
  if (STARTS_BILLED_WORK.has(key)) return 'after';
  const e = PRICE_TABLE[key];
  return !e || e.when === 'advance' ? 'advance' : 'free';
}

/** SDK v3 client name (context.clientName, which survives minification) → the table's service name. */
export const SERVICE_OF_CLIENT: Readonly<Record<string, string>> = {
  AthenaClient: 'athena', CloudFormationClient: 'cloudformation', CloudWatchClient: 'cloudwatch', CloudWatchLogsClient: 'logs',
  CostExplorerClient: 'ce', DynamoDBClient: 'dynamodb', DynamoDBDocumentClient: 'dynamodb', GlueClient: 'glue', S3Client: 's3',
  S3ControlClient: 's3control', SecurityHubClient: 'securityhub', SQSClient: 'sqs', STSClient: 'sts', SSOClient: 'sso', SSOOIDCClient: 'sso-oidc', OrganizationsClient: 'organizations',
};

/** The price of one unit of an operation in a region, or undefined when the table has no entry. */
export function priceOf(key: string, region: string): { entry: PriceEntry; usdPerUnit: number } | undefined {
  const e = PRICE_TABLE[key];
  if (!e) return undefined;
  return { entry: e, usdPerUnit: e.regions?.[region] ?? e.usd };
}

type Obj = Record<string, unknown> | undefined;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

/**
 * The billable quantity of a call known from its request alone (prices 'advance'): requests, metrics
 * requested, read units (at least one). Answers can refine it (`quantityAfter`).
 */
export function quantityBefore(key: string, input: unknown): number {
  const i = obj(input);
  if (key === 'cloudwatch:GetMetricData') {
    const queries = Array.isArray(i?.MetricDataQueries) ? (i!.MetricDataQueries as unknown[]) : [];
    // Billed per metric requested: each query that names a metric (MetricStat); math expressions are free.
    return queries.filter((q) => obj(q)?.MetricStat).length;
  }
  const e = PRICE_TABLE[key];
  return e && e.when === 'advance' ? 1 : 0;
}

/** Whether an SQS call goes to a FIFO queue (billed $0.50 per million instead of $0.40). */
export function isFifoQueue(input: unknown): boolean {
  const url = obj(input)?.QueueUrl;
  return typeof url === 'string' && url.endsWith('.fifo');
}

/** "$0.04" for cents and more, three significant digits below a cent, "$0" for nothing. */
export function formatSpend(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 1 || (usd >= 0.01 && Math.abs(usd * 100 - Math.round(usd * 100)) < 1e-9)) return `$${usd.toFixed(2)}`;
  if (usd >= 0.01) return `$${Number(usd.toPrecision(3))}`;
  // Two significant digits, never in exponent notation (4e-7 → $0.00000040).
  return `$${usd.toFixed(Math.min(12, 1 - Math.floor(Math.log10(usd))))}`;
}

/** "$0.005 per 1,000 requests", "$5.00 per TB scanned", "free". */
export function describePrice(e: PriceEntry, usdPerUnit = e.usd): string {
  if (e.unit === 'free') return 'free';
  const per = usdPerUnit < 0.001 ? (usdPerUnit < 0.000001 ? 1_000_000 : 1000) : 1;
  const figure = usdPerUnit * per;
  const plain = String(Number(figure.toPrecision(3)));
  const amount = !plain.includes('.') ? `${plain}.00` : /\.\d$/.test(plain) ? `${plain}0` : plain;
  const unit = per === 1 ? e.unit : `${per.toLocaleString('en-US')} ${e.unit}s`;
  return `$${amount} per ${unit}`;
}

/** What a Logs Insights query cost: its bytes scanned at the region's price per GB (binary GB, as Athena's). */
export function insightsQueryCost(bytesScanned: number, region: string): { usd: number; label: string } {
  const p = priceOf('logs:GetQueryResults', region)!;
  const usd = (Math.max(0, bytesScanned) / 1024 ** 3) * p.usdPerUnit;
  return { usd, label: describePrice(p.entry, p.usdPerUnit) };
}

/** "$0.0100 ($0.005 per GB scanned)" from a query's statistics.bytesScanned, for the results' Stats. */
export function insightsCostText(bytesScanned: number | undefined, region: string): string {
  if (typeof bytesScanned !== 'number') return '? (no bytesScanned in the answer)';
  const c = insightsQueryCost(bytesScanned, region);
  return `${formatUsd(c.usd)} (${c.label})`;
}
