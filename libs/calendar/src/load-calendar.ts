import * as fs from 'node:fs';
import * as path from 'node:path';
import { CalendarDataError, CalendarYearData, validateYearData } from './calendar-data';
import { WorkingCalendar, WorkingCalendarOptions } from './working-calendar';

/**
 * The data folder shipped with the library. Resolved from this file so it works both from `libs/calendar/src`
 * (jest, ts-node) and from a compiled `.../libs/calendar/src/*.js`, provided the build copies `data/` alongside.
 */
export const BUNDLED_CALENDAR_DIR = path.join(__dirname, '..', 'data');

const YEAR_FILE = /^(\d{4})\.json$/;

/** Reads and validates every `*.json` year file in `dir`; each must be named `<year>.json` after its year. */
export function loadYearFiles(dir: string): CalendarYearData[] {
  if (!fs.existsSync(dir)) {
    throw new CalendarDataError(
      dir,
      'calendar data folder not found (pass the folder explicitly or ship data/)',
    );
  }
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new CalendarDataError(dir, 'no <year>.json files found');
  return files.map((name) => {
    const file = path.join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new CalendarDataError(file, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const data = validateYearData(raw, file);
    // The file name is how an operator finds a year; keep it honest.
    if (YEAR_FILE.exec(name)?.[1] !== String(data.year)) {
      throw new CalendarDataError(file, `file must be named ${data.year}.json for "year": ${data.year}`);
    }
    return data;
  });
}

/** The calendar built from every year file in `dataDir` (default: the bundled `libs/calendar/data`). */
export function loadBundledCalendar(
  dataDir: string = BUNDLED_CALENDAR_DIR,
  options: WorkingCalendarOptions = {},
): WorkingCalendar {
  return WorkingCalendar.fromYears(loadYearFiles(dataDir), options);
}
