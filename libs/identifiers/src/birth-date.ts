import { IdentifierInputError } from './failure';

const EARLIEST = '19000101';
// Birth dates are Chinese civil dates; China has used a fixed UTC+8 without DST since 1992.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** `today` as YYYYMMDD in China Standard Time, so the result does not depend on the server's zone. */
export const chinaDateKey = (today: Date): string => {
  const time = today.getTime();
  if (Number.isNaN(time)) throw new IdentifierInputError('options.today is an invalid Date');
  return new Date(time + CHINA_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
};

/** A real calendar date in [1900-01-01, today]; `yyyymmdd` must be 8 digits. */
export const isPlausibleBirthDate = (yyyymmdd: string, today: Date): boolean => {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  // Fixed-width digit strings compare chronologically.
  return yyyymmdd >= EARLIEST && yyyymmdd <= chinaDateKey(today);
};
