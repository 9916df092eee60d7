// An IAM Identity Center session as `aws sso login` leaves it, in a home folder of the test's own: the token
// cache file (~/.aws/sso/cache/<SHA-1 of the session name>.json) and the config file's `[sso-session]` section.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SsoTokenFile { accessToken: string; expiresAt: Date; startUrl?: string; region?: string; [extra: string]: unknown }

/** Writes the session's cached token under `home`; returns the file's path. */
export function writeSsoToken(home: string, session: string, token: SsoTokenFile): string {
  const dir = join(home, '.aws', 'sso', 'cache');
  mkdirSync(dir, { recursive: true });
  // The AWS CLI names the cache file by the SHA-1 of the sso-session name.
  const file = join(dir, `${createHash('sha1').update(session).digest('hex')}.json`);
  const { accessToken, expiresAt, startUrl = 'https://corp.awsapps.com/start', region = 'eu-west-1', ...extra } = token;
  writeFileSync(file, JSON.stringify({ startUrl, region, accessToken, expiresAt: expiresAt.toISOString(), ...extra }));
  return file;
}

/** The config file's section of the session. */
export function ssoSessionSection(session: string, opts: { region?: string; startUrl?: string; scopes?: boolean } = {}): string {
  const { region = 'eu-west-1', startUrl = 'https://corp.awsapps.com/start', scopes = true } = opts;
  return `[sso-session ${session}]\nsso_region = ${region}\nsso_start_url = ${startUrl}\n${scopes ? 'sso_registration_scopes = sso:account:access\n' : ''}`;
}
