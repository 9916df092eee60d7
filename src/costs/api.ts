// The four Cost Explorer operations this feature uses, behind a small interface so that the store can be
// driven by the real SDK client (extension, integration tests) or by a counting fake (bench, unit tests).
import {
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type CostExplorerClient,
  type GetAnomaliesCommandInput,
  type GetAnomalyMonitorsCommandInput,
  type GetCostAndUsageCommandInput,
  type GetCostForecastCommandInput,
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

export function sdkCeApi(client: () => CostExplorerClient): CeApi {
  return {
    getCostAndUsage: (input) => client().send(new GetCostAndUsageCommand(input)),
    getCostForecast: (input) => client().send(new GetCostForecastCommand(input)),
    getAnomalyMonitors: (input) => client().send(new GetAnomalyMonitorsCommand(input)),
    getAnomalies: (input) => client().send(new GetAnomaliesCommand(input)),
  };
}

/** Cost Explorer is a global service served from one region per partition. */
export function costExplorerRegion(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'cn-northwest-1';
  if (region?.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}
