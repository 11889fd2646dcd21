import { maskIdentifier } from '@credit/platform';
import { DepartmentAssignment } from './department-assignment.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What a department sees of its assignment: everything it needs to act, and the deadlines. */
export function toInboxView(a: DepartmentAssignment) {
  return {
    id: a.id,
    entryId: a.entryId,
    dept: a.dept,
    measureCode: a.measure.code,
    measureVersion: a.measure.version,
    measure: {
      code: a.measure.code,
      version: a.measure.version,
      memorandumCode: a.measure.memorandumCode,
      text: a.measure.text,
      kind: a.measure.kind,
      mode: a.measure.mode,
      actions: a.measure.actions,
      legalBasis: a.measure.legalBasis,
    },
    listType: a.listType,
    subject: { id: a.subjectId, kind: a.subjectKind, name: a.subjectName },
    target: {
      id: a.targetId,
      kind: a.targetKind,
      ...(a.targetRole ? { role: a.targetRole } : {}),
      ...(a.targetName ? { name: a.targetName } : {}),
    },
    period: { from: iso(a.periodFrom), to: iso(a.periodTo) },
    status: a.status,
    ...(a.suspendedFrom ? { suspendedFrom: a.suspendedFrom } : {}),
    generation: a.generation,
    issuedAt: iso(a.issuedAt),
    feedbackDeadline: iso(a.feedbackDeadline),
    acknowledgedAt: iso(a.acknowledgedAt),
    liftedAt: iso(a.liftedAt),
    updatedAt: iso(a.updatedAt),
  };
}

/** For log lines: which assignment, never whose identifier in clear. */
export function logRef(a: DepartmentAssignment) {
  return { assignmentId: a.id, dept: a.dept, target: maskIdentifier(a.targetId) };
}
