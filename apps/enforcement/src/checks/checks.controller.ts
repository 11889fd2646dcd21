import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { QuotaBucket, Quotas, uuidParam } from '@credit/platform';
import { parseCheckBody } from './check-body';
import { CHECK_ROLES } from './check.route';
import { BatchCheckDto, CheckDecisionDto, CheckDto } from './check.dto';
import { CheckUseCase } from './check.usecase';
import { SweepDetector } from './sweep-detector';

@ApiTags('checks')
@ApiBearerAuth()
@Controller('v1/checks')
export class ChecksController {
  private readonly quota: QuotaBucket;

  constructor(
    private readonly checks: CheckUseCase,
    private readonly sweeps: SweepDetector,
    quotas: Quotas,
  ) {
    this.quota = quotas.bucket('checks');
  }

  /**
   * May this subject do this? `block` beats `warn` beats `priority` beats `allow`, with every reason.
   * Declares the route; Fastify runs `CheckRoute`'s handler for it (the same steps, outside Nest's pipeline).
   */
  @Post()
  @HttpCode(200)
  @Roles(...CHECK_ROLES)
  @ApiBody({ type: CheckDto })
  check(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    // validated by hand (same rules as CheckDto): the global pipe skips an untyped body
    const { subjectId, action, stage } = parseCheckBody(body);
    return this.checks.check(principal, subjectId, action, stage);
  }

  /** Up to 1,000 subjects for one action (e.g. every bidder of a tender); each counts as a check. */
  @Post('batch')
  @HttpCode(200)
  @Roles('implementer', 'system')
  async batch(@CurrentPrincipal() principal: Principal, @Body() body: BatchCheckDto) {
    this.quota.charge(principal, body.subjects.length);
    const now = new Date();
    const items = [];
    let misses = 0;
    for (const subject of body.subjects) {
      const answer = await this.checks.check(principal, subject.id, body.action, body.stage, now);
      if (answer.reasons.length === 0) misses += 1;
      items.push(answer);
    }
    this.sweeps.observe(principal, items.length, misses);
    return { items, nextCursor: null };
  }

  @Post(':id/decisions')
  @HttpCode(201)
  @Roles('implementer', 'system')
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: CheckDecisionDto,
  ) {
    return this.checks.decide(principal, id, body);
  }
}
