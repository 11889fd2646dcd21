/**
 * Calendar-day arithmetic in China Standard Time. Statutory periods are counted in Beijing days, so every
 * instant is mapped to a "day number" (days since 1970-01-01 in UTC+8) instead of relying on the host's TZ.
 * China has had no daylight saving since 1991, so a fixed offset is exact for the years we care about.
 */
export const CHINA_UTC_OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Beijing calendar day of an instant, as days since 1970-01-01. */
export function chinaDayNumber(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return Math.floor((ms + CHINA_UTC_OFFSET_MS) / DAY_MS);
}

/** ISO date (YYYY-MM-DD) of a day number. */
export function dayNumberToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Beijing calendar date (YYYY-MM-DD) of an instant, e.g. 2026-09-30T17:00:00Z → 2026-10-01. */
export function chinaIsoDate(instant: Date): string {
  return dayNumberToIso(chinaDayNumber(instant));
}

/** Day number of a strict ISO date, or undefined when malformed or not a real date (2026-02-30). */
export function isoToDayNumber(iso: string): number | undefined {
  const match = ISO_DATE.exec(iso);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  // Date.UTC rolls over invalid days; a round trip catches them.
  if (dayNumberToIso(ms / DAY_MS) !== iso) return undefined;
  return ms / DAY_MS;
}

/** 0 = Sunday … 6 = Saturday. Day 0 (1970-01-01) was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const weekday = weekdayOf(day);
  return weekday === 0 || weekday === 6;
}

export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}
