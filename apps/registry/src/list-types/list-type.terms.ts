import { DomainError } from '@credit/platform';
import { ChangeListTypeDto } from './list-type.dto';
import { ListTypeErrors } from './list-type.errors';
import { assertRepairOverrideHasReason } from './repair-terms';
import { assertPeriodFitsSeverity } from './severity';
import { assertStatementTerms } from './statement-terms';

/** The rules a definition's terms obey, at definition and at every change. */
export function assertTermsFit(body: ChangeListTypeDto): void {
  assertPeriodFitsSeverity(body.severity, body.defaultPeriodDays, 'defaultPeriodDays');
  assertRepairOverrideHasReason(body.severity, body.minRepairDays, body.minRepairDaysReason);
  assertPeriodTermsFit(body);
  assertStatementTerms({ ...body, minStatementWorkingDays: body.minStatementWorkingDays ?? null });
}

/** The stored terms of a definition, defaults filled in (a change states them all, as a definition does). */
export function termsOf(body: ChangeListTypeDto) {
  const { extension, ...fields } = body;
  return {
    ...fields,
    openEndedAllowed: body.openEndedAllowed ?? false,
    extensionMinDays: extension?.minDays ?? null,
    extensionMaxDays: extension?.maxDays ?? null,
    maxExtensions: extension?.maxTimes ?? 1,
    excludedSubjects: body.excludedSubjects ?? [],
    endsOnBlackListing: body.endsOnBlackListing ?? false,
    objectionWorkingDays: body.objectionWorkingDays ?? 5,
    criteria: body.criteria ?? null,
    exitConditions: body.exitConditions ?? null,
    publishMinor: body.publishMinor ?? false,
    repairable: body.repairable ?? true,
    minRepairDays: body.minRepairDays ?? null,
    minRepairDaysReason: body.minRepairDaysReason ?? null,
    repairConditions: (body.repairConditions ?? []).map(({ code, text }) => ({ code, text })),
    commitmentRequired: body.commitmentRequired ?? true,
    repairAcceptWorkingDays: body.repairAcceptWorkingDays ?? 2,
    repairDecideWorkingDays: body.repairDecideWorkingDays ?? 5,
    minStatementWorkingDays: body.minStatementWorkingDays ?? null,
    minStatementReason: body.minStatementReason ?? null,
  };
}

/** Extension bounds in order; only a red list may end on a black listing. */
function assertPeriodTermsFit(body: ChangeListTypeDto): void {
  if (body.extension && body.extension.minDays > body.extension.maxDays) {
    throw new DomainError({
      error: ListTypeErrors.EXTENSION_BOUNDS_INVALID,
      detail: 'extension.minDays must not exceed extension.maxDays',
      field: 'extension.minDays',
    });
  }
  if (body.endsOnBlackListing && body.colour !== 'red') {
    throw new DomainError({
      error: ListTypeErrors.ENDS_ON_BLACK_LISTING_RED_ONLY,
      detail: 'only a red list ends when its subject is black-listed (红黑名单互斥仅适用于红名单)',
      field: 'endsOnBlackListing',
    });
  }
}
