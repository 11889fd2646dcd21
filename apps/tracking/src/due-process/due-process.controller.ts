import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { StatsQueryDto } from '../stats/stats.dto';
import { OverdueRepairsQuery } from './due-process.dto';
import { DueProcessQueries } from './due-process.queries';

/** 信用修复、陈述申辩、异议、信用承诺: how the owning departments handle the subject's due process. */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1')
export class DueProcessController {
  constructor(private readonly dueProcess: DueProcessQueries) {}

  /** Per owning department: notices, statements, objections, repairs, documents and commitments. */
  @Get('stats/due-process')
  @Roles('supervisor')
  stats(@CurrentPrincipal() principal: Principal, @Query() query: StatsQueryDto) {
    return this.dueProcess.stats(principal, query);
  }

  /**
   * Repair applications past their deadline to accept or to decide (a request for material pauses the
   * first), oldest deadline first, and how many each owning department has.
   */
  @Get('overdue/repairs')
  @Roles('supervisor')
  overdueRepairs(@CurrentPrincipal() principal: Principal, @Query() query: OverdueRepairsQuery) {
    return this.dueProcess.overdueRepairs(principal, query);
  }
}
