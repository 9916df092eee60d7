// What an Athena query costs. Pure: no vscode.
// Pricing (SQL queries on the SQL engine, most regions): $5.00 per TB scanned, "rounded up to the
// nearest megabyte, with a 10 MB minimum per query"; DDL statements and failed queries are not
// charged; cancelled queries are charged for the data scanned until they stopped.
// https://aws.amazon.com/athena/pricing/  — TB and MB are binary here (2^40, 2^20), as Athena's
// console reports data scanned in binary units.

export const USD_PER_TB = 5;
export const MB = 1024 * 1024;
export const TB = 1024 * 1024 * 1024 * 1024;
export const MINIMUM_MB = 10;

export type QueryOutcome = 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'QUEUED' | 'RUNNING';
/** Athena's StatementType: DDL, DML or UTILITY. */
export type StatementType = 'DDL' | 'DML' | 'UTILITY';

export interface QueryCost {
  /** Bytes Athena bills for: rounded up to a whole MB, at least 10 MB; 0 when not billed. */
  billedBytes: number;
  usd: number;
  /** Why the figure is what it is, for a tooltip. */
  note: string;
}

export function queryCost(scannedBytes: number, state: QueryOutcome = 'SUCCEEDED', statementType: StatementType = 'DML', usdPerTb = USD_PER_TB): QueryCost {
  const bytes = Math.max(0, Number.isFinite(scannedBytes) ? scannedBytes : 0);
  if (statementType === 'DDL') return { billedBytes: 0, usd: 0, note: 'DDL statements are not charged.' };
  if (state === 'FAILED') return { billedBytes: 0, usd: 0, note: 'Failed queries are not charged.' };
  const megabytes = Math.max(MINIMUM_MB, Math.ceil(bytes / MB));
  const billedBytes = megabytes * MB;
  const usd = (billedBytes / TB) * usdPerTb;
  const note = Math.ceil(bytes / MB) < MINIMUM_MB
    ? `Billed at Athena's 10 MB minimum per query ($${usdPerTb}/TB).`
    : `Data scanned rounded up to the next MB, at $${usdPerTb}/TB.`;
  return { billedBytes, usd, note: state === 'CANCELLED' ? `${note} Cancelled queries are charged for the data scanned.` : note };
}

/** 1536 → "1.5 KB"; binary units, as the Athena console shows them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = Math.max(0, bytes);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}

/** Amounts under a dollar keep three significant digits, so a query's cost is never shown as $0.00: $0.0000477, $0.0146, $1.23. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(3)}`;
}
