/**
 * Working-day arithmetic for statutory periods (notice, feedback deadlines). Weekends are rest days;
 * the official holiday calendar (with its make-up working Saturdays) is supplied by the registry.
 */
export interface WorkingCalendar {
  /** ISO dates (YYYY-MM-DD) that are public holidays. */
  holidays?: ReadonlySet<string>;
  /** ISO dates of weekend days that are working days (调休). */
  workingWeekends?: ReadonlySet<string>;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(date: Date, calendar: WorkingCalendar = {}): boolean {
  const day = isoDate(date);
  if (calendar.workingWeekends?.has(day)) return true;
  if (calendar.holidays?.has(day)) return false;
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The instant `days` working days after `from` (same time of day). Zero days returns `from` itself.
 * Dates are taken in UTC+8 (China Standard Time), where the policy's days are counted.
 */
export function addWorkingDays(from: Date, days: number, calendar: WorkingCalendar = {}): Date {
  const offsetMs = 8 * 3600_000;
  const local = new Date(from.getTime() + offsetMs);
  let remaining = days;
  while (remaining > 0) {
    local.setUTCDate(local.getUTCDate() + 1);
    if (isWorkingDay(local, calendar)) remaining -= 1;
  }
  return new Date(local.getTime() - offsetMs);
}
