import { randomBytes } from 'node:crypto';
import { WebhookSecretCipher } from '../../apps/enforcement/src/delivery/webhook-secret-cipher';
import { ENFORCEMENT_MIGRATIONS, enforcementMigrations } from '../../apps/enforcement/src/enforcement.module';
import { openEnforcementAt } from '../support/enforcement-database';
import { createTestDatabase } from '../support/infra';

/** A database of the previous version, with plaintext secrets, migrated to this one. */
describe('the migration that encrypts the webhook secrets at rest', () => {
  it('encrypts every existing plaintext secret with the key of the environment and drops the plaintext', async () => {
    const database = await createTestDatabase();
    const open = (migrations: readonly unknown[]) => openEnforcementAt(database.url, migrations);
    try {
      const before = await open(ENFORCEMENT_MIGRATIONS);
      const plain = { FINANCE: 'whsec_finance-secret-0123456789', NDRC: 'whsec_ndrc-secret-9876543210' };
      for (const [dept, secret] of Object.entries(plain)) {
        await before.query('INSERT INTO enforcement.webhook_secrets (dept, secret) VALUES ($1, $2)', [
          dept,
          secret,
        ]);
      }
      await before.query(
        `INSERT INTO enforcement.deliveries (id, dept, assignment_id, subject_key, event_id, event_type, url, payload,
           status, last_error, next_attempt_at, retry_from)
         VALUES (gen_random_uuid(), 'FINANCE', gen_random_uuid(), 'k', 'e1', 't', 'https://x.example/', '{}',
           'failed', 'connect ECONNREFUSED 10.20.30.40:443', now(), now())`,
      );
      await before.destroy();

      const cipher = new WebhookSecretCipher(randomBytes(32));
      const after = await open(enforcementMigrations(cipher));
      try {
        const rows: { dept: string; secret_encrypted: string }[] = await after.query(
          'SELECT * FROM enforcement.webhook_secrets ORDER BY dept',
        );
        expect(rows.map((r) => Object.keys(r).sort())).toEqual([
          ['created_at', 'dept', 'secret_encrypted'],
          ['created_at', 'dept', 'secret_encrypted'],
        ]);
        for (const row of rows) {
          expect(row.secret_encrypted).not.toContain('secret');
          expect(cipher.decrypt(row.secret_encrypted)).toBe(plain[row.dept as keyof typeof plain]);
        }
        // an old failure message with an internal address is rewritten to ours, with a code
        const [delivery] = await after.query(
          'SELECT last_error, last_error_code FROM enforcement.deliveries',
        );
        expect(delivery).toEqual({
          last_error: 'the connection to the endpoint failed',
          last_error_code: 'DELIVERY.CONNECTION_FAILED',
        });
      } finally {
        await after.destroy();
      }
    } finally {
      await database.drop();
    }
  });
});
