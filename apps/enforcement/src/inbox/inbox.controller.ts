import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { decodeCursor, DomainError, encodeCursor, uuidParam } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { DepartmentAssignment } from './department-assignment.entity';
import { BatchAcknowledgeDto, FeedbackDto, InboxQueryDto } from './inbox.dto';
import { toInboxView } from './inbox.view';
import { RecordFeedbackUseCase } from './record-feedback.usecase';
import { RecordsAccess } from '@credit/messaging';

const uuid = uuidParam('id');

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('v1')
export class InboxController {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    private readonly feedback: RecordFeedbackUseCase,
  ) {}

  /** The caller's department's assignments, and only those. */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('inbox')
  @Roles('implementer', 'system')
  async inbox(@CurrentPrincipal() principal: Principal, @Query() query: InboxQueryDto) {
    const limit = query.limit ?? 100;
    const qb = this.db
      .getRepository(DepartmentAssignment)
      .createQueryBuilder('a')
      .where('a.dept = :dept', { dept: principal.dept })
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

  /** Acknowledges many at once; each id answers for itself (one refused does not stop the others). */
  @Post('assignments/ack')
  @HttpCode(200)
  @Roles('implementer', 'system')
  async ackMany(@CurrentPrincipal() principal: Principal, @Body() body: BatchAcknowledgeDto) {
    const items = [];
    for (const id of [...new Set(body.ids)]) {
      try {
        const view = await this.feedback.execute(principal, id, { command: 'acknowledge' });
        items.push({ id, status: view.status });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        items.push({ id, error: { code: err.code, status: err.status, detail: err.message } });
      }
    }
    return { items, nextCursor: null };
  }

  @Post('assignments/:id/ack')
  @HttpCode(200)
  @Roles('implementer', 'system')
  ack(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.feedback.execute(principal, id, { command: 'acknowledge' });
  }

  @Post('assignments/:id/feedback')
  @HttpCode(200)
  @Roles('implementer', 'system')
  report(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() body: FeedbackDto) {
    return this.feedback.execute(
      principal,
      id,
      body.outcome === 'enforced'
        ? { command: 'enforce', detail: body.detail, reference: body.reference }
        : { command: 'mark_not_applicable', detail: body.detail },
    );
  }

  @Post('assignments/:id/lift-confirmation')
  @HttpCode(200)
  @Roles('implementer', 'system')
  confirmLift(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.feedback.execute(principal, id, { command: 'confirm_lift' });
  }
}
