import {
  EventTypes,
  ListEntryObjectionOpenedV1,
  ListEntryObjectionResolvedV1,
  ObjectionOutcome,
} from '@credit/contracts';
import { ListType } from '../list-types/list-type.entity';
import { ListEntry } from '../list-entries/list-entry.entity';
import { entryMessage, listTypeRef, subjectRef } from '../list-entries/list-entry.events';
import { Objection } from './objection.entity';

export function objectionOpenedMessage(
  entry: ListEntry,
  listType: ListType,
  objection: Objection,
  actorDept: string | undefined,
) {
  const data: ListEntryObjectionOpenedV1 = {
    entryId: entry.id,
    objectionId: objection.id,
    listType: listTypeRef(listType),
    ownerDept: entry.ownerDept,
    subject: subjectRef(entry),
    suspendMeasures: listType.suspendOnObjection,
    deadline: objection.deadline.toISOString(),
    openedAt: objection.openedAt.toISOString(),
  };
  return entryMessage(entry, EventTypes.listEntryObjectionOpened, data, actorDept, objection.openedAt);
}

export function objectionResolvedMessage(
  entry: ListEntry,
  listType: ListType,
  objection: Objection,
  outcome: ObjectionOutcome,
  actorDept: string,
  now: Date,
) {
  const data: ListEntryObjectionResolvedV1 = {
    entryId: entry.id,
    objectionId: objection.id,
    listType: listTypeRef(listType),
    ownerDept: entry.ownerDept,
    subject: subjectRef(entry),
    outcome,
    suspendMeasures: listType.suspendOnObjection,
    resolvedAt: now.toISOString(),
  };
  return entryMessage(entry, EventTypes.listEntryObjectionResolved, data, actorDept, now);
}
