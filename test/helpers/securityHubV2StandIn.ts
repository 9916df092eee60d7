/**
 * A stand-in for Security Hub's 2025 generation, which moto 5.2.1 lacks: DescribeSecurityHubV2 (GET /hubv2),
 * GetFindingsV2 (POST /findingsv2) and BatchUpdateFindingsV2 (PATCH /findingsv2/batchupdatev2), answered
 * from a seeded set of OCSF findings (test/helpers/securityHubV2Data.ts) that triage changes.
 *
 * It answers the way the botocore model says AWS does, and refuses what AWS refuses:
 *   - every request is checked against the operation's input shape (loadAwsModel('securityhub')): a
 *     violation (MaxResults over 100, an unknown filter field, more than 100 identifiers…) is a 400
 *     ValidationException naming the member and the rule, and is kept in `rejected`;
 *   - the rules the model states in its documentation: at most 10 composite filters and 20 filters of a
 *     type in each; MetadataUids and FindingIdentifiers not together; Comment 1 to 512 characters;
 *     StatusId in [0, 1, 2, 3, 4, 5, 99] and SeverityId in [0, 1, 2, 3, 4, 5, 6, 99];
 *   - filters are applied (string comparisons, number ranges, dates, booleans, nested composites, AND/OR),
 *     sorted by SortCriteria, and paged by MaxResults with a NextToken bound to the query;
 *   - BatchUpdateFindingsV2 answers each finding processed or unprocessed (ResourceNotFoundException), and
 *     leaves finding_info.modified_time and time alone, as the API reference says;
 *   - every answer it gives (findings, errors) is checked against the output or error shape; a problem
 *     there is the stand-in's own bug and is kept in `answerProblems` for the tests to assert empty.
 * With `cspm: false` the account has only the new generation: GetFindings and BatchUpdateFindings answer
 * InvalidAccessException ("not subscribed"), as Security Hub CSPM does where it was never enabled.
 * With `accountOf` (moto serving several accounts) it answers per account and region, as Security Hub does:
 * the signing key's account and the credential scope's region see only their findings (cloud.account.uid,
 * cloud.region), DescribeSecurityHubV2's ARN is theirs, and BatchUpdateFindingsV2 finds only theirs.
 * Every answer carries the header `x-cloud-monitor-stand-in: 1`.
 */
import { pipeUpstream, startLoopback } from './loopback';
import { STAND_IN_HEADER } from './contractRecorder';
import { loadAwsModel, type AwsModel } from './awsModel';
import type { OcsfDoc } from './securityHubV2Data';

export { STAND_IN_HEADER };

type Answer = { status: number; headers: Record<string, string>; body: string };
export type V2Operation = 'DescribeSecurityHubV2' | 'GetFindingsV2' | 'BatchUpdateFindingsV2';

export interface SecurityHubV2StandInOptions {
  findings: OcsfDoc[];
  /** The new generation is on (default true); false: DescribeSecurityHubV2 answers ResourceNotFoundException. */
  v2?: boolean;
  /** Security Hub CSPM is on (default true: its calls are left to moto); false: they answer "not subscribed". */
  cspm?: boolean;
  /** A fault to answer instead, per call (AccessDenied, throttling…): return an AWS error code and message. */
  fault?: (operation: V2Operation, input: Record<string, unknown>) => { status: number; code: string; message: string } | undefined;
  region?: string;
  accountId?: string;
  /** The account that issued a signing access key: answer per signing account and region (see above). */
  accountOf?: (accessKeyId: string) => string | undefined;
}

export interface SecurityHubV2StandIn {
  /** The live findings: triage changes them. */
  findings: OcsfDoc[];
  /** Every V2 request received, in order. */
  requests: { operation: V2Operation; input: Record<string, unknown> }[];
  /** Requests refused as AWS would refuse them (ValidationException), with the reasons. */
  rejected: { operation: V2Operation; problems: string[] }[];
  /** Answers of the stand-in that do not fit the model: must stay empty. */
  answerProblems: string[];
  /** Answers a request (method, path, body), or undefined when it is not Security Hub's to answer. */
  answer(req: StandInRequest): Answer | undefined;
}

type StandInRequest = { method: string; url: string; body: string; headers?: Record<string, string | string[] | undefined> };

const STATUS_TEXT: Record<number, string> = { 0: 'Unknown', 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved', 5: 'Archived', 99: 'Other' };
const SEVERITY_TEXT: Record<number, string> = { 0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical', 6: 'Fatal', 99: 'Other' };

let model: AwsModel | undefined;

/** The values at a dotted OCSF path, through lists ("resources.uid" → every resource's uid). */
function valuesAt(doc: unknown, path: string): unknown[] {
  let cur: unknown[] = [doc];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const c of cur) {
      const v = c && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>)[part] : undefined;
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined && v !== null) next.push(v);
    }
    cur = next.flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return cur;
}

type Filter = Record<string, unknown>;
type Composite = { StringFilters?: Filter[]; NumberFilters?: Filter[]; DateFilters?: Filter[]; BooleanFilters?: Filter[]; MapFilters?: Filter[]; IpFilters?: Filter[]; NestedCompositeFilters?: Composite[]; Operator?: 'AND' | 'OR' };

function stringMatch(values: string[], cmp: string, want: string): boolean {
  const any = (p: (v: string) => boolean) => values.some(p);
  switch (cmp) {
    case 'EQUALS': return any((v) => v === want);
    case 'NOT_EQUALS': return !any((v) => v === want);
    case 'PREFIX': return any((v) => v.startsWith(want));
    case 'PREFIX_NOT_EQUALS': return !any((v) => v.startsWith(want));
    case 'CONTAINS': return any((v) => v.includes(want));
    case 'NOT_CONTAINS': return !any((v) => v.includes(want));
    case 'CONTAINS_WORD': return any((v) => v.split(/\W+/).includes(want));
    default: return false;
  }
}

function numberMatch(values: number[], f: { Eq?: number; Gte?: number; Lte?: number; Gt?: number; Lt?: number }): boolean {
  return values.some((v) => (f.Eq === undefined || v === f.Eq) && (f.Gte === undefined || v >= f.Gte) && (f.Lte === undefined || v <= f.Lte) && (f.Gt === undefined || v > f.Gt) && (f.Lt === undefined || v < f.Lt));
}

function dateMatch(values: string[], f: { Start?: string; End?: string; DateRange?: { Value?: number; Unit?: string } }, now: number): boolean {
  const start = f.DateRange?.Value !== undefined ? now - f.DateRange.Value * 86_400_000 : f.Start ? Date.parse(f.Start) : -Infinity;
  const end = f.DateRange ? now : f.End ? Date.parse(f.End) : Infinity;
  return values.some((v) => Date.parse(v) >= start && Date.parse(v) <= end);
}

function compositeMatch(doc: OcsfDoc, c: Composite, now: number): boolean {
  const results: boolean[] = [];
  for (const f of c.StringFilters ?? []) {
    const flt = f.Filter as { Value: string; Comparison: string };
    results.push(stringMatch(valuesAt(doc, f.FieldName as string).map(String), flt.Comparison, flt.Value));
  }
  for (const f of c.NumberFilters ?? []) results.push(numberMatch(valuesAt(doc, f.FieldName as string).filter((v): v is number => typeof v === 'number'), f.Filter as object));
  for (const f of c.DateFilters ?? []) results.push(dateMatch(valuesAt(doc, f.FieldName as string).map(String), f.Filter as object, now));
  for (const f of c.BooleanFilters ?? []) results.push(valuesAt(doc, f.FieldName as string).some((v) => v === (f.Filter as { Value: boolean }).Value));
  for (const f of c.MapFilters ?? []) {
    const flt = f.Filter as { Key: string; Value: string; Comparison: string };
    const maps = valuesAt(doc, f.FieldName as string) as Record<string, unknown>[];
    results.push(stringMatch(maps.map((m) => m?.[flt.Key]).filter((v): v is string => typeof v === 'string'), flt.Comparison, flt.Value));
  }
  for (const n of c.NestedCompositeFilters ?? []) results.push(compositeMatch(doc, n, now));
  if (!results.length) return true;
  return c.Operator === 'OR' ? results.some(Boolean) : results.every(Boolean);
}

/** The rules the model gives in prose, not in shapes. */
function documentedRules(operation: V2Operation, input: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (operation === 'GetFindingsV2') {
    const composites = ((input.Filters as { CompositeFilters?: Composite[] } | undefined)?.CompositeFilters ?? []);
    if (composites.length > 10) out.push(`Filters.CompositeFilters: ${composites.length} composite filters, more than 10`);
    const walk = (c: Composite, path: string) => {
      for (const k of ['StringFilters', 'NumberFilters', 'DateFilters', 'BooleanFilters', 'MapFilters', 'IpFilters'] as const) {
        if ((c[k]?.length ?? 0) > 20) out.push(`${path}.${k}: ${c[k]!.length} filters, more than 20`);
      }
      if (c.IpFilters?.length) out.push(`${path}.IpFilters: not implemented by the stand-in`);
      c.NestedCompositeFilters?.forEach((n, i) => walk(n, `${path}.NestedCompositeFilters[${i}]`));
    };
    composites.forEach((c, i) => walk(c, `Filters.CompositeFilters[${i}]`));
    if (input.Scopes) out.push('Scopes: only a delegated administrator may use Scopes (AccessDenied for others); not implemented by the stand-in');
  }
  if (operation === 'BatchUpdateFindingsV2') {
    const uids = (input.MetadataUids as unknown[] | undefined) ?? [];
    const ids = (input.FindingIdentifiers as unknown[] | undefined) ?? [];
    if (uids.length && ids.length) out.push('MetadataUids and FindingIdentifiers cannot be used together');
    if (!uids.length && !ids.length) out.push('one of MetadataUids or FindingIdentifiers is required');
    if (input.Comment !== undefined && (typeof input.Comment !== 'string' || !/\S/.test(input.Comment) || input.Comment.length > 512)) out.push('Comment: 1 to 512 characters, not blank');
    if (input.StatusId !== undefined && !(input.StatusId as number in STATUS_TEXT)) out.push(`StatusId: ${String(input.StatusId)} is not one of 0, 1, 2, 3, 4, 5, 99`);
    if (input.SeverityId !== undefined && !(input.SeverityId as number in SEVERITY_TEXT)) out.push(`SeverityId: ${String(input.SeverityId)} is not one of 0, 1, 2, 3, 4, 5, 6, 99`);
    if (input.StatusId === undefined && input.SeverityId === undefined && input.Comment === undefined) out.push('nothing to update: give StatusId, SeverityId or Comment');
  }
  return out;
}

const identifierOf = (d: OcsfDoc) => ({ CloudAccountUid: d.cloud.account.uid, FindingInfoUid: d.finding_info.uid, MetadataProductUid: d.metadata.product.uid });

export function securityHubV2StandIn(opts: SecurityHubV2StandInOptions): SecurityHubV2StandIn {
  model ??= loadAwsModel('securityhub');
  const m = model;
  const region = opts.region ?? 'us-east-1';
  const account = opts.accountId ?? '123456789012';
  const self: SecurityHubV2StandIn = { findings: opts.findings, requests: [], rejected: [], answerProblems: [], answer };
  const hasShape = (name: string) => {
    try {
      return !!m.shape(name);
    } catch {
      return false;
    }
  };
  /** Query fingerprints by token: a token is only good for the query that produced it. */
  const tokens = new Map<string, { query: string; offset: number }>();

  function reply(status: number, body: unknown, shape: string | undefined): Answer {
    if (shape) for (const p of m.problems(shape, body)) self.answerProblems.push(p);
    return { status, headers: { 'content-type': 'application/json', [STAND_IN_HEADER]: '1' }, body: JSON.stringify(body) };
  }
  function error(status: number, code: string, message: string): Answer {
    const a = reply(status, { Code: code, Message: message }, hasShape(code) ? code : undefined);
    a.headers['x-amzn-errortype'] = code;
    return a;
  }

  /** The findings the request's signer sees: all of them, or with `accountOf` its account's in its region's. */
  function visible(req: StandInRequest): OcsfDoc[] {
    if (!opts.accountOf) return self.findings;
    const { accountId, region: r } = signer(req);
    return self.findings.filter((d) => d.cloud.account.uid === accountId && (d.cloud.region ?? region) === r);
  }
  function signer(req: StandInRequest): { accountId: string; region: string } {
    const auth = String(req.headers?.authorization ?? '');
    const scope = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\//.exec(auth);
    return { accountId: (scope && opts.accountOf?.(scope[1])) || account, region: scope?.[2] ?? region };
  }

  function getFindings(input: Record<string, unknown>, req: StandInRequest): Answer {
    const max = (input.MaxResults as number | undefined) ?? 100; // The API reference gives no default; 100 is the model's maximum.
    const query = JSON.stringify({ Filters: input.Filters, SortCriteria: input.SortCriteria });
    let offset = 0;
    if (input.NextToken !== undefined) {
      const t = tokens.get(input.NextToken as string);
      if (!t || t.query !== query) return error(400, 'ValidationException', 'The NextToken is not valid for this request.');
      offset = t.offset;
    }
    const now = Date.now();
    const filters = input.Filters as { CompositeFilters?: Composite[]; CompositeOperator?: 'AND' | 'OR' } | undefined;
    const composites = filters?.CompositeFilters ?? [];
    let matched = visible(req).filter((d) => !composites.length || (filters?.CompositeOperator === 'OR' ? composites.some((c) => compositeMatch(d, c, now)) : composites.every((c) => compositeMatch(d, c, now))));
    for (const sc of [...((input.SortCriteria as { Field: string; SortOrder?: string }[] | undefined) ?? [])].reverse()) {
      const dir = sc.SortOrder === 'desc' ? -1 : 1;
      matched = [...matched].sort((a, b) => dir * String(valuesAt(a, sc.Field)[0] ?? '').localeCompare(String(valuesAt(b, sc.Field)[0] ?? '')));
    }
    const page = matched.slice(offset, offset + max);
    let NextToken: string | undefined;
    if (offset + max < matched.length) {
      NextToken = Buffer.from(`${tokens.size}:${Math.random().toString(36).slice(2)}`).toString('base64');
      tokens.set(NextToken, { query, offset: offset + max });
    }
    return reply(200, { Findings: page, ...(NextToken ? { NextToken } : {}) }, 'GetFindingsV2Response');
  }

  function batchUpdate(input: Record<string, unknown>, req: StandInRequest): Answer {
    const mine = visible(req);
    type Id = { CloudAccountUid: string; FindingInfoUid: string; MetadataProductUid: string };
    const processed: Record<string, unknown>[] = [];
    const unprocessed: Record<string, unknown>[] = [];
    const apply = (d: OcsfDoc) => {
      // BatchUpdateFindingsV2 does not change finding_info.modified_time(_dt) or time(_dt).
      if (input.StatusId !== undefined) { d.status_id = input.StatusId as number; d.status = STATUS_TEXT[d.status_id]; }
      if (input.SeverityId !== undefined) { d.severity_id = input.SeverityId as number; d.severity = SEVERITY_TEXT[d.severity_id]; }
      if (input.Comment !== undefined) d.comment = input.Comment as string;
    };
    for (const id of (input.FindingIdentifiers as Id[] | undefined) ?? []) {
      const d = mine.find((x) => x.cloud.account.uid === id.CloudAccountUid && x.finding_info.uid === id.FindingInfoUid && x.metadata.product.uid === id.MetadataProductUid);
      if (d) { apply(d); processed.push({ FindingIdentifier: id }); }
      else unprocessed.push({ FindingIdentifier: id, ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'The finding was not found.' });
    }
    for (const uid of (input.MetadataUids as string[] | undefined) ?? []) {
      const d = mine.find((x) => x.metadata.uid === uid);
      if (d) { apply(d); processed.push({ MetadataUid: uid, FindingIdentifier: identifierOf(d) }); }
      else unprocessed.push({ MetadataUid: uid, ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'The finding was not found.' });
    }
    return reply(200, { ProcessedFindings: processed, UnprocessedFindings: unprocessed }, 'BatchUpdateFindingsV2Response');
  }

  function answer(req: StandInRequest): Answer | undefined {
    const path = req.url.split('?')[0];
    if (opts.cspm === false && ((req.method === 'POST' && path === '/findings') || (req.method === 'PATCH' && path === '/findings/batchupdate'))) {
      return error(401, 'InvalidAccessException', `Account ${account} is not subscribed to AWS Security Hub`);
    }
    const operation: V2Operation | undefined = req.method === 'GET' && path === '/hubv2' ? 'DescribeSecurityHubV2'
      : req.method === 'POST' && path === '/findingsv2' ? 'GetFindingsV2'
        : req.method === 'PATCH' && path === '/findingsv2/batchupdatev2' ? 'BatchUpdateFindingsV2' : undefined;
    if (!operation) return undefined;
    let input: Record<string, unknown> = {};
    try {
      input = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    } catch {
      return error(400, 'ValidationException', 'The request body is not JSON.');
    }
    self.requests.push({ operation, input });
    const problems = [...m.problems(`${operation}Request`, input), ...documentedRules(operation, input)];
    if (problems.length) {
      self.rejected.push({ operation, problems });
      return error(400, 'ValidationException', problems.join('; '));
    }
    const fault = opts.fault?.(operation, input);
    if (fault) return error(fault.status, fault.code, fault.message);
    if (opts.v2 === false) {
      // DescribeSecurityHubV2's declared "not enabled"; the other calls are refused the same way.
      return error(404, 'ResourceNotFoundException', 'Security Hub is not enabled for this account.');
    }
    const who = signer(req);
    if (operation === 'DescribeSecurityHubV2') return reply(200, { HubV2Arn: `arn:aws:securityhub:${who.region}:${who.accountId}:hubv2/default`, SubscribedAt: '2025-06-17T00:00:00.000Z' }, 'DescribeSecurityHubV2Response');
    if (operation === 'GetFindingsV2') return getFindings(input, req);
    return batchUpdate(input, req);
  }

  return self;
}

/**
 * The stand-in on its own port. Requests it does not answer go to `upstream` (moto_server) when given,
 * else 404. Use its `endpoint` as a Security Hub (or a whole sandbox profile's) endpoint.
 */
export async function startSecurityHubV2StandIn(opts: SecurityHubV2StandInOptions & { upstream?: string }): Promise<SecurityHubV2StandIn & { endpoint: string; close(): Promise<void> }> {
  const standIn = securityHubV2StandIn(opts);
  const upstream = opts.upstream ? new URL(opts.upstream) : undefined;
  const server = await startLoopback((req, res, body) => {
    const a = standIn.answer({ method: req.method ?? '', url: req.url ?? '', body: body.toString('utf8'), headers: req.headers });
    if (a) {
      res.writeHead(a.status, a.headers);
      res.end(a.body);
      return;
    }
    if (!upstream) {
      res.writeHead(404, { 'content-type': 'application/json', [STAND_IN_HEADER]: '1' });
      res.end(JSON.stringify({ message: `not served by the Security Hub V2 stand-in: ${req.method} ${req.url}` }));
      return;
    }
    pipeUpstream(upstream, req, res, { host: upstream.host, body });
  });
  return Object.assign(standIn, { endpoint: server.url, close: server.close });
}
