import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsBooleanString, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { ASSIGNMENT_STATUSES, AssignmentStatus } from '@credit/contracts';
import { decodeCursor, encodeCursor, forbidden, PageQueryDto, unprocessable } from '@credit/platform';
import { TRIGGER_DB } from '../trigger.tokens';
import { Assignment } from './assignment.entity';
import { toAssignmentView } from './assignment.view';
import { TrackedEntry } from './tracked-entry.entity';
import { RecordsAccess } from '@credit/messaging';

export class AssignmentQueryDto extends PageQueryDto {
  @IsOptional() @IsUUID() entryId?: string;
  @IsOptional() @IsString() dept?: string;
  @IsOptional() @IsIn(ASSIGNMENT_STATUSES) status?: AssignmentStatus;
  @IsOptional() @IsString() measureCode?: string;
  /** `false`: issued to departments that never subscribed to the measure (for follow-up) */
  @IsOptional() @IsBooleanString() subscribed?: string;
}

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('v1/assignments')
export class AssignmentsController {
  constructor(@Inject(TRIGGER_DB) private readonly db: DataSource) {}

  /** Supervisors see every assignment; an initiator sees those of its own department's entries. */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get()
  @Roles('initiator', 'supervisor')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AssignmentQueryDto) {
    const supervisor = principal.roles.includes('supervisor');
    if (!supervisor && !query.entryId) {
      throw unprocessable(
        'ASSIGNMENT.ENTRY_REQUIRED',
        'an initiator must name the entry (entryId)',
        'entryId',
      );
    }
    if (!supervisor && query.entryId) {
      const entry = await this.db.getRepository(TrackedEntry).findOneBy({ entryId: query.entryId });
      if (entry && entry.ownerDept !== principal.dept) {
        throw forbidden(
          'LIST_ENTRY.NOT_OWNER',
          'only the owning department and supervisors see these assignments',
        );
      }
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
