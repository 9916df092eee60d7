// The four Cost Explorer operations this feature uses, behind a small interface so that the store can be
// driven by the real SDK client (extension, integration tests) or by a counting fake (bench, unit tests).
import type {
  CostExplorerClient,
  GetAnomaliesCommandInput,
  GetAnomalyMonitorsCommandInput,
  GetCostAndUsageCommandInput,
  GetCostForecastCommandInput,
} from '@aws-sdk/client-cost-explorer';
import type { CostPage } from './math';

type Interval = { Start?: string; End?: string };

/** The parts of the responses this feature reads; the SDK's outputs satisfy them. */
export interface ForecastResponse {
  Total?: { Amount?: string; Unit?: string };
  ForecastResultsByTime?: { TimePeriod?: Interval; MeanValue?: string; PredictionIntervalLowerBound?: string; PredictionIntervalUpperBound?: string }[];
}
export interface MonitorsResponse { AnomalyMonitors?: { MonitorArn?: string; MonitorName?: string }[]; NextPageToken?: string }
export interface AnomaliesResponse {
  Anomalies?: {
    AnomalyId?: string;
    AnomalyStartDate?: string;
    AnomalyEndDate?: string;
    DimensionValue?: string;
    MonitorArn?: string;
    Impact?: { MaxImpact?: number; TotalImpact?: number; TotalImpactPercentage?: number };
    RootCauses?: { Service?: string; Region?: string; LinkedAccount?: string; LinkedAccountName?: string; UsageType?: string; Impact?: { Contribution?: number } }[];
  }[];
  NextPageToken?: string;
}

export interface CeApi {
  getCostAndUsage(input: GetCostAndUsageCommandInput): Promise<CostPage>;
  getCostForecast(input: GetCostForecastCommandInput): Promise<ForecastResponse>;
  getAnomalyMonitors(input: GetAnomalyMonitorsCommandInput): Promise<MonitorsResponse>;
  getAnomalies(input: GetAnomaliesCommandInput): Promise<AnomaliesResponse>;
}

/**
 * The Cost Explorer client module, loaded at the first Cost Explorer request rather than with the Costs view:
 * its initialisation (20-42 ms) ran in the same extension-host task as the other views' first requests as the
 * side bar opened, and was the largest part of the longest task there (`npm run bench -- large-account` with
 * CLOUD_MONITOR_BENCH_PROFILE). The Costs view shows its cached figures, and asks nothing, without it.
 */
let ceModule: Promise<typeof import('./ceSdk')> | undefined;
export function costExplorerModule(): Promise<typeof import('./ceSdk')> {
  return (ceModule ??= import('./ceSdk'));
}

export function sdkCeApi(client: () => CostExplorerClient): CeApi {
  return {
    getCostAndUsage: async (input) => client().send(new (await costExplorerModule()).GetCostAndUsageCommand(input)),
    getCostForecast: async (input) => client().send(new (await costExplorerModule()).GetCostForecastCommand(input)),
    getAnomalyMonitors: async (input) => client().send(new (await costExplorerModule()).GetAnomalyMonitorsCommand(input)),
    getAnomalies: async (input) => client().send(new (await costExplorerModule()).GetAnomaliesCommand(input)),
  };
}

/**
 * Cost Explorer is a global service served from one region per partition (its endpoint rule set signs
 * for the partition's home region whatever the client's region). The home region of the partition the
 * user's region belongs to; the AWS partition's (us-east-1) for a region of no other partition.
 * Order matters: us-isob- and us-isof- before us-iso-.
 */
const COST_EXPLORER_HOME: readonly [prefix: string, home: string][] = [
  ['cn-', 'cn-northwest-1'],
  ['us-gov-', 'us-gov-west-1'],
  ['us-isob-', 'us-isob-east-1'],
  ['us-isof-', 'us-isof-south-1'],
  ['us-iso-', 'us-iso-east-1'],
  ['eu-isoe-', 'eu-isoe-west-1'],
  ['eusc-', 'eusc-de-east-1'],
];

export function costExplorerRegion(region: string | undefined): string {
  return COST_EXPLORER_HOME.find(([prefix]) => region?.startsWith(prefix))?.[1] ?? 'us-east-1';
}
