// The connection layer against moto_server, with a temporary config file holding several profile kinds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListBucketsCommand, S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { ClientFactory } from '../../src/aws/clientFactory';
import { classifyAwsError } from '../../src/aws/errors';
import { ENV_PROFILE, listProfiles, readSharedFiles } from '../../src/aws/profiles';
import { startMoto, type Moto } from '../helpers/moto';

let moto: Moto;
let factory: ClientFactory;
const saved = { ...process.env };

before(async () => {
  moto = await startMoto();
  const dir = mkdtempSync(join(tmpdir(), 'awscfg-'));
  const credsScript = join(dir, 'creds.js');
  writeFileSync(credsScript, `console.log(JSON.stringify({Version:1,AccessKeyId:'AKIAPROCESS0000000001',SecretAccessKey:'procsecret'}))`);
  writeFileSync(join(dir, 'config'), [
    '[profile static]', 'region = us-east-1', `endpoint_url = ${moto.endpoint}`,
    '[profile role]', 'role_arn = arn:aws:iam::123456789012:role/monitor', 'source_profile = static', 'region = eu-west-1', `endpoint_url = ${moto.endpoint}`,
    '[profile proc]', `credential_process = ${process.execPath} ${credsScript}`, 'region = us-west-2', `endpoint_url = ${moto.endpoint}`,
    '[profile sso]', 'sso_session = corp', 'sso_account_id = 123456789012', 'sso_role_name = Dev', 'region = us-east-1', `endpoint_url = ${moto.endpoint}`,
    '[sso-session corp]', 'sso_start_url = https://example.awsapps.com/start', 'sso_region = us-east-1', 'sso_registration_scopes = sso:account:access',
    '[profile nokeys]', 'region = us-east-1', `endpoint_url = ${moto.endpoint}`,
    '[profile down]', 'region = us-east-1', 'endpoint_url = http://127.0.0.1:9',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'credentials'), ['[static]', 'aws_access_key_id = AKIASTATIC0000000001', 'aws_secret_access_key = staticsecret', '[down]', 'aws_access_key_id = AKIASTATIC0000000002', 'aws_secret_access_key = x', ''].join('\n'));
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT00001';
  process.env.AWS_SECRET_ACCESS_KEY = 'envsecret';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
  const files = await readSharedFiles();
  factory = new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env }));
});

after(async () => {
  factory?.clear();
  process.env = saved;
  await moto?.stop();
});

async function account(profile: string, region = 'us-east-1') {
  return (await factory.get(STSClient, profile, region).send(new GetCallerIdentityCommand({}))).Account;
}

describe('connection layer (moto_server)', () => {
  test('static keys profile reaches the emulator through its endpoint_url', async () => {
    assert.equal(await account('static'), '123456789012');
  });

  test('role_arn with source_profile assumes the role through the same endpoint', async () => {
    const sts = factory.get(STSClient, 'role', 'eu-west-1');
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.match(id.Arn ?? '', /assumed-role\/monitor\//);
  });

  test('credential_process profile', async () => {
    assert.equal(await account('proc', 'us-west-2'), '123456789012');
  });

  test('environment credentials pseudo-profile', async () => {
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    try {
      const files = await readSharedFiles();
      const f = new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env }));
      assert.equal((await f.get(STSClient, ENV_PROFILE, 'us-east-1').send(new GetCallerIdentityCommand({}))).Account, '123456789012');
      f.clear();
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
  });

  test('SSO profile without a cached token is reported as an expired SSO session', async () => {
    const err = await factory.get(STSClient, 'sso', 'us-east-1').send(new GetCallerIdentityCommand({})).then(() => undefined, (e: unknown) => e);
    assert.ok(err, 'expected a failure');
    assert.equal(classifyAwsError(err).kind, 'ssoExpired');
  });

  test('a profile with no credentials is reported as missing credentials', async () => {
    const err = await account('nokeys').then(() => undefined, (e: unknown) => e);
    assert.equal(classifyAwsError(err).kind, 'noCredentials');
  });

  test('network down is reported as such', async () => {
    const err = await account('down').then(() => undefined, (e: unknown) => e);
    assert.equal(classifyAwsError(err).kind, 'network');
  });

  test('one client per (service, profile, region, endpoint), S3 path-style on the emulator', async () => {
    factory.clear();
    const a = factory.get(S3Client, 'static', 'us-east-1');
    const b = factory.get(S3Client, 'static', 'us-east-1');
    const c = factory.get(S3Client, 'static', 'eu-west-1');
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(factory.size, 2);
    await a.send(new CreateBucketCommand({ Bucket: 'conn-test-bucket' }));
    const list = await a.send(new ListBucketsCommand({}));
    assert.ok(list.Buckets?.some((bk) => bk.Name === 'conn-test-bucket'));
    factory.clear();
    assert.equal(factory.size, 0);
  });
});
