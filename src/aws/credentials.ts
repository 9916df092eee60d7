// Credentials always come from @aws-sdk/credential-providers; nothing here parses the files.
import { fromEnv, fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ENV_PROFILE } from './profiles';

/**
 * fromIni covers static keys, SSO (sso-session and legacy), role_arn with source_profile,
 * credential_process and web identity for a named profile. The SDK caches and refreshes
 * temporary credentials itself; we only memoize the provider per connection.
 */
export function credentialsFor(profile: string): AwsCredentialIdentityProvider {
  if (profile === ENV_PROFILE) return fromEnv();
  return fromIni({ profile, ignoreCache: true });
}
