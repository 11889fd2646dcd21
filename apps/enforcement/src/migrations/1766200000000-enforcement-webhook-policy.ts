import { MigrationInterface, QueryRunner } from 'typeorm';
import { WebhookSecretCipher } from '../delivery/webhook-secret-cipher';

/**
 * Webhook policy (decision 0022): the admins' allow-list of webhook hosts; a delivery's failure as a
 * stable code and our own short message (earlier messages could hold internal addresses: rewritten);
 * payloads that can be dropped after retention; and the signing secrets encrypted with the key of the
 * environment — the existing plaintext ones encrypted here, then the plaintext column dropped. A class
 * per key: the migration needs the key, which only the running service has.
 */
export function enforcementWebhookPolicyMigration(cipher: WebhookSecretCipher) {
  return class EnforcementWebhookPolicy1766200000000 implements MigrationInterface {
    name = 'EnforcementWebhookPolicy1766200000000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE TABLE enforcement.webhook_host_allow_list (
        host text PRIMARY KEY,
        note text NOT NULL,
        added_by text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now()
      )`);
      await q.query(`ALTER TABLE enforcement.deliveries
        ALTER COLUMN payload DROP NOT NULL,
        ADD COLUMN payload_dropped_at timestamptz,
        ADD COLUMN last_error_code text`);
      await q.query(`UPDATE enforcement.deliveries SET
        last_error_code = CASE
          WHEN last_error ~ '^HTTP [0-9]+$' THEN 'DELIVERY.HTTP_STATUS'
          WHEN last_error LIKE 'no answer within %' THEN 'DELIVERY.TIMEOUT'
          WHEN last_error LIKE 'older than the retry window%' THEN 'DELIVERY.STALE'
          ELSE 'DELIVERY.CONNECTION_FAILED' END,
        last_error = CASE
          WHEN last_error ~ '^HTTP [0-9]+$' OR last_error LIKE 'no answer within %'
            OR last_error LIKE 'older than the retry window%' THEN last_error
          ELSE 'the connection to the endpoint failed' END
        WHERE last_error IS NOT NULL`);
      // the retention job's scan: payloads still held by finished deliveries, oldest first
      await q.query(`CREATE INDEX deliveries_payload_retention
        ON enforcement.deliveries ((COALESCE(delivered_at, last_attempt_at, created_at)))
        WHERE payload IS NOT NULL AND status IN ('delivered', 'dead')`);

      await q.query(`ALTER TABLE enforcement.webhook_secrets ADD COLUMN secret_encrypted text`);
      const rows: { dept: string; secret: string }[] = await q.query(
        `SELECT dept, secret FROM enforcement.webhook_secrets FOR UPDATE`,
      );
      for (const row of rows) {
        await q.query(`UPDATE enforcement.webhook_secrets SET secret_encrypted = $2 WHERE dept = $1`, [
          row.dept,
          cipher.encrypt(row.secret),
        ]);
      }
      await q.query(`ALTER TABLE enforcement.webhook_secrets
        DROP COLUMN secret,
        ALTER COLUMN secret_encrypted SET NOT NULL`);
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(`ALTER TABLE enforcement.webhook_secrets ADD COLUMN secret text`);
      const rows: { dept: string; secret_encrypted: string }[] = await q.query(
        `SELECT dept, secret_encrypted FROM enforcement.webhook_secrets`,
      );
      for (const row of rows) {
        await q.query(`UPDATE enforcement.webhook_secrets SET secret = $2 WHERE dept = $1`, [
          row.dept,
          cipher.decrypt(row.secret_encrypted),
        ]);
      }
      await q.query(`ALTER TABLE enforcement.webhook_secrets DROP COLUMN secret_encrypted,
        ALTER COLUMN secret SET NOT NULL`);
      await q.query(`DROP INDEX enforcement.deliveries_payload_retention`);
      await q.query(`DELETE FROM enforcement.deliveries WHERE payload IS NULL`);
      await q.query(`ALTER TABLE enforcement.deliveries DROP COLUMN payload_dropped_at,
        DROP COLUMN last_error_code, ALTER COLUMN payload SET NOT NULL`);
      await q.query(`DROP TABLE enforcement.webhook_host_allow_list`);
    }
  };
}
