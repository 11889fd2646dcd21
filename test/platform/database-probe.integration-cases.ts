import { DataSource } from 'typeorm';
import { createServiceDataSource, DatabaseProbe } from '@credit/persistence';
import { createTestDatabase } from '../support/infra';

/**
 * Readiness asks the database on a connection of its own (decision 0059): a pool whose every connection
 * is busy working off a backlog must not make a restarted service look unready, and a probe that failed
 * connects again at the next one.
 */
describe('the readiness probe of a service database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createServiceDataSource({
      url: database.url,
      schema: 'probe',
      poolSize: 1,
      entities: [],
      migrations: [],
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('answers at once while the pool’s only connection is busy', async () => {
    const probe = new DatabaseProbe(dataSource, database.url);
    const busy = dataSource.query('SELECT pg_sleep(2)');
    try {
      const started = Date.now();
      await probe.check();
      expect(Date.now() - started).toBeLessThan(1_000);
      // through the pool the same question waits for the sleeping query
      const pooled = Date.now();
      await dataSource.query('SELECT 1');
      expect(Date.now() - pooled).toBeGreaterThan(500);
    } finally {
      await busy;
      await probe.close();
    }
  });

  it('fails while the database cannot be reached and recovers at the next probe', async () => {
    const wrong = database.url.replace(/\/[^/]+$/, '/no_such_database_for_the_probe');
    const failing = new DatabaseProbe(dataSource, wrong);
    await expect(failing.check()).rejects.toThrow(/no_such_database_for_the_probe/);
    await expect(failing.check()).rejects.toThrow(/no_such_database_for_the_probe/);
    await failing.close();

    const probe = new DatabaseProbe(dataSource, database.url);
    await probe.check();
    // the server ends the probe's connection: the next probe connects again
    await dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'readiness'`,
    );
    await new Promise((r) => setTimeout(r, 200));
    await probe.check().catch(() => undefined); // the first may still find the dead connection
    await probe.check();
    await probe.close();
  });
});
