import { EntityManager } from 'typeorm';
import { Outbox } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { ListType } from '../list-types/list-type.entity';
import { endEntry } from './end-entry';
import { ListEntry } from './list-entry.entity';
import { ListEntryErrors } from './list-entry.errors';

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

/**
 * The other side of the same rule: of the given subjects, those in force on a black list, with the black
 * entry's id — a red list type that ends on a black listing takes none of them.
 */
export async function blackListedAmong(
  manager: EntityManager,
  redListType: ListType,
  subjectIds: readonly string[],
): Promise<Map<string, string>> {
  if (redListType.colour !== 'red' || !redListType.endsOnBlackListing || subjectIds.length === 0)
    return new Map();
  const rows: { subject_id: string; id: string }[] = await manager.query(
    `SELECT DISTINCT ON (e.subject_id) e.subject_id, e.id
     FROM registry.list_entries e JOIN registry.list_types t ON t.code = e.list_type
     WHERE e.subject_id = ANY($1::text[]) AND e.status = 'published' AND t.colour = 'black'
     ORDER BY e.subject_id, e.id`,
    [subjectIds],
  );
  return new Map(rows.map((r) => [r.subject_id, r.id]));
}

export function blackListedProblem(listType: string, blackEntryId: string) {
  return new DomainError({
    error: ListEntryErrors.SUBJECT_BLACK_LISTED,
    detail: `the subject is in force on a black list (entry ${blackEntryId}); ${listType} does not take it (黑名单主体不得列入红名单)`,
    extra: { blackEntryId },
  });
}
