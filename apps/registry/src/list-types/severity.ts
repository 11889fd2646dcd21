import { Severity } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { ListEntryErrors } from '../list-entries/list-entry.errors';

/**
 * Publication period bands by severity (失信行为严重程度): minor up to 3 months, general 3 months to
 * 1 year, serious 1 to 3 years. Bands touch at their edges so that "3 months" and "1 year" fit either side.
 */
export const SEVERITY_PERIOD_DAYS: Readonly<Record<Severity, { min: number; max: number }>> = {
  minor: { min: 1, max: 92 },
  general: { min: 90, max: 366 },
  serious: { min: 365, max: 1096 },
};

const DAY_MS = 86_400_000;

export function periodDays(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / DAY_MS);
}

/** Refuses a period outside its severity's band, naming the field and the band. */
export function assertPeriodFitsSeverity(severity: Severity, days: number, field: string): void {
  const band = SEVERITY_PERIOD_DAYS[severity];
  if (days < band.min || days > band.max) {
    throw new DomainError({
      error: ListEntryErrors.PERIOD_OUTSIDE_SEVERITY_BAND,
      detail: `a ${severity} listing is published for ${band.min}–${band.max} days; ${days} days is outside it (公示期限不符合严重程度)`,
      field: field,
    });
  }
}
