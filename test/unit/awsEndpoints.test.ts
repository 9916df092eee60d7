// What the extension sends to real AWS, checked at the HTTP level without sending it: clients built by
// the extension's own ClientFactory with no endpoint override, regions picked by the feature modules,
// and a request handler that records each signed request and never sends it (test/helpers/recordedRequests.ts).
// Host, path and the Authorization header's credential scope (signing region and service) per service.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ClientFactory } from '../../src/aws/clientFactory';
import { listProfiles, readSharedFiles, type EndpointSetting, type SharedFiles } from '../../src/aws/profiles';
import { EmulatorFriendlyS3Control, LIST_BUCKETS_VIEW_PAGE } from '../../src/buckets/listing';
import { BucketsModel, type BucketsApi } from '../../src/buckets/model';
import { accountPabFor } from '../../src/buckets/scan';
import { DiskCache } from '../../src/cache/diskCache';
import { costExplorerRegion, sdkCeApi } from '../../src/costs/api';
import { LiveTailUnavailableError, streamLiveTail } from '../../src/logs/tail/sources';
import { loadAwsModel } from '../helpers/awsModel';
import { recordRequests, RequestNotSent, type CannedResponse, type RecordedRequest } from '../helpers/recordedRequests';

const ACCOUNT = '123456789012';
const STATIC_KEY = 'AKIDSTATICEXAMPLE';
const SSO_ROLE_KEY = 'ASIASSOROLEEXAMPLE';
const SSO_SESSION = 'corp';

/** Environment the SDK reads on its own (endpoints, region, FIPS, profile): none of it may steer these tests. */
const STEERING_ENV = /^AWS_(ENDPOINT_URL.*|IGNORE_CONFIGURED_ENDPOINT_URLS|REGION|DEFAULT_REGION|PROFILE|DEFAULT_PROFILE|USE_FIPS_ENDPOINT|USE_DUALSTACK_ENDPOINT|S3_US_EAST_1_REGIONAL_ENDPOINT|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|CONFIG_FILE|SHARED_CREDENTIALS_FILE|SDK_LOAD_CONFIG)$/;
const savedEnv = { ...process.env };
let files: SharedFiles;
let recorder: ReturnType<typeof recordRequests> | undefined;

before(async () => {
  const home = mkdtempSync(join(tmpdir(), 'aws-endpoints-'));
  for (const k of Object.keys(process.env)) if (STEERING_ENV.test(k)) delete process.env[k];
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
  writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, `[static]\naws_access_key_id = ${STATIC_KEY}\naws_secret_access_key = static-secret\n`);
  writeFileSync(process.env.AWS_CONFIG_FILE, [
    '[profile static]', 'region = us-east-1', '',
    '[profile role]', `role_arn = arn:aws:iam::${ACCOUNT}:role/Monitor`, 'source_profile = static', 'region = us-east-1', '',
    '[profile sso-dev]', `sso_session = ${SSO_SESSION}`, 'sso_account_id = 111122223333', 'sso_role_name = ReadOnly', 'region = eu-west-1', '',
    `[sso-session ${SSO_SESSION}]`, 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = eu-central-1', 'sso_registration_scopes = sso:account:access', '',
  ].join('\n'));
  // The token `aws sso login` leaves in the cache, valid for a long while (no refresh call).
  const cache = join(home, '.aws', 'sso', 'cache');
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, `${createHash('sha1').update(SSO_SESSION).digest('hex')}.json`), JSON.stringify({
    accessToken: 'sso-bearer-token', expiresAt: new Date(Date.now() + 3_600_000 * 24 * 365).toISOString(), region: 'eu-central-1', startUrl: 'https://corp.awsapps.com/start',
  }));
  files = await readSharedFiles();
});
after(() => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
});
afterEach(() => {
  recorder?.restore();
  recorder = undefined;
});

/** The extension's client factory over the temporary shared files, with no endpoint override unless given. */
function factory(endpointSetting?: EndpointSetting): ClientFactory {
  return new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env, endpointSetting }));
}

function record(answer?: (r: RecordedRequest) => CannedResponse | undefined) {
  recorder = recordRequests(answer);
  return recorder.requests;
}

const notSent = (e: unknown) => e instanceof RequestNotSent || (e as Error)?.name === 'RequestNotSent';

describe('requests to real AWS endpoints (recorded, never sent)', () => {
  test('S3 through the Buckets view: ListBuckets to s3.<region>, each bucket virtual-hosted at <bucket>.s3.<its region> (us-east-1 and eu-west-1), a bucket with dots path-style, each signed for the bucket\'s region', async () => {
    const buckets = [
      { Name: 'us-logs', BucketRegion: 'us-east-1' },
      { Name: 'eu-archive', BucketRegion: 'eu-west-1' },
      { Name: 'logs.example.com', BucketRegion: 'ap-southeast-2' },
    ];
    const requests = record((r) => {
      if (r.method !== 'GET' || r.path !== '/' || r.query['x-id'] !== 'ListBuckets') return undefined;
      const items = buckets.map((b) => `<Bucket><Name>${b.Name}</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate><BucketRegion>${b.BucketRegion}</BucketRegion></Bucket>`).join('');
      return { statusCode: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Buckets>${items}</Buckets></ListAllMyBucketsResult>` };
    });
    const f = factory();
    const defaultRegion = 'us-east-1';
    // As src/buckets/register.ts builds it: one client per region from the connection's factory.
    const api: BucketsApi = {
      s3: (region) => f.get(S3Client, 'static', region),
      cloudWatch: (region) => f.get(CloudWatchClient, 'static', region),
      s3Control: () => f.get(EmulatorFriendlyS3Control, 'static', defaultRegion),
      accountId: async () => ACCOUNT,
      defaultRegion,
    };
    const model = new BucketsModel({ api, cache: new DiskCache(mkdtempSync(join(tmpdir(), 'endpoints-cache-'))), cacheScope: 'aws', settings: () => ({ concurrency: 3, ttlMs: 60_000 }), log: { info: () => undefined, error: () => undefined } });
    const scanned = new Promise<void>((resolve) => model.onDidChange((c) => c.kind === 'scan' && !model.scan.running && model.scan.total === buckets.length && resolve()));
    await model.loadBuckets();
    await scanned;
    model.dispose();

    const list = requests.filter((r) => r.query['x-id'] === 'ListBuckets');
    assert.equal(list.length, 1);
    assert.equal(list[0].host, 's3.us-east-1.amazonaws.com');
    assert.equal(list[0].query['max-buckets'], String(LIST_BUCKETS_VIEW_PAGE));
    assert.deepEqual(list[0].signing, { accessKeyId: STATIC_KEY, date: list[0].signing?.date, region: 'us-east-1', service: 's3' });
    assert.equal(requests.filter((r) => 'location' in r.query).length, 0, 'no GetBucketLocation: ListBuckets gave every region');

    const perBucket = (host: string, pathStart: string) => requests.filter((r) => r.host === host && r.path.startsWith(pathStart) && r.query['x-id'] !== 'ListBuckets');
    const expected = [
      { bucket: 'us-logs', host: 'us-logs.s3.us-east-1.amazonaws.com', path: '/', region: 'us-east-1' },
      { bucket: 'eu-archive', host: 'eu-archive.s3.eu-west-1.amazonaws.com', path: '/', region: 'eu-west-1' },
      // A name with dots cannot be a TLS host name under *.s3.<region>.amazonaws.com: path-style.
      { bucket: 'logs.example.com', host: 's3.ap-southeast-2.amazonaws.com', path: '/logs.example.com/', region: 'ap-southeast-2' },
    ];
    for (const e of expected) {
      const sent = perBucket(e.host, e.path);
      assert.ok(sent.length >= 8, `${e.bucket}: the posture checks went to ${e.host}${e.path} (${sent.length} requests)`);
      assert.ok(sent.every((r) => r.method === 'GET' && r.signing?.region === e.region && r.signing.service === 's3' && r.signing.accessKeyId === STATIC_KEY), `${e.bucket}: signed for ${e.region}`);
    }
    const s3Control = requests.filter((r) => r.host.includes('s3-control'));
    const elsewhere = requests.filter((r) => !list.includes(r) && !s3Control.includes(r) && !expected.some((e) => r.host === e.host && r.path.startsWith(e.path)));
    assert.deepEqual(elsewhere.map((r) => `${r.host}${r.path}`), [], 'no request went anywhere else');
  });

  test('S3 Control: the account-level Block Public Access goes to <account>.s3-control.<region>.amazonaws.com, signed for that region as service s3', async () => {
    const requests = record();
    const f = factory();
    const pab = await accountPabFor({ s3: () => { throw new Error('unused'); }, s3Control: () => f.get(EmulatorFriendlyS3Control, 'static', 'eu-central-1'), accountId: async () => ACCOUNT, defaultRegion: 'eu-central-1' });
    assert.ok('error' in pab, 'not sent, so no answer');
    assert.equal(requests.length, 1);
    const [r] = requests;
    assert.equal(r.method, 'GET');
    assert.equal(r.host, `${ACCOUNT}.s3-control.eu-central-1.amazonaws.com`);
    assert.equal(r.path, '/v20180820/configuration/publicAccessBlock');
    assert.equal(r.headers['x-amz-account-id'], ACCOUNT);
    assert.deepEqual({ region: r.signing?.region, service: r.signing?.service }, { region: 'eu-central-1', service: 's3' });
  });

  test('Cost Explorer: always its partition\'s home region, whatever region the user picked (the costs feature\'s own region choice)', async () => {
    const home = {
      aws: { host: 'ce.us-east-1.amazonaws.com', region: 'us-east-1' },
      'aws-cn': { host: 'ce.cn-northwest-1.amazonaws.com.cn', region: 'cn-northwest-1' },
      'aws-us-gov': { host: 'ce.us-gov-west-1.amazonaws.com', region: 'us-gov-west-1' },
      'aws-eusc': { host: 'ce.eusc-de-east-1.api.amazonwebservices.eu', region: 'eusc-de-east-1' },
      'aws-iso': { host: 'ce.us-iso-east-1.c2s.ic.gov', region: 'us-iso-east-1' },
      'aws-iso-b': { host: 'ce.us-isob-east-1.sc2s.sgov.gov', region: 'us-isob-east-1' },
    };
    const picked: [string, keyof typeof home][] = [
      ['us-east-1', 'aws'], ['eu-west-1', 'aws'], ['ap-southeast-2', 'aws'], ['us-west-2', 'aws'], ['sa-east-1', 'aws'],
      ['cn-north-1', 'aws-cn'], ['cn-northwest-1', 'aws-cn'],
      ['us-gov-east-1', 'aws-us-gov'], ['us-gov-west-1', 'aws-us-gov'],
      ['eusc-de-east-1', 'aws-eusc'],
      ['us-iso-west-1', 'aws-iso'], ['us-isob-east-1', 'aws-iso-b'],
    ];
    const requests = record();
    const f = factory();
    const seen: string[] = [];
    for (const [userRegion, partition] of picked) {
      const before = requests.length;
      // As src/costs/feature.ts makes its client.
      const client = f.get(CostExplorerClient, 'static', costExplorerRegion(userRegion));
      await assert.rejects(sdkCeApi(() => client).getCostAndUsage({ TimePeriod: { Start: '2026-11-01', End: '2026-12-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] }), notSent);
      const sent = requests.slice(before);
      assert.equal(sent.length, 1, userRegion);
      const r = sent[0];
      assert.equal(r.headers['x-amz-target'], 'AWSInsightsIndexService.GetCostAndUsage');
      seen.push(`${userRegion} → ${r.host}${r.path} signed ${r.signing?.region}/${r.signing?.service}`);
      assert.equal(`${r.host}${r.path} ${r.signing?.region}/${r.signing?.service}`, `${home[partition].host}/ ${home[partition].region}/ce`, `a user in ${userRegion} (${partition}): ${seen.at(-1)}`);
    }
  });

  test('CloudWatch Logs Live Tail: StartLiveTail goes to the API model\'s streaming host (<hostPrefix>logs.<region>.amazonaws.com) on AWS; with an endpoint override, to the override itself', async () => {
    const hostPrefix = loadAwsModel('logs').operations.StartLiveTail.endpoint?.hostPrefix;
    assert.ok(hostPrefix, 'the model gives StartLiveTail a host prefix');
    const requests = record();
    const target = { groupName: 'app', groupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:app` };
    const sink = { events: () => undefined, notice: () => undefined };
    const tail = (client: CloudWatchLogsClient) => assert.rejects(streamLiveTail(client, target, sink, new AbortController().signal), (e) => e instanceof LiveTailUnavailableError);

    await tail(factory().get(CloudWatchLogsClient, 'static', 'eu-west-1'));
    assert.equal(requests.length, 1);
    const [live] = requests;
    assert.equal(live.method, 'POST');
    assert.equal(live.host, `${hostPrefix}logs.eu-west-1.amazonaws.com`, 'AWS serves Live Tail on its own host');
    assert.equal(live.path, '/');
    assert.equal(live.headers['x-amz-target'], 'Logs_20140328.StartLiveTail');
    assert.deepEqual({ region: live.signing?.region, service: live.signing?.service }, { region: 'eu-west-1', service: 'logs' });

    // The local-endpoint path keeps working (no stream- prefix in front of a loopback host).
    await tail(factory({ url: 'http://127.0.0.1:4566' }).get(CloudWatchLogsClient, 'static', 'eu-west-1'));
    assert.equal(requests.length, 2);
    assert.equal(requests[1].host, '127.0.0.1');
  });

  test('STS: GetCallerIdentity goes to the regional sts.<region>.amazonaws.com, signed for that region with the profile\'s keys', async () => {
    const requests = record();
    await assert.rejects(factory().get(STSClient, 'static', 'ap-southeast-2').send(new GetCallerIdentityCommand({})), notSent);
    assert.equal(requests.length, 1);
    const [r] = requests;
    assert.equal(`${r.method} ${r.host}${r.path}`, 'POST sts.ap-southeast-2.amazonaws.com/');
    assert.match(r.body, /Action=GetCallerIdentity/);
    assert.deepEqual(r.signing, { accessKeyId: STATIC_KEY, date: r.signing?.date, region: 'ap-southeast-2', service: 'sts' });
  });

  test('STS AssumeRole for a role profile: signed with the source profile\'s keys, at a regional STS host signed for its own region; the request that follows uses the role\'s keys', async () => {
    const requests = record((r) => /Action=AssumeRole(&|$)/.test(r.body)
      ? { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLEEXAMPLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-session</SessionToken><Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/Monitor/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>` }
      : undefined);
    await assert.rejects(factory().get(STSClient, 'role', 'ap-southeast-2').send(new GetCallerIdentityCommand({})), notSent);
    assert.equal(requests.length, 2, requests.map((r) => r.host).join(', '));
    const [assume, call] = requests;
    assert.match(assume.body, /RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FMonitor/);
    assert.equal(assume.signing?.accessKeyId, STATIC_KEY);
    // The SDK's choice (the profile's region here): any regional STS host, signed for that same region.
    assert.equal(assume.host, `sts.${assume.signing?.region}.amazonaws.com`, 'a regional STS host, signed for its region');
    assert.equal(call.host, 'sts.ap-southeast-2.amazonaws.com');
    assert.deepEqual({ key: call.signing?.accessKeyId, region: call.signing?.region }, { key: 'ASIAROLEEXAMPLE', region: 'ap-southeast-2' });
  });

  test('SSO: an sso-session profile fetches role credentials from portal.sso.<sso_region>.amazonaws.com with the cached bearer token, and the request that follows is signed with the role\'s keys', async () => {
    const requests = record((r) => r.host.startsWith('portal.sso.')
      ? { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roleCredentials: { accessKeyId: SSO_ROLE_KEY, secretAccessKey: 'role-secret', sessionToken: 'role-session', expiration: Date.now() + 3_600_000 } }) }
      : undefined);
    await assert.rejects(factory().get(STSClient, 'sso-dev', 'eu-west-1').send(new GetCallerIdentityCommand({})), notSent);
    assert.equal(requests.length, 2, requests.map((r) => r.host).join(', '));
    const [sso, sts] = requests;
    assert.equal(`${sso.method} ${sso.host}${sso.path}`, 'GET portal.sso.eu-central-1.amazonaws.com/federation/credentials', 'the sso-session\'s region, not the profile\'s');
    assert.deepEqual({ role: sso.query.role_name, account: sso.query.account_id }, { role: 'ReadOnly', account: '111122223333' });
    assert.equal(sso.headers['x-amz-sso_bearer_token'], 'sso-bearer-token');
    assert.equal(sso.signing, undefined, 'GetRoleCredentials carries the bearer token, no SigV4 signature');
    assert.equal(sts.host, 'sts.eu-west-1.amazonaws.com');
    assert.deepEqual({ key: sts.signing?.accessKeyId, region: sts.signing?.region }, { key: SSO_ROLE_KEY, region: 'eu-west-1' });
    assert.equal(sts.headers['x-amz-security-token'], 'role-session');
  });
});
