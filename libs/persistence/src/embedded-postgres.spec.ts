import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createServiceDataSource, openServiceDatabase } from './database';
import { EmbeddedPostgres, embeddedPostgresOf } from './embedded-postgres';
import { PgliteWorker } from './pglite-worker';

class CreateThings1700000000000 implements MigrationInterface {
  name = 'CreateThings1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    const schema = (q.connection.options as { schema: string }).schema;
    await q.query(`CREATE TABLE "${schema}".things (id bigserial PRIMARY KEY, name text NOT NULL, during tstzrange,
      EXCLUDE USING gist (name WITH =, during WITH &&))`);
  }
  async down(): Promise<void> {}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['main', 'worker'] as const)(
  'EmbeddedPostgres (PGlite, one session shared by the process), PGlite in the %s thread',
  (thread) => {
    let dir: string;
    let db: EmbeddedPostgres;
    let a: DataSource;
    let b: DataSource;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
      db = await EmbeddedPostgres.open({ dataDir: dir, thread });
      const open = (schema: string) =>
        openServiceDatabase(
          createServiceDataSource({
            url: 'unused',
            schema,
            embedded: db,
            entities: [],
            migrations: [CreateThings1700000000000],
          }),
        );
      a = await open('svc_a');
      b = await open('svc_b');
    }, 60_000); // creating a database (initdb) takes seconds on a busy machine

    afterAll(async () => {
      await a?.destroy();
      await b?.destroy();
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('gives each service its schema, migrated (extensions, exclusion constraints)', async () => {
      expect(embeddedPostgresOf(a)).toBe(db);
      const tables = await a.query(
        `SELECT table_schema FROM information_schema.tables WHERE table_name = 'things' ORDER BY 1`,
      );
      expect(tables.map((t: { table_schema: string }) => t.table_schema)).toEqual(['svc_a', 'svc_b']);
      await a.query(
        `INSERT INTO svc_a.things (name, during) VALUES ('x', tstzrange(now(), now() + interval '1 day'))`,
      );
      await expect(
        a.query(
          `INSERT INTO svc_a.things (name, during) VALUES ('x', tstzrange(now(), now() + interval '2 day'))`,
        ),
      ).rejects.toThrow(/exclusion constraint/);
      // the error keeps PostgreSQL's fields: what problem details and retries are decided on
      const failed = await a
        .query(`INSERT INTO svc_a.things (id, name) SELECT id, 'again' FROM svc_a.things LIMIT 1`)
        .catch((err: { driverError?: { code?: string; constraint?: string } }) => err.driverError);
      expect(failed).toMatchObject({ code: '23505', constraint: 'things_pkey' });
    });

    it('serialises transactions: a second caller waits for the first to commit or roll back', async () => {
      const order: string[] = [];
      const first = a.transaction(async (m) => {
        await m.query(`INSERT INTO svc_a.things (name) VALUES ('first')`);
        order.push('first wrote');
        await sleep(100);
        order.push('first commits');
      });
      await sleep(10);
      const seen = b
        .query(`SELECT count(*)::int AS n FROM svc_a.things WHERE name = 'first'`)
        .then((rows) => {
          order.push('second read');
          return rows[0].n;
        });
      await first;
      expect(await seen).toBe(1);
      expect(order).toEqual(['first wrote', 'first commits', 'second read']);

      await expect(
        a.transaction(async (m) => {
          await m.query(`INSERT INTO svc_a.things (name) VALUES ('rolled back')`);
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await b.query(`SELECT count(*)::int AS n FROM svc_a.things WHERE name = 'rolled back'`)).toEqual(
        [{ n: 0 }],
      );
    });

    it('supports advisory locks, SKIP LOCKED, jsonb_to_recordset, binary parameters and COPY from the holder', async () => {
      await a.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [1, 'x']);
        const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [
          2,
          'x',
        ]);
        expect(locked).toBe(true);
        const rows = await m.query(`SELECT id FROM svc_a.things ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`);
        expect(rows).toHaveLength(1);
        await db.copyFrom('svc_a.things', ['name'], 'copied 1\ncopied 2\n');
      });
      expect(await b.query(`SELECT count(*)::int AS n FROM svc_a.things WHERE name LIKE 'copied%'`)).toEqual([
        { n: 2 },
      ]);
      const [{ s }] = await a.query(`SELECT convert_from(substring($1::bytea FROM 2 FOR 3), 'UTF8') AS s`, [
        Buffer.from('abcdef'),
      ]);
      expect(s).toBe('bcd');
      const records = await a.query(`SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id int, n text)`, [
        JSON.stringify([{ id: 1, n: 'one' }]),
      ]);
      expect(records).toEqual([{ id: 1, n: 'one' }]);
    });

    it('fails a COPY into a missing table with the database reason, and the session goes on', async () => {
      await expect(a.transaction(() => db.copyFrom('svc_a.no_such_table', ['name'], 'x\n'))).rejects.toThrow(
        /no_such_table/,
      );
      expect(await a.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });

    it('delivers NOTIFY to listeners after commit, never for a rollback', async () => {
      const heard: string[] = [];
      const unlisten = await db.listen('credit_test', (p) => heard.push(p));
      await a.transaction((m) => m.query(`SELECT pg_notify('credit_test', 'committed')`));
      await a
        .transaction(async (m) => {
          await m.query(`SELECT pg_notify('credit_test', 'rolled back')`);
          throw new Error('no');
        })
        .catch(() => undefined);
      await a.query('SELECT 1');
      await sleep(20);
      expect(heard).toEqual(['committed']);
      await unlisten();
    });

    it('refuses a data folder a live process (this one or another) has open', async () => {
      await expect(EmbeddedPostgres.open({ dataDir: dir, thread })).rejects.toThrow(/in use by process/);
    });

    if (thread === 'worker')
      it('runs a long statement without stopping this thread (its timers keep firing)', async () => {
        let ticks = 0;
        const timer = setInterval(() => (ticks += 1), 5);
        const started = Date.now();
        try {
          // a statement that keeps PGlite busy for a while (hundreds of ms)
          await a.query('SELECT count(*) FROM generate_series(1, 2000000) g WHERE g % 7 = 0');
        } finally {
          clearInterval(timer);
        }
        const took = Date.now() - started;
        expect(took).toBeGreaterThan(50);
        // in the caller's thread the interval could not fire at all while the statement ran
        expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 5 / 4));
      });
  },
);

describe('PgliteWorker', () => {
  it('fails every call once its thread is gone, instead of waiting for an answer that cannot come', async () => {
    const worker = await PgliteWorker.open('memory://', []);
    await worker.close();
    await expect(worker.call({ op: 'copy', sql: 'SELECT 1', text: '' })).rejects.toThrow(/thread exited/);
  }, 60_000);
});
