import {
  CloudEvent,
  EventTypes,
  ListEntryEndedV1,
  ListEntryPublishedV1,
  ListTypeRefV1,
  PeriodV1,
  SubjectRefV1,
  Topics,
} from '@credit/contracts';
import { createCloudEvent, OutboxMessage } from '@credit/messaging';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_SOURCE } from '../registry.tokens';
import { ListEntry } from './list-entry.entity';

/** What every downstream service needs to know of a list type. */
export function listTypeRef(t: ListType): ListTypeRefV1 {
  return { code: t.code, colour: t.colour, infoClass: t.infoClass, severity: t.severity };
}

export function subjectRef(e: ListEntry, withName = true): SubjectRefV1 {
  return {
    kind: e.subjectKind,
    id: e.subjectId,
    ...(withName ? { name: e.subjectName } : {}),
    ...(e.subjectLegacyIds.length > 0 ? { legacyIds: e.subjectLegacyIds } : {}),
  };
}

/** An entry's period as events carry it: an open-ended one says so (its `to` is OPEN_ENDED_UNTIL). */
export function periodRef(e: ListEntry): PeriodV1 {
  return {
    from: e.periodFrom!.toISOString(),
    to: e.periodTo!.toISOString(),
    ...(e.openEnded ? { openEnded: true } : {}),
  };
}

/** An event about an entry, keyed by its subject so that every event of a subject stays in order. */
export function entryMessage<T>(
  entry: ListEntry,
  type: string,
  data: T,
  actorDept: string | undefined,
  time: Date,
): OutboxMessage {
  const event: CloudEvent<T> = createCloudEvent({
    type,
    source: REGISTRY_SOURCE,
    subject: entry.id,
    actorDept,
    data,
    time,
  });
  return { topic: Topics.listEntries, key: entry.subjectId, event };
}

export function publishedMessage(
  entry: ListEntry,
  listType: ListType,
  actorDept: string,
  now: Date,
  received?: Pick<ListEntryPublishedV1, 'origin' | 'recognisedMeasures'>,
): OutboxMessage {
  const data: ListEntryPublishedV1 = {
    entryId: entry.id,
    listType: listTypeRef(listType),
    ownerDept: entry.ownerDept,
    subject: subjectRef(entry),
    relatedPersons: entry.relatedPersons,
    decision: {
      documentNo: entry.decisionDocumentNo,
      date: entry.decisionDate,
      ...(entry.decisionAmount != null ? { amount: entry.decisionAmount } : {}),
      ...(entry.decisionViolationKind ? { violationKind: entry.decisionViolationKind } : {}),
    },
    period: periodRef(entry),
    publishedAt: now.toISOString(),
    ...(entry.basisCommitmentId ? { basisCommitmentId: entry.basisCommitmentId } : {}),
    ...(received?.origin ? { origin: received.origin } : {}),
    ...(received?.recognisedMeasures ? { recognisedMeasures: received.recognisedMeasures } : {}),
  };
  return entryMessage(entry, EventTypes.listEntryPublished, data, actorDept, now);
}

export function endedMessage(entry: ListEntry, listType: ListType, actorDept: string | undefined, now: Date) {
  const data: ListEntryEndedV1 = {
    entryId: entry.id,
    listType: listTypeRef(listType),
    ownerDept: entry.ownerDept,
    subject: subjectRef(entry),
    reason: entry.endReason!,
    ...(entry.endNote ? { note: entry.endNote } : {}),
    endedAt: now.toISOString(),
  };
  return entryMessage(entry, EventTypes.listEntryEnded, data, actorDept, now);
}
