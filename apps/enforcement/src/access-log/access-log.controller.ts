import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { AccessLogQueries, AccessLogQuery, OwnAccessLogQuery } from './access-log.queries';

/**
 * 查询记录: who read or checked which subject's data, in any service, and when (decision 0021). Append-only;
 * there is no route to change or remove a record.
 */
@ApiTags('access-log')
@ApiBearerAuth()
@Controller('v1')
export class AccessLogController {
  constructor(private readonly accessLog: AccessLogQueries) {}

  /** For supervisors: every read, with the reader; a region's supervisor sees its region only. */
  @Get('access-log')
  @Roles('supervisor', 'admin')
  list(@CurrentPrincipal() principal: Principal, @Query() query: AccessLogQuery) {
    return this.accessLog.list(principal, query);
  }

  /** For the subject itself: which department read or checked its data, how and when. */
  @Get('me/access-log')
  @Roles('subject')
  own(@CurrentPrincipal() principal: Principal, @Query() query: OwnAccessLogQuery) {
    return this.accessLog.own(principal, query);
  }
}
