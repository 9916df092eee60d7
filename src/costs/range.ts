// The dashboard's custom date range: checked before anything is asked, with the reason a person can act on.
// Pure: no vscode, no I/O.
import { addDays, addMonths, daysBetween, firstDay, monthOf, type Day, type Period } from './dates';

/** Start and end as the person picks them: both days included. */
export interface DayRange { start: Day; end: Day }

/**
 * "The Cost Explorer API can access up to 13 months of historical data and data for the current month"
 * (https://docs.aws.amazon.com/cost-management/latest/userguide/ce-api-best-practices.html), at DAILY and
 * MONTHLY granularity alike. So the first day it can answer is the 1st of the month 13 months back.
 */
export const HISTORY_MONTHS = 13;

export function earliestDay(today: Day): Day {
  return firstDay(addMonths(monthOf(today), -HISTORY_MONTHS));
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function isDay(s: string): boolean {
  if (!DAY_RE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** Why a range cannot be asked for, or undefined when it can. */
export function rangeProblem(r: DayRange, today: Day): string | undefined {
  if (!isDay(r.start)) return `The start date "${r.start.slice(0, 20)}" is not a date (YYYY-MM-DD).`;
  if (!isDay(r.end)) return `The end date "${r.end.slice(0, 20)}" is not a date (YYYY-MM-DD).`;
  if (r.end < r.start) return `The end date (${r.end}) is before the start date (${r.start}).`;
  // GetCostAndUsage's TimePeriod: "The start date must be equal to or no later than the current date" (botocore's DateInterval).
  if (r.end > today) return `The end date (${r.end}) is in the future: Cost Explorer has costs up to today (${today}, UTC).`;
  const earliest = earliestDay(today);
  if (r.start < earliest) return `The start date (${r.start}) is too far back: Cost Explorer answers from ${earliest} (the last ${HISTORY_MONTHS} months and this one).`;
  return undefined;
}

/** The range as a Cost Explorer TimePeriod (End exclusive). */
export function rangePeriod(r: DayRange): Period {
  return { start: r.start, end: addDays(r.end, 1) };
}

export function rangeDays(r: DayRange): number {
  return daysBetween(r.start, addDays(r.end, 1));
}
