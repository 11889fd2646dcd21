import {
  CloudEvent,
  CommitmentBrokenV1,
  CommitmentKeptV1,
  CommitmentRecordedV1,
  EventTypes,
  SubjectRefV1,
  Topics,
} from '@credit/contracts';
import { createCloudEvent, OutboxMessage } from '@credit/messaging';
import { REGISTRY_SOURCE } from '../registry.tokens';
import { Commitment } from './commitment.entity';

function subjectOf(c: Commitment): SubjectRefV1 {
  return { kind: c.subjectKind, id: c.subjectId, name: c.subjectName };
}

/** A register event, keyed by the subject's identifier like every event about the subject. */
function commitmentMessage<T>(c: Commitment, type: string, data: T, actorDept: string, time: Date) {
  const event: CloudEvent<T> = createCloudEvent({
    type,
    source: REGISTRY_SOURCE,
    subject: c.id,
    actorDept: actorDept || undefined,
    data,
    time,
  });
  return { topic: Topics.commitments, key: c.subjectId, event } satisfies OutboxMessage;
}

export function commitmentRecordedMessage(c: Commitment): OutboxMessage {
  const data: CommitmentRecordedV1 = {
    commitmentId: c.id,
    subject: subjectOf(c),
    matter: c.matter,
    ...(c.entryId ? { entryId: c.entryId } : {}),
    recordedByDept: c.recordedByDept,
    recordedAt: c.recordedAt.toISOString(),
  };
  return commitmentMessage(c, EventTypes.commitmentRecorded, data, c.recordedByDept, c.recordedAt);
}

export function commitmentSettledMessage(c: Commitment): OutboxMessage {
  const at = c.settledAt!;
  const actorDept = c.settledByDept ?? c.recordedByDept;
  const common = {
    commitmentId: c.id,
    subject: subjectOf(c),
    matter: c.matter,
    ...(c.entryId ? { entryId: c.entryId } : {}),
    recordedByDept: c.recordedByDept,
  };
  if (c.status === 'broken') {
    const data: CommitmentBrokenV1 = {
      ...common,
      ...(c.newEntryId ? { newEntryId: c.newEntryId } : {}),
      brokenAt: at.toISOString(),
    };
    return commitmentMessage(c, EventTypes.commitmentBroken, data, actorDept, at);
  }
  const data: CommitmentKeptV1 = { ...common, keptAt: at.toISOString() };
  return commitmentMessage(c, EventTypes.commitmentKept, data, actorDept, at);
}
