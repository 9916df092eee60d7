// Credentials always come from @aws-sdk/credential-providers; nothing here parses the files.
import { fromEnv, fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ENV_PROFILE } from './profiles';

/**
 * fromIni covers static keys, SSO (sso-session and legacy), role_arn with source_profile,
 * credential_process and web identity for a named profile. The SDK caches and refreshes
 * temporary credentials itself; we only memoize the provider per connection.
 */
export function credentialsFor(profile: string, stsEndpoint?: string): AwsCredentialIdentityProvider {
  if (profile === ENV_PROFILE) return fromEnv();
  // The STS and SSO clients that fromIni creates for role and SSO profiles must use the same
  // endpoint override as everything else (LocalStack, moto).
  return fromIni({ profile, ignoreCache: true, clientConfig: stsEndpoint ? { endpoint: stsEndpoint } : undefined });
}
