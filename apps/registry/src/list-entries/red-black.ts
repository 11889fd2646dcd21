import { EntityManager } from 'typeorm';
import { Outbox } from '@credit/messaging';
import { ListType } from '../list-types/list-type.entity';
import { endEntry } from './end-entry';
import { ListEntry } from './list-entry.entity';

/**
 * 红黑名单互斥: when subjects are black-listed (published), their red entries on list types that say so
 * end at once, inside the same transaction, as `revoked` with a note naming the black entry; ending fans
 * out the lifts of their incentives like any other end.
 */
export async function endRedEntriesOfBlackListed(
  manager: EntityManager,
  outbox: Outbox,
  black: readonly ListEntry[],
  blackListType: ListType,
  now: Date,
): Promise<ListEntry[]> {
  if (blackListType.colour !== 'black' || black.length === 0) return [];
  const bySubject = new Map(black.map((e) => [e.subjectId, e]));
  const reds = await manager
    .createQueryBuilder(ListEntry, 'e')
    .setLock('pessimistic_write')
    .where('e.subject_id = ANY(:ids)', { ids: [...bySubject.keys()] })
    .andWhere("e.status IN ('published', 'noticed')")
    .andWhere(
      "e.list_type IN (SELECT code FROM registry.list_types WHERE colour = 'red' AND ends_on_black_listing)",
    )
    .orderBy('e.id')
    .getMany();
  const ended: ListEntry[] = [];
  for (const red of reds) {
    const cause = bySubject.get(red.subjectId)!;
    ended.push(
      await endEntry(manager, outbox, red, {
        reason: 'revoked',
        note: `black-listed by entry ${cause.id} (${cause.listType}, ${cause.decisionDocumentNo}) (列入黑名单，撤销红名单)`,
        actorDept: red.ownerDept,
        now,
      }),
    );
  }
  return ended;
}
