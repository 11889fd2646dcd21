import { EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { Topics, WebhookHostAllowedV1, WebhookHostDisallowedV1 } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { DomainError, normalizeWebhookHost } from '@credit/platform';
import { ENFORCEMENT_SOURCE } from '../enforcement.tokens';
import { DeliveryErrors } from './delivery.errors';

/** The host as the allow-list keeps it; 400 for a scheme, port, path or anything not a host. */
export function allowListHost(raw: string): string {
  const host = normalizeWebhookHost(raw);
  if (!host) {
    throw new DomainError({
      error: DeliveryErrors.WEBHOOK_HOST_INVALID,
      detail: 'host must be a host name or an IP address, without scheme, port or path',
      field: 'host',
    });
  }
  return host;
}

/** Announces a change of the allow-list on `credit.webhook-hosts`, in the caller's transaction (outbox). */
export async function announceWebhookHost(
  outbox: ServiceMessaging['outbox'],
  manager: EntityManager,
  principal: Principal,
  type: string,
  host: string,
  data: WebhookHostAllowedV1 | WebhookHostDisallowedV1,
  time: Date,
): Promise<void> {
  await outbox.add(manager, [
    {
      topic: Topics.webhookHosts,
      key: host,
      event: createCloudEvent({
        type,
        source: ENFORCEMENT_SOURCE,
        subject: host,
        actorDept: principal.dept,
        data,
        time,
      }),
    },
  ]);
}
