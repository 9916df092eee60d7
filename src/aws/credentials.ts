// Credentials always come from @aws-sdk/credential-providers; nothing here parses the files.
import { fromEnv, fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider, Pluggable } from '@smithy/types';
import { ENV_PROFILE } from './profiles';

/**
 * fromIni covers static keys, SSO (sso-session and legacy), role_arn with source_profile,
 * credential_process and web identity for a named profile. The SDK caches and refreshes
 * temporary credentials itself; we only memoize the provider per connection.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's own plugin type
export function credentialsFor(profile: string, stsEndpoint?: string, clientPlugins: Pluggable<any, any>[] = []): AwsCredentialIdentityProvider {
  if (profile === ENV_PROFILE) return fromEnv();
  // The STS and SSO clients that fromIni creates for role and SSO profiles must use the same
  // endpoint override as everything else (LocalStack, moto).
  // clientPlugins: the billing ledger's middleware, on every client fromIni makes.
  return fromIni({ profile, ignoreCache: true, clientConfig: stsEndpoint ? { endpoint: stsEndpoint } : undefined, clientPlugins });
}
