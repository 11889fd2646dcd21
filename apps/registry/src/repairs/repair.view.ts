import { currentDeadline, isOverdue } from './repair-deadlines';
import { RepairApplication } from './repair-application.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A document of the application as its parties see it (the repair decision). */
export interface RepairDocumentRef {
  id: string;
  kind: string;
  title: string;
  status: string;
  issuedAt: string | null;
  download: string | null;
}

export function toRepairView(a: RepairApplication, now = new Date(), documents: RepairDocumentRef[] = []) {
  return {
    id: a.id,
    entryId: a.entryId,
    listType: a.listType,
    ownerDept: a.ownerDept,
    subjectId: a.subjectId,
    status: a.status,
    statement: a.statement,
    commitment: a.commitmentText === null ? null : { text: a.commitmentText },
    conditions: a.conditions,
    filedBy: { role: a.filedByRole, dept: a.filedByDept },
    submittedAt: a.submittedAt.toISOString(),
    acceptDeadline: iso(a.acceptDeadline),
    /** asked for material: the acceptance clock waits, with these working days left */
    acceptPaused: a.status === 'material_requested',
    acceptDaysLeft: a.acceptDaysLeft,
    materialRequests: a.materialRequests,
    acceptedAt: iso(a.acceptedAt),
    decideDeadline: iso(a.decideDeadline),
    decidedAt: iso(a.decidedAt),
    /** approved | rejected, or how it ended without a decision: withdrawn | closed_entry_ended */
    outcome: a.status === 'approved' || a.status === 'rejected' || a.closedAt !== null ? a.status : null,
    reason: a.decisionReason,
    closedAt: iso(a.closedAt),
    /** the applicant's reason for withdrawing, or that the entry ended first */
    closeReason: a.closeReason,
    deadline: iso(currentDeadline(a)),
    overdue: isOverdue(a, now),
    documents,
  };
}

export type RepairView = ReturnType<typeof toRepairView>;
