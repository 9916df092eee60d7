// Bucket size and object count from the S3 daily storage metrics in CloudWatch. No vscode import.
// ListMetrics tells which (bucket, StorageType) pairs exist; GetMetricData then fetches them in
// batches of up to 500 queries, the API's limit
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
import { GetMetricDataCommand, ListMetricsCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { chunk } from './pool';

export const MAX_QUERIES_PER_CALL = 500;
const DAY = 86_400;

export interface BucketStorage {
  /** Latest daily average of BucketSizeBytes, by StorageType. */
  bytesByType: Record<string, number>;
  totalBytes: number;
  objects?: number;
  /** The day the latest datapoint is for (S3 reports once a day, up to two days late). */
  asOf?: string;
}

export interface StorageQuery { bucket: string; metric: 'BucketSizeBytes' | 'NumberOfObjects'; storageType: string }

/** The (bucket, StorageType) pairs with BucketSizeBytes data in the last two weeks, for `buckets` only. */
export async function listSizeMetrics(cw: CloudWatchClient, buckets: ReadonlySet<string>, signal?: AbortSignal): Promise<StorageQuery[]> {
  const seen = new Set<string>();
  const out: StorageQuery[] = [];
  let token: string | undefined;
  do {
    const page = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/S3', MetricName: 'BucketSizeBytes', NextToken: token }), { abortSignal: signal });
    for (const m of page.Metrics ?? []) {
      const dims = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      const bucket = dims.BucketName;
      const storageType = dims.StorageType;
      if (!bucket || !storageType || !buckets.has(bucket)) continue;
      const key = `${bucket}\u0000${storageType}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ bucket, metric: 'BucketSizeBytes', storageType });
    }
    token = page.NextToken;
  } while (token);
  return out;
}

/** Builds the queries for one GetMetricData call. Ids must start with a lower-case letter. */
export function toMetricQueries(queries: readonly StorageQuery[]): MetricDataQuery[] {
  return queries.map((q, i) => ({
    Id: `q${i}`,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: 'AWS/S3', MetricName: q.metric, Dimensions: [{ Name: 'BucketName', Value: q.bucket }, { Name: 'StorageType', Value: q.storageType }] },
      Period: DAY,
      Stat: 'Average',
    },
  }));
}

/**
 * Sizes and counts for the given buckets of one region (the client's region). Buckets without
 * metrics (new, empty, or metrics not yet published) are absent from the result.
 * `onCall` counts GetMetricData calls, for tests and the log.
 */
export async function fetchBucketStorage(
  cw: CloudWatchClient,
  buckets: readonly string[],
  opts: { now?: Date; signal?: AbortSignal; onCall?: (queries: number) => void } = {},
): Promise<Map<string, BucketStorage>> {
  const now = opts.now ?? new Date();
  const wanted = new Set(buckets);
  const sizes = await listSizeMetrics(cw, wanted, opts.signal);
  const withData = new Set(sizes.map((s) => s.bucket));
  const counts: StorageQuery[] = [...withData].map((bucket) => ({ bucket, metric: 'NumberOfObjects', storageType: 'AllStorageTypes' }));
  const all = [...sizes, ...counts];
  const out = new Map<string, BucketStorage>();
  // Four days back: the daily datapoint can be up to two days late.
  const StartTime = new Date(now.getTime() - 4 * DAY * 1000);
  for (const batch of chunk(all, MAX_QUERIES_PER_CALL)) {
    opts.onCall?.(batch.length);
    const latest = new Map<string, { value: number; at: Date }>();
    let token: string | undefined;
    do {
      const res = await cw.send(new GetMetricDataCommand({ MetricDataQueries: toMetricQueries(batch), StartTime, EndTime: now, ScanBy: 'TimestampDescending', NextToken: token }), { abortSignal: opts.signal });
      for (const r of res.MetricDataResults ?? []) {
        if (!r.Id || !r.Values?.length || !r.Timestamps?.length) continue;
        // Pick the newest datapoint whatever order the service used.
        let best = 0;
        for (let i = 1; i < r.Timestamps.length; i++) if (r.Timestamps[i] > r.Timestamps[best]) best = i;
        const prev = latest.get(r.Id);
        if (!prev || r.Timestamps[best] > prev.at) latest.set(r.Id, { value: r.Values[best], at: r.Timestamps[best] });
      }
      token = res.NextToken;
    } while (token);
    batch.forEach((q, i) => {
      const point = latest.get(`q${i}`);
      if (!point) return;
      const s = out.get(q.bucket) ?? { bytesByType: {}, totalBytes: 0 };
      if (q.metric === 'BucketSizeBytes') {
        s.bytesByType[q.storageType] = point.value;
        s.totalBytes += point.value;
      } else s.objects = point.value;
      if (!s.asOf || point.at.toISOString() > s.asOf) s.asOf = point.at.toISOString();
      out.set(q.bucket, s);
    });
  }
  return out;
}
