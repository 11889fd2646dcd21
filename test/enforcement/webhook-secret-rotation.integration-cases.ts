import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { createServiceDataSource, openServiceDatabase } from '@credit/persistence';
import { WebhookSecretCipher } from '../../apps/enforcement/src/delivery/webhook-secret-cipher';
import { WebhookSecretReencryption } from '../../apps/enforcement/src/delivery/webhook-secret-reencryption';
import { WebhookSecrets } from '../../apps/enforcement/src/delivery/webhook-secrets';
import { ENFORCEMENT_ENTITIES, enforcementMigrations } from '../../apps/enforcement/src/enforcement.module';
import { createTestDatabase } from '../support/infra';

const ROOT = join(__dirname, '..', '..');

/**
 * Decision 0051: rotating WEBHOOK_SECRET_KEY. The new key is deployed with the old one as
 * WEBHOOK_SECRET_KEY_PREVIOUS: every secret stays readable; the re-encryption (two runs at once, as two
 * replicas or operators would) moves each row to the new key exactly once; then the CLI does the same
 * for the next rotation, and the old key can go.
 */
describe('rotating the webhook secret key', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: DataSource;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const depts = Array.from({ length: 60 }, (_, i) => `OPSX_DEPT_${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openServiceDatabase(
      createServiceDataSource({
        url: database.url,
        schema: 'enforcement',
        entities: ENFORCEMENT_ENTITIES,
        migrations: enforcementMigrations(new WebhookSecretCipher(oldKey)),
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const stored = async () =>
    new Map(
      (
        (await db.query('SELECT dept, secret_encrypted FROM enforcement.webhook_secrets')) as {
          dept: string;
          secret_encrypted: string;
        }[]
      ).map((r) => [r.dept, r.secret_encrypted]),
    );

  it('keeps every secret readable under the new key, and moves each row to it once', async () => {
    const before = new WebhookSecrets(db, new WebhookSecretCipher(oldKey));
    const secrets = new Map<string, string>();
    for (const dept of depts) secrets.set(dept, await before.forDepartment(dept));
    // a row no configured key opens (a key lost before its rows were moved): reported, left alone
    await db.query('INSERT INTO enforcement.webhook_secrets (dept, secret_encrypted) VALUES ($1, $2)', [
      'OPSX_LOST',
      new WebhookSecretCipher(randomBytes(32)).encrypt('whsec_lost'),
    ]);

    const rotated = new WebhookSecretCipher(newKey, [oldKey]);
    const after = new WebhookSecrets(db, rotated);
    // deployed, not yet re-encrypted: the old rows are read with the previous key
    for (const dept of depts.slice(0, 5)) expect(await after.forDepartment(dept)).toBe(secrets.get(dept));

    // two runs at once, small batches: each row is taken by one of them
    const [a, b] = await Promise.all([
      new WebhookSecretReencryption(db, rotated).run(7),
      new WebhookSecretReencryption(db, rotated).run(7),
    ]);
    expect(a.reencrypted + b.reencrypted).toBe(depts.length);
    // (each run's own `remaining` is counted while the other may still hold rows it skipped: the final
    // state is what the second run below reads)
    expect([...new Set([...a.unreadable, ...b.unreadable])]).toEqual(['OPSX_LOST']);

    const rows = await stored();
    for (const dept of depts) {
      expect(rotated.isStale(rows.get(dept)!)).toBe(false);
      // the new key alone reads every moved row: the old one can be dropped
      expect(new WebhookSecretCipher(newKey).decrypt(rows.get(dept)!)).toBe(secrets.get(dept));
    }
    // a second run has nothing left to do but the unreadable row
    expect(await new WebhookSecretReencryption(db, rotated).run()).toEqual({
      reencrypted: 0,
      unreadable: ['OPSX_LOST'],
      remaining: 1,
    });
    await db.query(`DELETE FROM enforcement.webhook_secrets WHERE dept = 'OPSX_LOST'`);
  }, 120_000);

  it('the CLI does the same for the next rotation (npm run webhook-secrets:reencrypt)', async () => {
    const nextKey = randomBytes(32);
    const secrets = new Map<string, string>();
    const current = new WebhookSecretCipher(newKey);
    for (const [dept, value] of await stored()) secrets.set(dept, current.decrypt(value));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', './bench/register.js', 'scripts/webhook-secrets-reencrypt.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          // production would also demand the identity provider's settings; the keys are given explicitly
          NODE_ENV: 'test',
          DATABASE_URL: database.url,
          WEBHOOK_SECRET_KEY: nextKey.toString('base64'),
          WEBHOOK_SECRET_KEY_PREVIOUS: `${oldKey.toString('base64')},${newKey.toString('base64')}`,
        },
        timeout: 120_000,
      },
    );
    const next = new WebhookSecretCipher(nextKey);
    expect(stdout).toContain(`${depts.length} re-encrypted to key ${next.keyId}; 0 left under another key`);
    for (const [dept, value] of await stored()) expect(next.decrypt(value)).toBe(secrets.get(dept));
  }, 150_000);
});
