import { Objection } from './objection.entity';

export function toObjectionView(o: Objection, now = new Date()) {
  return {
    id: o.id,
    entryId: o.entryId,
    ownerDept: o.ownerDept,
    receiptNo: o.receiptNo,
    filedBy: { role: o.filedByRole, onBehalfOf: o.onBehalfOf },
    reason: o.reason,
    status: o.status,
    openedAt: o.openedAt.toISOString(),
    deadline: o.deadline.toISOString(),
    overdue: o.status === 'open' && o.deadline.getTime() < now.getTime(),
    resolvedAt: o.resolvedAt?.toISOString() ?? null,
    resolutionNote: o.resolutionNote,
  };
}
