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
 * a backend died ("not yet accepting connections", 57P03), shutting down or resetting after a crash
 * (57P01, 57P02: every backend is told to go), or its port not open — rather than refusing this service
 * (a wrong password, a missing database), which waiting would not mend.
 */
export function isDatabaseNotReady(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (
    typeof e?.code === 'string' &&
    ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET'].includes(e.code)
  )
    return true;
  return typeof e?.message === 'string' && /Connection terminated unexpectedly/i.test(e.message);
}

/**
 * Connects, creates the service's schema if needed and applies pending migrations (under a lock). While
 * the database is not ready (`isDatabaseNotReady`) the whole step is tried again, for up to `waitMs`:
 * services started together with their database, or while it recovers, come up when it does instead of
 * exiting. CI saw a service exit on "not yet accepting connections" before it had connected, and once on
 * "Connection terminated unexpectedly" after: connected, then the database reset for a crashed backend
 * while the service took its migration lock. Each migration runs in its own transaction and the lock is
 * the session's, so a try cut short leaves nothing behind.
 */
export async function openServiceDatabase(
  dataSource: DataSource,
  migrate = true,
  wait: DatabaseWait = {},
): Promise<DataSource> {
  const deadline = Date.now() + (wait.waitMs ?? 60_000);
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (!dataSource.isInitialized) await dataSource.initialize();
      if (migrate) await migrateSchema(dataSource);
      return dataSource;
    } catch (err) {
      if (!isDatabaseNotReady(err) || Date.now() >= deadline) throw err;
      const pauseMs = Math.min(2000, 250 * attempt);
      wait.onWait?.(err as Error, attempt, pauseMs);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

async function migrateSchema(dataSource: DataSource): Promise<void> {
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
    const unlock = () =>
      runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      // on the connection that holds the lock: the embedded database has only that one
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } catch (err) {
      // the first error tells why (a broken connection took the session's lock with it)
      await unlock().catch(() => undefined);
      throw err;
    }
    await unlock();
  } finally {
    await runner.release();
  }
}
