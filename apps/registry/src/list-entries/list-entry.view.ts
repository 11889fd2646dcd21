import { ListEntry } from './list-entry.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toListEntryView(e: ListEntry) {
  return {
    id: e.id,
    listType: e.listType,
    ownerDept: e.ownerDept,
    status: e.status,
    subject: { kind: e.subjectKind, id: e.subjectId, name: e.subjectName, legacyIds: e.subjectLegacyIds },
    relatedPersons: e.relatedPersons,
    decision: {
      documentNo: e.decisionDocumentNo,
      date: e.decisionDate,
      facts: e.decisionFacts,
      ...(e.decisionAmount != null ? { amount: e.decisionAmount } : {}),
      ...(e.decisionViolationKind ? { violationKind: e.decisionViolationKind } : {}),
    },
    basisCommitmentId: e.basisCommitmentId ?? null,
    period:
      e.periodFrom && e.periodTo
        ? {
            from: iso(e.periodFrom),
            to: e.openEnded ? null : iso(e.periodTo), // open-ended: until the obligation is performed
            ...(e.periodReason ? { reason: e.periodReason } : {}),
          }
        : null,
    openEnded: e.openEnded,
    extensions: e.extensions,
    noticedAt: iso(e.noticedAt),
    notice: e.noticedAt
      ? {
          channel: e.noticeChannel,
          note: e.noticeNote,
          reasons: e.noticeReasons,
          legalBasis: e.noticeLegalBasis,
          rights: e.noticeRights,
          statementDeadline: iso(e.statementDeadline),
        }
      : null,
    objectionOpen: e.objectionOpen,
    statementDeadline: iso(e.statementDeadline),
    publishedAt: iso(e.publishedAt),
    endedAt: iso(e.endedAt),
    endReason: e.endReason,
    endNote: e.endNote,
    createdBy: e.createdBy,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

export type ListEntryView = ReturnType<typeof toListEntryView>;
