/**
 * A ListBuckets stand-in in front of moto_server, for what moto 5.2.1 does not do as S3's API model says:
 * moto cuts the list at MaxBuckets without a ContinuationToken, ignores ContinuationToken, and never
 * returns BucketRegion. The stand-in answers ListBuckets itself from moto's buckets (names in order,
 * regions from GetBucketLocation asked of moto directly), the way the model documents it:
 *   - MaxBuckets (1..10,000) caps the page; a ContinuationToken comes back while buckets remain;
 *   - with ContinuationToken, Prefix or BucketRegion but no MaxBuckets, the page size is 10,000;
 *   - BucketRegion is in each Bucket only when the request carried at least one parameter;
 *   - a request with no parameter gets the whole list, without regions.
 * Every other request goes to moto unchanged (through test/helpers/s3FaultProxy.ts). Each ListBuckets
 * request is checked against ListBucketsRequest and each answer against ListBucketsOutput (botocore's
 * model, test/helpers/awsModel.ts); what does not fit is in `problems`. Every request is recorded.
 */
import { GetBucketLocationCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { loadAwsModel } from './awsModel';
import { startFaultProxy } from './s3FaultProxy';

export interface SeenRequest { method: string; path: string; query: URLSearchParams }

export interface ListBucketsStandIn {
  endpoint: string;
  requests: SeenRequest[];
  /** Model violations in the requests the stand-in answered and in its own answers. */
  problems: string[];
  close(): Promise<void>;
}

export const isListBuckets = (r: SeenRequest) => r.method === 'GET' && r.path === '/';
export const isGetBucketLocation = (r: SeenRequest) => r.method === 'GET' && r.query.has('location') && r.path.split('/').filter(Boolean).length === 1;

const DEFAULT_PAGE = 10_000;
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface StandInBucket { Name: string; CreationDate: Date; BucketRegion: string }

/**
 * ListBuckets' answer as S3's model documents it, over every bucket (names in order): Prefix and BucketRegion
 * filter; MaxBuckets (default 10,000 once any parameter is sent) caps the page, and a ContinuationToken comes
 * back while buckets remain; BucketRegion is in each Bucket only when the request carried a parameter.
 */
export function listBucketsAnswer(all: readonly StandInBucket[], input: Record<string, unknown>) {
  const withParameter = Object.keys(input).length > 0;
  let list = [...all].sort((a, b) => a.Name.localeCompare(b.Name));
  if (typeof input.Prefix === 'string') list = list.filter((b) => b.Name.startsWith(input.Prefix as string));
  if (typeof input.BucketRegion === 'string') list = list.filter((b) => b.BucketRegion === input.BucketRegion);
  const after = typeof input.ContinuationToken === 'string' ? Buffer.from(input.ContinuationToken, 'base64url').toString('utf8') : undefined;
  if (after !== undefined) list = list.filter((b) => b.Name > after);
  const size = withParameter ? (typeof input.MaxBuckets === 'number' ? input.MaxBuckets : DEFAULT_PAGE) : list.length;
  const page = list.slice(0, size);
  const more = page.length < list.length;
  const output = {
    Buckets: page.map((b) => (withParameter ? b : { Name: b.Name, CreationDate: b.CreationDate })),
    Owner: { ID: 'standin0owner0id', DisplayName: 'standin' },
    ContinuationToken: more ? Buffer.from(page[page.length - 1].Name, 'utf8').toString('base64url') : undefined,
    Prefix: typeof input.Prefix === 'string' ? input.Prefix : undefined,
  };
  const bucketXml = output.Buckets.map((b) =>
    `<Bucket><Name>${xml(b.Name)}</Name><CreationDate>${b.CreationDate.toISOString()}</CreationDate>${'BucketRegion' in b ? `<BucketRegion>${xml(b.BucketRegion)}</BucketRegion>` : ''}</Bucket>`).join('');
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Owner><ID>${output.Owner.ID}</ID><DisplayName>${output.Owner.DisplayName}</DisplayName></Owner><Buckets>${bucketXml}</Buckets>` +
    (output.ContinuationToken ? `<ContinuationToken>${output.ContinuationToken}</ContinuationToken>` : '') +
    (output.Prefix !== undefined ? `<Prefix>${xml(output.Prefix)}</Prefix>` : '') + '</ListAllMyBucketsResult>';
  return { output, body };
}

/** The query string of a ListBuckets request as ListBucketsRequest members (botocore's model); unknown names listed. */
export function listBucketsInput(query: URLSearchParams, model = loadAwsModel('s3')): { input: Record<string, unknown>; unknown: string[] } {
  const members = model.shape('ListBucketsRequest').members as Record<string, { shape: string; locationName: string }>;
  const byQueryName = new Map(Object.entries(members).map(([member, m]) => [m.locationName, member]));
  const input: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [k, v] of query) {
    if (k === 'x-id') continue; // the SDK's operation hint, not a member
    const member = byQueryName.get(k);
    if (!member) { unknown.push(k); continue; }
    input[member] = model.shape(members[member].shape).type === 'integer' ? Number(v) : v;
  }
  return { input, unknown };
}

/** `answerListBuckets: false` only records and forwards everything to moto (moto's own ListBuckets). */
export async function startListBucketsStandIn(motoConfig: ConstructorParameters<typeof S3Client>[0] & { endpoint: string }, opts: { answerListBuckets?: boolean } = {}): Promise<ListBucketsStandIn> {
  const model = loadAwsModel('s3');
  const moto = new S3Client(motoConfig);
  const requests: SeenRequest[] = [];
  const problems: string[] = [];

  async function motoBuckets() {
    const all = (await moto.send(new ListBucketsCommand({}))).Buckets ?? [];
    const named = all.filter((b) => b.Name).sort((a, b) => a.Name!.localeCompare(b.Name!));
    return Promise.all(named.map(async (b) => {
      const loc = (await moto.send(new GetBucketLocationCommand({ Bucket: b.Name! }))).LocationConstraint;
      return { Name: b.Name!, CreationDate: b.CreationDate ?? new Date(0), BucketRegion: !loc ? 'us-east-1' : loc === 'EU' ? 'eu-west-1' : String(loc) };
    }));
  }

  async function answer(query: URLSearchParams) {
    const { input, unknown } = listBucketsInput(query, model);
    for (const k of unknown) problems.push(`ListBucketsRequest: unknown query parameter ${k}`);
    problems.push(...model.problems('ListBucketsRequest', input));
    const { output, body } = listBucketsAnswer(await motoBuckets(), input);
    problems.push(...model.problems('ListBucketsOutput', JSON.parse(JSON.stringify(output))));
    return { status: 200, headers: { 'content-type': 'application/xml' }, body };
  }

  const proxy = await startFaultProxy(motoConfig.endpoint, {}, {
    intercept: (req) => {
      const url = new URL(req.url, 'http://stand-in');
      const seen = { method: req.method, path: url.pathname, query: url.searchParams };
      requests.push(seen);
      return opts.answerListBuckets !== false && isListBuckets(seen) ? answer(url.searchParams) : undefined;
    },
  });
  return {
    endpoint: proxy.endpoint,
    requests,
    problems,
    close: async () => {
      moto.destroy();
      await proxy.close();
    },
  };
}
