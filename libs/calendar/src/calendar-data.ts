import { isWeekend, isoToDayNumber, yearOf } from './china-day';

/** One dated entry of a year file. */
export interface CalendarEntry {
  /** ISO date, YYYY-MM-DD (Beijing calendar day). */
  date: string;
  name: string;
}

/**
 * One year of the State Council holiday arrangement (国务院办公厅关于部分节假日安排的通知), as stored in
 * `libs/calendar/data/<year>.json`.
 */
export interface CalendarYearData {
  year: number;
  /** Title and document number of the notice the dates come from. */
  source: string;
  /** Official rest days (放假); weekend days inside a block may be listed or left out. */
  holidays: CalendarEntry[];
  /** Saturdays/Sundays that are working days (调休上班). */
  workingWeekends: CalendarEntry[];
  /** True while the year is derived from the statutory rules rather than a published notice. */
  provisional?: boolean;
  note?: string;
}

/** A year file failed validation; `origin` names the file (or caller-supplied label), `entry` the culprit. */
export class CalendarDataError extends Error {
  override readonly name = 'CalendarDataError';

  constructor(
    readonly origin: string,
    readonly problem: string,
    readonly entry?: string,
  ) {
    super(`${origin}: ${entry === undefined ? '' : `${entry}: `}${problem}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateEntries(
  raw: unknown,
  field: 'holidays' | 'workingWeekends',
  year: number,
  origin: string,
): CalendarEntry[] {
  if (!Array.isArray(raw)) throw new CalendarDataError(origin, `"${field}" must be an array`);
  const seen = new Set<string>();
  return raw.map((item: unknown, index) => {
    const label = `${field}[${index}]`;
    if (!isRecord(item) || typeof item.date !== 'string' || typeof item.name !== 'string') {
      throw new CalendarDataError(origin, 'expected { "date": "YYYY-MM-DD", "name": "…" }', label);
    }
    const entry = `${label} ${JSON.stringify(item.date)}`;
    const day = isoToDayNumber(item.date);
    if (day === undefined) throw new CalendarDataError(origin, 'not a valid ISO date (YYYY-MM-DD)', entry);
    if (yearOf(day) !== year) throw new CalendarDataError(origin, `date is outside year ${year}`, entry);
    if (item.name.trim() === '') throw new CalendarDataError(origin, 'name must not be empty', entry);
    if (seen.has(item.date)) throw new CalendarDataError(origin, 'date is listed twice', entry);
    // A make-up working day on a weekday would be a no-op and almost certainly a typo in the file.
    if (field === 'workingWeekends' && !isWeekend(day)) {
      throw new CalendarDataError(origin, 'working weekend is not a Saturday or Sunday', entry);
    }
    seen.add(item.date);
    return { date: item.date, name: item.name };
  });
}

/**
 * Checks a parsed year file and returns a clean copy; throws {@link CalendarDataError} naming `origin` and the
 * offending entry, so an operator's typo fails the service at start-up instead of shifting a deadline.
 */
export function validateYearData(raw: unknown, origin: string): CalendarYearData {
  if (!isRecord(raw)) throw new CalendarDataError(origin, 'expected a JSON object');
  const { year, source, provisional, note } = raw;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1970 || year > 9999) {
    throw new CalendarDataError(origin, '"year" must be an integer year');
  }
  if (typeof source !== 'string' || source.trim() === '') {
    throw new CalendarDataError(origin, '"source" must name the notice the dates come from');
  }
  if (provisional !== undefined && typeof provisional !== 'boolean') {
    throw new CalendarDataError(origin, '"provisional" must be a boolean');
  }
  if (note !== undefined && typeof note !== 'string')
    throw new CalendarDataError(origin, '"note" must be a string');

  const holidays = validateEntries(raw.holidays, 'holidays', year, origin);
  const workingWeekends = validateEntries(raw.workingWeekends, 'workingWeekends', year, origin);
  const holidayDates = new Set(holidays.map((h) => h.date));
  workingWeekends.forEach((w, index) => {
    if (holidayDates.has(w.date)) {
      throw new CalendarDataError(
        origin,
        'date is both a holiday and a working weekend',
        `workingWeekends[${index}] ${JSON.stringify(w.date)}`,
      );
    }
  });

  return {
    year,
    source,
    holidays,
    workingWeekends,
    ...(provisional === undefined ? {} : { provisional }),
    ...(note === undefined ? {} : { note }),
  };
}
