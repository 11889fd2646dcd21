import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ENFORCEMENT_ENTITIES, ENFORCEMENT_MIGRATIONS } from '../../apps/enforcement/src/enforcement.module';
import { createServiceDataSource, EmbeddedPostgres, openServiceDatabase } from '@credit/persistence';
import { migratedTemplate } from './medium';
import { createMigratedDatabase } from './migrated-database';

/** The two engines enforcement runs on: PostgreSQL (distributed) and PGlite (embedded). */
export const ENFORCEMENT_ENGINES = [
  ['PostgreSQL', 'pg'],
  ['PGlite (embedded)', 'pglite'],
] as const;

export type EnforcementEngine = (typeof ENFORCEMENT_ENGINES)[number][1];

/**
 * Enforcement's schema, migrated, on a fresh PostgreSQL database or a fresh PGlite folder, for tests of
 * its SQL on both engines; `url` is the PostgreSQL database's (none for PGlite); close() removes it all.
 * Both are copies of a migrated template (the run's template database; the medium tier's PGlite folder).
 */
export async function openEnforcementDatabase(
  engine: EnforcementEngine,
): Promise<{ db: DataSource; url?: string; close(): Promise<void> }> {
  if (engine === 'pg') {
    const database = await createMigratedDatabase();
    const db = createServiceDataSource({
      url: database.url,
      schema: 'enforcement',
      entities: ENFORCEMENT_ENTITIES,
      migrations: ENFORCEMENT_MIGRATIONS,
      poolSize: 2,
    });
    await openServiceDatabase(db);
    return {
      db,
      url: database.url,
      close: async () => {
        await db.destroy();
        await database.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'enforcement-db-'));
  cpSync(await migratedTemplate(), join(dir, 'pgdata'), { recursive: true });
  const embedded = await EmbeddedPostgres.open({ dataDir: dir });
  const db = createServiceDataSource({
    url: 'unused',
    schema: 'enforcement',
    embedded,
    entities: ENFORCEMENT_ENTITIES,
    migrations: ENFORCEMENT_MIGRATIONS,
  });
  await openServiceDatabase(db);
  return {
    db,
    close: async () => {
      await db.destroy();
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Enforcement's schema on the PostgreSQL database at `url`, migrated by `migrations` (a migration's test
 * opens it at the version before, then at this one).
 */
export function openEnforcementAt(url: string, migrations: readonly unknown[]): Promise<DataSource> {
  return openServiceDatabase(
    createServiceDataSource({
      url,
      schema: 'enforcement',
      entities: ENFORCEMENT_ENTITIES,
      // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
      migrations: migrations as Function[],
    }),
  );
}
