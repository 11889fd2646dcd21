import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { decodeCursor, encodeCursor } from '@credit/platform';
import { scopeToReader } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB } from '../registry.tokens';
import { CommitmentQueryDto } from './commitment.dto';
import { Commitment } from './commitment.entity';
import { toCommitmentView } from './commitment.view';
import { mayActOnAnyCommitment } from './commitment.access';

/** 信用承诺: the commitment register as its readers see it. */
@Injectable()
export class CommitmentQueries {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /**
   * The register: the credit office and admins read all of it, a supervisor its region's departments',
   * an initiating department the commitments made to it. Oldest first, paged by (recorded at, id).
   */
  async readableBy(principal: Principal, query: CommitmentQueryDto) {
    const limit = query.limit ?? 100;
    const qb = this.db
      .getRepository(Commitment)
      .createQueryBuilder('c')
      .orderBy('c.recorded_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit + 1);
    if (!mayActOnAnyCommitment(principal)) scopeToReader(qb, 'c.recorded_by_dept', principal);
    if (query.subjectId)
      qb.andWhere('c.subject_id = :subjectId', { subjectId: query.subjectId.trim().toUpperCase() });
    if (query.matter) qb.andWhere('c.matter = :matter', { matter: query.matter });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.dept) qb.andWhere('c.recorded_by_dept = :dept', { dept: query.dept });
    if (query.entryId) qb.andWhere('c.entry_id = :entryId', { entryId: query.entryId });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      qb.andWhere('(c.recorded_at, c.id) > (:at, :id)', { at: new Date(at), id });
    }
    return page(await qb.getMany(), limit);
  }

  /** The subject's own commitments (token `sub` = its identifier), oldest first. */
  async ofSubject(principal: Principal, query: CommitmentQueryDto) {
    const limit = query.limit ?? 100;
    const qb = this.db
      .getRepository(Commitment)
      .createQueryBuilder('c')
      .where('c.subject_id = :me', { me: principal.sub })
      .orderBy('c.recorded_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit + 1);
    if (query.matter) qb.andWhere('c.matter = :matter', { matter: query.matter });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      qb.andWhere('(c.recorded_at, c.id) > (:at, :id)', { at: new Date(at), id });
    }
    return page(await qb.getMany(), limit);
  }
}

function page(rows: Commitment[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toCommitmentView),
    nextCursor: rows.length > limit && last ? encodeCursor([last.recordedAt.toISOString(), last.id]) : null,
  };
}
