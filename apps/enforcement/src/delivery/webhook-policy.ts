import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@credit/auth';
import { EventTypes, Topics, WebhookHostAllowedV1, WebhookHostDisallowedV1 } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import {
  checkWebhookUrl,
  conflict,
  notFound,
  Resolver,
  unprocessable,
  WebhookUrlVerdict,
  normalizeWebhookHost,
} from '@credit/platform';
import { ENFORCEMENT_DB, ENFORCEMENT_MESSAGING, ENFORCEMENT_SOURCE } from '../enforcement.tokens';

/** What the module takes for webhooks: the key of the secrets at rest, and whether plain http is allowed. */
export interface WebhookOptions {
  secretKey: Buffer;
  /** keys rotated out, still read (WEBHOOK_SECRET_KEY_PREVIOUS) */
  previousSecretKeys?: Buffer[];
  /** NODE_ENV development or test only */
  allowPlainHttp: boolean;
  /** the resolver delivery uses (tests give a stand-in; the system resolver otherwise) */
  resolve?: Resolver;
}

export const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');

export interface AllowedHost {
  host: string;
  note: string;
  addedBy: string;
  addedAt: string;
}

/**
 * The admins' allow-list of webhook hosts that the URL policy would refuse (a department's endpoint on
 * a private network, a test receiver on loopback). Enforcement owns it — delivery is where the platform
 * connects — and announces each change on `credit.webhook-hosts`, from which trigger keeps the copy it
 * checks registrations with (no service reads another's tables).
 */
@Injectable()
export class WebhookHostAllowList {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    @Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {}

  async list(): Promise<AllowedHost[]> {
    return this.db.query(
      `SELECT host, note, added_by AS "addedBy", to_char(added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "addedAt"
       FROM enforcement.webhook_host_allow_list ORDER BY host`,
    );
  }

  async has(host: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM enforcement.webhook_host_allow_list WHERE host = $1',
      [host],
    );
    return rows.length > 0;
  }

  async add(principal: Principal, rawHost: string, note: string): Promise<AllowedHost> {
    const host = this.normalize(rawHost);
    const added = await this.db.transaction(async (manager) => {
      const [row]: { added_at: Date }[] = await manager.query(
        `INSERT INTO enforcement.webhook_host_allow_list (host, note, added_by) VALUES ($1, $2, $3)
         ON CONFLICT (host) DO NOTHING RETURNING added_at`,
        [host, note, principal.sub],
      );
      if (!row) throw conflict('WEBHOOK_HOST.ALREADY_LISTED', `${host} is already on the allow-list`);
      const data: WebhookHostAllowedV1 = { host, note, by: principal.sub, at: row.added_at.toISOString() };
      await this.announce(manager, principal, EventTypes.webhookHostAllowed, host, data, row.added_at);
      return { host, note, addedBy: principal.sub, addedAt: row.added_at.toISOString() };
    });
    this.messaging.relay.wake();
    return added;
  }

  async remove(principal: Principal, rawHost: string): Promise<void> {
    const host = this.normalize(rawHost);
    await this.db.transaction(async (manager) => {
      const [, removed]: [unknown, number] = await manager.query(
        'DELETE FROM enforcement.webhook_host_allow_list WHERE host = $1',
        [host],
      );
      if (!removed) throw notFound('WEBHOOK_HOST.NOT_LISTED', `${host} is not on the allow-list`);
      const at = new Date();
      const data: WebhookHostDisallowedV1 = { host, by: principal.sub, at: at.toISOString() };
      await this.announce(manager, principal, EventTypes.webhookHostDisallowed, host, data, at);
    });
    this.messaging.relay.wake();
  }

  /** The URL policy at delivery: the host re-resolved now, judged with this allow-list. */
  check(url: string): Promise<WebhookUrlVerdict> {
    return checkWebhookUrl(url, {
      allowPlainHttp: this.options.allowPlainHttp,
      isAllowListed: (host) => this.has(host),
      resolve: this.options.resolve,
    });
  }

  private normalize(raw: string): string {
    const host = normalizeWebhookHost(raw);
    if (!host) {
      throw unprocessable(
        'WEBHOOK_HOST.INVALID',
        'host must be a host name or an IP address, without scheme, port or path',
        'host',
      );
    }
    return host;
  }

  private async announce(
    manager: EntityManager,
    principal: Principal,
    type: string,
    host: string,
    data: WebhookHostAllowedV1 | WebhookHostDisallowedV1,
    time: Date,
  ): Promise<void> {
    await this.messaging.outbox.add(manager, [
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
}
