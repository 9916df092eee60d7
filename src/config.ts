import * as vscode from 'vscode';

/** Every setting, read live through one typed wrapper. Keys match package.json `contributes.configuration`. */
export const SECTION = 'cloudMonitor';

function get<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(SECTION).get<T>(key, fallback);
}

export const Config = {
  section: SECTION,
  /** Profile to use when the workspace has not chosen one. */
  profile: () => get<string>('profile', ''),
  region: () => get<string>('region', ''),
  /** Endpoint override for every service (LocalStack, moto). */
  endpointUrl: () => get<string>('endpointUrl', ''),
  affects: (e: vscode.ConfigurationChangeEvent, key: string) => e.affectsConfiguration(`${SECTION}.${key}`),
  get,
};
export type ConfigApi = typeof Config;
