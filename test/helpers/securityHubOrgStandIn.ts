/**
 * A stand-in for what Security Hub answers across accounts and regions that moto 5.2.1 cannot: in front of
 * moto_server serving several accounts (test/helpers/motoScopeAccounts.ts), on one endpoint.
 *   - ListFindingAggregators (GET /findingAggregator/list) and GetFindingAggregator
 *     (GET /findingAggregator/get/{arn}), which moto lacks ("Not yet implemented"): from `aggregators`, per
 *     signing account, answered in any region as AWS does; an account without one gets an empty list;
 *   - GetFindings (POST /findings) where AWS answers more than the caller's own account and region: in an
 *     account's aggregation (home) region, the findings of every linked region; in a Security Hub
 *     administrator, its members' findings too (the members are the accounts whose GetAdministratorAccount,
 *     asked of moto itself, names it). moto answers each account and region apart; the stand-in reads them from
 *     moto with each account's own credentials and applies the AwsAccountId and Region filters (EQUALS), the
 *     ones the aggregated read sends, and SortCriteria on UpdatedAt (AWS sorts the whole answer before paging it, so
 *     one account's newer findings come first across every account it answers); the extension applies the rest
 *     locally, as it does for moto;
 *   - `deny`: ListFindingAggregators, GetFindingAggregator and GetAdministratorAccount refused with
 *     AccessDeniedException (HTTP 403) for those accounts, as for a role without those permissions.
 *   - GetAdministratorAccount otherwise: moto's answer (from its Organizations data: EnableOrganizationAdminAccount
 *     by the management account), with its InvitedAt written as the timestamp AWS sends: moto 5.2.1 writes a
 *     local time without a zone (`2026-12-04T12:41:27.123456`), which the SDK refuses ("Invalid RFC-3339 date-time").
 * Everything else goes to moto unchanged. Requests are checked against the operation's input shape and answers against its output
 * shape (botocore's securityhub model); problems are kept in `problems` for the tests to assert empty. Every
 * request that reaches the endpoint is kept in `calls` (signing account, region, operation; GetFindings' account
 * and region filters).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { GetAdministratorAccountCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { loadAwsModel } from './awsModel';
import { STAND_IN_HEADER } from './contractRecorder';
import type { MotoAccounts } from './motoScopeAccounts';
import { startFaultProxy } from './s3FaultProxy';
import { signingKeyOf } from '../sandbox/gaps';

export interface StandInAggregator { region: string; mode: 'ALL_REGIONS' | 'ALL_REGIONS_EXCEPT_SPECIFIED' | 'SPECIFIED_REGIONS'; regions?: string[] }

export interface HubCall {
  accountId?: string; region?: string; operation: string; accessKeyId?: string;
  /** GetFindings: the values of its AwsAccountId and Region filters, as sent (undefined: not sent). */
  accounts?: string[]; regions?: string[];
}

export interface SecurityHubOrgStandIn {
  endpoint: string;
  calls: HubCall[];
  problems: string[];
  /** The account's aggregator, changed by a test (undefined: none). */
  aggregators: Record<string, StandInAggregator | undefined>;
  deny: Set<string>;
  close(): Promise<void>;
}

const OPERATIONS: [string, RegExp, string][] = [
  ['GET', /^\/findingAggregator\/list$/, 'ListFindingAggregators'],
  ['GET', /^\/findingAggregator\/get\/(.+)$/, 'GetFindingAggregator'],
  ['GET', /^\/administrator$/, 'GetAdministratorAccount'],
  ['POST', /^\/findings$/, 'GetFindings'],
  ['GET', /^\/hubv2$/, 'DescribeSecurityHubV2'],
  ['PATCH', /^\/findings\/batchupdate$/, 'BatchUpdateFindings'],
];

function operationOf(method: string, path: string): { operation: string; arg?: string } | undefined {
  for (const [m, re, operation] of OPERATIONS) {
    const hit = method === m ? re.exec(path) : null;
    if (hit) return { operation, arg: hit[1] };
  }
  return undefined;
}

/** The region of a SigV4 Authorization header's credential scope (`Credential=<key>/<date>/<region>/…`). */
const regionOf = (authorization: string | string[] | undefined) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(authorization ?? ''))?.[1];

/** The regions an aggregator links among `known` (its home region included), as AWS defines the modes. */
function linked(agg: StandInAggregator, known: readonly string[]): string[] {
  const listed = new Set(agg.regions ?? []);
  return known.filter((r) => r === agg.region || (agg.mode === 'ALL_REGIONS' ? true : agg.mode === 'ALL_REGIONS_EXCEPT_SPECIFIED' ? !listed.has(r) : listed.has(r)));
}

/** A request forwarded to moto as it came (Host kept: moto checks the SigV4 signature, which covers it). */
function forward(motoEndpoint: string, method: string, url: string, headers: IncomingHttpHeaders, body: string): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  const upstream = new URL(motoEndpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: upstream.hostname, port: upstream.port, method, path: url, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const kept = Object.fromEntries(Object.entries(res.headers).filter(([k, v]) => typeof v === 'string' && k !== 'content-length' && k !== 'transfer-encoding')) as Record<string, string>;
      res.on('end', () => resolve({ status: res.statusCode ?? 502, text: Buffer.concat(chunks).toString('utf8'), headers: kept }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `upstream`: where what it does not answer goes (default moto itself; a proxy in front of moto, Host kept, also works). */
export async function startSecurityHubOrgStandIn(accounts: MotoAccounts, opts: { accountIds: string[]; regions: string[]; aggregators?: Record<string, StandInAggregator>; deny?: string[]; upstream?: string }): Promise<SecurityHubOrgStandIn> {
  const upstream = opts.upstream ?? accounts.moto.endpoint;
  const model = loadAwsModel('securityhub');
  const calls: HubCall[] = [];
  const problems: string[] = [];
  const aggregators: Record<string, StandInAggregator | undefined> = { ...opts.aggregators };
  const deny = new Set(opts.deny ?? []);
  const hubs = new Map<string, Promise<SecurityHubClient>>();
  /** The keys the stand-in signs its own reads with: not the extension's calls, so not in `calls`. */
  const ownKeys = new Set<string>();
  let frontEndpoint = '';
  /** An account's client for the stand-in's own reads: GetFindings straight to moto, GetAdministratorAccount through the front (its InvitedAt fixed). */
  const hubIn = (accountId: string, region: string, via: 'moto' | 'front' = 'moto') => {
    let h = hubs.get(`${accountId}/${region}/${via}`);
    if (!h) {
      hubs.set(`${accountId}/${region}/${via}`, (h = accounts.clientConfigIn(accountId, region).then((c) => {
        ownKeys.add(c.credentials.accessKeyId);
        return new SecurityHubClient(via === 'front' ? { ...c, endpoint: frontEndpoint } : c);
      })));
    }
    return h;
  };
  const reply = (status: number, body: unknown, shape?: string) => {
    if (shape) for (const p of model.problems(shape, body)) problems.push(`${shape}: ${p}`);
    return { status, headers: { 'content-type': 'application/json', [STAND_IN_HEADER]: '1' }, body: JSON.stringify(body) };
  };
  const error = (status: number, code: string, message: string) => {
    const a = reply(status, { Code: code, Message: message });
    (a.headers as Record<string, string>)['x-amzn-errortype'] = code;
    return a;
  };
  const arnOf = (accountId: string, agg: StandInAggregator) => `arn:aws:securityhub:${agg.region}:${accountId}:finding-aggregator/standin-${accountId}`;

  /** The accounts whose administrator is `accountId` (moto's GetAdministratorAccount, asked as each account). */
  async function membersOf(accountId: string, region: string): Promise<string[]> {
    const out: string[] = [];
    for (const id of opts.accountIds) {
      if (id === accountId) continue;
      const a = (await (await hubIn(id, region, 'front')).send(new GetAdministratorAccountCommand({}))).Administrator;
      if (a?.AccountId === accountId) out.push(id);
    }
    return out;
  }

  async function findingsIn(accountId: string, region: string): Promise<AwsSecurityFinding[]> {
    const hub = await hubIn(accountId, region);
    const all: AwsSecurityFinding[] = [];
    let NextToken: string | undefined;
    do {
      const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken }));
      all.push(...(page.Findings ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return all;
  }

  /** GetFindings beyond the caller's account and region, or undefined when moto's own answer is AWS's. */
  async function getFindings(accountId: string, region: string, input: Record<string, unknown>) {
    const agg = aggregators[accountId];
    const regions = agg && agg.region === region ? linked(agg, opts.regions) : [region];
    const members = await membersOf(accountId, region);
    if (regions.length === 1 && !members.length) return undefined;
    const filters = (input.Filters ?? {}) as Record<string, { Value: string; Comparison: string }[] | undefined>;
    const wanted = (field: string) => (filters[field]?.length ? new Set(filters[field]!.filter((f) => f.Comparison === 'EQUALS').map((f) => f.Value)) : undefined);
    const byAccount = wanted('AwsAccountId');
    const byRegion = wanted('Region');
    const found: AwsSecurityFinding[] = [];
    for (const a of [accountId, ...members]) {
      if (byAccount && !byAccount.has(a)) continue;
      for (const r of regions) if (!byRegion || byRegion.has(r)) found.push(...(await findingsIn(a, r)));
    }
    const sort = (input.SortCriteria as { Field?: string; SortOrder?: string }[] | undefined)?.[0];
    if (sort?.Field === 'UpdatedAt') {
      const at = (f: AwsSecurityFinding) => Date.parse(f.UpdatedAt ?? '') || 0;
      found.sort((a, b) => (sort.SortOrder === 'asc' ? at(a) - at(b) : at(b) - at(a)));
    }
    const max = (input.MaxResults as number | undefined) ?? 100;
    const offset = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64').toString('utf8')) || 0 : 0;
    const page = found.slice(offset, offset + max);
    const next = offset + max < found.length ? Buffer.from(String(offset + max)).toString('base64') : undefined;
    return reply(200, { Findings: page, ...(next ? { NextToken: next } : {}) }, 'GetFindingsResponse');
  }

  const front = await startFaultProxy(upstream, {}, {
    keepHost: true,
    intercept: async (req) => {
      const [path, query = ''] = req.url.split('?');
      const op = operationOf(req.method, path);
      const key = signingKeyOf(req.headers.authorization);
      const accountId = key ? accounts.accountOfKey(key) : undefined;
      const region = regionOf(req.headers.authorization);
      if (!op) return undefined;
      let input: Record<string, unknown> = {};
      if (op.operation === 'ListFindingAggregators') input = Object.fromEntries(new URLSearchParams(query));
      else if (op.operation === 'GetFindingAggregator') input = { FindingAggregatorArn: decodeURIComponent(op.arg ?? '') };
      else if (req.body) input = JSON.parse(req.body) as Record<string, unknown>;
      if (!key || !ownKeys.has(key)) {
        const sent = (field: string) => ((input.Filters as Record<string, { Value: string }[] | undefined> | undefined)?.[field])?.map((f) => f.Value);
        calls.push({ accountId, region, operation: op.operation, accessKeyId: key, ...(op.operation === 'GetFindings' ? { accounts: sent('AwsAccountId'), regions: sent('Region') } : {}) });
      }
      if (op.operation === 'ListFindingAggregators' && input.MaxResults !== undefined) input.MaxResults = Number(input.MaxResults);
      if (['ListFindingAggregators', 'GetFindingAggregator', 'GetFindings'].includes(op.operation)) {
        for (const p of model.problems(`${op.operation}Request`, input)) problems.push(`${op.operation}Request: ${p}`);
      }
      const detection = op.operation === 'ListFindingAggregators' || op.operation === 'GetFindingAggregator' || op.operation === 'GetAdministratorAccount';
      if (detection && accountId && deny.has(accountId) && !ownKeys.has(key!)) {
        return error(403, 'AccessDeniedException', `User: arn:aws:sts::${accountId}:assumed-role/ViewOnly/cloud-monitor-test is not authorized to perform: securityhub:${op.operation}`);
      }
      if (!accountId || !region) return undefined;
      if (op.operation === 'ListFindingAggregators') {
        const agg = aggregators[accountId];
        return reply(200, { FindingAggregators: agg ? [{ FindingAggregatorArn: arnOf(accountId, agg) }] : [] }, 'ListFindingAggregatorsResponse');
      }
      if (op.operation === 'GetFindingAggregator') {
        const agg = aggregators[accountId];
        if (!agg || input.FindingAggregatorArn !== arnOf(accountId, agg)) return error(404, 'ResourceNotFoundException', 'The finding aggregator was not found.');
        return reply(200, { FindingAggregatorArn: arnOf(accountId, agg), FindingAggregationRegion: agg.region, RegionLinkingMode: agg.mode, ...(agg.regions ? { Regions: agg.regions } : {}) }, 'GetFindingAggregatorResponse');
      }
      if (op.operation === 'GetFindings') return getFindings(accountId, region, input);
      if (op.operation === 'GetAdministratorAccount') {
        const res = await forward(upstream, req.method, req.url, req.headers, req.body);
        if (res.status !== 200) return { status: res.status, headers: res.headers, body: res.text };
        const answer = JSON.parse(res.text || '{}') as { Administrator?: { InvitedAt?: string } };
        const at = answer.Administrator?.InvitedAt;
        if (at && !/(Z|[+-]\d\d:\d\d)$/.test(at)) answer.Administrator!.InvitedAt = `${at}Z`;
        return reply(200, answer, 'GetAdministratorAccountResponse');
      }
      return undefined;
    },
  });
  frontEndpoint = front.endpoint;
  return {
    endpoint: front.endpoint,
    calls,
    problems,
    aggregators,
    deny,
    close: async () => {
      for (const h of hubs.values()) void h.then((c) => c.destroy(), () => undefined);
      await front.close();
    },
  };
}
