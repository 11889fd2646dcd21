import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { CheckLogSummaryQueries, CheckLogSummaryQuery } from './check-log-summary.queries';

/** How often departments check (核查频次), for supervisors; the figures come from `CheckLogSummaryQueries`. */
@ApiTags('checks')
@ApiBearerAuth()
@Controller('v1/check-log/summary')
export class CheckLogSummaryController {
  constructor(private readonly checkLog: CheckLogSummaryQueries) {}

  @RecordsAccess() // who read which subjects goes to the access log
  @Get()
  @Roles('supervisor', 'admin')
  summary(@CurrentPrincipal() principal: Principal, @Query() query: CheckLogSummaryQuery) {
    return this.checkLog.summary(principal, query);
  }
}
