import { Inject, Injectable } from '@nestjs/common';
import { IsBooleanString, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { entryReadRight, isSupervisor, Principal, supervisedRegion } from '@credit/auth';
import { ASSIGNMENT_STATUSES, AssignmentStatus } from '@credit/contracts';
import { decodeCursor, encodeCursor, notFound, PageQueryDto } from '@credit/platform';
import { TRIGGER_DB } from '../trigger.tokens';
import { Assignment } from './assignment.entity';
import { toAssignmentView } from './assignment.view';
import { TrackedEntry } from './tracked-entry.entity';

export class AssignmentQueryDto extends PageQueryDto {
  @IsOptional() @IsUUID() entryId?: string;
  @IsOptional() @IsString() dept?: string;
  @IsOptional() @IsIn(ASSIGNMENT_STATUSES) status?: AssignmentStatus;
  @IsOptional() @IsString() measureCode?: string;
  /** `false`: issued to departments that never subscribed to the measure (for follow-up) */
  @IsOptional() @IsBooleanString() subscribed?: string;
}

/** 任务: the assignments a caller may read, by entry, department, status or measure. */
@Injectable()
export class AssignmentQueries {
  constructor(@Inject(TRIGGER_DB) private readonly db: DataSource) {}

  /**
   * The assignments the caller may read (decision 0020), oldest issued first, paged by (issued at, id):
   * a supervisor's of its region's entries, the owner's and the subject's of the entry, any other caller's
   * only its own department's on an entry it may read. 404 for an entry the caller may not read.
   */
  async readableBy(principal: Principal, query: AssignmentQueryDto) {
    const supervisor = isSupervisor(principal);
    let ownDeptOnly = false;
    if (query.entryId) {
      const entry = await this.db.getRepository(TrackedEntry).findOneBy({ entryId: query.entryId });
      const [region]: { region: string }[] = entry
        ? await this.db.query('SELECT region FROM trigger.known_departments WHERE code = $1', [
            entry.ownerDept,
          ])
        : [];
      const right = entry
        ? entryReadRight(principal, {
            infoClass: entry.infoClass,
            ownerDept: entry.ownerDept,
            ownerRegion: region?.region ?? null,
            subjectIds: [
              entry.subjectId,
              ...entry.subjectLegacyIds,
              ...entry.relatedPersons.map((p) => p.id),
            ],
          })
        : supervisor
          ? 'supervisor'
          : null;
      // an entry trigger has not heard of yet has no assignments: an empty page for whoever asks
      if (entry && !right)
        throw notFound('LIST_ENTRY.NOT_FOUND', `list entry ${query.entryId} does not exist`);
      ownDeptOnly = right === 'public' || right === 'implementer';
    }
    const limit = query.limit ?? 100;
    const qb = this.db
      .getRepository(Assignment)
      .createQueryBuilder('a')
      .orderBy('a.issued_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(limit + 1);
    if (query.entryId) qb.andWhere('a.entry_id = :entryId', { entryId: query.entryId });
    if (query.dept) qb.andWhere('a.dept = :dept', { dept: query.dept });
    if (ownDeptOnly) qb.andWhere('a.dept = :ownDept', { ownDept: principal.dept });
    const region = supervisedRegion(principal);
    if (region !== undefined)
      qb.andWhere(
        `a.entry_id IN (SELECT e.entry_id FROM trigger.entries e JOIN trigger.known_departments d
           ON d.code = e.owner_dept WHERE d.region = :region)`,
        { region },
      );
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.measureCode) qb.andWhere('a.measure_code = :measureCode', { measureCode: query.measureCode });
    if (query.subscribed !== undefined)
      qb.andWhere('a.subscribed = :subscribed', { subscribed: query.subscribed === 'true' });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, 'cursor');
      qb.andWhere('(a.issued_at, a.id) > (:at, :id)', { at, id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAssignmentView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.issuedAt.toISOString(), last.id]) : null,
    };
  }
}
