import type { Colour, Severity } from '@credit/contracts';
import { DomainError } from '@credit/platform';
import { ListTypeErrors } from './list-type.errors';

/**
 * 陈述申辩期: the shortest statement period a list type may give after notice. A serious black list
 * (严重失信主体名单) gives at least 5 working days unless the list type's legal basis says otherwise — a
 * list type that sets a shorter minimum (e.g. the court's list, served through judicial procedure) must
 * say why. Every other list type has no minimum beyond its own `noticeWorkingDays`.
 */
export const SERIOUS_BLACK_MIN_STATEMENT_WORKING_DAYS = 5;

export interface StatementTermsSource {
  colour: Colour;
  severity: Severity;
  noticeWorkingDays: number;
  minStatementWorkingDays: number | null;
}

export function defaultMinStatementWorkingDays(colour: Colour, severity: Severity): number {
  return colour === 'black' && severity === 'serious' ? SERIOUS_BLACK_MIN_STATEMENT_WORKING_DAYS : 0;
}

/** The minimum statement period in force for the list type (its own setting, else the default). */
export function minStatementWorkingDaysOf(listType: StatementTermsSource): number {
  return (
    listType.minStatementWorkingDays ?? defaultMinStatementWorkingDays(listType.colour, listType.severity)
  );
}

/**
 * Working days from notice to the statement deadline: the list type's notice period, never less than its
 * minimum (a list type defined before the minimum existed gets the minimum at its next notice).
 */
export function statementWorkingDaysOf(listType: StatementTermsSource): number {
  return Math.max(listType.noticeWorkingDays, minStatementWorkingDaysOf(listType));
}

/** A definition's statement terms: a minimum below the default needs a reason; the notice period reaches it. */
export function assertStatementTerms(
  input: StatementTermsSource & { minStatementReason?: string | null },
): void {
  const byDefault = defaultMinStatementWorkingDays(input.colour, input.severity);
  const minimum = input.minStatementWorkingDays ?? byDefault;
  if (minimum < byDefault && !input.minStatementReason?.trim()) {
    throw new DomainError({
      error: ListTypeErrors.STATEMENT_MINIMUM_NEEDS_REASON,
      detail: `a ${input.severity} ${input.colour} list gives at least ${byDefault} working days to make a statement; ${minimum} needs the reason its legal basis gives (陈述申辩期缩短须说明依据)`,
      field: 'minStatementReason',
    });
  }
  if (input.noticeWorkingDays < minimum) {
    throw new DomainError({
      error: ListTypeErrors.STATEMENT_PERIOD_TOO_SHORT,
      detail: `noticeWorkingDays ${input.noticeWorkingDays} is below the minimum statement period of ${minimum} working days (陈述申辩期不足)`,
      field: 'noticeWorkingDays',
    });
  }
}
