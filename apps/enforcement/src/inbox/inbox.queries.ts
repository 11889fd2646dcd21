import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { DepartmentAssignment } from './department-assignment.entity';
import { InboxQueryDto } from './inbox.dto';
import { toInboxView } from './inbox.view';

/** A department's inbox: the SQL behind `GET /v1/inbox`. */
@Injectable()
export class InboxQueries {
  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {}

  /** The department's assignments, and only those, oldest issued first, paged by (issued at, id). */
  async ofDepartment(dept: string, query: InboxQueryDto) {
    const limit = query.limit ?? 100;
    const qb = this.db
      .getRepository(DepartmentAssignment)
      .createQueryBuilder('a')
      .where('a.dept = :dept', { dept })
      .orderBy('a.issued_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.listType) qb.andWhere('a.list_type = :listType', { listType: query.listType });
    if (query.measureCode) qb.andWhere(`a.measure->>'code' = :code`, { code: query.measureCode });
    if (query.issuedFrom) qb.andWhere('a.issued_at >= :issuedFrom', { issuedFrom: query.issuedFrom });
    if (query.issuedTo) qb.andWhere('a.issued_at < :issuedTo', { issuedTo: query.issuedTo });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      qb.andWhere('(a.issued_at, a.id) > (:at, :id)', { at, id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toInboxView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.issuedAt.toISOString(), last.id]) : null,
    };
  }
}
