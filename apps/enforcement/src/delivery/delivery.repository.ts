import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, supervisedRegion } from '@credit/auth';
import { decodeCursor, encodeCursor, RequestValidationError, ValidationErrors } from '@credit/platform';
import { deptInRegion } from '../access/region-scope';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { DeliveriesQueryDto } from './deliveries.dto';
import { Delivery, toDeliveryView } from './delivery.entity';
import { notifyAfterCommit, NotifyChannels } from './delivery-notifications';

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

  /** The delivery, locked until the caller's transaction ends; undefined when there is none. */
  async lockedById(manager: EntityManager, id: string): Promise<Delivery | undefined> {
    return (
      (await manager.findOne(Delivery, { where: { id }, lock: { mode: 'pessimistic_write' } })) ?? undefined
    );
  }

  /** Stores a delivery made due again; the dispatchers of every replica hear of it once it commits. */
  async saveDue(manager: EntityManager, delivery: Delivery): Promise<Delivery> {
    const saved = await manager.save(delivery);
    await notifyAfterCommit(manager, NotifyChannels.deliveries, delivery.dept);
    return saved;
  }
}
