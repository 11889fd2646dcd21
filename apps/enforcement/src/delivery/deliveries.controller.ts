import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles, supervisedRegion } from '@credit/auth';
import { deptInRegion } from '../access/region-scope';
import { decodeCursor, DomainError, encodeCursor, RequestValidationError, uuidParam } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { DeliveriesQueryDto } from './deliveries.dto';
import { Delivery, toDeliveryView } from './delivery.entity';
import { notifyAfterCommit, NotifyChannels } from './delivery-notifications';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSecrets } from './webhook-secrets';
import { RecordsAccess } from '@credit/messaging';
import { DeliveryErrors } from './delivery.errors';

const uuid = uuidParam('id');

/** The webhook delivery log, its manual replay, and the department's signing secret. */
@ApiTags('delivery')
@ApiBearerAuth()
@Controller('v1')
export class DeliveriesController {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    private readonly secrets: WebhookSecrets,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** A department sees its own deliveries; a supervisor every department's (of its region, with a claim). */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get('deliveries')
  @Roles('implementer', 'system', 'supervisor')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: DeliveriesQueryDto) {
    const limit = query.limit ?? 100;
    const all = principal.roles.includes('supervisor');
    const qb = this.db
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .orderBy('d.seq', 'ASC')
      .limit(limit + 1);
    if (!all) qb.andWhere('d.dept = :own', { own: principal.dept });
    else if (query.dept) qb.andWhere('d.dept = :dept', { dept: query.dept });
    const region = supervisedRegion(principal); // a region's supervisor: its departments' deliveries only
    if (all && region !== undefined) qb.andWhere(deptInRegion('d.dept', ':region'), { region });
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.assignmentId)
      qb.andWhere('d.assignment_id = :assignmentId', { assignmentId: query.assignmentId });
    if (query.cursor) {
      const [seq] = decodeCursor(query.cursor);
      if (!seq || !/^\d{1,19}$/.test(seq)) {
        throw new RequestValidationError([
          { field: 'cursor', code: 'VALIDATION.CURSOR', message: 'cursor is not a valid cursor' },
        ]);
      }
      qb.andWhere('d.seq > :seq', { seq });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDeliveryView),
      nextCursor: rows.length > limit && last ? encodeCursor([String(last.seq)]) : null,
    };
  }

  /**
   * Due again now with a fresh set of attempts: a delivered event is delivered again, a dead one tried
   * again (after the department fixed its endpoint).
   */
  @Post('deliveries/:id/replay')
  @HttpCode(200)
  @Roles('implementer', 'system')
  async replay(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    const view = await this.db.transaction(async (manager) => {
      const delivery = await manager.findOne(Delivery, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!delivery)
        throw new DomainError({ error: DeliveryErrors.NOT_FOUND, detail: `delivery ${id} does not exist` });
      if (delivery.dept !== principal.dept) {
        throw new DomainError({
          error: DeliveryErrors.OTHER_DEPARTMENT,
          detail: `delivery ${id} belongs to another department`,
        });
      }
      if (delivery.payload === null) {
        throw new DomainError({
          error: DeliveryErrors.PAYLOAD_EXPIRED,
          detail: `delivery ${id}'s payload was dropped after the retention period; the assignment is still in the inbox`,
        });
      }
      const now = new Date();
      Object.assign(delivery, {
        status: 'pending',
        attempts: 0,
        replays: delivery.replays + 1,
        nextAttemptAt: now,
        retryFrom: now,
        lease: null,
        deliveredAt: null,
      } satisfies Partial<Delivery>);
      const saved = await manager.save(delivery);
      await notifyAfterCommit(manager, NotifyChannels.deliveries, delivery.dept);
      return toDeliveryView(saved);
    });
    this.dispatcher.wake();
    return view;
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
        { field: 'dept', code: 'VALIDATION.DEPT', message: 'dept must be a department code' },
      ]);
    }
    if (dept !== undefined && dept !== principal.dept && !principal.roles.includes('admin')) {
      throw new DomainError({
        error: DeliveryErrors.WEBHOOK_SECRET_OTHER_DEPARTMENT,
        detail: "only an admin rotates another department's secret",
      });
    }
    return this.secrets.rotate(dept ?? principal.dept);
  }
}
