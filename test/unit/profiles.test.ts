import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENV_PROFILE, listProfiles, profileKind, resolveEndpointUrl, type SharedFiles } from '../../src/aws/profiles';

const files: SharedFiles = {
  configFile: {
    default: { region: 'eu-west-1' },
    dev: { sso_session: 'corp', sso_account_id: '1', sso_role_name: 'r', region: 'us-east-2' },
    admin: { role_arn: 'arn:aws:iam::1:role/x', source_profile: 'default' },
    proc: { credential_process: '/bin/creds' },
    local: { endpoint_url: 'http://localhost:4566', services: 'ls' },
    'sso-session.corp': { sso_start_url: 'https://x', sso_region: 'us-east-1' },
    'services.ls': { 's3.endpoint_url': 'http://localhost:9000' },
  },
  credentialsFile: { default: { aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 'x' }, keysonly: { aws_access_key_id: 'A', aws_secret_access_key: 'B' } },
};

test('lists profiles from both files, without sso-session and services sections', () => {
  const names = listProfiles(files, {}).map((p) => p.name);
  assert.deepEqual(names, ['admin', 'default', 'dev', 'keysonly', 'local', 'proc']);
});

test('detects each profile kind', () => {
  const kinds = Object.fromEntries(listProfiles(files, {}).map((p) => [p.name, p.kind]));
  assert.deepEqual(kinds, { admin: 'assumeRole', default: 'static', dev: 'sso', keysonly: 'static', local: 'unknown', proc: 'process' });
  assert.equal(profileKind({ role_arn: 'r', web_identity_token_file: 'f' }, undefined), 'webIdentity');
});

test('environment credentials appear as a pseudo-profile first', () => {
  const list = listProfiles(files, { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'ap-south-1' });
  assert.equal(list[0].name, ENV_PROFILE);
  assert.equal(list[0].kind, 'environment');
  assert.equal(list[0].region, 'ap-south-1');
});

test('endpoint precedence: setting, service env, global env, services section, profile', () => {
  const local = listProfiles(files, {}).find((p) => p.name === 'local');
  assert.deepEqual(resolveEndpointUrl('S3', local, files, { AWS_ENDPOINT_URL: 'http://env' }, { url: 'http://setting' }), { url: 'http://setting', source: 'setting' });
  assert.deepEqual(resolveEndpointUrl('S3', local, files, {}, { url: 'http://127.0.0.1:4566', fromWorkspace: true }), { url: 'http://127.0.0.1:4566', source: 'workspaceSetting' });
  assert.deepEqual(resolveEndpointUrl('CloudWatch Logs', local, files, { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://logs', AWS_ENDPOINT_URL: 'http://env' }, undefined), { url: 'http://logs', source: 'env' });
  assert.deepEqual(resolveEndpointUrl('S3', local, files, { AWS_ENDPOINT_URL: 'http://env' }, undefined), { url: 'http://env', source: 'env' });
  assert.deepEqual(resolveEndpointUrl('S3', local, files, {}, undefined), { url: 'http://localhost:9000', source: 'profile' });
  assert.deepEqual(resolveEndpointUrl('STS', local, files, {}, undefined), { url: 'http://localhost:4566', source: 'profile' });
  const dflt = listProfiles(files, {}).find((p) => p.name === 'default');
  assert.equal(resolveEndpointUrl('STS', dflt, files, {}, undefined), undefined);
});

test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns env and profile endpoints off, but not the setting', () => {
  const local = listProfiles(files, {}).find((p) => p.name === 'local');
  const env = { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://env' };
  assert.equal(resolveEndpointUrl('S3', local, files, env, undefined), undefined);
  assert.equal(resolveEndpointUrl('S3', local, files, env, { url: 'http://setting' })?.url, 'http://setting');
});
