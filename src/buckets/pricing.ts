// S3 storage list prices and the monthly estimate. Pure: no vscode, no SDK.
//
// PRICE TABLE — USD per GB-month, first volume tier (the first 50 TB of S3 Standard per month),
// compiled from the public Amazon S3 pricing page (https://aws.amazon.com/s3/pricing/, "Storage
// pricing") as published in January 2025. PRICE_TABLE_DATE below is shown in every tooltip.
// Not covered, so the estimate is a floor for small objects and a ceiling above 50 TB:
//   - the cheaper Standard tiers above 50 TB and 500 TB;
//   - Intelligent-Tiering's per-object monitoring fee, and minimum object sizes and durations;
//   - requests, retrievals and data transfer.
// Regions without an entry are estimated at us-east-1 prices, and the tooltip says so.
// Re-check the page when updating: prices change rarely, but they do change.

export const PRICE_TABLE_DATE = '2025-01';
export const PRICE_SOURCE = 'https://aws.amazon.com/s3/pricing/';

/** Billing classes, the way the price page lists them. */
export type PriceClass = 'STANDARD' | 'STANDARD_IA' | 'ONEZONE_IA' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE' | 'REDUCED_REDUNDANCY';

type RegionPrices = Record<PriceClass, number>;

const US_EAST_1: RegionPrices = { STANDARD: 0.023, STANDARD_IA: 0.0125, ONEZONE_IA: 0.01, GLACIER_IR: 0.004, GLACIER: 0.0036, DEEP_ARCHIVE: 0.00099, REDUCED_REDUNDANCY: 0.024 };

export const PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': US_EAST_1,
  'us-east-2': US_EAST_1,
  'us-west-2': US_EAST_1,
  'us-west-1': { STANDARD: 0.026, STANDARD_IA: 0.019, ONEZONE_IA: 0.0152, GLACIER_IR: 0.005, GLACIER: 0.0045, DEEP_ARCHIVE: 0.002, REDUCED_REDUNDANCY: 0.026 },
  'eu-west-1': { ...US_EAST_1 },
  'eu-central-1': { STANDARD: 0.0245, STANDARD_IA: 0.0135, ONEZONE_IA: 0.0108, GLACIER_IR: 0.005, GLACIER: 0.0045, DEEP_ARCHIVE: 0.0018, REDUCED_REDUNDANCY: 0.0245 },
  'eu-west-2': { STANDARD: 0.024, STANDARD_IA: 0.0131, ONEZONE_IA: 0.0105, GLACIER_IR: 0.005, GLACIER: 0.0045, DEEP_ARCHIVE: 0.0018, REDUCED_REDUNDANCY: 0.024 },
  'ap-northeast-1': { STANDARD: 0.025, STANDARD_IA: 0.0138, ONEZONE_IA: 0.011, GLACIER_IR: 0.005, GLACIER: 0.0045, DEEP_ARCHIVE: 0.002, REDUCED_REDUNDANCY: 0.025 },
  'ap-southeast-1': { STANDARD: 0.025, STANDARD_IA: 0.0138, ONEZONE_IA: 0.011, GLACIER_IR: 0.005, GLACIER: 0.005, DEEP_ARCHIVE: 0.002, REDUCED_REDUNDANCY: 0.025 },
  'ap-southeast-2': { STANDARD: 0.025, STANDARD_IA: 0.0138, ONEZONE_IA: 0.011, GLACIER_IR: 0.005, GLACIER: 0.005, DEEP_ARCHIVE: 0.002, REDUCED_REDUNDANCY: 0.025 },
};

/**
 * CloudWatch's StorageType dimension values for BucketSizeBytes
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html) → the class they bill at.
 * The "S3ObjectOverhead" types are the 8 KB per archived object billed at Standard rates.
 */
export const STORAGE_TYPES: Readonly<Record<string, PriceClass>> = {
  StandardStorage: 'STANDARD',
  IntelligentTieringFAStorage: 'STANDARD',
  IntelligentTieringIAStorage: 'STANDARD_IA',
  IntelligentTieringAIAStorage: 'GLACIER_IR',
  IntelligentTieringAAStorage: 'GLACIER',
  IntelligentTieringDAAStorage: 'DEEP_ARCHIVE',
  StandardIAStorage: 'STANDARD_IA',
  StandardIASizeOverhead: 'STANDARD_IA',
  OneZoneIAStorage: 'ONEZONE_IA',
  OneZoneIASizeOverhead: 'ONEZONE_IA',
  ReducedRedundancyStorage: 'REDUCED_REDUNDANCY',
  GlacierInstantRetrievalStorage: 'GLACIER_IR',
  GlacierIRSizeOverhead: 'GLACIER_IR',
  GlacierStorage: 'GLACIER',
  GlacierStagingStorage: 'GLACIER',
  GlacierObjectOverhead: 'GLACIER',
  GlacierS3ObjectOverhead: 'STANDARD',
  DeepArchiveStorage: 'DEEP_ARCHIVE',
  DeepArchiveObjectOverhead: 'DEEP_ARCHIVE',
  DeepArchiveS3ObjectOverhead: 'STANDARD',
  DeepArchiveStagingStorage: 'DEEP_ARCHIVE',
};

const GB = 1024 ** 3;

export interface CostEstimate {
  monthlyUsd: number;
  /** Region whose prices were used (us-east-1 when the bucket's region has no entry). */
  priceRegion: string;
  exactRegion: boolean;
  /** Storage types that have no price here (new classes, Express One Zone); their bytes are not costed. */
  unpriced: string[];
}

/** Bytes by CloudWatch StorageType → estimated USD per month at list prices. */
export function estimateMonthlyCost(bytesByType: Readonly<Record<string, number>>, region: string): CostEstimate {
  const exactRegion = region in PRICES;
  const priceRegion = exactRegion ? region : 'us-east-1';
  const prices = PRICES[priceRegion];
  let monthlyUsd = 0;
  const unpriced: string[] = [];
  for (const [type, bytes] of Object.entries(bytesByType)) {
    const cls = STORAGE_TYPES[type];
    if (!cls) {
      if (bytes > 0) unpriced.push(type);
      continue;
    }
    monthlyUsd += (bytes / GB) * prices[cls];
  }
  return { monthlyUsd, priceRegion, exactRegion, unpriced };
}

/** Share of bytes billed as S3 Standard (StandardStorage only, not Intelligent-Tiering). */
export function standardShare(bytesByType: Readonly<Record<string, number>>): number {
  const total = Object.values(bytesByType).reduce((a, b) => a + b, 0);
  return total > 0 ? (bytesByType.StandardStorage ?? 0) / total : 0;
}

/**
 * The lifecycle hint: most bytes sit in S3 Standard and no lifecycle rule would ever move or
 * expire them. Tiny buckets are left alone (a hint worth less than a cent is noise).
 */
export function needsLifecycleHint(bytesByType: Readonly<Record<string, number>>, hasLifecycle: boolean, minBytes = GB): boolean {
  const total = Object.values(bytesByType).reduce((a, b) => a + b, 0);
  return !hasLifecycle && total >= minBytes && standardShare(bytesByType) > 0.5;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** "~$1.57/mo", or "<$0.01/mo" for tiny amounts (an estimate either way). */
export function formatMonthly(n: number): string {
  return n > 0 && n < 0.01 ? '<$0.01/mo' : `~${formatUsd(n)}/mo`;
}

export function formatUsd(n: number): string {
  if (n === 0) return '$0';
  if (n < 0.01) return '<$0.01';
  return n < 100 ? `$${n.toFixed(2)}` : `$${Math.round(n).toLocaleString('en-US')}`;
}
