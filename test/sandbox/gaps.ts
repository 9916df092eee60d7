// The sandbox's stand-in for the operations moto_server lacks or answers wrongly, on one endpoint in front
// of it (the sandbox profile's endpoint_url), so that `npm run demo` works end to end:
//   - Cost Explorer GetCostAndUsage, GetCostForecast, GetAnomalyMonitors, GetAnomalies: computed from one
//     set of daily line items (test/helpers/costData.ts) for the period, granularity, metrics, group-bys and
//     RECORD_TYPE filter each request asks. moto hands out seeded GetCostAndUsage results in the order they
//     are first asked for, whatever the request says, so the same figures could differ by click order.
//     With a short cost history (`costHistory.from`, a new account) the forecast is refused with
//     DataUnavailableException, as Cost Explorer refuses it before one full billing cycle. Requests and
//     answers are held to AWS's model of Cost Explorer (test/helpers/ceEndpoint.ts);
//   - Security Hub BatchUpdateFindings: applied to moto's findings (GetFindings, then BatchImportFindings
//     with the new workflow status and note), so a refresh shows the triage;
//   - everything else: forwarded to moto unchanged.
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { utcToday } from '../../src/costs/dates';
import { startCeEndpoint } from '../helpers/ceEndpoint';
import { answerAnomalies, answerAnomalyMonitors, answerCostAndUsage, answerForecast, type CostAndUsageInput, type CostHistory } from '../helpers/costData';
import type { Moto } from '../helpers/moto';
import { startFaultProxy } from '../helpers/s3FaultProxy';

export interface SandboxGaps {
  endpoint: string;
  close(): Promise<void>;
}

interface UpdateInput {
  FindingIdentifiers: { Id: string; ProductArn: string }[];
  Workflow?: { Status?: string };
  Note?: { Text: string; UpdatedBy: string };
}

/** BatchUpdateFindings, applied to moto's findings. Each identifier is processed or reported unprocessed. */
export async function applyBatchUpdate(hub: SecurityHubClient, input: UpdateInput, now = new Date()) {
  const all: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await hub.send(new GetFindingsCommand({ NextToken, MaxResults: 100 }));
    all.push(...(page.Findings ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const updated: AwsSecurityFinding[] = [];
  const unprocessed: { FindingIdentifier: { Id: string; ProductArn: string }; ErrorCode: string; ErrorMessage: string }[] = [];
  for (const id of input.FindingIdentifiers ?? []) {
    const f = all.find((x) => x.Id === id.Id && x.ProductArn === id.ProductArn);
    if (!f) {
      unprocessed.push({ FindingIdentifier: id, ErrorCode: 'FindingNotFound', ErrorMessage: 'No finding with this Id and ProductArn.' });
      continue;
    }
    const at = now.toISOString();
    // Security Hub's BatchUpdateFindings does not change UpdatedAt: that is the finding provider's time.
    updated.push({
      ...f,
      ...(input.Workflow?.Status ? { Workflow: { Status: input.Workflow.Status as NonNullable<AwsSecurityFinding['Workflow']>['Status'] } } : {}),
      ...(input.Note ? { Note: { Text: input.Note.Text, UpdatedBy: input.Note.UpdatedBy, UpdatedAt: at } } : {}),
    });
  }
  if (updated.length) await hub.send(new BatchImportFindingsCommand({ Findings: updated }));
  return { ProcessedFindings: updated.map((f) => ({ Id: f.Id, ProductArn: f.ProductArn })), UnprocessedFindings: unprocessed };
}

/** Groups per GetCostAndUsage page: Cost Explorer pages large answers (each page a billed request). */
export const COST_PAGE_GROUPS = 5_000;

export async function startSandboxGaps(moto: Moto, opts: { costHistory?: CostHistory } = {}): Promise<SandboxGaps> {
  const today = () => utcToday(Date.now());
  const history = opts.costHistory ?? {};
  const ce = await startCeEndpoint(moto.endpoint, {
    GetCostAndUsage: (body) => answerCostAndUsage(body as CostAndUsageInput, today(), COST_PAGE_GROUPS, history),
    GetCostForecast: (body) => answerForecast(body as Parameters<typeof answerForecast>[0], today(), history),
    GetAnomalyMonitors: () => answerAnomalyMonitors(),
    GetAnomalies: () => answerAnomalies(today()),
  });
  const hub = new SecurityHubClient(moto.clientConfig('us-east-1'));
  const front = await startFaultProxy(ce.url, {}, {
    intercept: async ({ method, url, body }) => {
      if (method !== 'PATCH' || !url.startsWith('/findings/batchupdate')) return undefined;
      return { status: 200, body: JSON.stringify(await applyBatchUpdate(hub, JSON.parse(body) as UpdateInput)) };
    },
  });
  return {
    endpoint: front.endpoint,
    close: async () => {
      hub.destroy();
      await front.close();
      await ce.close();
    },
  };
}
