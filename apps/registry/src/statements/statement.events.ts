import { EventTypes, StatementAnsweredV1, StatementReceivedV1 } from '@credit/contracts';
import { ListEntry } from '../list-entries/list-entry.entity';
import { entryMessage, listTypeRef, subjectRef } from '../list-entries/list-entry.events';
import { ListType } from '../list-types/list-type.entity';
import { Statement } from './statement.entity';

export function statementReceivedMessage(entry: ListEntry, listType: ListType, s: Statement) {
  const data: StatementReceivedV1 = {
    statementId: s.id,
    entryId: entry.id,
    listType: listTypeRef(listType),
    ownerDept: entry.ownerDept,
    subject: subjectRef(entry),
    filedBy: { role: s.filedByRole, ...(s.filedByDept ? { dept: s.filedByDept } : {}) },
    receivedAt: s.receivedAt.toISOString(),
  };
  return entryMessage(entry, EventTypes.statementReceived, data, s.filedByDept ?? undefined, s.receivedAt);
}

export function statementAnsweredMessage(
  entry: ListEntry,
  listType: ListType,
  s: Statement,
  actorDept: string,
) {
  const data: StatementAnsweredV1 = {
    statementId: s.id,
    entryId: entry.id,
    listType: listTypeRef(listType),
    ownerDept: entry.ownerDept,
    subject: subjectRef(entry),
    accepted: s.status === 'accepted',
    receivedAt: s.receivedAt.toISOString(),
    answeredAt: s.answeredAt!.toISOString(),
  };
  return entryMessage(entry, EventTypes.statementAnswered, data, actorDept, s.answeredAt!);
}
