import { CalendarDataError, CalendarYearData, validateYearData } from './calendar-data';
import { DAY_MS, chinaDayNumber, isWeekend, isoToDayNumber, yearOf } from './china-day';

export interface WorkingCalendarOptions {
  /**
   * Called once per year that a computation touches without data (plain weekends are used instead), so the
   * caller can log it: a deadline computed that way ignores holidays and may be too early.
   */
  onMissingYear?: (year: number) => void;
}

/** First and last year with holiday data; years in between may still be missing, see `hasYear`. */
export interface CalendarCoverage {
  from: number;
  to: number;
}

/**
 * Working days in mainland China: Monday–Friday, minus the State Council's rest days, plus its adjusted
 * working Saturdays/Sundays (调休上班). All days are Beijing days (UTC+8) whatever the host's time zone.
 */
export class WorkingCalendar {
  private readonly reportedMissing = new Set<number>();

  private constructor(
    private readonly years: ReadonlyMap<number, CalendarYearData>,
    private readonly holidays: ReadonlyMap<number, string>,
    private readonly workingWeekends: ReadonlyMap<number, string>,
    private readonly options: WorkingCalendarOptions,
  ) {}

  /** Builds a calendar from year data; each year is validated (see `validateYearData`) and may appear once. */
  static fromYears(data: readonly CalendarYearData[], options: WorkingCalendarOptions = {}): WorkingCalendar {
    if (data.length === 0) throw new CalendarDataError('calendar', 'no year data supplied');
    const years = new Map<number, CalendarYearData>();
    const holidays = new Map<number, string>();
    const workingWeekends = new Map<number, string>();
    for (const raw of data) {
      const year = validateYearData(raw, `year data ${String((raw as { year?: unknown }).year)}`);
      if (years.has(year.year)) throw new CalendarDataError(`year data ${year.year}`, 'year supplied twice');
      years.set(year.year, year);
      // Validated above, so the day numbers are defined.
      for (const h of year.holidays) holidays.set(isoToDayNumber(h.date) as number, h.name);
      for (const w of year.workingWeekends) workingWeekends.set(isoToDayNumber(w.date) as number, w.name);
    }
    return new WorkingCalendar(years, holidays, workingWeekends, options);
  }

  coverage(): CalendarCoverage {
    const known = [...this.years.keys()];
    return { from: Math.min(...known), to: Math.max(...known) };
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  /** True when the year's data is derived from the statutory rules, not yet from the published notice. */
  isProvisional(year: number): boolean {
    return this.years.get(year)?.provisional === true;
  }

  /** The year's data as loaded (source, note), or undefined for a year without data. */
  yearData(year: number): CalendarYearData | undefined {
    return this.years.get(year);
  }

  /** Whether the Beijing day of `date` is a working day. */
  isWorkingDay(date: Date): boolean {
    return this.isWorkingDayNumber(chinaDayNumber(date));
  }

  /** Name of the holiday or adjusted working day the Beijing day of `date` falls on, if any. */
  describeDay(date: Date): string | undefined {
    const day = chinaDayNumber(date);
    return this.holidays.get(day) ?? this.workingWeekends.get(day);
  }

  /**
   * The instant `days` working days after `from`, at the same Beijing time of day. The day of `from` itself is
   * never counted (the period starts the next day); zero days returns `from` unchanged.
   */
  addWorkingDays(from: Date, days: number): Date {
    if (!Number.isSafeInteger(days) || days < 0) {
      throw new RangeError(`days must be a non-negative integer, got ${days}`);
    }
    const start = chinaDayNumber(from);
    let day = start;
    for (let remaining = days; remaining > 0;) {
      day += 1;
      if (this.isWorkingDayNumber(day)) remaining -= 1;
    }
    // Fixed UTC+8 offset, so shifting by whole days keeps the Beijing time of day.
    return new Date(from.getTime() + (day - start) * DAY_MS);
  }

  /**
   * Working days after the Beijing day of `from` up to and including the Beijing day of `to`, i.e. the inverse
   * of `addWorkingDays`. When `to` is earlier, the count of (to, from] is returned negated.
   */
  workingDaysBetween(from: Date, to: Date): number {
    const a = chinaDayNumber(from);
    const b = chinaDayNumber(to);
    if (b < a) return -this.countWorkingDays(b, a);
    return this.countWorkingDays(a, b);
  }

  /** The first working day strictly after the Beijing day of `date`, at the same time of day. */
  nextWorkingDay(date: Date): Date {
    return this.addWorkingDays(date, 1);
  }

  private countWorkingDays(afterDay: number, untilDay: number): number {
    let count = 0;
    for (let day = afterDay + 1; day <= untilDay; day += 1) {
      if (this.isWorkingDayNumber(day)) count += 1;
    }
    return count;
  }

  private isWorkingDayNumber(day: number): boolean {
    const year = yearOf(day);
    if (!this.years.has(year)) {
      this.reportMissing(year);
      return !isWeekend(day);
    }
    if (this.workingWeekends.has(day)) return true;
    if (this.holidays.has(day)) return false;
    return !isWeekend(day);
  }

  private reportMissing(year: number): void {
    if (this.reportedMissing.has(year)) return;
    this.reportedMissing.add(year);
    this.options.onMissingYear?.(year);
  }
}
