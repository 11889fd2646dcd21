import { EntityManager } from 'typeorm';
import type { ListEntryPublishedV1 } from '@credit/contracts';
import { Outbox } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { ListType } from '../list-types/list-type.entity';
import { assertPeriodNotOver, decisionDay, OPEN_ENDED_TO } from '../list-types/periods';
import { recordOutboundPublications } from '../exchange/exchange-outbound';
import { recordPublication } from '../publication/publication.hooks';
import { assertPeriodFitsSeverity, periodDays } from '../list-types/severity';
import { blackListedAmong, blackListedProblem, endRedEntriesOfBlackListed } from './red-black';
import { ListEntry } from './list-entry.entity';
import { publishedMessage } from './list-entry.events';
import { nextListEntryStatus } from './list-entry.state-machine';
import { ListEntryErrors } from './list-entry.errors';

const DAY_MS = 86_400_000;

/**
 * Puts a noticed entry in force inside the caller's transaction: the statement period must be over, the
 * period (from the decision date unless given) must fit the severity and not be over already, and the subject may not already be in force on the same list for an
 * overlapping period (the database's exclusion constraint backs this against races). A black listing
 * ends the subject's red entries on list types that say so.
 */
export async function publishEntry(
  manager: EntityManager,
  outbox: Outbox,
  entry: ListEntry,
  listType: ListType,
  actorDept: string,
  now: Date,
  /** an entry received from a partner region: its origin and the measures recognised here (0035) */
  received?: Pick<ListEntryPublishedV1, 'origin' | 'recognisedMeasures'>,
): Promise<ListEntry> {
  entry.status = nextListEntryStatus(entry.status, 'publish');
  // 陈述申辩: every statement is answered before the entry takes effect
  const [{ unanswered }]: { unanswered: number }[] = await manager.query(
    `SELECT count(*)::int AS unanswered FROM registry.statements WHERE entry_id = $1 AND status = 'received'`,
    [entry.id],
  );
  if (unanswered > 0) {
    throw new DomainError({
      error: ListEntryErrors.STATEMENT_UNANSWERED,
      detail: `${unanswered} statement(s) of the subject are not answered yet; answer them before publishing (陈述申辩未答复)`,
      extra: { unansweredStatements: unanswered },
    });
  }
  if (entry.statementDeadline && now < entry.statementDeadline) {
    throw new DomainError({
      error: ListEntryErrors.STATEMENT_PERIOD_OPEN,
      detail: `the subject may make a statement until ${entry.statementDeadline.toISOString()}; publish after it (陈述申辩期未满)`,
      extra: { statementDeadline: entry.statementDeadline.toISOString() },
    });
  }
  entry.publishedAt = now;
  // the period counts from the decision date, not from publication (decision 0033)
  entry.periodFrom ??= decisionDay(entry.decisionDate);
  if (entry.openEnded) {
    entry.periodTo = OPEN_ENDED_TO;
  } else {
    entry.periodTo ??= new Date(entry.periodFrom.getTime() + listType.defaultPeriodDays * DAY_MS);
    assertPeriodFitsSeverity(listType.severity, periodDays(entry.periodFrom, entry.periodTo), 'period');
    assertPeriodNotOver(entry.periodTo, now, 'period');
  }

  const overlapping = await manager
    .createQueryBuilder(ListEntry, 'e')
    .where('e.subject_id = :subjectId AND e.list_type = :listType', {
      subjectId: entry.subjectId,
      listType: entry.listType,
    })
    .andWhere("e.status = 'published' AND e.id <> :id", { id: entry.id })
    .andWhere('e.period_from < :to AND e.period_to > :from', { from: entry.periodFrom, to: entry.periodTo })
    .getOne();
  if (overlapping) {
    throw new DomainError({
      error: ListEntryErrors.OVERLAPPING,
      detail: `the subject is already on ${entry.listType} for an overlapping period (entry ${overlapping.id}) (同一主体同类名单期间重叠)`,
      extra: { overlappingEntryId: overlapping.id },
    });
  }
  const black = (await blackListedAmong(manager, listType, [entry.subjectId])).get(entry.subjectId);
  if (black) throw blackListedProblem(entry.listType, black);
  const saved = await manager.save(entry);
  await outbox.add(manager, [publishedMessage(saved, listType, actorDept, now, received)]);
  await endRedEntriesOfBlackListed(manager, outbox, [saved], listType, now);
  await recordPublication(manager, outbox, saved, listType, now); // 公示
  if (!received) await recordOutboundPublications(manager, [saved], listType, now); // 区域联合奖惩
  return saved;
}
