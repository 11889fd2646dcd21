import { DataSource, EntitySchema, MigrationExecutor, MixedList } from 'typeorm';
import type { EmbeddedPostgres } from './embedded-postgres';

export interface ServiceDatabaseOptions {
  /** postgres://user@host:port/db */
  url: string;
  /** The service's own schema: no service reads another's tables. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
  /** The embedded mode's in-process database, shared by every service (then `url` is not used). */
  embedded?: EmbeddedPostgres;
}

export function createServiceDataSource(options: ServiceDatabaseOptions): DataSource {
  const common = {
    type: 'postgres' as const,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
  };
  if (options.embedded) {
    // the migrations create what they need; PGlite ships no uuid-ossp for TypeORM to try
    return new DataSource({ ...common, driver: options.embedded.driver, installExtensions: false });
  }
  return new DataSource({
    ...common,
    url: options.url,
    applicationName: options.applicationName ?? options.schema,
    extra: { max: options.poolSize ?? 10 },
  });
}

// Fixed advisory-lock class for migrations: replicas starting together migrate one at a time.
const MIGRATION_LOCK = 0x6d696772; // 'migr'

/** Connects, creates the service's schema if needed and applies pending migrations (under a lock). */
export async function openServiceDatabase(dataSource: DataSource, migrate = true): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  if (!migrate) return dataSource;
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      // on the connection that holds the lock: the embedded database has only that one
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
    }
  } finally {
    await runner.release();
  }
  return dataSource;
}
