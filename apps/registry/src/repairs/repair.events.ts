import {
  EventTypes,
  FilerRole,
  RepairAcceptedV1,
  RepairDecidedV1,
  RepairEventBaseV1,
  RepairMaterialRequestedV1,
  RepairMaterialSuppliedV1,
  RepairSubmittedV1,
  RepairWithdrawnV1,
} from '@credit/contracts';
import { OutboxMessage } from '@credit/messaging';
import { ListEntry } from '../list-entries/list-entry.entity';
import { entryMessage, listTypeRef, subjectRef } from '../list-entries/list-entry.events';
import { ListType } from '../list-types/list-type.entity';
import { RepairApplication } from './repair-application.entity';

/*
 * Repair events travel on credit.list-entries keyed by the subject, in order with the entry's own
 * events; each carries the deadline it starts or meets, so tracking computes lateness on its own.
 */

function base(a: RepairApplication, entry: ListEntry, listType: ListType, at: Date): RepairEventBaseV1 {
  return {
    applicationId: a.id,
    entryId: entry.id,
    listType: listTypeRef(listType),
    ownerDept: entry.ownerDept,
    subject: subjectRef(entry),
    at: at.toISOString(),
  };
}

type Context = { application: RepairApplication; entry: ListEntry; listType: ListType; actorDept?: string };

export function repairSubmittedMessage({
  application: a,
  entry,
  listType,
  actorDept,
}: Context): OutboxMessage {
  const data: RepairSubmittedV1 = {
    ...base(a, entry, listType, a.submittedAt),
    filedBy: { role: a.filedByRole, ...(a.filedByDept ? { dept: a.filedByDept } : {}) },
    acceptDeadline: a.acceptDeadline!.toISOString(),
  };
  return entryMessage(entry, EventTypes.repairSubmitted, data, actorDept, a.submittedAt);
}

export function repairMaterialRequestedMessage(c: Context, missing: string[], at: Date): OutboxMessage {
  const data: RepairMaterialRequestedV1 = { ...base(c.application, c.entry, c.listType, at), missing };
  return entryMessage(c.entry, EventTypes.repairMaterialRequested, data, c.actorDept, at);
}

export function repairMaterialSuppliedMessage(c: Context, at: Date): OutboxMessage {
  const data: RepairMaterialSuppliedV1 = {
    ...base(c.application, c.entry, c.listType, at),
    acceptDeadline: c.application.acceptDeadline!.toISOString(),
  };
  return entryMessage(c.entry, EventTypes.repairMaterialSupplied, data, c.actorDept, at);
}

export function repairAcceptedMessage(c: Context, acceptDeadline: Date): OutboxMessage {
  const at = c.application.acceptedAt!;
  const data: RepairAcceptedV1 = {
    ...base(c.application, c.entry, c.listType, at),
    acceptDeadline: acceptDeadline.toISOString(),
    decideDeadline: c.application.decideDeadline!.toISOString(),
    onTime: at.getTime() <= acceptDeadline.getTime(),
  };
  return entryMessage(c.entry, EventTypes.repairAccepted, data, c.actorDept, at);
}

export function repairDecidedMessage(c: Context): OutboxMessage {
  const a = c.application;
  const at = a.decidedAt!;
  const data: RepairDecidedV1 = {
    ...base(a, c.entry, c.listType, at),
    outcome: a.status === 'approved' ? 'approved' : 'rejected',
    decideDeadline: a.decideDeadline!.toISOString(),
    onTime: at.getTime() <= a.decideDeadline!.getTime(),
  };
  return entryMessage(c.entry, EventTypes.repairDecided, data, c.actorDept, at);
}

/** Withdrawn by `by` (the subject, or the counter for it): no deadline of it runs any more. */
export function repairWithdrawnMessage(
  c: Context,
  by: { role: FilerRole; dept: string | null },
): OutboxMessage {
  const a = c.application;
  const at = a.closedAt!;
  const data: RepairWithdrawnV1 = {
    ...base(a, c.entry, c.listType, at),
    withdrawnBy: { role: by.role, ...(by.dept ? { dept: by.dept } : {}) },
  };
  return entryMessage(c.entry, EventTypes.repairWithdrawn, data, c.actorDept, at);
}
