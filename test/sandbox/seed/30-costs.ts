// The Costs part of the sandbox. Cost Explorer itself is answered by the sandbox's stand-in in front of
// moto (test/sandbox/gaps.ts), computed per request from one set of daily line items (a dozen services,
// two accounts, a cost_center tag, credits and tax: test/helpers/costData.ts), so every view of the same
// data agrees in any order. This seeder only sets the workspace's tag key.
//
// plannedCostResults: the requests of the extension's default path, in order, with what Cost Explorer would
// answer, for tests that queue them in moto (which hands seeded results out in first-asked order):
//   1. the Costs view: 90 days by service + account (headline, By service, By account, 30/90-day charts);
//   2. the dashboard: the months of its 12-month chart older than those 90 days, monthly;
//   3. By region / By usage type: last month and this one by region + usage type;
//   4. By tag: cost_center (set in the workspace settings), last month and this one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths, monthOf, type Day } from '../../../src/costs/dates';
import { costAndUsageInput, dashboardMonths, groupingFor, HEADLINE_GROUPING, overviewMonths, runPeriod } from '../../../src/costs/plan';
import { answerCostAndUsage, TAG_KEY } from '../../helpers/costData';
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
  // Group by the seeded tag in this workspace.
  const settingsFile = join(env.workspace, '.vscode', 'settings.json');
  mkdirSync(join(env.workspace, '.vscode'), { recursive: true });
  const settings = existsSync(settingsFile) ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(settingsFile, JSON.stringify({ ...settings, 'cloudMonitor.costs.tagKey': TAG_KEY }, null, 2));
  env.log(`Cost Explorer: answered by the sandbox stand-in from the seeded line items (tag key ${TAG_KEY})`);
}
