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

/**
 * The age in whole years on `on` (China Standard Time) of a person born on `birthDate` (YYYY-MM-DD or
 * YYYYMMDD): the birthday counts from its own day.
 */
export const ageOn = (birthDate: string, on: Date): number => {
  const birth = birthDate.replace(/-/g, '');
  if (!/^\d{8}$/.test(birth)) throw new IdentifierInputError('birthDate must be YYYY-MM-DD or YYYYMMDD');
  const today = chinaDateKey(on);
  const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(4) >= birth.slice(4) ? years : years - 1;
};

/** The birth date (YYYY-MM-DD) an 18-digit ID number carries in positions 7–14; undefined for anything else. */
export const birthDateOfIdNumber = (idNumber: string): string | undefined => {
  if (!/^\d{17}[\dX]$/.test(idNumber)) return undefined;
  const birth = idNumber.slice(6, 14);
  return `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
};
