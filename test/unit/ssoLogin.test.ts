import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ssoLoginTerminalOptions } from '../../src/aws/sso';
import { SHELL_PROFILE_NAMES } from '../fixtures/hostile';

test('Sign in with SSO: the terminal runs the aws CLI itself (no shell), the profile name one argv entry', () => {
  for (const name of SHELL_PROFILE_NAMES) {
    const o = ssoLoginTerminalOptions(name);
    assert.equal(o.shellPath, 'aws', 'the terminal process is the AWS CLI, not a shell');
    assert.deepEqual(o.shellArgs, ['sso', 'login', '--profile', name]);
  }
});
