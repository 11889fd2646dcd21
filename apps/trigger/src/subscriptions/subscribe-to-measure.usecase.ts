import { Injectable } from '@nestjs/common';
import { Principal } from '@credit/auth';
import { DeliveryChannel } from '@credit/contracts';
import { DomainError, webhookUrlError } from '@credit/platform';
import { MeasureErrors } from '../memoranda/measure.errors';
import { Subscription } from './subscription.entity';
import { SubscriptionErrors } from './subscription.errors';
import { SubscriptionRepository } from './subscription.repository';
import { WebhookHosts } from './webhook-hosts';

/**
 * 订阅: an implementing department accepts a measure in force that it implements and says how it receives
 * it (pull, webhook, stream); a webhook's URL must pass the URL policy now (delivery checks it again).
 */
@Injectable()
export class SubscribeToMeasureUseCase {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly webhookHosts: WebhookHosts,
  ) {}

  async execute(
    principal: Principal,
    measureCode: string,
    input: { channel: DeliveryChannel; webhookUrl?: string },
    now = new Date(),
  ): Promise<Subscription> {
    const measure = await this.subscriptions.measureInForce(measureCode);
    if (!measure)
      throw new DomainError({
        error: MeasureErrors.NOT_FOUND,
        detail: `measure ${measureCode} does not exist or is retired`,
      });
    if (measure.dept !== principal.dept) {
      throw new DomainError({
        error: SubscriptionErrors.NOT_IMPLEMENTER,
        detail: `measure ${measureCode} is implemented by ${measure.dept}; ${principal.dept} cannot subscribe to it`,
      });
    }
    if (input.channel === 'webhook' && input.webhookUrl) {
      // API.md "Webhook URLs"; delivery checks again (the allow-list or DNS may change meanwhile)
      const verdict = await this.webhookHosts.check(input.webhookUrl);
      if (!verdict.ok) {
        throw new DomainError({
          error: webhookUrlError(verdict.code),
          detail: verdict.message,
          field: 'webhookUrl',
        });
      }
    }
    return this.subscriptions.save({
      dept: principal.dept,
      measureCode,
      channel: input.channel,
      webhookUrl: input.channel === 'webhook' ? (input.webhookUrl ?? null) : null,
      updatedBy: principal.sub,
      updatedAt: now,
    });
  }
}
