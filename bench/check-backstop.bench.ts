/**
 * The check index's backstop pass (decision 0041) over a held index of ROWS binding rows on PostgreSQL,
 * after a few rows were lifted behind the service's back: the pass that reads the rows written since its
 * watermark, against the whole listing of every row's version (what each pass did while anything had
 * changed: decision 0014, round three) and the set's fingerprint that preceded it. Node CPU per pass
 * (what checks and lifts wait behind on the event loop), wall time, and PostgreSQL's execution time.
 *
 *   node -r ./bench/register.js bench/check-backstop.bench.ts     (env: ROWS=200000 PASSES=3)
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createServiceDataSource, openServiceDatabase } from '@credit/persistence';
import { ENFORCEMENT_ENTITIES, ENFORCEMENT_MIGRATIONS } from '../apps/enforcement/src/enforcement.module';
import { Backstop } from '../apps/enforcement/src/checks/active-measures/backstop';
import { PgMeasureQueries } from '../apps/enforcement/src/checks/active-measures/pg-measure-queries';
import { readWholeSet } from '../apps/enforcement/src/checks/active-measures/whole-set-reader';
import { withDatabase } from './check-support';

const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.ROWS ?? 200_000);
const PASSES = Number(process.env.PASSES ?? 3);
const FINGERPRINT = `SELECT count(*)::text || ':' || coalesce(sum(hashtextextended(id::text || ':' || xmin::text, 0)), 0)::text
    AS fingerprint FROM enforcement.assignments WHERE status IN ('issued', 'acknowledged', 'enforced')`;

async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  return { result, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

const fmt = (n: number) => n.toFixed(1);

async function main() {
  await withDatabase(PG_ADMIN, async (url) => {
    const db = createServiceDataSource({
      url,
      schema: 'enforcement',
      entities: ENFORCEMENT_ENTITIES,
      migrations: ENFORCEMENT_MIGRATIONS,
      poolSize: 2,
    });
    await openServiceDatabase(db);
    try {
      await db.query(
        `INSERT INTO enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour, subject_id,
           subject_kind, subject_name, target_id, target_kind, period_from, period_to, status, issued_at,
           feedback_deadline, updated_at, key_partition)
         SELECT gen_random_uuid(), gen_random_uuid(), 'FINANCE',
           jsonb_build_object('code', 'BENCH-' || (i % 5), 'text', '限制参加政府采购活动', 'mode', 'block',
             'actions', jsonb_build_array('government_procurement_bid'), 'legalBasis', '《政府采购法》第二十二条'),
           'COURT_DEFAULTER', 'red', 'S' || i, 'legal_person', 'x', 'S' || i, 'legal_person',
           '2026-01-01', '2030-01-01', 'issued', now(), now(), now(), enforcement.key_hash('S' || i) % 48
         FROM generate_series(1, $1::int) i`,
        [ROWS],
      );
      await db.query('VACUUM ANALYZE enforcement.assignments');
      const queries = new PgMeasureQueries(db);
      const read = await measure(() => readWholeSet(queries, { intact: () => true, maxRows: 10_000_000 }));
      const index = read.result!;
      console.log(
        `whole read of ${index.rows} rows: ${fmt(read.wallMs)} ms wall, ${fmt(read.cpuMs)} ms node CPU`,
      );

      const run = { intact: () => true, mark: () => undefined };
      const watermarkPass = new Backstop(queries);
      const wholeListing = new Backstop(queries, 0, 0); // any change: the whole listing, no pauses
      let lifted = 0;
      const liftSome = () =>
        db.query(`UPDATE enforcement.assignments SET status = 'lifted' WHERE target_id = ANY($1::text[])`, [
          [1, 2, 3].map(() => `S${(lifted += 7919) % ROWS}`),
        ]);
      const explain = async (sql: string, params: unknown[]) => {
        const plan: { 'QUERY PLAN': string }[] = await db.query(
          `EXPLAIN (ANALYZE, TIMING OFF) ${sql}`,
          params,
        );
        return Number(/Execution Time: ([\d.]+)/.exec(plan.map((p) => p['QUERY PLAN']).join('\n'))?.[1]);
      };
      for (let pass = 1; pass <= PASSES; pass += 1) {
        await liftSome();
        const before = index.watermark;
        const fresh = await measure(() => watermarkPass.pass(index, run));
        await liftSome();
        const fingerprint = await measure(() => db.query(FINGERPRINT));
        const listing = await measure(() => wholeListing.pass(index, run));
        const pgChanged = await explain(
          `SELECT id FROM enforcement.assignments WHERE age(xmin) <= age($1::text::xid)`,
          [Number(BigInt(before) & 0xffffffffn)],
        );
        const pgCount = await explain(
          `SELECT count(*) FROM enforcement.assignments WHERE status IN ('issued', 'acknowledged', 'enforced')`,
          [],
        );
        const pgFingerprint = await explain(FINGERPRINT, []);
        console.log(
          `pass ${pass}: rows written since the watermark (${fresh.result}) ${fmt(fresh.wallMs)} ms wall, ` +
            `${fmt(fresh.cpuMs)} ms node CPU, PostgreSQL ${fmt(pgChanged + pgCount)} ms | ` +
            `former: fingerprint ${fmt(fingerprint.wallMs)} ms wall (PostgreSQL ${fmt(pgFingerprint)} ms) + ` +
            `whole listing ${fmt(listing.wallMs)} ms wall, ${fmt(fingerprint.cpuMs + listing.cpuMs)} ms node CPU`,
        );
      }
    } finally {
      await db.destroy();
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
