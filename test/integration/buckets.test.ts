// The Buckets feature's AWS side against moto_server: listing, posture checks, storage metrics,
// browsing and preview. AccessDenied and wrong-region answers come from a proxy in front of moto
// (test/helpers/s3FaultProxy.ts), because moto neither enforces IAM nor redirects regions.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeletePublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DiskCache } from '../../src/cache/diskCache';
import { listLevel, hivePartition, segmentOf } from '../../src/buckets/browse';
import { EmulatorFriendlyS3Control, LIST_BUCKETS_VIEW_PAGE, listAllBuckets } from '../../src/buckets/listing';
import { BucketsModel, FIRST_REGIONS, type BucketsApi } from '../../src/buckets/model';
import { fetchPreview } from '../../src/buckets/preview';
import { estimateMonthlyCost, needsLifecycleHint } from '../../src/buckets/pricing';
import { CALLS_PER_BUCKET } from '../../src/buckets/posture';
import { accountPabFor, scanPostures } from '../../src/buckets/scan';
import { fetchBucketStorage } from '../../src/buckets/storage';
import { startMoto, type Moto } from '../helpers/moto';
import { startFaultProxy } from '../helpers/s3FaultProxy';
import { isGetBucketLocation, isListBuckets, startListBucketsStandIn } from '../helpers/listBucketsStandIn';
import { createBucket, POSTURE_BUCKETS, putDataLakeObjects, putStorageMetrics } from '../sandbox/seed/10-buckets-findings';
import { STAND_IN_HEADER } from '../helpers/contractRecorder';

let moto: Moto;
const GB = 1024 ** 3;

/**
 * A loopback stand-in for S3 object reads, named as such in the tests that use it. It answers HEAD
 * itself with a wrong Content-Length ('lie': 10 bytes) or none ('omit'), and either forwards GET to
 * moto (`upstream`) or ignores Range and streams `ignoreRange.bytes` with no Content-Length. It
 * records each request's Range and counts the body bytes it wrote.
 */
async function startRangeStandIn(o: { upstream?: string; head: 'lie' | 'omit'; ignoreRange?: { bytes: number } }) {
  const requests: { method: string; range?: string }[] = [];
  let bytesSent = 0;
  let onClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => (onClosed = r));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', range: req.headers.range });
    if (req.method === 'HEAD') {
      res.writeHead(200, o.head === 'lie' ? { 'content-length': '10', 'content-type': 'text/plain', [STAND_IN_HEADER]: '1' } : { 'content-type': 'text/plain', 'transfer-encoding': 'chunked', [STAND_IN_HEADER]: '1' });
      res.end();
      return;
    }
    if (o.ignoreRange) {
      res.writeHead(200, { 'content-type': 'text/plain', [STAND_IN_HEADER]: '1' });
      const line = Buffer.from('2024-03-01T00:00:00Z INFO a log line that goes on and on\n'.repeat(1024));
      const pump = () => {
        while (bytesSent < o.ignoreRange!.bytes && !res.destroyed) {
          bytesSent += line.length;
          if (!res.write(line)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', onClosed);
      pump();
      return;
    }
    const up = new URL(o.upstream!);
    const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.on('data', (c: Buffer) => (bytesSent += c.length));
      upRes.pipe(res);
    });
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get bytesSent() { return bytesSent; },
    closed,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Clients pointed at `endpoint`, one per region, like ctx.connection.client does. */
function apiFor(endpoint: string, defaultRegion = 'us-east-1') {
  const clients: { destroy(): void }[] = [];
  const memo = new Map<string, unknown>();
  const cfg = (region: string) => ({ endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true });
  function make<T extends { destroy(): void }>(key: string, f: () => T): T {
    let c = memo.get(key) as T | undefined;
    if (!c) {
      c = f();
      memo.set(key, c);
      clients.push(c);
    }
    return c;
  }
  const api: BucketsApi & { destroy(): void } = {
    s3: (region) => make(`s3|${region}`, () => new S3Client(cfg(region))),
    cloudWatch: (region) => make(`cw|${region}`, () => new CloudWatchClient(cfg(region))),
    s3Control: () => make('ctl', () => new EmulatorFriendlyS3Control(cfg(defaultRegion))),
    accountId: async () => (await make('sts', () => new STSClient(cfg(defaultRegion))).send(new GetCallerIdentityCommand({}))).Account ?? '',
    defaultRegion,
    destroy: () => clients.forEach((c) => c.destroy()),
  };
  return api;
}

before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

describe('buckets (moto_server)', () => {
  test('postures: every seeded posture is recognised, regions come from GetBucketLocation', async () => {
    const cfg = moto.clientConfig();
    for (const spec of POSTURE_BUCKETS) await createBucket(cfg, spec);
    const api = apiFor(moto.endpoint);
    const list = await listAllBuckets(api.s3('us-east-1'));
    assert.equal(list.length, POSTURE_BUCKETS.length);
    const postures = await scanPostures(api, list, { concurrency: 4 });
    const get = (n: string) => postures.get(n)!;

    assert.equal(get('demo-locked-down').level, 'ok');
    assert.deepEqual(get('demo-locked-down').flags, []);
    assert.equal(get('demo-locked-down').checks.encryption.summary, 'aws:kms');

    // moto leaves IsPublic out of GetBucketPolicyStatus, so the policy itself decides here.
    assert.equal(get('demo-public-website').level, 'bad');
    assert.deepEqual(get('demo-public-website').flags.slice(0, 2), ['public', 'pabOff']);

    assert.deepEqual(get('demo-no-tls-policy').flags, ['noTls']);
    assert.deepEqual(get('demo-no-lifecycle-logs').flags, ['noLifecycle']);
    assert.deepEqual(get('demo-unversioned').flags, ['noVersioning']);
    assert.deepEqual(get('demo-unencrypted').flags, ['noEncryption']);
    assert.equal(list.find((b) => b.name === 'demo-eu-archive')?.region, 'eu-west-1');
    assert.equal(get('demo-eu-archive').level, 'ok');
    api.destroy();
  });

  const PAGED = [
    { name: 'paged-a' },
    { name: 'paged-b', region: 'eu-west-1' },
    { name: 'paged-c', region: 'ap-southeast-2' },
    { name: 'paged-d.with.dots' },
    { name: 'paged-e', region: 'eu-west-1' },
  ];
  const regionOf = (name: string) => PAGED.find((b) => b.name === name)?.region ?? 'us-east-1';

  /** Lists through a BucketsModel (list, regions, posture scan) and waits for the scan to finish. */
  const newModel = (api: BucketsApi, listPageSize?: number) => new BucketsModel({ api, cache: new DiskCache(mkdtempSync(join(tmpdir(), 'buckets-cache-'))), cacheScope: 'test', settings: () => ({ concurrency: 2, ttlMs: 3_600_000 }), log: { info: () => undefined, error: () => undefined }, listPageSize });
  async function loadAndScan(api: BucketsApi) {
    const model = newModel(api);
    const scanned = new Promise<void>((resolve) => model.onDidChange((c) => c.kind === 'scan' && !model.scan.running && model.scan.total === PAGED.length && resolve()));
    const buckets = await model.loadBuckets();
    await scanned;
    model.dispose();
    return { model, buckets };
  }

  /**
   * The PAGED buckets in moto, the ListBuckets stand-in in front of it (`answerListBuckets: false`: moto answers
   * ListBuckets itself, the stand-in only records) and the api through it; `close()` destroys the api and stops it.
   */
  async function pagedBehindStandIn(opts?: { answerListBuckets?: boolean }) {
    for (const b of PAGED) await createBucket(moto.clientConfig(), b);
    const standIn = await startListBucketsStandIn(moto.clientConfig(), opts);
    const api = apiFor(standIn.endpoint);
    return { standIn, api, close: async () => { api.destroy(); await standIn.close(); } };
  }

  test('ListBuckets pages with MaxBuckets and ContinuationToken and takes each bucket\'s BucketRegion: no GetBucketLocation (ListBuckets stand-in in front of moto, checked against S3\'s API model: moto 5.2.1 drops the token and never returns BucketRegion)', async () => {
    const { standIn, api, close } = await pagedBehindStandIn();

    // A small page size: three pages for five buckets, each request naming the page size, the later ones the token.
    const list = await listAllBuckets(api.s3('us-east-1'), undefined, 2);
    const pages = standIn.requests.filter(isListBuckets);
    assert.deepEqual(pages.map((r) => r.query.get('max-buckets')), ['2', '2', '2'], 'three pages of at most two');
    assert.equal(pages[0].query.has('continuation-token'), false);
    assert.ok(pages[1].query.get('continuation-token') && pages[2].query.get('continuation-token'), 'the later pages continue with the token');
    assert.deepEqual(list.map((b) => [b.name, b.region]), PAGED.map((b) => [b.name, regionOf(b.name)]).sort());
    assert.equal(standIn.requests.filter(isGetBucketLocation).length, 0, 'every region came with the list');

    // The Buckets view's own path (default page size, regions, posture scan): still no GetBucketLocation.
    standIn.requests.length = 0;
    const { model, buckets } = await loadAndScan(api);
    assert.deepEqual(standIn.requests.filter(isListBuckets).map((r) => r.query.get('max-buckets')), [String(LIST_BUCKETS_VIEW_PAGE)], 'one page of the view\'s size (five buckets)');
    assert.deepEqual(model.regions(), ['us-east-1', 'ap-southeast-2', 'eu-west-1']);
    assert.deepEqual(buckets.map((b) => [b.name, b.region]).sort(), PAGED.map((b) => [b.name, regionOf(b.name)]).sort());
    assert.equal(standIn.requests.filter(isGetBucketLocation).length, 0, 'no GetBucketLocation when ListBuckets gave BucketRegion');
    assert.equal(model.postures.size, PAGED.length);
    assert.ok([...model.postures.values()].every((p) => !p.error), 'every bucket checked in its region');
    assert.deepEqual(standIn.problems, [], 'requests and answers fit S3\'s API model');
    await close();
  });

  test('against moto_server itself (no BucketRegion in its answer): ListBuckets still sends MaxBuckets, and GetBucketLocation is asked once for each bucket that came without a region', async () => {
    const { standIn: proxy, api, close } = await pagedBehindStandIn({ answerListBuckets: false });
    const { buckets } = await loadAndScan(api);
    const lists = proxy.requests.filter(isListBuckets);
    assert.equal(lists.length, 1);
    assert.equal(lists[0].query.get('max-buckets'), String(LIST_BUCKETS_VIEW_PAGE), 'a paginated request: AWS refuses unpaginated ListBuckets above a 10,000-bucket quota');
    assert.deepEqual(buckets.map((b) => [b.name, b.region]).sort(), PAGED.map((b) => [b.name, regionOf(b.name)]).sort());
    const located = proxy.requests.filter(isGetBucketLocation).map((r) => decodeURIComponent(r.path.split('/').filter(Boolean)[0])).sort();
    assert.deepEqual(located, PAGED.map((b) => b.name).sort(), 'one GetBucketLocation per bucket without BucketRegion');
    await close();
  });

  test('the view draws from the first ListBuckets page while the rest is read, then has every bucket (ListBuckets stand-in in front of moto, held to S3\'s API model)', async () => {
    const { standIn, api, close } = await pagedBehindStandIn();
    const model = newModel(api, 2);
    const first = await model.firstBuckets();
    assert.deepEqual(first.map((b) => [b.name, b.region]), PAGED.map((b) => [b.name, regionOf(b.name)]).sort().slice(0, 2), 'the first page, regions known');
    assert.equal(model.listingPending, true, 'more pages are being read');
    const all = await model.loadBuckets();
    assert.equal(model.listingPending, false);
    assert.deepEqual(all.map((b) => [b.name, b.region]).sort(), PAGED.map((b) => [b.name, regionOf(b.name)]).sort(), 'nothing lost');
    assert.deepEqual(standIn.requests.filter(isListBuckets).map((r) => r.query.get('max-buckets')), ['2', '2', '2']);
    assert.deepEqual(standIn.problems, []);
    model.dispose();
    await close();
  });

  test('against moto_server itself, which cuts the list at MaxBuckets without a token: a full last page is listed again at the maximum, so no bucket is lost', async () => {
    const { standIn: proxy, api, close } = await pagedBehindStandIn({ answerListBuckets: false });
    const list = await listAllBuckets(api.s3('us-east-1'), undefined, 2);
    assert.deepEqual(list.map((b) => b.name).sort(), PAGED.map((b) => b.name).sort());
    assert.deepEqual(proxy.requests.filter(isListBuckets).map((r) => r.query.get('max-buckets')), ['2', '10000']);
    await close();
  });

  test('against moto_server itself (no BucketRegion): the first rows wait for the regions of one page of rows only; the other regions and the posture scan wait until the views drew their first rows, each region asked once, nothing lost', async () => {
    const names = Array.from({ length: FIRST_REGIONS + 50 }, (_, i) => `first-rows-${String(i).padStart(3, '0')}`);
    const seed = new S3Client(moto.clientConfig());
    for (const Bucket of names) await seed.send(new CreateBucketCommand({ Bucket }));
    seed.destroy();
    const proxy = await startListBucketsStandIn(moto.clientConfig(), { answerListBuckets: false });
    const api = apiFor(proxy.endpoint);
    let viewsDrawn!: () => void;
    const idle = new Promise<void>((done) => (viewsDrawn = done));
    // A page of 120: moto cuts the list there without a token, so the whole list is read again (listing.ts).
    const model = new BucketsModel({ api, cache: new DiskCache(mkdtempSync(join(tmpdir(), 'buckets-cache-'))), cacheScope: 'test', settings: () => ({ concurrency: 4, ttlMs: 3_600_000 }), log: { info: () => undefined, error: () => undefined }, listPageSize: 120, idle: () => idle });
    const scanned = new Promise<void>((resolve) => model.onDidChange((c) => c.kind === 'scan' && !model.scan.running && model.scan.total === names.length && resolve()));
    const located = () => proxy.requests.filter(isGetBucketLocation).map((r) => decodeURIComponent(r.path.split('/').filter(Boolean)[0]));
    const first = await model.firstBuckets();
    assert.deepEqual(first.map((b) => b.name), names.slice(0, FIRST_REGIONS), 'the first rows: one page of rows');
    assert.ok(first.every((b) => b.region === 'us-east-1'));
    assert.deepEqual(located().sort(), names.slice(0, FIRST_REGIONS), 'no other region asked before the first rows');
    // While another view still loads its first rows: no more regions, no posture check.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(located().length, FIRST_REGIONS, 'the other regions wait');
    assert.deepEqual(proxy.requests.filter((r) => !isListBuckets(r) && !isGetBucketLocation(r)), [], 'the posture scan waits');
    assert.equal(model.listingPending, true);
    viewsDrawn();
    const all = await model.loadBuckets();
    assert.deepEqual(all.map((b) => [b.name, b.region]), names.map((n) => [n, 'us-east-1']), 'nothing lost');
    assert.deepEqual(located().sort(), names, 'each region asked once, though the list was read again');
    await scanned;
    assert.equal(model.postures.size, names.length, 'every bucket checked');
    model.dispose();
    api.destroy();
    await proxy.close();
  });

  test('with BucketRegion in the answer (as S3 gives it, stand-in): the first page is the first rows, and the later pages wait until the views drew theirs, nothing lost', async () => {
    const names = Array.from({ length: 130 }, (_, i) => `paged-rows-${String(i).padStart(3, '0')}`);
    const seed = new S3Client(moto.clientConfig());
    for (const Bucket of names) await seed.send(new CreateBucketCommand({ Bucket }));
    seed.destroy();
    const proxy = await startListBucketsStandIn(moto.clientConfig());
    const api = apiFor(proxy.endpoint);
    let viewsDrawn!: () => void;
    const idle = new Promise<void>((done) => (viewsDrawn = done));
    const model = new BucketsModel({ api, cache: new DiskCache(mkdtempSync(join(tmpdir(), 'buckets-cache-'))), cacheScope: 'test', settings: () => ({ concurrency: 4, ttlMs: 3_600_000 }), log: { info: () => undefined, error: () => undefined }, listPageSize: 50, idle: () => idle });
    const first = await model.firstBuckets();
    assert.deepEqual(first.map((b) => b.name), names.slice(0, 50), 'the first page');
    assert.ok(first.every((b) => b.region === 'us-east-1'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(proxy.requests.filter(isListBuckets).length, 1, 'no later page while another view loads its first rows');
    assert.deepEqual(proxy.requests.filter(isGetBucketLocation), [], 'regions from the answer, none asked');
    assert.equal(model.listingPending, true);
    viewsDrawn();
    const all = await model.loadBuckets();
    assert.deepEqual(all.map((b) => b.name), names, 'every bucket');
    assert.equal(proxy.requests.filter(isListBuckets).length, 3);
    assert.deepEqual(proxy.problems, []);
    model.dispose();
    api.destroy();
    await proxy.close();
  });

  test('a list of one page is the first rows: it does not wait for the views to draw theirs (Buckets\' own load is one of them), only the posture scan does', async () => {
    for (const b of PAGED) await createBucket(moto.clientConfig(), b);
    const proxy = await startListBucketsStandIn(moto.clientConfig(), { answerListBuckets: false });
    const api = apiFor(proxy.endpoint);
    let viewsDrawn!: () => void;
    const idle = new Promise<void>((done) => (viewsDrawn = done));
    const model = new BucketsModel({ api, cache: new DiskCache(mkdtempSync(join(tmpdir(), 'buckets-cache-'))), cacheScope: 'test', settings: () => ({ concurrency: 2, ttlMs: 3_600_000 }), log: { info: () => undefined, error: () => undefined }, idle: () => idle });
    const first = await Promise.race([model.firstBuckets(), new Promise<'waited'>((r) => setTimeout(() => r('waited'), 5_000))]);
    assert.notEqual(first, 'waited', 'the first rows waited for the views');
    assert.deepEqual((first as { name: string }[]).map((b) => b.name).sort(), PAGED.map((b) => b.name).sort());
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(proxy.requests.filter((r) => !isListBuckets(r) && !isGetBucketLocation(r)), [], 'the posture scan waits');
    const scanned = new Promise<void>((resolve) => model.onDidChange((c) => c.kind === 'scan' && !model.scan.running && model.scan.total === PAGED.length && resolve()));
    viewsDrawn();
    await scanned;
    assert.equal(model.postures.size, PAGED.length);
    model.dispose();
    api.destroy();
    await proxy.close();
  });

  test('account-level Block Public Access (S3 Control, host prefix disabled for the emulator) covers every bucket', async () => {
    await createBucket(moto.clientConfig(), { name: 'acct-public', policy: 'public' });
    const api = apiFor(moto.endpoint);
    assert.ok('missing' in (await accountPabFor(api)), 'no account-level block yet');
    const account = '123456789012';
    await api.s3Control().send(new PutPublicAccessBlockCommand({ AccountId: account, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
    const pab = await accountPabFor(api);
    assert.deepEqual('value' in pab && pab.value, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const p = (await scanPostures(api, await listAllBuckets(api.s3('us-east-1')), { concurrency: 2 })).get('acct-public')!;
    assert.equal(p.checks.publicAccessBlock.state, 'ok');
    assert.match(p.checks.publicAccessBlock.summary, /bucket: not set; account: all on/);
    assert.equal(p.flags.includes('public'), false, 'RestrictPublicBuckets at account level');
    assert.equal(p.checks.policyStatus.state, 'warn');
    await api.s3Control().send(new DeletePublicAccessBlockCommand({ AccountId: account }));
    api.destroy();
  });

  test('a public-read or authenticated-read bucket ACL is public unless IgnorePublicAcls or BucketOwnerEnforced disables it', async () => {
    const cfg = moto.clientConfig();
    // Block Public Access off (none set) and no bucket policy: only the ACL can make these public.
    await createBucket(cfg, { name: 'acl-public-read', acl: 'public-read' });
    await createBucket(cfg, { name: 'acl-authenticated', acl: 'authenticated-read' });
    await createBucket(cfg, { name: 'acl-private' });
    await createBucket(cfg, { name: 'acl-ignored', acl: 'public-read', pabOnly: ['IgnorePublicAcls'] });
    // moto keeps a public grant under BucketOwnerEnforced (AWS refuses it); the grant must not count.
    await createBucket(cfg, { name: 'acl-enforced', acl: 'public-read', ownership: 'BucketOwnerEnforced' });
    const api = apiFor(moto.endpoint);
    const postures = await scanPostures(api, await listAllBuckets(api.s3('us-east-1')), { concurrency: 2 });
    const get = (n: string) => postures.get(n)!;

    assert.equal(get('acl-public-read').level, 'bad');
    assert.equal(get('acl-public-read').flags[0], 'public');
    assert.equal(get('acl-public-read').checks.policyStatus.state, 'ok', 'no policy: the ACL alone makes it public');
    assert.equal(get('acl-public-read').checks.publicAcl.state, 'bad');
    assert.match(get('acl-public-read').checks.publicAcl.summary, /grants READ to AllUsers; IgnorePublicAcls is off and ACLs are enabled \(Object Ownership: not set\)/);
    assert.match(get('acl-authenticated').checks.publicAcl.summary, /READ to AuthenticatedUsers/);
    assert.ok(get('acl-authenticated').flags.includes('public'));

    assert.equal(get('acl-private').checks.publicAcl.state, 'ok');
    assert.ok(!get('acl-private').flags.includes('public'));
    assert.equal(get('acl-ignored').checks.publicAcl.state, 'warn');
    assert.match(get('acl-ignored').checks.publicAcl.summary, /IgnorePublicAcls is on \(bucket level\), so S3 ignores it/);
    assert.ok(!get('acl-ignored').flags.includes('public'));
    assert.equal(get('acl-enforced').checks.publicAcl.state, 'ok');
    assert.match(get('acl-enforced').checks.publicAcl.summary, /ACLs are disabled \(Object Ownership: BucketOwnerEnforced\); the ACL's READ to AllUsers has no effect/);
    assert.ok(!get('acl-enforced').flags.includes('public'));
    api.destroy();
  });

  test('AccessDenied on one bucket and a wrong-region redirect on another stay on those buckets (fault proxy: moto does not enforce IAM)', async () => {
    const cfg = moto.clientConfig();
    for (const name of ['ok-one', 'denied-one', 'moved-one', 'ok-two']) await createBucket(cfg, { name, pab: true, encryption: 'AES256' });
    const proxy = await startFaultProxy(moto.endpoint, { 'denied-one': 'AccessDenied', 'moved-one': 'PermanentRedirect' });
    const api = apiFor(proxy.endpoint);
    const list = await listAllBuckets(api.s3('us-east-1'));
    assert.equal(list.length, 4);
    const seen: string[] = [];
    const postures = await scanPostures(api, list, { concurrency: 3, onResult: (b) => seen.push(b.name) });
    assert.equal(seen.length, 4, 'every bucket reports, including the failing ones');

    const denied = postures.get('denied-one')!;
    assert.equal(denied.level, 'error');
    assert.equal(denied.error?.kind, 'accessDenied');
    assert.equal(denied.error?.code, 'AccessDenied');
    const moved = postures.get('moved-one')!;
    assert.equal(moved.level, 'error');
    assert.equal(moved.error?.code, 'PermanentRedirect');
    for (const ok of ['ok-one', 'ok-two']) {
      assert.equal(postures.get(ok)!.error, undefined, ok);
      assert.equal(postures.get(ok)!.checks.publicAccessBlock.state, 'ok', ok);
    }
    // Browsing the denied bucket fails on its own, with S3's error.
    await assert.rejects(listLevel(api.s3('us-east-1'), 'denied-one', '', 10), (e: Error) => e.name === 'AccessDenied');
    api.destroy();
    await proxy.close();
  });

  test('1,000 buckets: listed, scanned with bounded concurrency, sized in 4 GetMetricData calls, cached', async () => {
    const N = 1000;
    const names = Array.from({ length: N }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    const seedS3 = new S3Client(moto.clientConfig());
    for (let i = 0; i < N; i += 25) await Promise.all(names.slice(i, i + 25).map((Bucket) => seedS3.send(new CreateBucketCommand({ Bucket }))));
    seedS3.destroy();
    await putStorageMetrics(moto.clientConfig(), names.map((name, i) => ({ name, storage: { StandardStorage: (i + 1) * 1024 }, objects: i + 1 })));

    // The proxy counts requests in flight: the bound must hold at CALLS_PER_BUCKET calls per bucket.
    const proxy = await startFaultProxy(moto.endpoint, {});
    const api = apiFor(proxy.endpoint);
    const cache = new DiskCache(mkdtempSync(join(tmpdir(), 'buckets-cache-')));
    const concurrency = 5;
    // The TTL must outlive the test: on a loaded machine seeding and scanning 1,000 buckets can take
    // minutes, and a stale list would be fetched again (GetBucketLocation per bucket).
    const HOUR = 3_600_000;
    const model = new BucketsModel({ api, cache, cacheScope: 'test', settings: () => ({ concurrency, ttlMs: HOUR }), log: { info: () => undefined, error: () => undefined } });
    const scanned = new Promise<void>((resolve) => model.onDidChange((c) => c.kind === 'scan' && !model.scan.running && model.scan.total === N && resolve()));
    const buckets = await model.loadBuckets();
    assert.equal(buckets.length, N);
    assert.deepEqual(model.regions(), ['us-east-1']);
    await scanned;
    assert.equal(model.postures.size, N);
    assert.ok([...model.postures.values()].every((p) => !p.error && p.flags.includes('pabOff')));
    assert.ok(proxy.inFlight.peak <= concurrency * CALLS_PER_BUCKET, `peak ${proxy.inFlight.peak} requests in flight`);
    assert.ok(proxy.inFlight.peak > CALLS_PER_BUCKET, `concurrency was used (peak ${proxy.inFlight.peak})`);

    const calls: number[] = [];
    const storage = await fetchBucketStorage(api.cloudWatch('us-east-1'), names, { onCall: (n) => calls.push(n) });
    assert.deepEqual(calls, [500, 500, 500, 500], '1,000 size + 1,000 count queries, 500 per call');
    assert.equal(storage.size, N);
    assert.equal(storage.get('bulk-0999')?.totalBytes, 1000 * 1024);
    assert.equal(storage.get('bulk-0999')?.objects, 1000);

    // A second model on the same cache makes no posture call for a bucket whose checks all
    // succeeded. (A check that failed, e.g. moto answering 500 under load, is not cached: those
    // buckets are checked again, by design.) Let the first model's last requests settle first.
    model.dispose();
    while (proxy.inFlight.now > 0) await new Promise((r) => setTimeout(r, 20));
    const complete = [...model.postures].filter(([, p]) => !p.flags.includes('checkFailed')).map(([name]) => name);
    assert.ok(complete.length > N * 0.9, `${complete.length} buckets fully checked`);
    const probe = complete[Math.floor(complete.length / 2)];
    const before = proxy.hits.get(probe) ?? 0;
    const again = new BucketsModel({ api, cache, cacheScope: 'test', settings: () => ({ concurrency, ttlMs: HOUR }), log: { info: () => undefined, error: () => undefined } });
    await again.loadBuckets();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(again.scan.fromCache, complete.length);
    assert.equal(again.postures.get(probe)?.level, model.postures.get(probe)?.level);
    assert.equal(proxy.hits.get(probe) ?? 0, before, `no call for ${probe}`);
    again.dispose();
    api.destroy();
    await proxy.close();
  });

  test('storage by class and estimated cost, per region', async () => {
    const cfg = moto.clientConfig();
    for (const spec of POSTURE_BUCKETS) await createBucket(cfg, spec);
    await putStorageMetrics(cfg, POSTURE_BUCKETS);
    const api = apiFor(moto.endpoint);
    const us = await fetchBucketStorage(api.cloudWatch('us-east-1'), POSTURE_BUCKETS.filter((b) => !b.region).map((b) => b.name));
    const logs = us.get('demo-no-lifecycle-logs')!;
    assert.equal(logs.bytesByType.StandardStorage, 850 * GB);
    assert.equal(logs.bytesByType.GlacierStorage, 40 * GB);
    assert.equal(logs.objects, 1_900_000);
    assert.ok(needsLifecycleHint(logs.bytesByType, false));
    const cost = estimateMonthlyCost(logs.bytesByType, 'us-east-1').monthlyUsd;
    assert.ok(Math.abs(cost - (850 * 0.023 + 40 * 0.0036)) < 1e-6, String(cost));
    assert.equal(us.has('demo-unversioned'), false, 'no metrics, no entry');
    const eu = await fetchBucketStorage(api.cloudWatch('eu-west-1'), ['demo-eu-archive']);
    assert.equal(eu.get('demo-eu-archive')?.bytesByType.DeepArchiveStorage, 2000 * GB);
    assert.equal(us.has('demo-eu-archive'), false, 'metrics live in the bucket\'s region');
    api.destroy();
  });

  test('browsing pages with Load more and shows Hive partitions', async () => {
    const cfg = moto.clientConfig();
    await createBucket(cfg, { name: 'demo-data-lake' });
    await putDataLakeObjects(cfg, 'demo-data-lake', { days: 7, bigObjectBytes: 10_000 });
    const s3 = new S3Client(cfg);
    const root = await listLevel(s3, 'demo-data-lake', '', 100);
    assert.deepEqual(root.prefixes, ['events/', 'exports/', 'reports/']);
    assert.deepEqual(root.objects.map((o) => o.key), ['README.txt']);

    const days: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await listLevel(s3, 'demo-data-lake', 'events/year=2024/month=03/', 3, token);
      days.push(...page.prefixes);
      token = page.nextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3, '7 partitions at 3 per page');
    assert.equal(days.length, 7);
    assert.deepEqual(hivePartition(segmentOf(days[0], 'events/year=2024/month=03/')), { key: 'day', value: '01' });
    const reports = await listLevel(s3, 'demo-data-lake', 'reports/', 10);
    assert.deepEqual(reports.prefixes.map((p) => hivePartition(segmentOf(p, 'reports/'))?.value), ['eu-west-1', 'us-east-1']);
    s3.destroy();
  });

  test('preview reads with a Range, inflates gzip JSON Lines, and warns when cut', async () => {
    const cfg = moto.clientConfig();
    await createBucket(cfg, { name: 'demo-data-lake' });
    await putDataLakeObjects(cfg, 'demo-data-lake', { days: 2, bigObjectBytes: 200_000 });
    const s3 = new S3Client(cfg);
    const gz = await fetchPreview(s3, 'demo-data-lake', 'events/year=2024/month=03/day=01/part-00000.json.gz', 1 << 20);
    assert.equal(gz.gzip, true);
    assert.equal(gz.language, 'jsonl');
    assert.equal(gz.truncated, false);
    assert.equal(gz.text.trim().split('\n').length, 25);
    assert.equal(JSON.parse(gz.text.split('\n')[0]).service, 'checkout');

    const json = await fetchPreview(s3, 'demo-data-lake', 'reports/region=us-east-1/summary.json', 1 << 20);
    assert.equal(json.language, 'json');
    assert.match(json.text, /^\{\n {2}"region": "us-east-1"/);

    const big = await fetchPreview(s3, 'demo-data-lake', 'exports/large.jsonl', 4096);
    assert.equal(big.truncated, true);
    assert.ok((big.totalBytes ?? 0) >= 200_000, 'the size comes from Content-Range');
    assert.ok(big.text.length <= 4096);
    assert.equal(big.language, 'jsonl');

    // A big gzip object: the Range read is cut mid-stream and still inflates.
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ i, r: (i * 2654435761) % 1000003 })).join('\n');
    await s3.send(new PutObjectCommand({ Bucket: 'demo-data-lake', Key: 'big.json.gz', Body: gzipSync(lines) }));
    const cut = await fetchPreview(s3, 'demo-data-lake', 'big.json.gz', 8192);
    assert.equal(cut.truncated, true);
    assert.ok(cut.text.startsWith('{"i":0,'));
    s3.destroy();
  });

  test('preview always asks for a Range and buffers at most the limit, whatever HeadObject says (loopback stand-in in front of moto answers HEAD with a wrong or no length)', async () => {
    const cfg = moto.clientConfig();
    await createBucket(cfg, { name: 'demo-data-lake' });
    await putDataLakeObjects(cfg, 'demo-data-lake', { days: 1, bigObjectBytes: 200_000 });
    for (const head of ['lie', 'omit'] as const) {
      const standIn = await startRangeStandIn({ upstream: moto.endpoint, head });
      const s3 = new S3Client({ ...cfg, endpoint: standIn.endpoint });
      const p = await fetchPreview(s3, 'demo-data-lake', 'exports/large.jsonl', 4096);
      const gets = standIn.requests.filter((r) => r.method === 'GET');
      assert.equal(gets.length, 1, head);
      assert.equal(gets[0].range, 'bytes=0-4095', `${head}: the GET carries the Range`);
      assert.ok(standIn.bytesSent <= 4096, `${head}: moto sent ${standIn.bytesSent} bytes`);
      assert.equal(p.truncated, true, head);
      assert.ok(p.text.length <= 4096);
      assert.ok((p.totalBytes ?? 0) >= 200_000, `${head}: the size is Content-Range's, not HeadObject's`);
      s3.destroy();
      await standIn.close();
    }
  });

  test('preview stops reading at the limit when the server ignores Range (loopback stand-in: 64 MiB body, no Content-Length)', async () => {
    const standIn = await startRangeStandIn({ ignoreRange: { bytes: 64 * 1024 * 1024 }, head: 'lie' });
    const s3 = new S3Client({ ...moto.clientConfig(), endpoint: standIn.endpoint });
    const p = await fetchPreview(s3, 'any-bucket', 'huge.log', 8192);
    assert.equal(p.truncated, true);
    assert.equal(p.totalBytes, undefined, 'no Content-Range, no Content-Length: the size is unknown, not 0');
    assert.ok(p.text.length <= 8192 && p.text.length > 0);
    await standIn.closed;
    // Whatever sat in socket buffers when we stopped, far from the whole body went out.
    assert.ok(standIn.bytesSent < 8 * 1024 * 1024, `the stand-in wrote ${standIn.bytesSent} bytes before the client hung up`);
    s3.destroy();
    await standIn.close();
  });

  test('preview of an empty object: S3 answers the Range with 416 InvalidRange, shown as an empty preview', async () => {
    const cfg = moto.clientConfig();
    await createBucket(cfg, { name: 'empty-objects' });
    const s3 = new S3Client(cfg);
    await s3.send(new PutObjectCommand({ Bucket: 'empty-objects', Key: 'empty.txt', Body: '' }));
    const p = await fetchPreview(s3, 'empty-objects', 'empty.txt', 4096);
    assert.equal(p.text, '');
    assert.equal(p.truncated, false);
    assert.equal(p.totalBytes, 0);
    s3.destroy();
  });
});
