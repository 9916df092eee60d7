// Calendar arithmetic on Cost Explorer days. Cost Explorer speaks UTC calendar dates ('YYYY-MM-DD') and
// every TimePeriod has an exclusive End. Everything here works on those strings through Date.UTC, so
// the user's time zone can never move a day. No vscode import.

/** A UTC calendar day, 'YYYY-MM-DD'. */
export type Day = string;
/** A UTC calendar month, 'YYYY-MM'. */
export type Month = string;

const DAY_MS = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: Day): [number, number, number] {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`not a date: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function fromUtcMs(ms: number): Day {
  return new Date(ms).toISOString().slice(0, 10);
}

function toUtcMs(day: Day): number {
  const [y, m, d] = parts(day);
  return Date.UTC(y, m - 1, d);
}

/** Today as Cost Explorer sees it: the UTC date of `now`, whatever the local time zone. */
export function utcToday(now: number): Day {
  return fromUtcMs(now);
}

export function addDays(day: Day, n: number): Day {
  return fromUtcMs(toUtcMs(day) + n * DAY_MS);
}

/** Whole days from `a` to `b` (b exclusive): daysBetween('2024-02-28', '2024-03-01') = 2. */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((toUtcMs(b) - toUtcMs(a)) / DAY_MS);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(month: Month): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function monthOf(day: Day): Month {
  return day.slice(0, 7);
}

export function firstDay(month: Month): Day {
  return `${month}-01`;
}

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The exclusive End of a month: the first day of the next one. */
export function monthEnd(month: Month): Day {
  return firstDay(addMonths(month, 1));
}

/** Every month from `from` to `to`, both included. */
export function monthsFromTo(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Each day in [start, end). */
export function daysInRange(start: Day, end: Day): Day[] {
  const out: Day[] = [];
  for (let d = start; d < end; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A Cost Explorer TimePeriod: Start inclusive, End exclusive. */
export interface Period { start: Day; end: Day }

/** This month so far, today included: [1st, tomorrow). */
export function monthToDate(today: Day): Period {
  return { start: firstDay(monthOf(today)), end: addDays(today, 1) };
}

/**
 * The same point of last month, for "month to date against last month": as many days of last month as
 * have passed this month, capped at last month's length. On 31 March that is all of February, 29 days
 * in a leap year.
 */
export function samePointLastMonth(today: Day): Period {
  const last = addMonths(monthOf(today), -1);
  const elapsed = Number(today.slice(8, 10));
  const days = Math.min(elapsed, daysInMonth(last));
  return { start: firstDay(last), end: addDays(firstDay(last), days) };
}

/** The last `n` days ending with today: [today - n + 1, tomorrow). */
export function lastDays(today: Day, n: number): Period {
  return { start: addDays(today, 1 - n), end: addDays(today, 1) };
}

/** Months touched by a period (End exclusive). */
export function monthsOf(period: Period): Month[] {
  return monthsFromTo(monthOf(period.start), monthOf(addDays(period.end, -1)));
}

/** A month has closed when today (UTC) is past its last day. */
export function isPastMonth(month: Month, today: Day): boolean {
  return monthEnd(month) <= today;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Mar 5' for a day; no Date formatting, so no time zone can shift it. */
export function shortDay(day: Day): string {
  const [, m, d] = parts(day);
  return `${MONTH_NAMES[m - 1]} ${d}`;
}

/** 'Mar 2024' for a month. */
export function shortMonth(month: Month): string {
  const [y, m] = month.split('-').map(Number);
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

/** Seconds since the epoch at 00:00 UTC of a day, for chart x values. */
export function dayToEpochSeconds(day: Day): number {
  return toUtcMs(day) / 1000;
}
