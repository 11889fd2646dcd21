import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { ListEntry } from '../list-entries/list-entry.entity';
import { loadReadableEntry, scopeToReader } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB } from '../registry.tokens';
import { EntryAmendment } from './entry-amendment.entity';
import { ObjectionQueryDto } from './objection.dto';
import { Objection } from './objection.entity';
import { toObjectionView } from './objection.view';

/** 异议与更正: the objections and an entry's correction history as their readers see them. */
@Injectable()
export class ObjectionQueries {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /** The caller department's objections (a supervisor's: its region's), earliest deadline first, 500 at most. */
  async readableBy(principal: Principal, query: ObjectionQueryDto) {
    const now = new Date();
    const qb = this.db
      .getRepository(Objection)
      .createQueryBuilder('o')
      .orderBy('o.deadline', 'ASC')
      .limit(500);
    scopeToReader(qb, 'o.owner_dept', principal);
    if (query.entryId) qb.andWhere('o.entry_id = :entryId', { entryId: query.entryId });
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.overdue === 'true') qb.andWhere("o.status = 'open' AND o.deadline < :now", { now });
    const items = await qb.getMany();
    return { items: items.map((o) => toObjectionView(o, now)), nextCursor: null };
  }

  /** The subject's own objections, newest first, 500 at most. */
  async ofSubject(principal: Principal) {
    const now = new Date();
    const items = await this.db
      .getRepository(Objection)
      .createQueryBuilder('o')
      .innerJoin(ListEntry, 'e', 'e.id = o.entry_id')
      .where(
        '(o.on_behalf_of = :me OR (o.on_behalf_of IS NULL AND (e.subject_id = :me OR :me = ANY(e.subject_legacy_ids))))',
        { me: principal.sub },
      )
      .orderBy('o.opened_at', 'DESC')
      .limit(500)
      .getMany();
    return { items: items.map((o) => toObjectionView(o, now)), nextCursor: null };
  }

  /** An entry's corrections, for whoever may read the entry (404 for anyone else). */
  async amendmentsOf(principal: Principal, id: string) {
    await loadReadableEntry(this.db, id, principal); // whoever may read the entry reads its corrections
    const items = await this.db
      .getRepository(EntryAmendment)
      .find({ where: { entryId: id }, order: { id: 'ASC' } });
    return {
      items: items.map((a) => ({
        changed: a.changed,
        before: a.before,
        after: a.after,
        reason: a.reason,
        objectionId: a.objectionId,
        amendedAt: a.amendedAt.toISOString(),
        amendedBy: a.amendedBy,
      })),
      nextCursor: null,
    };
  }
}
