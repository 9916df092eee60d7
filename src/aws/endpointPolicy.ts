// Where a workspace may send AWS requests. A folder's .vscode/settings.json is written by whoever wrote
// the repository: an endpoint there receives every request signed with the user's credentials. So a
// workspace endpoint counts only for loopback hosts (a local emulator), or for a URL the user allowed once
// by name; plain http only to loopback. The credential providers (SSO, STS, credential_process) never get
// a workspace endpoint at all (see ClientFactory.credentials). No vscode import.

/** localhost, *.localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export type WorkspaceEndpointVerdict =
  | { use: true; url: string }
  /** ask: the user may allow it (the prompt names `host`); otherwise it is refused outright. */
  | { use: false; ask: boolean; url: string; host?: string; reason: string };

/** Whether a workspace-level endpoint may be used now, given the URLs the user already allowed. */
export function judgeWorkspaceEndpoint(raw: string, allowed: readonly string[]): WorkspaceEndpointVerdict {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { use: false, ask: false, url: raw, reason: 'it is not a URL' };
  }
  const url = u.href;
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { use: false, ask: false, url, reason: `${u.protocol} is not http or https` };
  if (u.username || u.password) return { use: false, ask: false, url, reason: 'it carries a user name or password' };
  if (isLoopbackHost(u.hostname)) return { use: true, url };
  if (u.protocol === 'http:') return { use: false, ask: false, url, host: u.host, reason: 'plain http is allowed only to this machine (localhost)' };
  if (allowed.includes(url)) return { use: true, url };
  return { use: false, ask: true, url, host: u.host, reason: 'not yet allowed' };
}
