import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { DomainError } from '@credit/platform';
import { SubscriptionErrors } from './subscription.errors';
import { SubscriptionRepository } from './subscription.repository';

/** A department ends its own subscription to a measure (its assignments then come by pull, unsubscribed). */
@Injectable()
export class UnsubscribeFromMeasureUseCase {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async execute(principal: Principal, measureCode: string): Promise<void> {
    if (!(await this.subscriptions.remove(principal.dept, measureCode)))
      throw new DomainError({
        error: SubscriptionErrors.NOT_FOUND,
        detail: `no subscription of ${principal.dept} to ${measureCode}`,
      });
  }
}
