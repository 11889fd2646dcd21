import { DataSource, EntitySchema, MigrationExecutor, MixedList } from 'typeorm';
import { AfterCommitSubscriber } from './after-commit';
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
    // afterCommit: e.g. the outbox wakes its relay when the transaction that wrote to it commits
    subscribers: [AfterCommitSubscriber],
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

/** How a start waits for a database that is not ready for it yet. */
export interface DatabaseWait {
  /** How long, from the first try (default 60 s). */
  waitMs?: number;
  /** Told before each pause: the error, the attempt that failed, the pause. */
  onWait?: (err: Error, attempt: number, pauseMs: number) => void;
}

/**
 * Whether a connection failed because the database is not ready yet — starting, in crash recovery after
 * a backend died ("not yet accepting connections", 57P03), or its port not open — rather than refusing
 * this service (a wrong password, a missing database), which waiting would not mend.
 */
export function isDatabaseNotReady(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && ['57P03', 'ECONNREFUSED', 'ECONNRESET'].includes(e.code)) return true;
  return typeof e?.message === 'string' && /Connection terminated unexpectedly/i.test(e.message);
}

/**
 * Connects, waiting while the database is not ready (`isDatabaseNotReady`): services started together with
 * their database, or while it recovers, come up when it does instead of exiting (CI saw a service exit
 * on "the database system is not yet accepting connections").
 */
async function initializeWhenReady(dataSource: DataSource, wait: DatabaseWait): Promise<void> {
  const deadline = Date.now() + (wait.waitMs ?? 60_000);
  for (let attempt = 1; ; attempt += 1) {
    try {
      await dataSource.initialize();
      return;
    } catch (err) {
      if (!isDatabaseNotReady(err) || Date.now() >= deadline) throw err;
      const pauseMs = Math.min(2000, 250 * attempt);
      wait.onWait?.(err as Error, attempt, pauseMs);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** Connects, creates the service's schema if needed and applies pending migrations (under a lock). */
export async function openServiceDatabase(
  dataSource: DataSource,
  migrate = true,
  wait: DatabaseWait = {},
): Promise<DataSource> {
  if (!dataSource.isInitialized) await initializeWhenReady(dataSource, wait);
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
