// "Open in Console": the Security Hub console page of one finding. Pure: no vscode.
// The host is fixed by the connection's partition; the finding's id is outside text and only ever
// becomes an encoded value inside the fragment's search parameter, never part of the host or path.
import type { FindingKey } from './model';

/**
 * The AWS console host of each partition that has a public console. The ISO partitions (us-iso-*, us-isob-*,
 * eu-isoe-*, us-isof-*) have consoles of their own on closed networks, and the European Sovereign Cloud
 * (aws-eusc, eusc-de-east-1) a console of its own: neither is linked, the user is told to use their console.
 */
const CONSOLE_HOSTS = { aws: 'console.aws.amazon.com', 'aws-cn': 'console.amazonaws.cn', 'aws-us-gov': 'console.amazonaws-us-gov.com' } as const;
export type ConsolePartition = keyof typeof CONSOLE_HOSTS;

/** A region name as AWS spells it (us-east-1, cn-north-1, us-gov-west-1). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function consolePartition(region: string): ConsolePartition | undefined {
  if (!REGION.test(region)) return undefined;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  // us-iso-*, us-isob-*, eu-isoe-*, us-isof-*: air-gapped partitions with consoles of their own.
  if (/^[a-z]{2}-iso[a-z]?-/.test(region)) return undefined;
  // eusc-de-east-1 (aws-eusc) fails REGION above: its four-letter prefix is not a public-console region.
  return 'aws';
}

/** The Security Hub console's page of the partition and region, e.g. its landing page; undefined with no public console. */
export function securityHubConsoleUrl(region: string, fragment = '/landing'): string | undefined {
  const partition = consolePartition(region);
  if (!partition) return undefined;
  const url = new URL(`https://${CONSOLE_HOSTS[partition]}`);
  url.pathname = '/securityhub/home';
  url.searchParams.set('region', region);
  url.hash = fragment;
  return url.toString();
}

/** encodeURIComponent that leaves only A-Z a-z 0-9 - _ . ~ as they are. */
const strictEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The console's findings page filtered to this finding: CSPM at /securityhub/home (search on `Id`),
 * the 2025 generation at /securityhub/v2/home (search on `finding_info.uid`). The console reads
 * `search=<field>=<encoded "\operator\:EQUALS\:<value>">` from the fragment, so the value is encoded
 * once for the filter and once more as a parameter. Undefined for a region with no public console.
 *
 * Every escape in the URL is `%25xx` and every other character one that encodeURI keeps, so the URL is
 * the same after VS Code's round trip for a Uri passed to openExternal: Uri.parse decodes each component
 * once and the opener opens encodeURI(uri.toString(true)) (vscode src/vs/platform/opener/browser/openerService.ts
 * `_doOpenExternal`, 1.100). The console decodes the value twice either way.
 */
export function findingConsoleUrl(f: Pick<FindingKey, 'id' | 'source'>, region: string): string | undefined {
  const base = f.id ? securityHubConsoleUrl(region) : undefined;
  if (!base) return undefined;
  const url = new URL(base);
  if (f.source === 'v2') url.pathname = '/securityhub/v2/home';
  const field = f.source === 'v2' ? 'finding_info.uid' : 'Id';
  url.hash = `/findings?search=${field}=${strictEncode(strictEncode(`\\operator\\:EQUALS\\:${f.id}`))}`;
  return url.toString();
}

/**
 * The region whose console shows a finding: the finding's own Region (another account's finding, or one read
 * through an aggregation region), else the connection's. A malformed Region (outside text) is not used.
 */
export function consoleRegion(f: { region?: string }, connectionRegion: string | undefined): string {
  return f.region && REGION.test(f.region) ? f.region : connectionRegion ?? '';
}
