// The Costs part of the sandbox: realistic Cost Explorer results (a dozen services, two accounts, a
// cost_center tag, credits and tax, 90 days and 12 months) seeded into moto_server through
// POST /moto-api/static/ce/cost-and-usage-results.
//
// moto hands those results out in order: the first GetCostAndUsage with a body it has not seen takes the
// next one, and the same body gets the same one again. So they are queued in the order the extension asks
// on its default path, computed with the extension's own request planner:
//   1. the Costs view: 90 days by service + account (headline, By service, By account, 30/90-day charts);
//   2. the dashboard: the months of its 12-month chart older than those 90 days, monthly;
//   3. By region / By usage type: last month and this one by region + usage type;
//   4. By tag: cost_center (set in the workspace settings), last month and this one.
// Expanding By tag before By region swaps 3 and 4. moto lacks GetCostForecast and GetAnomalies: the
// sandbox's stand-in in front of moto (test/sandbox/gaps.ts) answers them from the same cost data.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths, monthOf, utcToday, type Day } from '../../../src/costs/dates';
import { costAndUsageInput, dashboardMonths, groupingFor, HEADLINE_GROUPING, overviewMonths, runPeriod } from '../../../src/costs/plan';
import { answerCostAndUsage, TAG_KEY } from '../../helpers/costData';
import { seedCostAndUsage } from '../../helpers/ceEndpoint';
import type { SeedEnv } from '../types';

/** The GetCostAndUsage requests of the default path, in order, each with the result moto should give. */
export function plannedCostResults(today: Day) {
  const recent = [addMonths(monthOf(today), -1), monthOf(today)];
  const requests = [
    { what: 'Costs view: 90 days by service and account', input: costAndUsageInput(HEADLINE_GROUPING, 'DAILY', runPeriod(overviewMonths(today), today), 'all') },
    { what: 'dashboard: the older of the 12 months, monthly, by service and account', input: costAndUsageInput(HEADLINE_GROUPING, 'MONTHLY', runPeriod(dashboardMonths(today, 30, true).monthly, today), 'all') },
    { what: 'By region / By usage type', input: costAndUsageInput(groupingFor('REGION').grouping, 'DAILY', runPeriod(recent, today), 'all') },
    { what: `By tag: ${TAG_KEY}`, input: costAndUsageInput(groupingFor('TAG', TAG_KEY).grouping, 'DAILY', runPeriod(recent, today), 'all') },
  ];
  return requests.map((r) => ({ ...r, result: answerCostAndUsage(r.input, today) }));
}

export async function seed(env: SeedEnv): Promise<void> {
  const today = utcToday(Date.now());
  const planned = plannedCostResults(today);
  await seedCostAndUsage(env.endpoint, planned.map((p) => p.result), env.accountId);
  // Group by the seeded tag in this workspace.
  const settingsFile = join(env.workspace, '.vscode', 'settings.json');
  mkdirSync(join(env.workspace, '.vscode'), { recursive: true });
  const settings = existsSync(settingsFile) ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(settingsFile, JSON.stringify({ ...settings, 'cloudMonitor.costs.tagKey': TAG_KEY }, null, 2));
  const groups = planned.reduce((n, p) => n + (p.result.ResultsByTime ?? []).reduce((m, r) => m + (r.Groups?.length ?? 0), 0), 0);
  env.log(`Cost Explorer: ${planned.length} results (${groups} groups) for ${planned.map((p) => p.what).join('; ')}, as of ${today} UTC`);
}
