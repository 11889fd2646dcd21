import { OPEN_ENDED_UNTIL, SubjectKind } from '@credit/contracts';
import { ageOn, birthDateOfIdNumber } from '@credit/identifiers';
import { DomainError } from '@credit/platform';
import { ListEntryErrors } from '../list-entries/list-entry.errors';

/**
 * Periods and exits as the law sets them (decision 0033). The period counts from the day the judicial or
 * administrative document made the finding, not from publication; a list type may allow an open-ended
 * period (until the obligation is performed) and extensions (失信被执行人: two years, extendable by one
 * to three), and may exclude subjects (minors on the court list).
 */
export const SUBJECT_EXCLUSIONS = ['minors'] as const;
export type SubjectExclusion = (typeof SUBJECT_EXCLUSIONS)[number];

export const OPEN_ENDED_TO = new Date(OPEN_ENDED_UNTIL);

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Midnight, Beijing time, of a decision date (YYYY-MM-DD): where a period starts by default. */
export function decisionDay(decisionDate: string): Date {
  return new Date(`${decisionDate}T00:00:00+08:00`);
}

/** The Beijing calendar day of an instant, YYYY-MM-DD. */
export function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A period that does not start on the decision date needs a reason (起算日调整须说明理由). */
export function assertPeriodStartHasReason(
  decisionDate: string,
  from: Date,
  reason: string | null | undefined,
  field: string,
): void {
  if (chinaDay(from) === decisionDate || (reason && reason.trim() !== '')) return;
  throw new DomainError({
    error: ListEntryErrors.PERIOD_START_NEEDS_REASON,
    detail: `the period counts from the decision date ${decisionDate}; a period from ${chinaDay(from)} needs a reason (公示期自认定决定之日起算，调整须说明理由)`,
    field: field,
  });
}

/** A period already over when the entry would take effect leaves nothing to publish. */
export function assertPeriodNotOver(to: Date, now: Date, field: string): void {
  if (to.getTime() > now.getTime()) return;
  throw new DomainError({
    error: ListEntryErrors.PERIOD_OVER,
    detail: `the period ended ${to.toISOString()}, before publication; give a later period with its reason (公示期已届满)`,
    field: field,
  });
}

export interface PeriodRules {
  code: string;
  openEndedAllowed: boolean;
  extensionMinDays: number | null;
  extensionMaxDays: number | null;
  maxExtensions: number;
  excludedSubjects: SubjectExclusion[];
}

export function assertOpenEndedAllowed(listType: PeriodRules, field: string): void {
  if (listType.openEndedAllowed) return;
  throw new DomainError({
    error: ListEntryErrors.OPEN_ENDED_NOT_ALLOWED,
    detail: `list type ${listType.code} has fixed periods only; an open-ended entry is not allowed (该名单不适用无固定期限)`,
    field: field,
  });
}

/**
 * The period after an extension of `days`: only on a list type that allows extensions, within its bounds
 * and its number of extensions, and never of an open-ended entry (it has no end to move).
 */
export function extendedPeriodTo(
  listType: PeriodRules,
  entry: { periodTo: Date; openEnded: boolean; extensions: number },
  days: number,
): Date {
  const { extensionMinDays: min, extensionMaxDays: max } = listType;
  if (min === null || max === null || entry.openEnded) {
    throw new DomainError({
      error: ListEntryErrors.NOT_EXTENDABLE,
      detail: entry.openEnded
        ? 'an open-ended entry has no end to extend (无固定期限，无需延长)'
        : `list type ${listType.code} does not allow extensions (该名单不允许延长公示期)`,
      field: 'days',
    });
  }
  if (entry.extensions >= listType.maxExtensions) {
    throw new DomainError({
      error: ListEntryErrors.EXTENSION_LIMIT_REACHED,
      detail: `list type ${listType.code} allows ${listType.maxExtensions} extension(s); this entry had ${entry.extensions} (延长次数已满)`,
      field: 'days',
    });
  }
  if (days < min || days > max) {
    throw new DomainError({
      error: ListEntryErrors.EXTENSION_OUT_OF_RANGE,
      detail: `list type ${listType.code} extends by ${min}–${max} days; ${days} is outside (延长期限超出范围)`,
      field: 'days',
    });
  }
  return new Date(entry.periodTo.getTime() + days * DAY_MS);
}

/**
 * Refuses a subject the list type excludes. Minors: an individual whose 18-digit ID number shows an age
 * under 18 on the decision date or today, whichever is earlier (最高人民法院: 不得将未成年人纳入失信名单).
 */
export function assertSubjectNotExcluded(
  listType: PeriodRules,
  subject: { kind: SubjectKind; id: string },
  decisionDate: string,
  now: Date,
  field: string,
): void {
  if (!listType.excludedSubjects.includes('minors') || subject.kind !== 'individual') return;
  const birth = birthDateOfIdNumber(subject.id);
  if (!birth) return;
  const decided = decisionDay(decisionDate);
  const on = decided.getTime() < now.getTime() ? decided : now;
  if (ageOn(birth, on) >= 18) return;
  throw new DomainError({
    error: ListEntryErrors.SUBJECT_EXCLUDED,
    detail: `list type ${listType.code} excludes minors; the subject was under 18 on ${chinaDay(on)} (不得将未成年人纳入该名单)`,
    field: field,
    extra: { exclusion: 'minors' },
  });
}
