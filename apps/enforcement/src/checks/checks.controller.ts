import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { QuotaBucket, Quotas, uuidParam } from '@credit/platform';
import { CHECK_ROLES } from './check.route';
import { BatchCheckDto, CheckDecisionDto } from './check.dto';
import { CheckBatchUseCase } from './check-batch.usecase';
import { DecideCheckUseCase } from './decide-check.usecase';

@ApiTags('checks')
@ApiBearerAuth()
@Controller('v1/checks')
export class ChecksController {
  private readonly quota: QuotaBucket;

  constructor(
    private readonly checkBatch: CheckBatchUseCase,
    private readonly decideCheck: DecideCheckUseCase,
    quotas: Quotas,
  ) {
    this.quota = quotas.bucket('checks');
  }

  // POST /v1/checks itself is an explicit Fastify route: check.route.ts

  /** Up to 1,000 subjects for one action (e.g. every bidder of a tender); each counts as a check. */
  @Post('batch')
  @HttpCode(200)
  @Roles(...CHECK_ROLES)
  async batch(@CurrentPrincipal() principal: Principal, @Body() body: BatchCheckDto) {
    this.quota.charge(principal, body.subjects.length);
    return { items: await this.checkBatch.execute(principal, body), nextCursor: null };
  }

  @Post(':id/decisions')
  @HttpCode(201)
  @Roles(...CHECK_ROLES)
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: CheckDecisionDto,
  ) {
    return this.decideCheck.execute(principal, id, body);
  }
}
