import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RecordsAccess } from '@credit/messaging';
import { CheckLogQueries, CheckLogQuery } from './check-log.queries';

/** The check log for supervisors; reading and masking live in `CheckLogQueries`. */
@ApiTags('checks')
@ApiBearerAuth()
@Controller('v1/check-log')
export class CheckLogController {
  constructor(private readonly checkLog: CheckLogQueries) {}

  @RecordsAccess() // who read which subjects goes to the access log
  @Get()
  @Roles('supervisor', 'admin')
  list(@CurrentPrincipal() principal: Principal, @Query() query: CheckLogQuery) {
    return this.checkLog.list(principal, query);
  }
}
