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
