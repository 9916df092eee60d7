// `aws sso login` runs as the terminal's process itself, with the profile name as one argv entry:
// no shell ever parses it, so a profile named `dev; rm -rf ~` or `dev$(id)` is only a name.
import type * as vscode from 'vscode';
import { inert } from '../util/inert';

/** Terminal options that run the AWS CLI's SSO sign-in for `profile` without a shell. */
export function ssoLoginTerminalOptions(profile: string): vscode.TerminalOptions {
  return {
    name: `AWS SSO: ${inert(profile, 60)}`,
    // The AWS CLI owns the SSO device flow and its token cache, which the SDK's fromIni/fromSSO read.
    shellPath: 'aws',
    shellArgs: ['sso', 'login', '--profile', profile],
  };
}

/** The same for every account of an IAM Identity Center session (a multi-account scope, src/aws/scope). */
export function ssoSessionLoginTerminalOptions(session: string): vscode.TerminalOptions {
  return {
    name: `AWS SSO: ${inert(session, 60)}`,
    shellPath: 'aws',
    shellArgs: ['sso', 'login', '--sso-session', session],
  };
}
