import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { EventTypes, WebhookHostAllowedV1 } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { ENFORCEMENT_DB, ENFORCEMENT_MESSAGING } from '../enforcement.tokens';
import { DeliveryErrors } from './delivery.errors';
import { AllowedHost } from './webhook-policy';
import { allowListHost, announceWebhookHost } from './webhook-host-change';

/**
 * An admin admits a webhook host the URL policy would refuse (loopback, private, link-local); the host
 * and its announcement (trigger's copy for registrations) commit together.
 */
@Injectable()
export class AllowWebhookHostUseCase {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(principal: Principal, rawHost: string, note: string): Promise<AllowedHost> {
    const host = allowListHost(rawHost);
    const added = await this.db.transaction(async (manager) => {
      const [row]: { added_at: Date }[] = await manager.query(
        `INSERT INTO enforcement.webhook_host_allow_list (host, note, added_by) VALUES ($1, $2, $3)
         ON CONFLICT (host) DO NOTHING RETURNING added_at`,
        [host, note, principal.sub],
      );
      if (!row)
        throw new DomainError({
          error: DeliveryErrors.WEBHOOK_HOST_ALREADY_LISTED,
          detail: `${host} is already on the allow-list`,
        });
      const data: WebhookHostAllowedV1 = { host, note, by: principal.sub, at: row.added_at.toISOString() };
      await announceWebhookHost(
        this.messaging.outbox,
        manager,
        principal,
        EventTypes.webhookHostAllowed,
        host,
        data,
        row.added_at,
      );
      return { host, note, addedBy: principal.sub, addedAt: row.added_at.toISOString() };
    });
    return added;
  }
}
