import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { uuidParam } from '@credit/platform';
import {
  BreakCommitmentDto,
  CommitmentQueryDto,
  RecordCommitmentDto,
  SettleCommitmentDto,
} from './commitment.dto';
import { CommitmentQueries } from './commitment.queries';
import { RecordCommitmentUseCase } from './record-commitment.usecase';
import { SettleCommitmentUseCase } from './settle-commitment.usecase';

const uuid = uuidParam('id');

/** 信用承诺: the commitment register. */
@ApiTags('commitments')
@ApiBearerAuth()
@Controller('v1')
export class CommitmentsController {
  constructor(
    private readonly queries: CommitmentQueries,
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
    return this.queries.readableBy(principal, query);
  }

  /** The subject's own commitments (token `sub` = its identifier). */
  @RecordsAccess()
  @Get('me/commitments')
  @Roles('subject')
  async mine(@CurrentPrincipal() principal: Principal, @Query() query: CommitmentQueryDto) {
    return this.queries.ofSubject(principal, query);
  }
}
