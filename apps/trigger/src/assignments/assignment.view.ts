import { Assignment } from './assignment.entity';

export function toAssignmentView(a: Assignment) {
  return {
    id: a.id,
    entryId: a.entryId,
    dept: a.dept,
    measureCode: a.measureCode,
    measureVersion: a.measureVersion,
    listType: a.listType,
    target: { id: a.targetId, kind: a.targetKind, ...(a.targetRole ? { role: a.targetRole } : {}) },
    status: a.status,
    ...(a.suspendedFrom ? { suspendedFrom: a.suspendedFrom } : {}),
    generation: a.generation,
    subscribed: a.subscribed,
    channel: a.channel,
    period:
      a.periodFrom && a.periodTo ? { from: a.periodFrom.toISOString(), to: a.periodTo.toISOString() } : null,
    issuedAt: a.issuedAt.toISOString(),
    feedbackDeadline: a.feedbackDeadline.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
