import { ListType } from './list-type.entity';
import { repairTermsOf } from './repair-terms';
import { minStatementWorkingDaysOf } from './statement-terms';

export function toListTypeView(t: ListType) {
  return {
    code: t.code,
    name: t.name,
    colour: t.colour,
    ownerDept: t.ownerDept,
    legalBasis: t.legalBasis,
    infoClass: t.infoClass,
    severity: t.severity,
    defaultPeriodDays: t.defaultPeriodDays,
    subjectKinds: t.subjectKinds,
    noticeWorkingDays: t.noticeWorkingDays,
    minStatementWorkingDays: minStatementWorkingDaysOf(t),
    minStatementReason: t.minStatementReason,
    suspendOnObjection: t.suspendOnObjection,
    objectionWorkingDays: t.objectionWorkingDays,
    criteria: t.criteria,
    exitConditions: t.exitConditions,
    publishMinor: t.publishMinor,
    repair: { ...repairTermsOf(t), minRepairDaysReason: t.minRepairDaysReason },
    openEndedAllowed: t.openEndedAllowed,
    extension:
      t.extensionMinDays !== null && t.extensionMaxDays !== null
        ? { minDays: t.extensionMinDays, maxDays: t.extensionMaxDays, maxTimes: t.maxExtensions }
        : null,
    excludedSubjects: t.excludedSubjects,
    endsOnBlackListing: t.endsOnBlackListing,
    createdAt: t.createdAt.toISOString(),
  };
}
