import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { newWebhookSecret } from './webhook-signature';

/** Each department's signing secret: made on its first delivery, replaced when it rotates it. */
@Injectable()
export class WebhookSecrets {
  constructor(@Inject(ENFORCEMENT_DB) private readonly db: DataSource) {}

  /** Read on every attempt (no cache): a rotation applies at once on every replica. */
  async forDepartment(dept: string): Promise<string> {
    const rows: { secret: string }[] = await this.db.query(
      `WITH made AS (
         INSERT INTO enforcement.webhook_secrets (dept, secret) VALUES ($1, $2)
         ON CONFLICT (dept) DO NOTHING RETURNING secret
       )
       SELECT secret FROM made UNION ALL SELECT secret FROM enforcement.webhook_secrets WHERE dept = $1`,
      [dept, newWebhookSecret()],
    );
    if (rows[0]) return rows[0].secret;
    // another replica made it concurrently, after this statement's snapshot: read it now
    const [made]: { secret: string }[] = await this.db.query(
      'SELECT secret FROM enforcement.webhook_secrets WHERE dept = $1',
      [dept],
    );
    return made.secret;
  }

  /** A new secret replaces the old one at once; it is shown only here. */
  async rotate(dept: string): Promise<{ dept: string; secret: string; createdAt: string }> {
    const [row]: { secret: string; created_at: Date }[] = await this.db.query(
      `INSERT INTO enforcement.webhook_secrets (dept, secret) VALUES ($1, $2)
       ON CONFLICT (dept) DO UPDATE SET secret = EXCLUDED.secret, created_at = now()
       RETURNING secret, created_at`,
      [dept, newWebhookSecret()],
    );
    return { dept, secret: row.secret, createdAt: row.created_at.toISOString() };
  }
}
