import { Commitment } from './commitment.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A commitment as its readers see it (who recorded it by department and role, never by person). */
export function toCommitmentView(c: Commitment) {
  return {
    id: c.id,
    subject: { kind: c.subjectKind, id: c.subjectId, name: c.subjectName },
    matter: c.matter,
    text: c.text,
    madeOn: c.madeOn,
    entryId: c.entryId,
    status: c.status,
    recordedAt: c.recordedAt.toISOString(),
    recordedBy: { dept: c.recordedByDept, role: c.recordedByRole },
    settledAt: iso(c.settledAt),
    settledByDept: c.settledByDept,
    settlementNote: c.settlementNote,
    newEntryId: c.newEntryId,
  };
}

export type CommitmentView = ReturnType<typeof toCommitmentView>;
