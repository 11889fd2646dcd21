import { EntityManager } from 'typeorm';
import { DueProcessApplicationKind, DueProcessClosedV1, EndReason, EventTypes } from '@credit/contracts';
import { OutboxMessage, Outbox } from '@credit/messaging';
import { ListType } from '../list-types/list-type.entity';
import { Objection } from '../objections/objection.entity';
import { resolveObjectionStatus } from '../objections/objection.state-machine';
import { RepairApplication } from '../repairs/repair-application.entity';
import { nextRepairStatus, OPEN_REPAIR_STATUSES } from '../repairs/repair.state-machine';
import { Statement } from '../statements/statement.entity';
import { answerStatementStatus } from '../statements/statement.state-machine';
import { ListEntry } from './list-entry.entity';
import { entryMessage, listTypeRef, subjectRef } from './list-entry.events';

/** Who closed what was left open: the entry's end, not a person. */
const CLOSED_BY = 'system:entry-ended';

/**
 * An entry ended (decision 0030): whatever was still open on it — a statement not answered, an objection
 * not resolved, a repair application not decided — is closed `closed_entry_ended` in the same
 * transaction, with a `credit.due-process.closed.v1` each, so the applicant reads the outcome and the
 * owner's deadlines stop. The act that ended the entry has already settled its own application.
 */
export async function closeOpenApplications(
  manager: EntityManager,
  outbox: Outbox,
  entry: ListEntry,
  endReason: EndReason,
  actorDept: string | undefined,
  now: Date,
): Promise<number> {
  if (!(await anyOpenApplication(manager, entry.id))) return 0;
  const statements = await manager.find(Statement, {
    where: { entryId: entry.id, status: 'received' },
    lock: { mode: 'pessimistic_write' },
  });
  const objections = await manager.find(Objection, {
    where: { entryId: entry.id, status: 'open' },
    lock: { mode: 'pessimistic_write' },
  });
  const repairs = await manager
    .createQueryBuilder(RepairApplication, 'r')
    .setLock('pessimistic_write')
    .where('r.entry_id = :id AND r.status IN (:...open)', { id: entry.id, open: OPEN_REPAIR_STATUSES })
    .getMany();
  if (statements.length + objections.length + repairs.length === 0) return 0;

  const note = `the entry ended (${endReason}) before this was answered (名单已终止)`;
  const closed: { kind: DueProcessApplicationKind; id: string }[] = [];
  for (const s of statements) {
    s.status = answerStatementStatus(s.status, 'close');
    s.closedAt = now;
    await manager.save(s);
    closed.push({ kind: 'statement', id: s.id });
  }
  for (const o of objections) {
    o.status = resolveObjectionStatus(o.status, 'closed_entry_ended');
    o.resolvedAt = now;
    o.resolvedBy = CLOSED_BY;
    o.resolutionNote = note;
    await manager.save(o);
    closed.push({ kind: 'objection', id: o.id });
  }
  for (const r of repairs) {
    r.status = nextRepairStatus(r.status, 'close');
    r.closedAt = now;
    r.closedBy = CLOSED_BY;
    r.closeReason = note;
    await manager.save(r);
    closed.push({ kind: 'repair', id: r.id });
  }
  const listType = await manager.findOneByOrFail(ListType, { code: entry.listType });
  const messages: OutboxMessage[] = closed.map(({ kind, id }) => {
    const data: DueProcessClosedV1 = {
      kind,
      applicationId: id,
      entryId: entry.id,
      listType: listTypeRef(listType),
      ownerDept: entry.ownerDept,
      subject: subjectRef(entry),
      outcome: 'closed_entry_ended',
      endReason,
      closedAt: now.toISOString(),
    };
    return entryMessage(entry, EventTypes.dueProcessClosed, data, actorDept, now);
  });
  await outbox.add(manager, messages);
  return closed.length;
}

/**
 * Whether anything is still open on the entry, in one statement: most entries end with nothing open, and
 * the three locking reads below cost three round trips inside the end's transaction. It sees what the
 * locking reads would (committed rows; one being changed matches by its committed version, and the
 * locking reads then settle it).
 */
async function anyOpenApplication(manager: EntityManager, entryId: string): Promise<boolean> {
  const [{ open }]: { open: boolean }[] = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM registry.statements WHERE entry_id = $1 AND status = 'received')
         OR EXISTS (SELECT 1 FROM registry.objections WHERE entry_id = $1 AND status = 'open')
         OR EXISTS (SELECT 1 FROM registry.repair_applications WHERE entry_id = $1 AND status = ANY($2))
       AS open`,
    [entryId, OPEN_REPAIR_STATUSES],
  );
  return open;
}
