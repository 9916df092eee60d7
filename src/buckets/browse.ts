// One level of a bucket, one page at a time: ListObjectsV2 with Delimiter "/". Never a whole bucket.
// No vscode import.
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectEntry { key: string; size: number; lastModified?: string; storageClass?: string }
export interface LevelPage { prefixes: string[]; objects: ObjectEntry[]; nextToken?: string }

export async function listLevel(s3: S3Client, bucket: string, prefix: string, pageSize: number, token?: string, signal?: AbortSignal): Promise<LevelPage> {
  const res = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, Delimiter: '/', MaxKeys: pageSize, ContinuationToken: token }),
    { abortSignal: signal },
  );
  return {
    prefixes: (res.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter(Boolean),
    // The "folder" placeholder object some consoles create (key === prefix) is not a child.
    objects: (res.Contents ?? [])
      .filter((o) => o.Key && o.Key !== prefix)
      .map((o) => ({ key: o.Key!, size: o.Size ?? 0, lastModified: o.LastModified?.toISOString(), storageClass: o.StorageClass })),
    nextToken: res.IsTruncated ? res.NextContinuationToken : undefined,
  };
}

/** The last path segment of a prefix, without its slash: "logs/dt=2024-01-01/" → "dt=2024-01-01". */
export function segmentOf(prefix: string, parent: string): string {
  const rest = prefix.startsWith(parent) ? prefix.slice(parent.length) : prefix;
  return rest.endsWith('/') ? rest.slice(0, -1) : rest;
}

/**
 * A Hive-style partition segment, "key=value". Hive escapes special characters in values as %XX
 * (https://cwiki.apache.org/confluence/display/Hive/LanguageManual+DDL#LanguageManualDDL-PartitionedTables),
 * so the value is shown unescaped. Keys are identifiers; anything else is an ordinary folder.
 */
export function hivePartition(segment: string): { key: string; value: string } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(segment);
  if (!m) return undefined;
  let value = m[2];
  try {
    value = decodeURIComponent(value);
  } catch {
    /* not escaped: keep as is */
  }
  return { key: m[1], value };
}

/** The partition columns a level is split by, when all its prefixes are partitions of the same key. */
export function partitionKeyOf(prefixes: readonly string[], parent: string): string | undefined {
  if (!prefixes.length) return undefined;
  const keys = new Set(prefixes.map((p) => hivePartition(segmentOf(p, parent))?.key));
  if (keys.size !== 1) return undefined;
  const [k] = keys;
  return k;
}

export function s3Uri(bucket: string, key = ''): string {
  return `s3://${bucket}/${key}`;
}

export function basename(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
}
