// Writes a shared AWS config + credentials pair whose `sandbox` profile points at a local emulator.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SandboxProfile {
  configFile: string;
  credentialsFile: string;
  /** Environment for a process (code-server, the extension host) that should see only these files. */
  env: Record<string, string>;
}

export function writeSandboxProfile(dir: string, endpoint: string, region = 'us-east-1'): SandboxProfile {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'config');
  const credentialsFile = join(dir, 'credentials');
  writeFileSync(configFile, `[profile sandbox]\nregion = ${region}\nendpoint_url = ${endpoint}\n`);
  // moto accepts any keys; these are not secrets.
  writeFileSync(credentialsFile, '[sandbox]\naws_access_key_id = AKIASANDBOX000000000\naws_secret_access_key = sandbox\n');
  return {
    configFile,
    credentialsFile,
    env: { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_EC2_METADATA_DISABLED: 'true' },
  };
}
