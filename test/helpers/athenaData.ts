// Deterministic Athena-like result rows for tests and the benchmark: 20 columns of the kinds a
// log table has (timestamps, app ids, levels, messages with quotes and commas, numbers, NULLs,
// empty strings). Row i is always the same, so the S3 CSV and the paging endpoint serve equal data.
import { encodeRow, type Cell } from '../../src/webview/results/csv';

export const BENCH_COLUMNS: [string, string][] = [
  ['event_time', 'timestamp'], ['appid', 'varchar'], ['level', 'varchar'], ['message', 'varchar'], ['request_id', 'varchar'],
  ['latency_ms', 'bigint'], ['status', 'integer'], ['bytes', 'bigint'], ['cost', 'double'], ['region', 'varchar'],
  ['host', 'varchar'], ['user_id', 'varchar'], ['retries', 'integer'], ['cached', 'boolean'], ['day', 'date'],
  ['path', 'varchar'], ['cpu', 'double'], ['mem_mb', 'integer'], ['tag', 'varchar'], ['note', 'varchar'],
];

export function benchColumnInfo(): { Name: string; Label: string; Type: string; Nullable: string; CaseSensitive: boolean; CatalogName: string; SchemaName: string; TableName: string; Precision: number; Scale: number }[] {
  return BENCH_COLUMNS.map(([name, type]) => ({
    CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: type,
    Precision: type === 'bigint' ? 19 : type === 'integer' ? 10 : 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: type === 'varchar',
  }));
}

const LEVELS = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
const T0 = Date.UTC(2024, 4, 1);

function ts(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function benchRow(i: number): Cell[] {
  const level = LEVELS[i % LEVELS.length];
  return [
    ts(T0 + i * 250),
    `app-${i % 37}`,
    level,
    level === 'ERROR' ? `timeout calling "payments", attempt ${i % 4}` : `request ${i} ok`,
    `r-${(i * 2654435761 >>> 0).toString(16)}`,
    String((i * 17) % 2000),
    i % 50 === 0 ? '500' : '200',
    String(1024 + ((i * 31) % 100_000)),
    ((i % 1000) / 997).toFixed(4),
    REGIONS[i % 3],
    `ip-10-0-${i % 256}-${(i >> 8) % 256}`,
    i % 9 === 0 ? null : `u${i % 5000}`,
    String(i % 4),
    i % 3 === 0 ? 'true' : 'false',
    ts(T0 + i * 250).slice(0, 10),
    `/api/v1/items/${i % 800}`,
    ((i % 100) / 7).toFixed(2),
    String(128 + (i % 512)),
    i % 11 === 0 ? '' : `t${i % 13}`,
    i % 7 === 0 ? null : 'ok',
  ];
}

/** The result CSV as Athena writes it: header, then rows; yielded in ~1 MB pieces. */
export function* benchCsv(rows: number, from = 0): Generator<string> {
  let buf = from === 0 ? encodeRow(BENCH_COLUMNS.map(([n]) => n)) : '';
  for (let i = from; i < rows; i++) {
    buf += encodeRow(benchRow(i));
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
