import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { Delivery, toDeliveryView } from './delivery.entity';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryErrors } from './delivery.errors';
import { WebhookDispatcher } from './webhook-dispatcher';

/**
 * Due again now with a fresh set of attempts: a delivered event is delivered again, a dead one tried
 * again (after the department fixed its endpoint). Only the department's own delivery, and only while
 * its payload is kept.
 */
@Injectable()
export class ReplayDeliveryUseCase {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    private readonly deliveries: DeliveryRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async execute(principal: Principal, id: string, now = new Date()) {
    const view = await this.db.transaction(async (manager) => {
      const delivery = await this.deliveries.lockedById(manager, id);
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
      Object.assign(delivery, {
        status: 'pending',
        attempts: 0,
        replays: delivery.replays + 1,
        nextAttemptAt: now,
        retryFrom: now,
        lease: null,
        deliveredAt: null,
      } satisfies Partial<Delivery>);
      return toDeliveryView(await this.deliveries.saveDue(manager, delivery));
    });
    // after the commit: this replica's dispatcher picks it up now, not at its next poll
    this.dispatcher.wake();
    return view;
  }
}
