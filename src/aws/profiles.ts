// Profile listing and endpoint resolution. Reading the shared files for names, regions and
// endpoint_url is configuration; credentials are never read here (see credentials.ts).
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export type ProfileKind = 'static' | 'sso' | 'assumeRole' | 'process' | 'webIdentity' | 'environment' | 'unknown';

export interface ProfileInfo {
  name: string;
  kind: ProfileKind;
  region?: string;
  endpointUrl?: string;
  /** `services` section name, for per-service endpoint_url. */
  services?: string;
}

/** The pseudo-profile that uses AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment. */
export const ENV_PROFILE = '(environment)';

type Section = Record<string, string | undefined>;
export interface SharedFiles {
  configFile: Record<string, Section>;
  credentialsFile: Record<string, Section>;
}

export async function readSharedFiles(): Promise<SharedFiles> {
  // The loader honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE; ignoreCache so edits show up.
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  return { configFile: files.configFile ?? {}, credentialsFile: files.credentialsFile ?? {} };
}

export function profileKind(config: Section | undefined, creds: Section | undefined): ProfileKind {
  const c = { ...creds, ...config };
  if (c.sso_session || c.sso_start_url) return 'sso';
  if (c.role_arn && c.web_identity_token_file) return 'webIdentity';
  if (c.role_arn) return 'assumeRole';
  if (c.credential_process) return 'process';
  if (c.aws_access_key_id) return 'static';
  return 'unknown';
}

/** Every profile in either file, sorted, plus the environment pseudo-profile when its keys are set. */
export function listProfiles(files: SharedFiles, env: NodeJS.ProcessEnv = process.env): ProfileInfo[] {
  // The loader keys `[sso-session x]` and `[services x]` sections as "sso-session.x" / "services.x".
  const isProfile = (key: string) => !/^(sso-session|services)\./.test(key);
  const names = new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)].filter(isProfile));
  const out: ProfileInfo[] = [...names].sort().map((name) => {
    const config = files.configFile[name];
    return {
      name,
      kind: profileKind(config, files.credentialsFile[name]),
      region: config?.region,
      endpointUrl: config?.endpoint_url,
      services: config?.services,
    };
  });
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    out.unshift({ name: ENV_PROFILE, kind: 'environment', region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION });
  }
  return out;
}

/** The cloudMonitor.endpointUrl in force, and whether a (trusted, allowed) workspace set it. */
export interface EndpointSetting { url: string; fromWorkspace?: boolean }

/**
 * The endpoint a client for `serviceId` should use, with the SDK's precedence for configured
 * endpoints (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), resolved
 * for the *selected* profile: the SDK itself only looks at AWS_PROFILE. A setting wins over all.
 */
export function resolveEndpointUrl(
  serviceId: string,
  profile: ProfileInfo | undefined,
  files: SharedFiles,
  env: NodeJS.ProcessEnv,
  setting: EndpointSetting | undefined,
): { url: string; source: 'setting' | 'workspaceSetting' | 'env' | 'profile' } | undefined {
  if (setting?.url) return { url: setting.url, source: setting.fromWorkspace ? 'workspaceSetting' : 'setting' };
  const ignore = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true';
  if (ignore) return undefined;
  const suffix = serviceId.split(' ').map((w) => w.toUpperCase()).join('_');
  const fromEnv = env[`AWS_ENDPOINT_URL_${suffix}`] ?? env.AWS_ENDPOINT_URL;
  if (fromEnv) return { url: fromEnv, source: 'env' };
  if (!profile) return undefined;
  const section = profile.name === ENV_PROFILE ? undefined : files.configFile[profile.name];
  if ((section?.ignore_configured_endpoint_urls ?? '').toLowerCase() === 'true') return undefined;
  if (profile.services) {
    const services = files.configFile[`services.${profile.services}`];
    const key = `${serviceId.split(' ').map((w) => w.toLowerCase()).join('_')}.endpoint_url`;
    if (services?.[key]) return { url: services[key], source: 'profile' };
  }
  return profile.endpointUrl ? { url: profile.endpointUrl, source: 'profile' } : undefined;
}
