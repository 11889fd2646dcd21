import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { EventTypes, WebhookHostDisallowedV1 } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { ENFORCEMENT_DB, ENFORCEMENT_MESSAGING } from '../enforcement.tokens';
import { DeliveryErrors } from './delivery.errors';
import { allowListHost, announceWebhookHost } from './webhook-host-change';

/** An admin takes a host off the allow-list; the removal and its announcement commit together. */
@Injectable()
export class DisallowWebhookHostUseCase {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, rawHost: string, now = new Date()): Promise<void> {
    const host = allowListHost(rawHost);
    await this.db.transaction(async (manager) => {
      const [, removed]: [unknown, number] = await manager.query(
        'DELETE FROM enforcement.webhook_host_allow_list WHERE host = $1',
        [host],
      );
      if (!removed)
        throw new DomainError({
          error: DeliveryErrors.WEBHOOK_HOST_NOT_LISTED,
          detail: `${host} is not on the allow-list`,
        });
      const data: WebhookHostDisallowedV1 = { host, by: principal.sub, at: now.toISOString() };
      await announceWebhookHost(
        this.messaging.outbox,
        manager,
        principal,
        EventTypes.webhookHostDisallowed,
        host,
        data,
        now,
      );
    });
  }
}
