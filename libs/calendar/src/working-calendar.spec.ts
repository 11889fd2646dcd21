import { CalendarYearData } from './calendar-data';
import { chinaIsoDate } from './china-day';
import { loadBundledCalendar } from './load-calendar';
import { WorkingCalendar } from './working-calendar';

// Beijing wall-clock time, so the expectations read like the notice.
const bj = (local: string): Date => new Date(`${local}+08:00`);

describe('WorkingCalendar (bundled data)', () => {
  const calendar = loadBundledCalendar();

  it('covers 2025–2027 and flags 2027 as provisional until the notice is published', () => {
    expect(calendar.coverage()).toEqual({ from: 2025, to: 2027 });
    expect([2025, 2026, 2027].map((y) => calendar.hasYear(y))).toEqual([true, true, true]);
    expect(calendar.isProvisional(2026)).toBe(false);
    expect(calendar.isProvisional(2027)).toBe(true);
  });

  it('skips the 2026 National Day week and counts the adjusted Saturday 10-10', () => {
    // 10-01..10-07 off; working days 10-08 (Thu), 10-09 (Fri), 10-10 (Sat, 调休), 10-12, 10-13.
    const due = calendar.addWorkingDays(bj('2026-09-30T10:00:00'), 5);
    expect(due).toEqual(bj('2026-10-13T10:00:00'));
    expect(calendar.isWorkingDay(bj('2026-10-10T09:00:00'))).toBe(true);
    expect(calendar.describeDay(bj('2026-10-10T09:00:00'))).toBe('国庆节调休');
    expect(calendar.workingDaysBetween(bj('2026-09-30T10:00:00'), due)).toBe(5);
  });

  it('skips Spring Festival 2026 and counts the adjusted Saturdays 02-14 and 02-28', () => {
    // 02-13 (Fri), 02-14 (Sat, 调休), then 02-15..02-23 off.
    expect(calendar.addWorkingDays(bj('2026-02-12T18:30:00'), 3)).toEqual(bj('2026-02-24T18:30:00'));
    // 10 days from 02-13: 02-14, 02-24..02-27, 02-28 (Sat, 调休), 03-02..03-05.
    expect(calendar.addWorkingDays(bj('2026-02-13T08:00:00'), 10)).toEqual(bj('2026-03-05T08:00:00'));
    expect(calendar.isWorkingDay(bj('2026-02-17T12:00:00'))).toBe(false);
  });

  it('counts an adjusted working Sunday as a working day', () => {
    expect(calendar.isWorkingDay(bj('2026-01-04T12:00:00'))).toBe(true);
    expect(calendar.isWorkingDay(bj('2026-09-20T12:00:00'))).toBe(true);
    // Across the year boundary: 01-01..01-03 off, Sunday 01-04 is the next working day.
    expect(calendar.nextWorkingDay(bj('2025-12-31T16:00:00'))).toEqual(bj('2026-01-04T16:00:00'));
  });

  it('treats plain weekends as rest days', () => {
    expect(calendar.isWorkingDay(bj('2026-03-07T12:00:00'))).toBe(false);
    expect(calendar.isWorkingDay(bj('2026-03-08T12:00:00'))).toBe(false);
    expect(calendar.addWorkingDays(bj('2026-03-06T12:00:00'), 1)).toEqual(bj('2026-03-09T12:00:00'));
    expect(calendar.nextWorkingDay(bj('2026-03-07T12:00:00'))).toEqual(bj('2026-03-09T12:00:00'));
    expect(calendar.workingDaysBetween(bj('2026-03-06T12:00:00'), bj('2026-03-13T08:00:00'))).toBe(5);
  });

  it('returns the same instant for 0 days, even on a holiday', () => {
    const from = bj('2026-10-03T11:22:33');
    expect(calendar.addWorkingDays(from, 0)).toEqual(from);
    expect(calendar.workingDaysBetween(from, from)).toBe(0);
  });

  it('rejects negative or fractional day counts', () => {
    expect(() => calendar.addWorkingDays(bj('2026-03-06T12:00:00'), -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(bj('2026-03-06T12:00:00'), 1.5)).toThrow(RangeError);
  });

  it('counts backwards ranges as negative', () => {
    expect(calendar.workingDaysBetween(bj('2026-03-13T08:00:00'), bj('2026-03-06T12:00:00'))).toBe(-5);
  });

  it('takes the day in Beijing time, not UTC or the host time zone', () => {
    const lateUtc = new Date('2026-09-30T17:00:00Z'); // 2026-10-01 01:00 in Beijing
    expect(chinaIsoDate(lateUtc)).toBe('2026-10-01');
    expect(calendar.isWorkingDay(lateUtc)).toBe(false);
    expect(calendar.isWorkingDay(new Date('2026-09-30T15:59:59Z'))).toBe(true); // 23:59:59 on 09-30
    // Day one of the period is 10-08 in Beijing, same time of day.
    expect(calendar.addWorkingDays(lateUtc, 1)).toEqual(new Date('2026-10-07T17:00:00Z'));

    const originalTz = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(calendar.addWorkingDays(lateUtc, 1)).toEqual(new Date('2026-10-07T17:00:00Z'));
      expect(calendar.isWorkingDay(new Date('2026-09-30T15:59:59Z'))).toBe(true);
    } finally {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    }
  });

  it('applies the 2025 National Day/Mid-Autumn block and the provisional 2027 Spring Festival', () => {
    expect(calendar.nextWorkingDay(bj('2025-09-30T09:00:00'))).toEqual(bj('2025-10-09T09:00:00'));
    // 2027: 除夕 02-05 to 初三 02-08 off (statutory days only until the notice is out).
    expect(calendar.nextWorkingDay(bj('2027-02-04T09:00:00'))).toEqual(bj('2027-02-09T09:00:00'));
  });
});

describe('WorkingCalendar fallback for years without data', () => {
  const only2026: CalendarYearData = {
    year: 2026,
    source: 'test',
    holidays: [{ date: '2026-10-01', name: '国庆节' }],
    workingWeekends: [{ date: '2026-10-10', name: '国庆节调休' }],
  };

  it('uses plain weekends and reports the missing year once', () => {
    const missing: number[] = [];
    const calendar = WorkingCalendar.fromYears([only2026], { onMissingYear: (y) => missing.push(y) });
    expect(calendar.coverage()).toEqual({ from: 2026, to: 2026 });
    expect(calendar.hasYear(2030)).toBe(false);
    // 2030-10-01 is a Tuesday: without data it is an ordinary working day.
    expect(calendar.isWorkingDay(bj('2030-10-01T10:00:00'))).toBe(true);
    expect(calendar.addWorkingDays(bj('2030-09-30T10:00:00'), 5)).toEqual(bj('2030-10-07T10:00:00'));
    expect(missing).toEqual([2030]);
    // A year with data is not reported.
    expect(calendar.isWorkingDay(bj('2026-10-01T10:00:00'))).toBe(false);
    expect(missing).toEqual([2030]);
  });

  it('refuses empty or duplicated year data', () => {
    expect(() => WorkingCalendar.fromYears([])).toThrow(/no year data/);
    expect(() => WorkingCalendar.fromYears([only2026, only2026])).toThrow(/year supplied twice/);
  });
});
