// What the Costs feature uses of the Cost Explorer client, loaded when first needed (costExplorerModule, api.ts).
// A module of its own so that the bundle keeps only these of the client's exports: a dynamic import keeps every
// export of the module it names.
export { CostExplorerClient, GetAnomaliesCommand, GetAnomalyMonitorsCommand, GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
