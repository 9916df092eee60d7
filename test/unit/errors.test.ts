import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAwsError, markFailedCall } from '../../src/aws/errors';

function sdkError(name: string, message: string, status?: number) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

test('expired SSO token asks to sign in', () => {
  const c = classifyAwsError(new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login'));
  assert.equal(c.kind, 'ssoExpired');
  assert.deepEqual(c.actions.slice(0, 1), ['ssoLogin']);
  assert.equal(classifyAwsError(sdkError('ExpiredTokenException', 'The security token included in the request is expired', 400)).kind, 'ssoExpired');
});

test('missing credentials offer Select Profile', () => {
  const c = classifyAwsError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'));
  assert.equal(c.kind, 'noCredentials');
  assert.ok(c.actions.includes('selectProfile'));
  assert.equal(classifyAwsError(sdkError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403)).kind, 'noCredentials');
});

test('AccessDenied names the denied action', () => {
  const c = classifyAwsError(sdkError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: ce:GetCostAndUsage on resource: *', 400));
  assert.equal(c.kind, 'accessDenied');
  assert.equal(c.deniedAction, 'ce:GetCostAndUsage');
  assert.match(c.message, /ce:GetCostAndUsage/);
});

test('throttling and network errors are retryable', () => {
  assert.equal(classifyAwsError(sdkError('ThrottlingException', 'Rate exceeded', 400)).kind, 'throttled');
  assert.equal(classifyAwsError(sdkError('SomethingElse', 'slow', 429)).kind, 'throttled');
  const net = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const c = classifyAwsError(net);
  assert.equal(c.kind, 'network');
  assert.deepEqual(c.actions, ['retry']);
});

test('messages are one line, never a stack', () => {
  const e = new Error('first line\n    at foo (bar.js:1:1)');
  const c = classifyAwsError(e);
  assert.equal(c.message.includes('\n'), false);
  assert.equal(c.message.includes('bar.js'), false);
  assert.equal(classifyAwsError(undefined).kind, 'other');
});

test('an answer that is not AWS at all (an HTML 404 page from an emulator) is "unsupported", in words a person can read', () => {
  const e = Object.assign(new Error('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), { $metadata: { httpStatusCode: 404 } });
  const c = classifyAwsError(e);
  assert.equal(c.kind, 'unsupported');
  assert.match(c.message, /^The endpoint's answer could not be read \(HTTP 404\): it did not answer like AWS, and probably does not support this operation/);
  assert.equal(c.message.includes('$response'), false);
});

test('a service\'s own error that speaks of an unexpected token (a query\'s syntax) keeps its message: only a parser\'s text is "could not be read"', () => {
  const e = Object.assign(new Error('Unexpected token at line 1, column 8: expected a field name'), { name: 'MalformedQueryException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
  const c = classifyAwsError(e);
  assert.equal(c.message.startsWith("The endpoint's answer could not be read"), false, c.message);
  assert.match(c.message, /^Unexpected token at line 1, column 8/);
});

test('an unreadable answer names the service by its proper name, and a 401 or 403 leads with "Access denied (HTTP …)"', () => {
  const unreadable = (status: number, service: string) => {
    const e = Object.assign(new Error('Unexpected token \'<\', "<?xml vers"... is not valid JSON'), { $metadata: { httpStatusCode: status } });
    markFailedCall(e, { service, op: 'GetFindings', account: '222222222222' });
    return classifyAwsError(e);
  };
  const denied = unreadable(401, 'securityhub');
  assert.equal(denied.kind, 'accessDenied');
  assert.match(denied.message, /^Access denied \(HTTP 401 from Security Hub GetFindings in account 222222222222\): the endpoint's answer could not be read/);
  const failed = unreadable(502, 'logs');
  assert.match(failed.message, /^The endpoint's answer could not be read \(HTTP 502 from CloudWatch Logs GetFindings in account 222222222222\): /);
  // A service without a proper name on record keeps its short name.
  assert.match(unreadable(500, 'newservice').message, /from newservice GetFindings/);
});
