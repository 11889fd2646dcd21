import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { KafkaBus, messagingTablesLatestUp } from '@credit/messaging';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/** A short random id for database names and topic prefixes. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}.`;
}

/** A fresh database for one test file, empty or a copy of `template`; drop() removes it. */
export async function createTestDatabase(
  template?: string,
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `test_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    name,
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Polls until fn returns a truthy value (which it returns) or the timeout passes. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${options.message ?? 'condition'}${lastError ? `: ${(lastError as Error).message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}

/** A pino logger for tests: 'warn' unless TEST_LOG_LEVEL or the caller says otherwise. */
export function testLogger(level = process.env.TEST_LOG_LEVEL ?? 'warn') {
  return pino({ level });
}

/** A KafkaBus on the test broker whose topics and groups all carry `prefix`, so test runs never meet. */
export function createKafkaBus(prefix: string = uniquePrefix(), clientId = 'test'): KafkaBus {
  return new KafkaBus({ brokers: KAFKA_BROKERS.split(','), clientId, prefix, logger: testLogger() });
}

/**
 * A fresh database with the outbox and inbox tables in `schema` (as a service's migrations leave
 * them), for tests of the messaging library; close() destroys the pool and drops the database.
 */
export async function createMessagingDatabase(
  schema = 'svc',
  poolSize = 10,
): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.url,
    synchronize: false,
    extra: { max: poolSize },
  });
  try {
    await dataSource.initialize();
    await dataSource.query(`CREATE SCHEMA "${schema}"`);
    for (const sql of messagingTablesLatestUp(schema)) await dataSource.query(sql);
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
    throw err;
  }
  return {
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
