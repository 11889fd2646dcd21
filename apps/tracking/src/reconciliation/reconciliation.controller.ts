import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { ReconciliationQueryDto } from './reconciliation.dto';
import { RunReconciliationUseCase } from './run-reconciliation.usecase';
import { ReconciliationQueries } from './reconciliation.queries';

/** 对账: the gaps reconciliation found, for the supervisor to chase; oldest first. */
@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly gaps: ReconciliationQueries,
    private readonly runReconciliation: RunReconciliationUseCase,
  ) {}

  @Get()
  @Roles('supervisor')
  list(@CurrentPrincipal() principal: Principal, @Query() query: ReconciliationQueryDto) {
    return this.gaps.gaps(principal, query);
  }

  /** Runs a reconciliation pass now (it also runs on its own schedule). */
  @Post('runs')
  @HttpCode(200)
  @Roles('supervisor')
  run() {
    return this.runReconciliation.execute();
  }
}
