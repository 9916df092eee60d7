// The sandbox's stand-in for the operations moto_server lacks or answers wrongly, on one endpoint in front
// of it (the sandbox profile's endpoint_url), so that `npm run demo` works end to end:
//   - Cost Explorer GetCostAndUsage, GetCostForecast, GetAnomalyMonitors, GetAnomalies: computed from one
//     set of daily line items (test/helpers/costData.ts) for the period, granularity, metrics, group-bys and
//     RECORD_TYPE filter each request asks. moto hands out seeded GetCostAndUsage results in the order they
//     are first asked for, whatever the request says, so the same figures could differ by click order.
//     With a short cost history (`costHistory.from`, a new account) the forecast is refused with
//     DataUnavailableException, as Cost Explorer refuses it before one full billing cycle. Requests and
//     answers are held to AWS's model of Cost Explorer (test/helpers/ceEndpoint.ts);
//   - CloudWatch Logs GetQueryResults: moto's answer with `@timestamp` and `@ingestionTime` as Logs Insights
//     writes them (UTC text, `2026-12-03 17:24:18.584`); moto gives epoch milliseconds;
//   - Security Hub BatchUpdateFindings: applied to moto's findings (GetFindings, then BatchImportFindings
//     with the new workflow status and note), so a refresh shows the triage. With `accounts` (moto serving
//     several accounts, test/helpers/motoScopeAccounts.ts) it is applied in the account of the credentials
//     that signed the request, as Security Hub does: another account's finding is FindingNotFound there, and
//     a key no account issued is refused (UnrecognizedClientException);
//   - Security Hub's 2025 generation (DescribeSecurityHubV2, GetFindingsV2, BatchUpdateFindingsV2) from the V2
//     stand-in (test/helpers/securityHubV2StandIn.ts): by default the demo account has only Security Hub CSPM,
//     so DescribeSecurityHubV2 answers ResourceNotFoundException as AWS does; with DEMO_SECURITYHUB=v2
//     (`DEMO_SECURITYHUB=v2 npm run demo`) it has both, and the Findings view shows the OCSF findings;
//   - CloudFormation drift detection (DetectStackDrift, DescribeStackDriftDetectionStatus,
//     DescribeStackResourceDrifts), which moto lacks: the drift stand-in (test/helpers/cfnDriftStandIn.ts)
//     compares the stack's queues, tables, topic and buckets in moto with templates/pipeline.yaml. The pipeline
//     seeder (seed/20-pipeline.ts) changes two queue attributes by hand, so Detect Drift finds them;
//   - with `bucketRegions` (the large account): ListBuckets with a parameter answered with each bucket's
//     BucketRegion and paged by MaxBuckets and ContinuationToken, as S3 answers it (moto 5.2.1 never returns BucketRegion, which would cost the Buckets view
//     a GetBucketLocation per bucket before its first rows); regions asked of moto once per bucket and kept;
//   - everything else: forwarded to moto unchanged.
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { GetBucketLocationCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { regionFromLocation } from '../../src/buckets/listing';
import { mapLimit } from '../../src/buckets/pool';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { utcToday } from '../../src/costs/dates';
import { STAND_IN_HEADER, startCeEndpoint } from '../helpers/ceEndpoint';
import { costExplorerAnswers, type CostHistory } from '../helpers/costData';
import type { Moto } from '../helpers/moto';
import { sandboxOcsfFindings } from '../helpers/securityHubV2Data';
import { securityHubV2StandIn } from '../helpers/securityHubV2StandIn';
import { startFaultProxy } from '../helpers/s3FaultProxy';
import { cfnDriftStandIn } from '../helpers/cfnDriftStandIn';
import { listBucketsAnswer, listBucketsInput } from '../helpers/listBucketsStandIn';

/** Several accounts behind one moto: which account issued an access key, and credentials to act in it. */
export interface GapsAccounts {
  accountOfKey(accessKeyId: string): string | undefined;
  clientConfigIn(accountId: string): Promise<{ endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } }>;
}

/** One BatchUpdateFindings call the stand-in answered: the account that signed it (with `accounts`) and the ids. */
export interface BatchUpdateSeen { accountId?: string; ids: string[]; processed: number; unprocessed: number }

export interface SandboxGaps {
  endpoint: string;
  /** Every BatchUpdateFindings call answered, in order. */
  batchUpdates: BatchUpdateSeen[];
  /** The Cost Explorer history the answers are computed from; read per request, so a test may change it. */
  costHistory: CostHistory;
  /** With `bucketRegions`: asks moto every bucket's region now, so the first ListBuckets answers at once. */
  warmBucketRegions(): Promise<void>;
  close(): Promise<void>;
}

/**
 * ListBuckets as S3 answers a request with a parameter: each bucket with its BucketRegion, paged by MaxBuckets
 * and ContinuationToken (test/helpers/listBucketsStandIn.ts, held to S3's API model); regions asked of moto
 * once per bucket and kept.
 */
function bucketRegionsAnswerer(moto: Moto) {
  const s3 = new S3Client(moto.clientConfig('us-east-1'));
  const regions = new Map<string, string>();
  async function list() {
    const buckets = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).filter((b) => b.Name);
    await mapLimit(buckets.filter((b) => !regions.has(b.Name!)), 8, async (b) => {
      regions.set(b.Name!, regionFromLocation((await s3.send(new GetBucketLocationCommand({ Bucket: b.Name! }))).LocationConstraint));
    });
    return buckets.map((b) => ({ Name: b.Name!, CreationDate: b.CreationDate ?? new Date(0), BucketRegion: regions.get(b.Name!)! }));
  }
  return {
    warm: async () => void (await list()),
    async answer(url: string) {
      const { input } = listBucketsInput(new URL(url, 'http://stand-in').searchParams);
      const { body } = listBucketsAnswer(await list(), input);
      return { status: 200, headers: { 'content-type': 'application/xml', [STAND_IN_HEADER]: '1' }, body };
    },
    close: () => s3.destroy(),
  };
}

interface UpdateInput {
  FindingIdentifiers: { Id: string; ProductArn: string }[];
  Workflow?: { Status?: string };
  Note?: { Text: string; UpdatedBy: string };
}

/** BatchUpdateFindings, applied to moto's findings. Each identifier is processed or reported unprocessed. */
export async function applyBatchUpdate(hub: SecurityHubClient, input: UpdateInput, now = new Date()) {
  const all: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await hub.send(new GetFindingsCommand({ NextToken, MaxResults: 100 }));
    all.push(...(page.Findings ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const updated: AwsSecurityFinding[] = [];
  const unprocessed: { FindingIdentifier: { Id: string; ProductArn: string }; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const id of input.FindingIdentifiers ?? []) {
    const f = all.find((x) => x.Id === id.Id && x.ProductArn === id.ProductArn);
    if (!f) {
      unprocessed.push({ FindingIdentifier: id, ErrorCode: 'FindingNotFound', ErrorMessage: 'No finding with this Id and ProductArn.' });
      continue;
    }
    const at = now.toISOString();
    // Security Hub's BatchUpdateFindings does not change UpdatedAt: that is the finding provider's time.
    updated.push({
      ...f,
      ...(input.Workflow?.Status ? { Workflow: { Status: input.Workflow.Status as NonNullable<AwsSecurityFinding['Workflow']>['Status'] } } : {}),
      ...(input.Note ? { Note: { Text: input.Note.Text, UpdatedBy: input.Note.UpdatedBy, UpdatedAt: at } } : {}),
    });
  }
  if (updated.length) await hub.send(new BatchImportFindingsCommand({ Findings: updated }));
  return { ProcessedFindings: updated.map((f) => ({ Id: f.Id, ProductArn: f.ProductArn })), UnprocessedFindings: unprocessed };
}

/** Logs Insights' text form of a time: UTC, `YYYY-MM-DD HH:MM:SS.mmm`. */
export function insightsTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * A POST forwarded to moto with the client's headers, Host included: moto with IAM enforced (several accounts)
 * checks the SigV4 signature, which covers Host. (fetch cannot send a Host of its own.)
 */
function postKeepingHost(motoEndpoint: string, url: string, headers: IncomingHttpHeaders, body: string): Promise<{ status: number; text: string }> {
  const upstream = new URL(motoEndpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: upstream.hostname, port: upstream.port, method: 'POST', path: url, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** GetQueryResults from moto, with its epoch-millisecond times written as Logs Insights writes them. */
async function insightsTimestampsAsText(motoEndpoint: string, url: string, headers: IncomingHttpHeaders, body: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const res = await postKeepingHost(motoEndpoint, url, headers, body);
  const text = res.text;
  if (res.status < 200 || res.status >= 300) return { status: res.status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: text };
  const answer = JSON.parse(text) as { results?: { field?: string; value?: string }[][] };
  for (const row of answer.results ?? []) {
    for (const cell of row) {
      if ((cell.field === '@timestamp' || cell.field === '@ingestionTime') && /^\d{10,}$/.test(cell.value ?? '')) cell.value = insightsTime(Number(cell.value));
    }
  }
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }, body: JSON.stringify(answer) };
}

/** Groups per GetCostAndUsage page: Cost Explorer pages large answers (each page a billed request). */
export const COST_PAGE_GROUPS = 5_000;

/** The access key id in a SigV4 Authorization header (`Credential=<key>/<date>/…`). */
export function signingKeyOf(authorization: string | string[] | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(String(authorization ?? ''))?.[1];
}

export async function startSandboxGaps(moto: Moto, opts: { costHistory?: CostHistory; root?: string; bucketRegions?: boolean; accounts?: GapsAccounts } = {}): Promise<SandboxGaps> {
  const listBuckets = opts.bucketRegions ? bucketRegionsAnswerer(moto) : undefined;
  const today = () => utcToday(Date.now());
  const history: CostHistory = opts.costHistory ?? {};
  const ce = await startCeEndpoint(moto.endpoint, costExplorerAnswers(today, { pageSize: COST_PAGE_GROUPS, history }));
  const hub = new SecurityHubClient(moto.clientConfig('us-east-1'));
  const v2 = process.env.DEMO_SECURITYHUB === 'v2';
  const hubV2 = securityHubV2StandIn({ findings: v2 ? sandboxOcsfFindings({ region: 'us-east-1', accountId: '123456789012' }) : [], v2, accountOf: opts.accounts ? (k) => opts.accounts!.accountOfKey(k) : undefined });
  const drift = cfnDriftStandIn({ moto: moto.clientConfig('us-east-1'), root: opts.root });
  const batchUpdates: BatchUpdateSeen[] = [];
  const accountHubs = new Map<string, Promise<SecurityHubClient>>();
  /** The client to apply a BatchUpdateFindings with: the signing account's (with `accounts`), else moto's default account. */
  const hubFor = (headers: IncomingHttpHeaders): { hub: Promise<SecurityHubClient>; accountId?: string } | undefined => {
    if (!opts.accounts) return { hub: Promise.resolve(hub) };
    const key = signingKeyOf(headers.authorization);
    const accountId = key ? opts.accounts.accountOfKey(key) : undefined;
    if (!accountId) return undefined;
    let h = accountHubs.get(accountId);
    if (!h) accountHubs.set(accountId, (h = opts.accounts.clientConfigIn(accountId).then((c) => new SecurityHubClient(c))));
    return { hub: h, accountId };
  };
  // With several accounts (IAM enforced, signatures checked) requests go to moto itself with their Host kept:
  // the Cost Explorer stand-in's hop would change it. Cost Explorer is then moto's own.
  const front = await startFaultProxy(opts.accounts ? moto.endpoint : ce.url, {}, {
    keepHost: !!opts.accounts,
    intercept: async (req) => {
      const { method, url, body, headers } = req;
      const driftAnswer = await drift.answer(req);
      if (driftAnswer) return driftAnswer;
      if (headers['x-amz-target'] === 'Logs_20140328.GetQueryResults') return insightsTimestampsAsText(moto.endpoint, url, headers, body);
      // ListBuckets: GET / with a parameter (the SDK adds x-id=ListBuckets; MaxBuckets etc. make it a request "with a parameter").
      if (listBuckets && method === 'GET' && /^\/\?/.test(url) && /[?&](max-buckets|continuation-token|prefix|bucket-region)=/.test(url)) return listBuckets.answer(url);
      const answered = hubV2.answer(req);
      if (answered) return answered;
      if (method !== 'PATCH' || !url.startsWith('/findings/batchupdate')) return undefined;
      const target = hubFor(headers);
      if (!target) return { status: 403, headers: { 'x-amzn-errortype': 'UnrecognizedClientException' }, body: JSON.stringify({ message: 'The security token included in the request is invalid.' }) };
      const input = JSON.parse(body) as UpdateInput;
      const answer = await applyBatchUpdate(await target.hub, input);
      batchUpdates.push({ accountId: target.accountId, ids: (input.FindingIdentifiers ?? []).map((i) => i.Id), processed: answer.ProcessedFindings.length, unprocessed: answer.UnprocessedFindings.length });
      return { status: 200, body: JSON.stringify(answer) };
    },
  });
  return {
    endpoint: front.endpoint,
    batchUpdates,
    costHistory: history,
    warmBucketRegions: async () => listBuckets?.warm(),
    close: async () => {
      listBuckets?.close();
      hub.destroy();
      for (const h of accountHubs.values()) void h.then((c) => c.destroy(), () => undefined);
      drift.close();
      await front.close();
      await ce.close();
    },
  };
}
