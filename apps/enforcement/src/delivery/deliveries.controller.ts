import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { RequestValidationError, uuidParam, ValidationErrors } from '@credit/platform';
import { DeliveriesQueryDto } from './deliveries.dto';
import { DeliveryRepository } from './delivery.repository';
import { RecordsAccess } from '@credit/messaging';
import { ReplayDeliveryUseCase } from './replay-delivery.usecase';
import { RotateWebhookSecretUseCase } from './rotate-webhook-secret.usecase';

const uuid = uuidParam('id');

/** The webhook delivery log, its manual replay, and the department's signing secret. */
@ApiTags('delivery')
@ApiBearerAuth()
@Controller('v1')
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly replayDelivery: ReplayDeliveryUseCase,
    private readonly rotateWebhookSecret: RotateWebhookSecretUseCase,
  ) {}

  /** A department sees its own deliveries; a supervisor every department's (of its region, with a claim). */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('deliveries')
  @Roles('implementer', 'system', 'supervisor')
  list(@CurrentPrincipal() principal: Principal, @Query() query: DeliveriesQueryDto) {
    return this.deliveries.readableBy(principal, query);
  }

  /**
   * Due again now with a fresh set of attempts: a delivered event is delivered again, a dead one tried
   * again (after the department fixed its endpoint).
   */
  @Post('deliveries/:id/replay')
  @HttpCode(200)
  @Roles('implementer', 'system')
  replay(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.replayDelivery.execute(principal, id);
  }

  @Post('webhook-secret')
  @Roles('system', 'admin')
  @ApiQuery({ name: 'dept', required: false, description: "admins only: another department's secret" })
  @ApiOperation({
    summary: "Rotates the department's webhook signing secret and shows the new one (only this once)",
    description:
      'Every webhook POST carries X-Credit-Timestamp (unix seconds) and X-Credit-Signature: ' +
      'sha256=<hex HMAC-SHA256 with this secret over "<timestamp>.<raw body>">. The old secret stops at once. ' +
      "Only a department's system or an admin may rotate it (a person's implementer token may not).",
  })
  rotateSecret(@CurrentPrincipal() principal: Principal, @Query('dept') dept?: string) {
    if (dept !== undefined && !/^[A-Z0-9_-]{2,32}$/.test(dept)) {
      throw new RequestValidationError([
        { field: 'dept', code: ValidationErrors.DEPT.code, message: 'dept must be a department code' },
      ]);
    }
    return this.rotateWebhookSecret.execute(principal, dept);
  }
}
