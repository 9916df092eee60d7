// "Open in Console": the Security Hub console page of one finding. Pure: no vscode.
// The host is fixed by the connection's partition; the finding's id is outside text and only ever
// becomes an encoded value inside the fragment's search parameter, never part of the host or path.
import type { FindingKey } from './model';

/** The AWS console host of each partition that has a public console (the ISO partitions have none). */
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
  return 'aws';
}

/**
 * The console's findings page filtered to this finding: CSPM at /securityhub/home (search on `Id`),
 * the 2025 generation at /securityhub/v2/home (search on `finding_info.uid`). The console reads
 * `search=<field>=<encoded "\operator\:EQUALS\:<value>">` from the fragment, so the value is encoded
 * once for the filter and once more as a parameter. Undefined for a region with no public console.
 */
export function findingConsoleUrl(f: Pick<FindingKey, 'id' | 'source'>, region: string): string | undefined {
  const partition = consolePartition(region);
  if (!partition || !f.id) return undefined;
  const url = new URL(`https://${CONSOLE_HOSTS[partition]}`);
  url.pathname = f.source === 'v2' ? '/securityhub/v2/home' : '/securityhub/home';
  url.searchParams.set('region', region);
  const field = f.source === 'v2' ? 'finding_info.uid' : 'Id';
  const search = new URLSearchParams({ search: `${field}=${encodeURIComponent(`\\operator\\:EQUALS\\:${f.id}`)}` });
  url.hash = `/findings?${search.toString()}`;
  return url.toString();
}
