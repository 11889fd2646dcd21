import { DataSource, MixedList, EntitySchema } from 'typeorm';

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
}

export function createServiceDataSource(options: ServiceDatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
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
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
    }
  } finally {
    await runner.release();
  }
  return dataSource;
}
