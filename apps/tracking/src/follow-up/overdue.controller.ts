import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { OverdueCountsQueryDto, OverdueQueryDto } from './overdue.dto';
import { OverdueQueries } from './overdue.queries';

/** 逾期督办: what supervisors chase. */
@ApiTags('follow-up')
@ApiBearerAuth()
@Controller('v1/overdue')
export class OverdueController {
  constructor(private readonly overdue: OverdueQueries) {}

  /** Assignments past a deadline they have not met, oldest mark first. */
  @Get()
  @Roles('supervisor')
  list(@CurrentPrincipal() principal: Principal, @Query() query: OverdueQueryDto) {
    return this.overdue.list(principal, query);
  }

  /** How many are overdue now, by department, kind and level (a rollup: milliseconds at any volume). */
  @Get('counts')
  @Roles('supervisor')
  count(@CurrentPrincipal() principal: Principal, @Query() query: OverdueCountsQueryDto) {
    return this.overdue.count(principal, query);
  }
}
