import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DataSource, MigrationInterface } from 'typeorm';
import type { Principal } from '@credit/auth';
import type { MessageBus } from '@credit/messaging';
import {
  addDays,
  addMonths,
  createServiceDataSource,
  dayPartitionName,
  dayStart,
  EmbeddedPostgres,
  maintainMonthlyPartitions,
  monthPartitionName,
  monthStart,
  openServiceDatabase,
  partitionsOf,
  rangeOfPartition,
  retentionCutoff,
} from '@credit/persistence';
import { ENFORCEMENT_ENTITIES, ENFORCEMENT_MIGRATIONS } from '../../apps/enforcement/src/enforcement.module';
import { PgMeasureQueries } from '../../apps/enforcement/src/checks/active-measures/pg-measure-queries';
import { CheckLogSummaryQueries } from '../../apps/enforcement/src/checks/check-log-summary.queries';
import { LogPartitionsJob } from '../../apps/enforcement/src/retention/log-partitions.job';
import { DEFAULT_LOG_PARTITIONS_OPTIONS } from '../../apps/enforcement/src/retention/log-partitions.options';
import { TRACKING_ENTITIES, TRACKING_MIGRATIONS } from '../../apps/tracking/src/tracking.module';
import { OverdueCounts } from '../../apps/tracking/src/follow-up/overdue-counts';
import { TrailPartitionsJob } from '../../apps/tracking/src/trail/trail-partitions.job';
import { TrailSealJob } from '../../apps/tracking/src/trail/trail-seal.job';
import { appendTrailRecords } from '../../apps/tracking/src/trail/trail.handlers';
import { trailRank } from '../../apps/tracking/src/trail/trail-order';
import { DEFAULT_TRAIL_OPTIONS } from '../../apps/tracking/src/trail/trail.options';
import { TrailQueries } from '../../apps/tracking/src/trail/trail.queries';
import { bareDatabase } from './pglite-template';

export type Engine = 'pg' | 'pglite';

const logger = pino({ level: 'silent' });
const DAY = 86_400_000;
/** The migrations of decisions 0056 and 0071: a database is made without them first, filled, then migrated. */
const NEW = /^(Enforcement|Tracking)\w+(17688|17696)\d{8}$/;
const without0056 = (all: (new () => MigrationInterface)[]) => all.filter((m) => !NEW.test(m.name));

interface Engine0 {
  migrate(schema: string, entities: unknown[], migrations: unknown[]): Promise<DataSource>;
  close(): Promise<void>;
}

/** A fresh database on the engine; `migrate` opens a data source with the given migrations applied. */
async function openEngine(engine: Engine): Promise<Engine0> {
  const sources: DataSource[] = [];
  const open = async (make: () => DataSource) => {
    const db = make();
    sources.push(db);
    return openServiceDatabase(db);
  };
  const destroy = async () => {
    for (const db of sources) if (db.isInitialized) await db.destroy();
  };
  if (engine === 'pg') {
    // only the PostgreSQL tier reaches the machine's server (the medium tier never imports this path)
    const { createTestDatabase } = await import('./infra');
    const database = await createTestDatabase();
    return {
      migrate: (schema, entities, migrations) =>
        open(() =>
          createServiceDataSource({
            url: database.url,
            schema,
            entities: entities as never,
            migrations: migrations as never,
            poolSize: 2,
          }),
        ),
      close: async () => {
        await destroy();
        await database.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'partitions-'));
  // a copy of a database as initdb left it: the migrations below are what the cases are about
  cpSync(await bareDatabase(), join(dir, 'pgdata'), { recursive: true });
  const embedded = await EmbeddedPostgres.open({ dataDir: dir });
  return {
    migrate: (schema, entities, migrations) =>
      open(() =>
        createServiceDataSource({
          url: 'unused',
          schema,
          embedded,
          entities: entities as never,
          migrations: migrations as never,
        }),
      ),
    close: async () => {
      await destroy();
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const count = async (db: DataSource, sql: string, params: unknown[] = []) =>
  Number(((await db.query(sql, params)) as { n: string }[])[0].n);

/** The check log by day (decision 0071) and the access log by month (0056), on `engine`. */
export function logPartitionCases(engine: Engine): void {
  describe('the check log partitioned by day, the access log by month', () => {
    let opened: Engine0;
    let db: DataSource;
    const now = new Date();
    const current = monthStart(now);
    const old = new Date(addMonths(current, -14).getTime() + 3 * DAY); // in the 14th month back
    const checks = { old: randomUUID(), recent: randomUUID(), decided: randomUUID() };
    const assignment = randomUUID();

    beforeAll(async () => {
      opened = await openEngine(engine);
      // the schema as it was, with rows in it
      const before = await opened.migrate(
        'enforcement',
        ENFORCEMENT_ENTITIES,
        without0056(ENFORCEMENT_MIGRATIONS),
      );
      const check = (id: string, at: Date) =>
        before.query(
          `INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision, reasons, checked_at)
           VALUES ($1, 'FINANCE', 'clerk', '91330106MA2H7QK4XQ', 'bid', NULL, 'allow', '[]', $2)`,
          [id, at],
        );
      await check(checks.old, old);
      await check(checks.recent, now);
      await check(checks.decided, new Date(now.getTime() - DAY));
      await before.query(
        `INSERT INTO enforcement.check_decisions (check_id, assignment_id, outcome, reason, decided_by, decided_at)
         VALUES ($1, $2, 'applied', NULL, 'clerk', now())`,
        [checks.decided, assignment],
      );
      for (const at of [old, now])
        await before.query(
          `INSERT INTO enforcement.access_log (at, sub, dept, role, subject_id, what, service)
           VALUES ($1, 'clerk', 'FINANCE', 'implementer', '91330106MA2H7QK4XQ', 'GET /v1/inbox', 'enforcement')`,
          [at],
        );
      await before.destroy();
      db = await opened.migrate('enforcement', ENFORCEMENT_ENTITIES, ENFORCEMENT_MIGRATIONS);
    });
    afterAll(() => opened?.close());

    const job = (retentionMonths: number, aheadMonths = 3, aheadDays = 7) =>
      new LogPartitionsJob(
        db,
        {
          ...DEFAULT_LOG_PARTITIONS_OPTIONS,
          checkLogRetentionMonths: retentionMonths,
          accessLogRetentionMonths: retentionMonths,
          aheadMonths,
          aheadDays,
          intervalMs: 0,
        },
        logger,
      );
    const insertCheck = (id: string, at: Date) =>
      db.query(
        `INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision, reasons, checked_at)
         VALUES ($1, 'FINANCE', 'clerk', 'x', 'bid', NULL, 'allow', '[]', $2)`,
        [id, at],
      );
    const placed = async (table: string, column: string, ids: string[]) =>
      (
        (await db.query(
          `SELECT tableoid::regclass::text AS part FROM ${table} WHERE ${column} = ANY($1::uuid[])
           ORDER BY array_position($1::uuid[], ${column})`,
          [ids],
        )) as { part: string }[]
      ).map((r) => r.part.replace(/^enforcement\./, ''));

    it('converts the tables without losing a row: the access log by month, the check log by day from now', async () => {
      for (const table of ['enforcement.checks', 'enforcement.check_decisions', 'enforcement.access_log']) {
        const [{ kind }]: { kind: string }[] = await db.query(
          `SELECT relkind::text AS kind FROM pg_class WHERE oid = $1::regclass`,
          [table],
        );
        expect(kind).toBe('p');
        const parts = await partitionsOf(db, table);
        const name = table.split('.')[1];
        expect(parts).toContain(`${name}_default`);
        if (table === 'enforcement.access_log') {
          for (let m = -14; m <= 3; m += 1)
            expect(parts).toContain(monthPartitionName(table, addMonths(current, m)));
          continue;
        }
        // decision 0071: the months holding rows stay as they were (nothing moved), the empty months ahead
        // went, and every day from yesterday to a week ahead has its partition (a day or a month kept)
        expect(parts).toContain(monthPartitionName(table, addMonths(current, -14)));
        for (let m = 1; m <= 3; m += 1)
          expect(parts).not.toContain(monthPartitionName(table, addMonths(current, m)));
        const ranges = parts.flatMap((p) => rangeOfPartition(table, p) ?? []);
        for (let d = -1; d <= 7; d += 1) {
          const day = addDays(dayStart(now), d);
          const covering = ranges.filter((r) => r.from <= day && day < r.to);
          expect(covering).toHaveLength(1);
        }
        const today = dayPartitionName(table, dayStart(now));
        const currentMonthKept = parts.includes(monthPartitionName(table, current));
        expect(parts.includes(today)).toBe(!currentMonthKept);
      }
      const kept: { id: string; checked_at: Date }[] = await db.query(
        `SELECT id, checked_at FROM enforcement.checks ORDER BY checked_at`,
      );
      expect(kept.map((r) => r.id)).toEqual([checks.old, checks.decided, checks.recent]);
      expect(new Date(kept[0].checked_at)).toEqual(old);
      // the decision carries its check's time, and is found with it
      const [decision]: { checked_at: Date; assignment_id: string }[] = await db.query(
        `SELECT d.checked_at, d.assignment_id FROM enforcement.check_decisions d
         JOIN enforcement.checks c ON c.id = d.check_id AND c.checked_at = d.checked_at`,
      );
      expect(decision.assignment_id).toBe(assignment);
      expect(await count(db, `SELECT count(*) AS n FROM enforcement.access_log`)).toBe(2);
      // the id sequence carried over: a new record follows the old ones
      const [{ id }]: { id: string }[] = await db.query(
        `INSERT INTO enforcement.access_log (at, sub, dept, role, subject_id, what, service)
         VALUES (now(), 'clerk', 'FINANCE', 'implementer', NULL, 'GET /v1/inbox', 'enforcement') RETURNING id`,
      );
      const [{ max }]: { max: string }[] = await db.query(
        `SELECT max(id) AS max FROM enforcement.access_log WHERE id <> $1`,
        [id],
      );
      expect(BigInt(id)).toBeGreaterThan(BigInt(max));
    });

    it('keeps the access log append-only: no UPDATE but the pseudonym, no DELETE, no TRUNCATE', async () => {
      await expect(db.query(`DELETE FROM enforcement.access_log`)).rejects.toThrow(/append-only/);
      await expect(db.query(`UPDATE enforcement.access_log SET dept = 'NOBODY'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(db.query(`TRUNCATE enforcement.access_log`)).rejects.toThrow(/append-only/);
      await db.query(
        `UPDATE enforcement.access_log SET subject_id = 'anon:' || gen_random_uuid()
         WHERE subject_id = '91330106MA2H7QK4XQ' AND at < $1`,
        [addMonths(current, -13)],
      );
      expect(
        await count(db, `SELECT count(*) AS n FROM enforcement.access_log WHERE subject_id LIKE 'anon:%'`),
      ).toBe(1);
    });

    it('makes the months ahead, and a month held in the default partition is left there, not lost', async () => {
      const far = addMonths(current, 6);
      await db.query(
        `INSERT INTO enforcement.access_log (at, sub, dept, role, subject_id, what, service)
         VALUES ($1, 'clerk', 'FINANCE', 'implementer', NULL, 'GET /v1/inbox', 'enforcement')`,
        [new Date(far.getTime() + DAY)],
      );
      const pass = await job(60, 7).run(now);
      const made = pass.tables['enforcement.access_log'];
      expect(made.created).toEqual(
        [4, 5, 7].map((m) => monthPartitionName('enforcement.access_log', addMonths(current, m))),
      );
      expect(made.blocked).toEqual([monthPartitionName('enforcement.access_log', far)]);
      expect(made.dropped).toEqual([]);
      expect(await count(db, `SELECT count(*) AS n FROM enforcement.access_log WHERE at >= $1`, [far])).toBe(
        1,
      );
      // a second pass has nothing to do
      const again = await job(60, 7).run(now);
      expect(again.tables['enforcement.access_log'].created).toEqual([]);
    });

    // two years on: no month made before covers these days
    const later = new Date(dayStart(addMonths(now, 24)).getTime() + 9 * 3_600_000);
    const laterDay = dayStart(later);

    it('makes the days ahead; a day held in the default partition is left there; a second pass makes none', async () => {
      const held = randomUUID();
      await insertCheck(held, new Date(addDays(laterDay, 5).getTime() + 3_600_000)); // before its day exists
      const pass = await job(60, 3, 10).run(later);
      for (const table of ['enforcement.checks', 'enforcement.check_decisions']) {
        const days = [...Array(11).keys()].map((d) => dayPartitionName(table, addDays(laterDay, d)));
        const made = pass.tables[table];
        if (table === 'enforcement.checks') {
          expect(made.created).toEqual(days.filter((_, d) => d !== 5));
          expect(made.blocked).toEqual([days[5]]);
        } else {
          expect(made.created).toEqual(days);
          expect(made.blocked).toEqual([]);
        }
        expect(made.dropped.filter((p) => (rangeOfPartition(table, p)?.to ?? later) > now)).toEqual([]);
        for (const day of made.created) expect(await partitionsOf(db, table)).toContain(day);
      }
      expect(await placed('enforcement.checks', 'id', [held])).toEqual(['checks_default']);
      const again = await job(60, 3, 10).run(later);
      expect(again.tables['enforcement.checks'].created).toEqual([]);
      expect(again.tables['enforcement.check_decisions'].created).toEqual([]);
    });

    it('writes on a day boundary land in their own day, checks and their decisions alike', async () => {
      await job(60, 3, 10).run(later); // the days exist (made by the case above, or now)
      const midnight = addDays(laterDay, 2);
      const before = { id: randomUUID(), at: new Date(midnight.getTime() - 1) };
      const after = { id: randomUUID(), at: midnight };
      for (const c of [before, after]) {
        await insertCheck(c.id, c.at);
        await db.query(
          `INSERT INTO enforcement.check_decisions (check_id, assignment_id, outcome, reason, decided_by,
             decided_at, checked_at)
           VALUES ($1, $2, 'applied', NULL, 'clerk', now(), $3)`,
          [c.id, randomUUID(), c.at],
        );
      }
      expect(await placed('enforcement.checks', 'id', [before.id, after.id])).toEqual([
        dayPartitionName('enforcement.checks', addDays(laterDay, 1)),
        dayPartitionName('enforcement.checks', midnight),
      ]);
      expect(await placed('enforcement.check_decisions', 'check_id', [before.id, after.id])).toEqual([
        dayPartitionName('enforcement.check_decisions', addDays(laterDay, 1)),
        dayPartitionName('enforcement.check_decisions', midnight),
      ]);
      // a query of one day reads that day's partition only
      const plan = (
        (await db.query(
          `EXPLAIN (COSTS OFF) SELECT count(*) FROM enforcement.checks
           WHERE checked_at >= '${midnight.toISOString()}' AND checked_at < '${addDays(midnight, 1).toISOString()}'`,
        )) as { 'QUERY PLAN': string }[]
      )
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(plan).toContain(dayPartitionName('enforcement.checks', midnight));
      expect(plan).not.toContain(dayPartitionName('enforcement.checks', addDays(midnight, 1)));
      expect(plan).not.toContain('checks_default');
      // the supervisors' summary counts each day's checks and their decisions from that day's partitions
      const summary = (from: Date, to: Date) =>
        new CheckLogSummaryQueries(db).summary(supervisor, {
          dept: 'FINANCE',
          from: from.toISOString(),
          to: to.toISOString(),
        });
      const [day] = (await summary(midnight, addDays(midnight, 1))).items;
      expect(day).toMatchObject({ dept: 'FINANCE', checks: 1, hitsDecided: 1 });
      const [both] = (await summary(addDays(midnight, -1), addDays(midnight, 1))).items;
      expect(both).toMatchObject({ checks: 2, hitsDecided: 2 });
    });

    it('drops whole months past the retention and never a month within it', async () => {
      // months 20 to 15 back, as if the service had run then
      await db.transaction((m) =>
        maintainMonthlyPartitions(m, { table: 'enforcement.checks' }, addMonths(current, -20), 6),
      );
      const retention = 12;
      const cutoff = addMonths(current, -retention);
      const at = [
        addMonths(current, -20), // dropped
        new Date(cutoff.getTime() - 1), // the last instant of the last month dropped
        cutoff, // the first instant kept
        new Date(cutoff.getTime() + 10 * DAY),
      ];
      for (const t of at)
        await db.query(
          `INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision, reasons, checked_at)
           VALUES ($1, 'FINANCE', 'clerk', 'x', 'bid', NULL, 'allow', '[]', $2)`,
          [randomUUID(), t],
        );
      // a row no month holds (long before any): the default partition, never dropped
      await db.query(
        `INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision, reasons, checked_at)
         VALUES ($1, 'FINANCE', 'clerk', 'x', 'bid', NULL, 'allow', '[]', '2001-01-01T00:00:00Z')`,
        [randomUUID()],
      );
      const youngBefore = await count(
        db,
        `SELECT count(*) AS n FROM enforcement.checks WHERE checked_at >= $1`,
        [cutoff],
      );
      const pass = await job(retention).run(now);
      const dropped = pass.tables['enforcement.checks'].dropped;
      expect(dropped).toContain(monthPartitionName('enforcement.checks', addMonths(current, -20)));
      expect(dropped).toContain(monthPartitionName('enforcement.checks', addMonths(current, -13)));
      expect(dropped).not.toContain(monthPartitionName('enforcement.checks', cutoff));
      // every month left ends after the cutoff
      for (const name of await partitionsOf(db, 'enforcement.checks')) {
        const match = /_p(\d{4})(\d{2})$/.exec(name);
        if (match) expect(Date.UTC(Number(match[1]), Number(match[2]), 1)).toBeGreaterThan(cutoff.getTime());
      }
      // the rows the retention keeps are all there; none older, but the default partition's
      expect(
        await count(db, `SELECT count(*) AS n FROM enforcement.checks WHERE checked_at >= $1`, [cutoff]),
      ).toBe(youngBefore);
      expect(
        await count(db, `SELECT count(*) AS n FROM enforcement.checks WHERE checked_at < $1`, [cutoff]),
      ).toBe(1);
      // decisions go with their checks' months; the access log's old month went too
      expect(pass.tables['enforcement.check_decisions'].dropped).toContain(
        monthPartitionName('enforcement.check_decisions', addMonths(current, -14)),
      );
      expect(
        await count(db, `SELECT count(*) AS n FROM enforcement.access_log WHERE at < $1`, [cutoff]),
      ).toBe(0);
      // the recent one, the pseudonymised one and the one six months ahead
      expect(await count(db, `SELECT count(*) AS n FROM enforcement.access_log`)).toBe(3);
    });

    it('drops whole days past the retention and never the day at the cutoff', async () => {
      const retention = 30;
      const cutoff = retentionCutoff(now, retention, 'day');
      // six days around the cutoff, as if the service had run then
      await db.transaction((m) =>
        maintainMonthlyPartitions(m, { table: 'enforcement.checks', unit: 'day' }, addDays(cutoff, -3), 5),
      );
      const rows = {
        gone: [new Date(cutoff.getTime() - 2 * DAY), new Date(cutoff.getTime() - 1)],
        kept: [cutoff, new Date(cutoff.getTime() + DAY + 5 * 3_600_000)],
      };
      for (const at of [...rows.gone, ...rows.kept]) await insertCheck(randomUUID(), at);
      const pass = await job(retention).run(now);
      expect(pass.tables['enforcement.checks'].dropped).toEqual(
        [-3, -2, -1].map((d) => dayPartitionName('enforcement.checks', addDays(cutoff, d))),
      );
      const left = await partitionsOf(db, 'enforcement.checks');
      for (let d = 0; d <= 2; d += 1)
        expect(left).toContain(dayPartitionName('enforcement.checks', addDays(cutoff, d)));
      const inRange = (from: Date, to: Date) =>
        count(db, `SELECT count(*) AS n FROM enforcement.checks WHERE checked_at >= $1 AND checked_at < $2`, [
          from,
          to,
        ]);
      expect(await inRange(addDays(cutoff, -3), cutoff)).toBe(0);
      expect(await inRange(cutoff, addDays(cutoff, 3))).toBe(rows.kept.length);
    });

    it('prunes assignment_removals after its retention, and a backstop older than that lists everything', async () => {
      const queries = new PgMeasureQueries(db);
      const watermark = await queries.watermark();
      for (const removedAt of [new Date(now.getTime() - 2 * DAY), now])
        await db.query(
          `INSERT INTO enforcement.assignment_removals
             (id, target_id, subject_id, subject_legacy_ids, target_hash, removed_at)
           VALUES ($1, 'T', 'T', '{}', 1, $2)`,
          [randomUUID(), removedAt],
        );
      expect((await queries.changedSince(watermark, 100)).truncated).toBe(false);
      expect(await job(60).pruneRemovals(now)).toBe(1);
      expect(await count(db, `SELECT count(*) AS n FROM enforcement.assignment_removals`)).toBe(1);
      // from before the pruned removal: it may have missed one, so it lists the set
      expect((await queries.changedSince(watermark, 100)).truncated).toBe(true);
      // from after it: trusted again (a transaction id after the prune: the snapshot's xmin is the
      // whole server's, held back by any transaction still running elsewhere)
      const [{ xid }]: { xid: string }[] = await db.query(`SELECT pg_current_xact_id()::text AS xid`);
      const fresh = await queries.changedSince(xid, 100);
      expect(fresh.truncated).toBe(false);
    });
  });
}

const supervisor: Principal = { sub: 'supervisor', dept: 'CREDIT_OFFICE', roles: ['supervisor'] };

/** The trail by month and the overdue rollup, on `engine` (decision 0056). */
export function trackingPartitionCases(engine: Engine): void {
  describe('the trail partitioned by month; the overdue rollup', () => {
    let opened: Engine0;
    let db: DataSource;
    const now = new Date();
    const current = monthStart(now);
    const entryId = randomUUID();
    const events = [
      { type: 'credit.list-entry.published.v1', time: new Date(addMonths(current, -14).getTime() + DAY) },
      { type: 'credit.assignment.issued.v1', time: new Date(addMonths(current, -14).getTime() + 2 * DAY) },
      { type: 'credit.feedback.acknowledged.v1', time: new Date(addMonths(current, -2).getTime() + DAY) },
      { type: 'credit.feedback.enforced.v1', time: new Date(now.getTime() - 2 * DAY) },
    ].map((e, i) => ({ ...e, eventId: `evt-${i}-${entryId}` }));
    let sealedBefore: { position: number; hash: string }[] = [];

    const sealer = (source: DataSource) =>
      new TrailSealJob(
        source,
        {} as MessageBus, // no consumer positions: the settle window alone
        { ...DEFAULT_TRAIL_OPTIONS, settleMs: 0 },
        '',
        logger,
      );

    beforeAll(async () => {
      opened = await openEngine(engine);
      const before = await opened.migrate('tracking', TRACKING_ENTITIES, without0056(TRACKING_MIGRATIONS));
      for (const e of events) {
        await before.query(
          `INSERT INTO tracking.trail_records (entry_id, event_id, type, topic, time, actor_dept, data)
           VALUES ($1, $2, $3, 'credit.list-entries', $4, 'COURT', $5)`,
          [entryId, e.eventId, e.type, e.time, JSON.stringify({ ownerDept: 'COURT', n: e.eventId })],
        );
        await before.query(
          `INSERT INTO tracking.trail_unsealed (event_id, entry_id, time, rank) VALUES ($1, $2, $3, $4)`,
          [e.eventId, entryId, e.time, trailRank(e.type)],
        );
      }
      await sealer(before).seal(now);
      expect(await new TrailQueries(before).verify(supervisor, entryId)).toMatchObject({
        valid: true,
        sealed: events.length,
      });
      sealedBefore = await before.query(
        `SELECT position, hash FROM tracking.trail_seals WHERE entry_id = $1 ORDER BY position`,
        [entryId],
      );
      await before.destroy();
      db = await opened.migrate('tracking', TRACKING_ENTITIES, TRACKING_MIGRATIONS);
    });
    afterAll(() => opened?.close());

    it('moves every record into its month and the chain still verifies', async () => {
      const [{ kind }]: { kind: string }[] = await db.query(
        `SELECT relkind::text AS kind FROM pg_class WHERE oid = 'tracking.trail_records'::regclass`,
      );
      expect(kind).toBe('p');
      const placed: { event_id: string; part: string }[] = await db.query(
        `SELECT event_id, tableoid::regclass::text AS part FROM tracking.trail_records ORDER BY time`,
      );
      expect(placed.map((p) => p.event_id)).toEqual(events.map((e) => e.eventId));
      expect(placed.map((p) => p.part.replace(/^tracking\./, ''))).toEqual(
        events.map((e) => monthPartitionName('tracking.trail_records', monthStart(e.time))),
      );
      const verified = await new TrailQueries(db).verify(supervisor, entryId);
      expect(verified).toMatchObject({ valid: true, records: events.length, sealed: events.length });
      expect(
        await db.query(
          `SELECT position, hash FROM tracking.trail_seals WHERE entry_id = $1 ORDER BY position`,
          [entryId],
        ),
      ).toEqual(sealedBefore);
    });

    it('stores a redelivered event once, seals what comes next onto the same chain', async () => {
      const next = {
        type: 'credit.list-entry.ended.v1',
        time: new Date(now.getTime() - DAY),
        eventId: `evt-9-${entryId}`,
      };
      const record = (e: typeof next) => ({
        entryId,
        eventId: e.eventId,
        type: e.type,
        topic: 'credit.list-entries',
        time: e.time.toISOString(),
        actorDept: 'COURT',
        data: { ownerDept: 'COURT', n: e.eventId },
      });
      await db.transaction((m) => appendTrailRecords(m, [record(events[3]), record(next)]));
      await db.transaction((m) => appendTrailRecords(m, [record(next)]));
      expect(
        await count(db, `SELECT count(*) AS n FROM tracking.trail_records WHERE entry_id = $1`, [entryId]),
      ).toBe(events.length + 1);
      await sealer(db).seal(now);
      expect(await new TrailQueries(db).verify(supervisor, entryId)).toMatchObject({
        valid: true,
        sealed: events.length + 1,
      });
    });

    it('stays append-only on every partition; a recorded redaction alone passes', async () => {
      const target = events[0].eventId; // in an old month's partition
      await expect(
        db.query(`DELETE FROM tracking.trail_records WHERE event_id = $1`, [target]),
      ).rejects.toThrow(/append-only/);
      await expect(
        db.query(`UPDATE tracking.trail_records SET data = '{}' WHERE event_id = $1`, [target]),
      ).rejects.toThrow(/append-only/);
      await expect(db.query(`TRUNCATE tracking.trail_records`)).rejects.toThrow(/append-only/);
      await db.query(
        `INSERT INTO tracking.trail_redactions (event_id, entry_id, redacted_at, chain_verified)
         VALUES ($1, $2, now(), true)`,
        [target, entryId],
      );
      await db.query(`UPDATE tracking.trail_records SET data = '{"redacted":true}' WHERE event_id = $1`, [
        target,
      ]);
      await expect(
        db.query(`UPDATE tracking.trail_records SET type = 'forged' WHERE event_id = $1`, [target]),
      ).rejects.toThrow(/append-only/);
      expect(await new TrailQueries(db).verify(supervisor, entryId)).toMatchObject({
        valid: true,
        redacted: 1,
      });
    });

    it('makes the trail months ahead and drops none', async () => {
      const job = new TrailPartitionsJob(db, { ...DEFAULT_TRAIL_OPTIONS, partitionsAheadMonths: 3 }, logger);
      const pass = await job.run(addMonths(now, 24));
      expect(pass.created).toContain(monthPartitionName('tracking.trail_records', addMonths(current, 27)));
      expect(pass.dropped).toEqual([]);
      expect(await partitionsOf(db, 'tracking.trail_records')).toContain(
        monthPartitionName('tracking.trail_records', addMonths(current, -14)),
      );
    });

    it('keeps the overdue counts equal to counting the rows, through random transitions and folds', async () => {
      const counts = new OverdueCounts(db);
      const depts = ['FINANCE', 'NDRC', 'SAMR'];
      const kinds = ['acknowledgement', 'feedback'];
      let seed = 42;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const ids: string[] = [];
      const plain = async () =>
        (
          (await db.query(
            `SELECT dept, coalesce(overdue_kind, '') AS kind, coalesce(overdue_level, 0)::int AS level,
               count(*)::int AS count
             FROM tracking.follow_up_assignments WHERE overdue GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
          )) as { dept: string; kind: string; level: number; count: number }[]
        ).map((r) => ({ ...r, level: Number(r.level), count: Number(r.count) }));
      for (let step = 0; step < 300; step += 1) {
        const op = ids.length < 5 ? 0 : random(10);
        if (op <= 2) {
          const id = randomUUID();
          ids.push(id);
          await db.query(
            `INSERT INTO tracking.follow_up_assignments (id, entry_id, dept, overdue, overdue_kind, overdue_level)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            random(2)
              ? [id, entryId, depts[random(3)], true, kinds[random(2)], 1 + random(2)]
              : [id, entryId, depts[random(3)], false, null, null],
          );
        } else if (op <= 7) {
          const id = ids[random(ids.length)];
          const overdue = random(3) > 0;
          await db.query(
            `UPDATE tracking.follow_up_assignments
             SET overdue = $2, overdue_kind = $3, overdue_level = $4, dept = CASE WHEN $5 THEN $6 ELSE dept END
             WHERE id = $1`,
            overdue
              ? [id, true, kinds[random(2)], 1 + random(2), random(5) === 0, depts[random(3)]]
              : [id, false, null, null, false, 'FINANCE'],
          );
        } else if (op === 8) {
          const [id] = ids.splice(random(ids.length), 1);
          await db.query(`DELETE FROM tracking.follow_up_assignments WHERE id = $1`, [id]);
        } else {
          await counts.fold();
        }
        if (step % 25 === 0) expect(await counts.read()).toEqual(await plain());
      }
      expect(await counts.read()).toEqual(await plain());
      await counts.fold();
      expect(await count(db, `SELECT count(*) AS n FROM tracking.overdue_count_changes`)).toBe(0);
      expect(await counts.read()).toEqual(await plain());
      expect(await counts.read('dept = $1', ['NDRC'])).toEqual(
        (await plain()).filter((r) => r.dept === 'NDRC'),
      );
    });

    it("reads exactly the assignments the overdue pass's former filter read (next_mark_at)", async () => {
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const base = now.getTime();
      const ahead = () => new Date(base + (random(40) - 20) * DAY);
      for (let i = 0; i < 200; i += 1) {
        const ackDeadline = ahead();
        const feedbackDeadline = ahead();
        await db.query(
          `INSERT INTO tracking.follow_up_assignments (id, entry_id, dept, issued, suspended, ack_deadline,
             ack_escalation_at, feedback_deadline, feedback_escalation_at, acknowledged_at, enforced_at,
             lifted_at, lift_confirmed_at, not_applicable_at, ack_overdue_level, feedback_overdue_level)
           VALUES ($1, $2, 'FINANCE', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [
            randomUUID(),
            entryId,
            random(8) > 0,
            random(8) === 0,
            ackDeadline,
            new Date(ackDeadline.getTime() + random(10) * DAY),
            feedbackDeadline,
            new Date(feedbackDeadline.getTime() + random(10) * DAY),
            random(2) ? ahead() : null,
            random(2) ? ahead() : null,
            random(10) === 0 ? ahead() : null,
            random(10) === 0 ? ahead() : null,
            random(10) === 0 ? ahead() : null,
            random(3),
            random(3),
          ],
        );
      }
      for (const days of [-15, -5, 0, 3, 10, 25]) {
        const at = new Date(base + days * DAY);
        const byIndex: { id: string }[] = await db.query(
          `SELECT id FROM tracking.follow_up_assignments WHERE next_mark_at < $1 ORDER BY id`,
          [at],
        );
        const byFilter: { id: string }[] = await db.query(
          `SELECT a.id FROM tracking.follow_up_assignments a
           WHERE a.issued AND NOT a.suspended
             AND a.lifted_at IS NULL AND a.lift_confirmed_at IS NULL AND a.not_applicable_at IS NULL
             AND ((a.acknowledged_at IS NULL AND (
                    (a.ack_overdue_level < 1 AND a.ack_deadline < $1)
                    OR (a.ack_overdue_level < 2 AND a.ack_escalation_at < $1)))
               OR (a.enforced_at IS NULL AND (
                    (a.feedback_overdue_level < 1 AND a.feedback_deadline < $1)
                    OR (a.feedback_overdue_level < 2 AND a.feedback_escalation_at < $1))))
           ORDER BY a.id`,
          [at],
        );
        expect(byIndex).toEqual(byFilter);
      }
    });
  });
}
