import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  CloudEvent,
  EventTypes,
  Topics,
  WebhookHostAllowedV1,
  WebhookHostDisallowedV1,
} from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { checkWebhookUrl, Resolver, WebhookUrlVerdict } from '@credit/platform';
import { TRIGGER_DB, TRIGGER_MESSAGING } from '../trigger.tokens';

/** How registrations are judged: plain http only in development and test. */
export interface WebhookPolicyOptions {
  allowPlainHttp: boolean;
  resolve?: Resolver;
}

export const WEBHOOK_POLICY_OPTIONS = Symbol('WEBHOOK_POLICY_OPTIONS');

/**
 * The allow-list of webhook hosts as enforcement (its owner) announces it, kept here to judge a
 * subscription's URL when it is registered; delivery judges it again with the owner's list.
 */
@Injectable()
export class WebhookHosts implements OnModuleInit {
  constructor(
    @Inject(TRIGGER_DB) private readonly db: DataSource,
    @Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(WEBHOOK_POLICY_OPTIONS) private readonly options: WebhookPolicyOptions,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'trigger.webhook-hosts',
      topics: [Topics.webhookHosts],
      handlers: {
        [EventTypes.webhookHostAllowed]: (event, { manager }) => this.allowed(event, manager),
        [EventTypes.webhookHostDisallowed]: (event, { manager }) => this.disallowed(event, manager),
      },
    });
  }

  /** Events of one host arrive in order (key = host); `allowed_at` keeps a late duplicate from undoing a removal. */
  async allowed(event: CloudEvent<WebhookHostAllowedV1>, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO trigger.webhook_host_allow_list (host, allowed_at) VALUES ($1, $2)
       ON CONFLICT (host) DO UPDATE SET allowed_at = EXCLUDED.allowed_at`,
      [event.data.host, event.data.at],
    );
  }

  async disallowed(event: CloudEvent<WebhookHostDisallowedV1>, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM trigger.webhook_host_allow_list WHERE host = $1 AND allowed_at <= $2`, [
      event.data.host,
      event.data.at,
    ]);
  }

  check(url: string): Promise<WebhookUrlVerdict> {
    return checkWebhookUrl(url, {
      allowPlainHttp: this.options.allowPlainHttp,
      isAllowListed: async (host) =>
        (await this.db.query('SELECT 1 FROM trigger.webhook_host_allow_list WHERE host = $1', [host]))
          .length > 0,
      resolve: this.options.resolve,
    });
  }
}
