import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal, supervisedRegion } from '@credit/auth';
import {
  decodeCursor,
  DomainError,
  encodeCursor,
  RequestValidationError,
  ValidationErrors,
} from '@credit/platform';
import { deptInRegion } from '../access/region-scope';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { DeliveriesQueryDto } from './deliveries.dto';
import { Delivery, toDeliveryView } from './delivery.entity';
import { notifyAfterCommit, NotifyChannels } from './delivery-notifications';
import { DeliveryErrors } from './delivery.errors';

/** The webhook delivery log and its manual replay: the SQL behind the delivery routes. */
@Injectable()
export class DeliveryRepository {
  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {}

  /**
   * A department's own deliveries; a supervisor's every department's (of its region, with a claim), in
   * delivery order, paged by sequence number.
   */
  async readableBy(principal: Principal, query: DeliveriesQueryDto) {
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
          { field: 'cursor', code: ValidationErrors.CURSOR.code, message: 'cursor is not a valid cursor' },
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

  /** Makes the department's delivery due again now with a fresh set of attempts (the caller wakes the dispatcher). */
  replay(principal: Principal, id: string) {
    return this.db.transaction(async (manager) => {
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
  }
}
