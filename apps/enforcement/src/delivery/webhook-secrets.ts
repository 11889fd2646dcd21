import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { WebhookSecretCipher } from './webhook-secret-cipher';
import { newWebhookSecret } from './webhook-signature';

/**
 * Each department's signing secret: made on its first delivery, replaced when it is rotated; stored
 * encrypted (the database never holds it in clear), decrypted for each signature.
 */
@Injectable()
export class WebhookSecrets {
  constructor(
    @Inject(ENFORCEMENT_DB) private readonly db: DataSource,
    private readonly cipher: WebhookSecretCipher,
  ) {}

  /** Read on every attempt (no cache): a rotation applies at once on every replica. */
  async forDepartment(dept: string): Promise<string> {
    const rows: { secret_encrypted: string }[] = await this.db.query(
      `WITH made AS (
         INSERT INTO enforcement.webhook_secrets (dept, secret_encrypted) VALUES ($1, $2)
         ON CONFLICT (dept) DO NOTHING RETURNING secret_encrypted
       )
       SELECT secret_encrypted FROM made
       UNION ALL SELECT secret_encrypted FROM enforcement.webhook_secrets WHERE dept = $1`,
      [dept, this.cipher.encrypt(newWebhookSecret())],
    );
    if (rows[0]) return this.cipher.decrypt(rows[0].secret_encrypted);
    // another replica made it concurrently, after this statement's snapshot: read it now
    const [made]: { secret_encrypted: string }[] = await this.db.query(
      'SELECT secret_encrypted FROM enforcement.webhook_secrets WHERE dept = $1',
      [dept],
    );
    return this.cipher.decrypt(made.secret_encrypted);
  }

  /** A new secret replaces the old one at once; it is shown only here. */
  async rotate(dept: string): Promise<{ dept: string; secret: string; createdAt: string }> {
    const secret = newWebhookSecret();
    const [row]: { created_at: Date }[] = await this.db.query(
      `INSERT INTO enforcement.webhook_secrets (dept, secret_encrypted) VALUES ($1, $2)
       ON CONFLICT (dept) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, created_at = now()
       RETURNING created_at`,
      [dept, this.cipher.encrypt(secret)],
    );
    return { dept, secret, createdAt: row.created_at.toISOString() };
  }
}
