// Sign in with SSO in the real extension host: the terminal's process is the AWS CLI itself, started
// with the profile name as one argument. The outer test puts a stand-in `aws` first on PATH that
// records its argv in FAKE_AWS_RECORD.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { SHELL_PROFILE_NAMES } from '../../fixtures/hostile';
import { extensionCtx } from './api';
import { runAll, test, waitFor } from './runner';

const recorded = (): string[][] => {
  const file = process.env.FAKE_AWS_RECORD!;
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : [];
};

test('Sign in with SSO runs `aws sso login --profile NAME` as the terminal process, without a shell, for shell-syntax profile names', async () => {
  await extensionCtx();
  // Profiles of these names in the credentials file (its section names may hold any of them).
  appendFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, SHELL_PROFILE_NAMES.map((n) => `[${n}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n`).join(''));
  await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'us-east-1');
  const opened: vscode.Terminal[] = [];
  const sub = vscode.window.onDidOpenTerminal((t) => opened.push(t));
  try {
    for (const [i, name] of SHELL_PROFILE_NAMES.entries()) {
      assert.equal(await vscode.commands.executeCommand('cloudMonitor.selectProfile', name), name);
      await vscode.commands.executeCommand('cloudMonitor.ssoLogin');
      await waitFor(() => opened.length === i + 1 && recorded().length === i + 1, `the sign-in terminal for ${name} ran the CLI`, 30_000);
    }
    for (const [i, name] of SHELL_PROFILE_NAMES.entries()) {
      const o = opened[i].creationOptions as vscode.TerminalOptions;
      assert.equal(o.shellPath, 'aws', `the terminal process for ${name} is the CLI, not a shell`);
      assert.deepEqual(o.shellArgs, ['sso', 'login', '--profile', name]);
    }
    assert.deepEqual(recorded(), SHELL_PROFILE_NAMES.map((n) => ['sso', 'login', '--profile', n]), 'the CLI got each name as one argument, unchanged');
  } finally {
    sub.dispose();
    for (const t of opened) t.dispose();
  }
});

export const run = runAll;
