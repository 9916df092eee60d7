import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, addMonths, daysBetween, daysInMonth, daysInRange, isLeapYear, isPastMonth, lastDays, monthEnd, monthToDate,
  monthsFromTo, monthsOf, samePointLastMonth, shortDay, utcToday,
} from '../../src/costs/dates';

test('UTC dates with exclusive End: a month to date ends tomorrow, a month ends on the next 1st', () => {
  assert.deepEqual(monthToDate('2024-03-15'), { start: '2024-03-01', end: '2024-03-16' });
  assert.deepEqual(monthToDate('2024-12-31'), { start: '2024-12-01', end: '2025-01-01' });
  assert.equal(monthEnd('2024-12'), '2025-01-01');
  assert.deepEqual(daysInRange('2024-02-27', '2024-03-02'), ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
  assert.equal(daysBetween('2024-02-28', '2024-03-01'), 2);
  assert.deepEqual(lastDays('2024-03-01', 30), { start: '2024-02-01', end: '2024-03-02' });
});

test('month boundaries: year roll-over in both directions', () => {
  assert.equal(addMonths('2024-01', -1), '2023-12');
  assert.equal(addMonths('2023-12', 1), '2024-01');
  assert.equal(addMonths('2024-03', -14), '2023-01');
  assert.equal(addDays('2023-12-31', 1), '2024-01-01');
  assert.equal(addDays('2024-01-01', -1), '2023-12-31');
  assert.deepEqual(monthsFromTo('2023-11', '2024-02'), ['2023-11', '2023-12', '2024-01', '2024-02']);
  assert.deepEqual(monthsOf({ start: '2024-01-31', end: '2024-03-01' }), ['2024-01', '2024-02']);
  assert.equal(isPastMonth('2024-02', '2024-02-29'), false);
  assert.equal(isPastMonth('2024-02', '2024-03-01'), true);
});

test('leap years: February has 29 days in 2024 and 2000, 28 in 2023 and 1900', () => {
  assert.equal(isLeapYear(2024), true);
  assert.equal(isLeapYear(2000), true);
  assert.equal(isLeapYear(1900), false);
  assert.equal(daysInMonth('2024-02'), 29);
  assert.equal(daysInMonth('2023-02'), 28);
  assert.equal(daysInMonth('1900-02'), 28);
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2023-02-28', 1), '2023-03-01');
});

test('the same point last month is capped at last month\'s length (leap and non-leap February)', () => {
  assert.deepEqual(samePointLastMonth('2024-03-15'), { start: '2024-02-01', end: '2024-02-16' });
  assert.deepEqual(samePointLastMonth('2024-03-31'), { start: '2024-02-01', end: '2024-03-01' }, '29 days of a leap February');
  assert.deepEqual(samePointLastMonth('2023-03-30'), { start: '2023-02-01', end: '2023-03-01' }, '28 days');
  assert.deepEqual(samePointLastMonth('2024-01-10'), { start: '2023-12-01', end: '2023-12-11' });
  assert.deepEqual(samePointLastMonth('2024-05-31'), { start: '2024-04-01', end: '2024-05-01' }, 'April has 30');
});

test('the user\'s time zone does not move a day', () => {
  const saved = process.env.TZ;
  // 23:30 UTC on 31 Jan 2024: already 1 Feb in Kiritimati (UTC+14), still 31 Jan in Honolulu (UTC-10).
  const now = Date.UTC(2024, 0, 31, 23, 30);
  const justAfterMidnight = Date.UTC(2024, 1, 1, 0, 15);
  try {
    for (const tz of ['UTC', 'Pacific/Kiritimati', 'Pacific/Honolulu', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      process.env.TZ = tz;
      assert.equal(utcToday(now), '2024-01-31', tz);
      assert.equal(utcToday(justAfterMidnight), '2024-02-01', tz);
      assert.equal(addDays('2024-03-09', 1), '2024-03-10', `${tz}: a DST weekend in the US`);
      assert.equal(addDays('2024-03-31', -1), '2024-03-30', `${tz}: a DST weekend in Europe`);
      assert.equal(daysBetween('2024-03-01', '2024-04-01'), 31, tz);
      assert.equal(shortDay('2024-03-10'), 'Mar 10', tz);
      assert.deepEqual(monthToDate(utcToday(now)), { start: '2024-01-01', end: '2024-02-01' }, tz);
    }
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});
