import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { DeliveryRepository } from './delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher';

/**
 * Due again now with a fresh set of attempts: a delivered event is delivered again, a dead one tried
 * again (after the department fixed its endpoint). Only the department's own delivery.
 */
@Injectable()
export class ReplayDeliveryUseCase {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async execute(principal: Principal, id: string) {
    const view = await this.deliveries.replay(principal, id);
    // after the commit: this replica's dispatcher picks it up now, not at its next poll
    this.dispatcher.wake();
    return view;
  }
}
