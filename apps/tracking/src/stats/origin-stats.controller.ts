import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { OriginStatsQueries, OriginStatsQueryDto } from './origin-stats.queries';

/** 区域联合奖惩 (decision 0035): per origin region, what partner regions sent us and what it caused here. */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/stats/origins')
export class OriginStatsController {
  constructor(private readonly originStats: OriginStatsQueries) {}

  @Get()
  @Roles('supervisor')
  origins(@CurrentPrincipal() principal: Principal, @Query() query: OriginStatsQueryDto) {
    return this.originStats.byOriginRegion(principal, query);
  }
}
