import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { decodeCursor, encodeCursor, uuidParam } from '@credit/platform';
import { scopeToReader } from '../list-entries/list-entry.read-access';
import { REGISTRY_DB } from '../registry.tokens';
import {
  BreakCommitmentDto,
  CommitmentQueryDto,
  RecordCommitmentDto,
  SettleCommitmentDto,
} from './commitment.dto';
import { Commitment } from './commitment.entity';
import { toCommitmentView } from './commitment.view';
import { mayActOnAnyCommitment } from './commitment.access';
import { RecordCommitmentUseCase } from './record-commitment.usecase';
import { SettleCommitmentUseCase } from './settle-commitment.usecase';

const uuid = uuidParam('id');

/** 信用承诺: the commitment register. */
@ApiTags('commitments')
@ApiBearerAuth()
@Controller('v1')
export class CommitmentsController {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly recordCommitment: RecordCommitmentUseCase,
    private readonly settleCommitment: SettleCommitmentUseCase,
  ) {}

  /** A department (or the credit office's counter) records a commitment made to it. */
  @Post('commitments')
  @HttpCode(201)
  @Roles('initiator', 'credit_office', 'admin')
  record(@CurrentPrincipal() principal: Principal, @Body() body: RecordCommitmentDto) {
    return this.recordCommitment.execute(principal, body);
  }

  @Post('commitments/:id/kept')
  @HttpCode(200)
  @Roles('initiator', 'credit_office', 'admin')
  kept(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: SettleCommitmentDto,
  ) {
    return this.settleCommitment.execute(principal, id, 'keep', body);
  }

  /** 失信: found broken; the commitment may then be the basis of a new entry (`basisCommitmentId`). */
  @Post('commitments/:id/broken')
  @HttpCode(200)
  @Roles('initiator', 'credit_office', 'admin')
  broken(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: BreakCommitmentDto,
  ) {
    return this.settleCommitment.execute(principal, id, 'break', body);
  }

  /**
   * The register: the credit office and admins read all of it, a supervisor its region's departments',
   * an initiating department the commitments made to it.
   */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('commitments')
  @Roles('initiator', 'supervisor', 'credit_office', 'admin')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: CommitmentQueryDto) {
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

  /** The subject's own commitments (token `sub` = its identifier). */
  @RecordsAccess()
  @Get('me/commitments')
  @Roles('subject')
  async mine(@CurrentPrincipal() principal: Principal, @Query() query: CommitmentQueryDto) {
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
