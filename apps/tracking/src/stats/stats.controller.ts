import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { StatsQueryDto } from './stats.dto';
import { StatsQueries } from './stats.queries';

/** 统计: sums of the counters kept per day; the sums and region scoping live in `StatsQueries`. */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsQueries) {}

  @Get('departments')
  @Roles('supervisor')
  departments(@CurrentPrincipal() principal: Principal, @Query() asked: StatsQueryDto) {
    return this.stats.byDepartment(principal, asked);
  }

  @Get('list-types')
  @Roles('supervisor')
  listTypes(@CurrentPrincipal() principal: Principal, @Query() asked: StatsQueryDto) {
    return this.stats.byListType(principal, asked);
  }

  @Get('memoranda')
  @Roles('supervisor')
  memoranda(@CurrentPrincipal() principal: Principal, @Query() asked: StatsQueryDto) {
    return this.stats.byMemorandum(principal, asked);
  }

  /** Daily buckets (issue day, Beijing time) over the period. */
  @Get('daily')
  @Roles('supervisor')
  daily(@CurrentPrincipal() principal: Principal, @Query() asked: StatsQueryDto) {
    return this.stats.byDay(principal, asked);
  }
}
