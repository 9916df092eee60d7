import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact } from '../../src/util/redact';

test('access key ids, secrets, session tokens and signatures are masked', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const text = [
    'key AKIAIOSFODNN7EXAMPLE used',
    `aws_secret_access_key = ${secret}`,
    '{"secretAccessKey":"abc/def+ghi","sessionToken":"FwoGZXIvYXdzEBYaDH"}',
    'X-Amz-Signature=0123456789abcdef0123456789abcdef&X-Amz-Security-Token=IQoJb3JpZ2lu',
  ].join('\n');
  const out = redact(text);
  for (const s of ['IOSFODNN7EXAMPLE', secret, 'abc/def+ghi', 'FwoGZXIvYXdzEBYaDH', '0123456789abcdef0123456789abcdef', 'IQoJb3JpZ2lu']) {
    assert.equal(out.includes(s), false, `${s} leaked in: ${out}`);
  }
  assert.match(out, /AKIA\*+/);
  assert.equal(redact('plain message about bucket my-logs'), 'plain message about bucket my-logs');
});

test('SSO bearer, access and refresh tokens and the OIDC client secret are masked in json, ini and header forms', () => {
  const tokens = {
    access: 'aoaAAAAAGc1Xmp0ZXN0QWNjZXNzVG9rZW4xMjM0NTY3ODkw',
    refresh: 'aorvJYubGpU6i91YnH7Mfo-refresh.token+value/xyz',
    secret: 'eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.client.secret',
    bearer: 'aoaBearerTokenFromTheSsoCache0987654321abcdef',
  };
  const text = [
    // The SSO token cache (~/.aws/sso/cache/*.json) and the OIDC CreateToken answer.
    `{"startUrl":"https://d-123.awsapps.com/start","accessToken":"${tokens.access}","refreshToken":"${tokens.refresh}","clientSecret":"${tokens.secret}"}`,
    `{"access_token": "${tokens.access}", "refresh_token": "${tokens.refresh}", "client_secret": "${tokens.secret}"}`,
    // ini / env form.
    `access_token = ${tokens.access}`,
    `refresh_token=${tokens.refresh}`,
    `client_secret: ${tokens.secret}`,
    // Header forms: the SSO portal's bearer header and a plain Authorization header.
    `x-amz-sso_bearer_token: ${tokens.bearer}`,
    `Authorization: Bearer ${tokens.bearer}`,
    `authorization: bearer ${tokens.access}`,
  ].join('\n');
  const out = redact(text);
  for (const [name, value] of Object.entries(tokens)) assert.equal(out.includes(value), false, `${name} token leaked in: ${out}`);
  assert.match(out, /Authorization: Bearer \*\*\*\*/);
  assert.match(out, /"startUrl":"https:\/\/d-123\.awsapps\.com\/start"/, 'non-secret fields stay readable');
  assert.equal(redact('the token expired; sign in again'), 'the token expired; sign in again');
});
