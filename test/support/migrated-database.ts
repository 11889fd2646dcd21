import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { createServiceDataSource, openServiceDatabase, ServiceDatabaseOptions } from '@credit/persistence';
import { enforcementSettingsFromEnv } from '../../apps/enforcement/src/config';
import { WebhookSecretCipher } from '../../apps/enforcement/src/delivery/webhook-secret-cipher';
import { serviceSchemas } from '../../scripts/service-schemas';
import { createTestDatabase, PG_ADMIN_URL } from './infra';

/**
 * A fresh database with the four services' migrations already applied, for a test platform: a copy of a
 * template database that the first test file of a run migrates (CREATE DATABASE … TEMPLATE copies files,
 * ~0.1 s, where migrating the four schemas takes 1.5–2.5 s on this machine under the suite's load). The
 * services still start with `migrate: true` and find nothing pending, as a replica does after the
 * migration job. Tests of the migrations themselves use createTestDatabase (an empty database).
 */
export async function createMigratedDatabase(): ReturnType<typeof createTestDatabase> {
  const template = await migratedTemplate();
  return createTestDatabase(template);
}

function services(): Omit<ServiceDatabaseOptions, 'url'>[] {
  const { webhooks } = enforcementSettingsFromEnv({ NODE_ENV: 'test' });
  const cipher = new WebhookSecretCipher(webhooks.secretKey, webhooks.previousSecretKeys);
  return serviceSchemas(cipher);
}

// Fixed advisory-lock key: the test files of a run (jest's workers are processes) make the template once.
const TEMPLATE_LOCK = 0x74706c74; // 'tplt'

let made: Promise<string> | undefined;

/** The template's name: by the migrations' names, so a changed set of migrations makes a new one. */
function migratedTemplate(): Promise<string> {
  made ??= (async () => {
    const list = services();
    // by the migrations' names and code, so that a changed migration makes a new template (local runs
    // keep the machine's PostgreSQL between runs)
    const migrations = list.flatMap((s) =>
      (s.migrations as { name: string; prototype: { up: unknown } }[]).map(
        (m) => `${s.schema}:${m.name}:${String(m.prototype.up)}`,
      ),
    );
    const digest = createHash('sha256').update(migrations.join('\n')).digest('hex');
    const name = `credit_template_${digest.slice(0, 12)}`;
    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        // built under another name and renamed when complete: a run killed half-way leaves no template
        const building = await createTestDatabase();
        try {
          for (const service of list) {
            const dataSource = createServiceDataSource({ ...service, url: building.url, poolSize: 1 });
            try {
              await openServiceDatabase(dataSource);
            } finally {
              if (dataSource.isInitialized) await dataSource.destroy();
            }
          }
          await admin.query(`ALTER DATABASE "${building.name}" RENAME TO "${name}"`);
        } catch (err) {
          await building.drop();
          throw err;
        }
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
      await admin.end();
    }
    return name;
  })();
  made.catch(() => (made = undefined));
  return made;
}
