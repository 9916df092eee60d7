// Settings a workspace may set that decide where credentials and results go.
// - The credential providers (here SSO: GetRoleCredentials carries the bearer token) never get an endpoint
//   a workspace chose, while the user's own endpoint setting still reaches them. A loopback recorder stands
//   in for the endpoint; AWS itself is unreachable from the test machine, so those calls just fail.
// - Athena results written to the setting's location are bound to the caller's account
//   (ResultConfiguration.ExpectedBucketOwner), against moto_server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ClientFactory } from '../../src/aws/clientFactory';
import { listProfiles, readSharedFiles, type EndpointSetting } from '../../src/aws/profiles';
import { startQuery } from '../../src/athena/athenaClient';
import { startMoto, type Moto } from '../helpers/moto';

const BEARER = 'aoaSsoBearerTokenFromTheCache-0123456789';

describe('credential providers and workspace endpoints', () => {
  const saved = { ...process.env };
  let recorder: Server;
  let endpoint = '';
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    recorder = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"recorder"}');
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;
    // A legacy SSO profile with a valid cached token (~/.aws/sso/cache/<sha1(start url)>.json).
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    const startUrl = 'https://d-0000000000.awsapps.com/start';
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(startUrl).digest('hex')}.json`),
      JSON.stringify({ startUrl, region: 'us-east-1', accessToken: BEARER, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }));
    writeFileSync(join(home, '.aws', 'config'), ['[profile corp]', `sso_start_url = ${startUrl}`, 'sso_region = us-east-1', 'sso_account_id = 123456789012', 'sso_role_name = Dev', 'region = us-east-1', ''].join('\n'));
    writeFileSync(join(home, '.aws', 'credentials'), '');
    Object.assign(process.env, { HOME: home, AWS_CONFIG_FILE: join(home, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' });
    for (const k of ['AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete process.env[k];
  });
  after(async () => {
    process.env = saved;
    await new Promise((r) => recorder?.close(r));
  });

  async function resolveWith(setting: EndpointSetting) {
    const files = await readSharedFiles();
    const factory = new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env, endpointSetting: setting }));
    seen.length = 0;
    await factory.credentials('corp')().then(() => undefined, () => undefined);
    factory.clear();
    return seen.filter((h) => h['x-amz-sso_bearer_token'] === BEARER).length;
  }

  test('the SSO bearer token never goes to an endpoint the workspace set, even a loopback one', async () => {
    assert.equal(await resolveWith({ url: endpoint, fromWorkspace: true }), 0);
  });

  test('control: the user\'s own endpoint setting does reach the SSO client (so the recorder would see a leak)', async () => {
    assert.ok(await resolveWith({ url: endpoint }) >= 1);
  });
});

describe('Athena result location from the setting (moto_server)', () => {
  let moto: Moto;
  before(async () => { moto = await startMoto(); });
  after(async () => { await moto?.stop(); });

  test('StartQueryExecution binds the setting\'s output location to the caller\'s account (ExpectedBucketOwner)', async () => {
    const s3 = new S3Client(moto.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'ws-results' }));
    s3.destroy();
    const athena = new AthenaClient(moto.clientConfig());
    const id = await startQuery(athena, { sql: 'SELECT 1', workgroup: 'primary', outputLocation: 's3://ws-results/out/', expectedBucketOwner: '123456789012' });
    const qe = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    athena.destroy();
    assert.match(qe.QueryExecution?.ResultConfiguration?.OutputLocation ?? '', /^s3:\/\/ws-results\/out\//);
    assert.equal(qe.QueryExecution?.ResultConfiguration?.ExpectedBucketOwner, '123456789012');
  });
});
