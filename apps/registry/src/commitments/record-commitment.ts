import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { CommitmentMatter, FilerRole, SubjectKind } from '@credit/contracts';
import { Outbox } from '@credit/messaging';
import { Commitment } from './commitment.entity';
import { commitmentRecordedMessage } from './commitment.events';
import { toCommitmentView } from './commitment.view';

export interface NewCommitment {
  /** the subject as stored: its identifier already validated and normalised (an entry's subject) */
  subject: { kind: SubjectKind; id: string; name: string };
  matter: CommitmentMatter;
  text: string;
  /** the day it was signed (YYYY-MM-DD); the Beijing date of `now` when absent */
  madeOn?: string;
  /** the entry a repair commitment belongs to */
  entryId?: string | null;
  /** who recorded it, and the department it was made to (for a subject filing itself: the entry's owner) */
  recordedBy: { sub: string; dept: string; role: FilerRole | 'admin' };
  now?: Date;
}

/** The Beijing calendar day of an instant. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Records a commitment in the register and queues `credit.commitment.recorded.v1`, inside the caller's
 * transaction: the repair flow calls it with the commitment an application carries, so the application
 * and its commitment commit together.
 */
export async function recordCommitment(manager: EntityManager, outbox: Outbox, input: NewCommitment) {
  const now = input.now ?? new Date();
  const commitment = await manager.save(
    manager.create(Commitment, {
      id: randomUUID(),
      subjectKind: input.subject.kind,
      subjectId: input.subject.id,
      subjectName: input.subject.name,
      matter: input.matter,
      text: input.text,
      madeOn: input.madeOn ?? beijingDate(now),
      entryId: input.entryId ?? null,
      status: 'open',
      recordedAt: now,
      recordedBy: input.recordedBy.sub,
      recordedByDept: input.recordedBy.dept,
      recordedByRole: input.recordedBy.role,
      settledAt: null,
      settledBy: null,
      settledByDept: null,
      settlementNote: null,
      newEntryId: null,
    }),
  );
  await outbox.add(manager, [commitmentRecordedMessage(commitment)]);
  return toCommitmentView(commitment);
}
