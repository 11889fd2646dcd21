import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { checkWebhookUrl, Resolver, WebhookUrlVerdict } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';

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
 * checks registrations with (no service reads another's tables). Its changes are use cases
 * (`AllowWebhookHostUseCase`, `DisallowWebhookHostUseCase`).
 */
@Injectable()
export class WebhookHostAllowList {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
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

  /** The URL policy at delivery: the host re-resolved now, judged with this allow-list. */
  check(url: string): Promise<WebhookUrlVerdict> {
    return checkWebhookUrl(url, {
      allowPlainHttp: this.options.allowPlainHttp,
      isAllowListed: (host) => this.has(host),
      resolve: this.options.resolve,
    });
  }
}
