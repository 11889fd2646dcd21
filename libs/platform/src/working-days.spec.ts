import { addWorkingDays, isWorkingDay, WorkingCalendar } from './working-days';

/** An instant given as China Standard Time (UTC+8) wall-clock time. */
const cst = (wallClock: string) => new Date(`${wallClock}+08:00`);
const day = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

// 2024 Qingming: 4–6 April off, Sunday 7 April worked instead (调休).
const qingming2024: WorkingCalendar = {
  holidays: new Set(['2024-04-04', '2024-04-05', '2024-04-06']),
  workingWeekends: new Set(['2024-04-07']),
};

describe('isWorkingDay', () => {
  it.each([
    ['2024-03-04', true], // Monday
    ['2024-03-08', true], // Friday
    ['2024-03-09', false], // Saturday
    ['2024-03-10', false], // Sunday
  ])('%s is a working day: %p', (date, expected) => {
    expect(isWorkingDay(day(date))).toBe(expected);
  });

  it('treats a listed holiday as a rest day and a make-up weekend as a working day', () => {
    expect(isWorkingDay(day('2024-04-04'), qingming2024)).toBe(false); // Thursday, holiday
    expect(isWorkingDay(day('2024-04-06'), qingming2024)).toBe(false); // Saturday, holiday
    expect(isWorkingDay(day('2024-04-07'), qingming2024)).toBe(true); // Sunday, worked
    expect(isWorkingDay(day('2024-04-08'), qingming2024)).toBe(true); // Monday
  });
});

describe('addWorkingDays', () => {
  it('returns the same instant for zero days, even on a rest day', () => {
    const saturday = cst('2024-03-09T10:00:00');

    expect(addWorkingDays(saturday, 0).getTime()).toBe(saturday.getTime());
  });

  it('keeps the time of day', () => {
    expect(addWorkingDays(cst('2024-03-05T15:30:00'), 1)).toEqual(cst('2024-03-06T15:30:00'));
  });

  it('skips the weekend', () => {
    expect(addWorkingDays(cst('2024-03-08T10:00:00'), 1)).toEqual(cst('2024-03-11T10:00:00')); // Fri → Mon
    expect(addWorkingDays(cst('2024-03-09T10:00:00'), 1)).toEqual(cst('2024-03-11T10:00:00')); // Sat → Mon
    expect(addWorkingDays(cst('2024-03-04T10:00:00'), 10)).toEqual(cst('2024-03-18T10:00:00')); // two weeks
  });

  it('skips holidays and counts a make-up working weekend', () => {
    // Wednesday 3 April: Thu–Sat are off, Sunday 7 April is worked
    expect(addWorkingDays(cst('2024-04-03T09:00:00'), 1, qingming2024)).toEqual(cst('2024-04-07T09:00:00'));
    expect(addWorkingDays(cst('2024-04-03T09:00:00'), 2, qingming2024)).toEqual(cst('2024-04-08T09:00:00'));
    // without the calendar the same span is plain weekdays
    expect(addWorkingDays(cst('2024-04-03T09:00:00'), 2)).toEqual(cst('2024-04-05T09:00:00'));
  });

  it('counts days in UTC+8, not in UTC', () => {
    // Friday 20:00 UTC is already Saturday 04:00 in Beijing: the next working day is Monday there
    const fridayEveningUtc = new Date('2024-03-08T20:00:00Z');

    expect(addWorkingDays(fridayEveningUtc, 1)).toEqual(cst('2024-03-11T04:00:00'));
    expect(addWorkingDays(fridayEveningUtc, 1).toISOString()).toBe('2024-03-10T20:00:00.000Z');
  });

  it('reads holidays by their Beijing date', () => {
    // 16:30 UTC on 3 April is 00:30 on 4 April in Beijing, a holiday: the next working day is 7 April
    const holidayMorning = new Date('2024-04-03T16:30:00Z');

    expect(addWorkingDays(holidayMorning, 1, qingming2024)).toEqual(cst('2024-04-07T00:30:00'));
  });
});
