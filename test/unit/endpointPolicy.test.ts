import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, judgeWorkspaceEndpoint } from '../../src/aws/endpointPolicy';

test('loopback hosts: localhost, *.localhost, 127.0.0.0/8, ::1; nothing that merely looks like them', () => {
  for (const h of ['localhost', 'LOCALHOST', 's3.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['localhost.evil.example', '127.0.0.1.nip.io', '10.0.0.1', '0.0.0.0', 'example.com', '128.0.0.1', '::ffff:8.8.8.8']) assert.equal(isLoopbackHost(h), false, h);
});

test('a workspace endpoint: loopback is used, https elsewhere only once allowed (by exact URL), plain http elsewhere never', () => {
  assert.deepEqual(judgeWorkspaceEndpoint('http://127.0.0.1:5000', []), { use: true, url: 'http://127.0.0.1:5000/' });
  assert.equal(judgeWorkspaceEndpoint('http://localhost:4566/', []).use, true);
  const ask = judgeWorkspaceEndpoint('https://collector.evil.example/aws', []);
  assert.deepEqual(ask, { use: false, ask: true, url: 'https://collector.evil.example/aws', host: 'collector.evil.example', reason: 'not yet allowed' });
  assert.equal(judgeWorkspaceEndpoint('https://collector.evil.example/aws', ['https://collector.evil.example/aws']).use, true);
  assert.equal(judgeWorkspaceEndpoint('https://collector.evil.example/other', ['https://collector.evil.example/aws']).use, false, 'allowed per URL, not per host');
  const http = judgeWorkspaceEndpoint('http://collector.evil.example', ['http://collector.evil.example/']);
  assert.equal(http.use, false);
  assert.equal(!http.use && http.ask, false, 'plain http to another host is refused, not offered');
  for (const bad of ['file:///etc/passwd', 'not a url', 'https://user:pw@localhost/', 'ftp://127.0.0.1/']) {
    const v = judgeWorkspaceEndpoint(bad, []);
    assert.equal(v.use, false, bad);
    assert.equal(!v.use && v.ask, false, bad);
  }
});
