/**
 * `npm run bench:scale` — the check's index split over three replicas at a fraction of national volume
 * (issue 19, decision 0055; the scale model is docs/scale.md, the figures docs/benchmarks/scale.md).
 *
 * Uses a database loaded by bench/scale-generate.ts (SCALE_DB, kept with KEEP=1; or generates one at
 * SCALE and drops it after). Three `ActiveMeasures` replicas in this process over PostgreSQL, each owning
 * a third of PARTITIONS (12) partitions, sharing one invalidation channel as Redis would carry it:
 * start-up to a complete index (each replica, and the three at once), heap per replica and per binding
 * row (gc between), check lookups routed by the key's partition (murmur2, as the gateway would) over
 * listed and unlisted subjects with p50/p99, lift propagation (commit → announce → every replica
 * answers it from memory), a rebalance (one replica leaves, its partitions are read by the others), a
 * day's additions and removals (6,400 / 7,300 national, scaled), and the supervisors' queries.
 *
 * Run with `node --expose-gc -r ./bench/register.js bench/scale.bench.ts`.
 * NOT the distributed mode end to end: the replicas share one process and one event loop (no HTTP,
 * no Kafka between them); what it measures is the index's own cost, not a service's throughput.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { loadavg, cpus, totalmem } from 'node:os';
import { Pool } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import {
  CacheInvalidationChannel,
  InvalidationListener,
} from '../apps/enforcement/src/cache/invalidation-channel';
import { ActiveMeasures } from '../apps/enforcement/src/checks/active-measures/active-measures';
import { IndexOwnership, Ownership } from '../apps/enforcement/src/checks/active-measures/index-ownership';
import { keyPartition } from '../apps/enforcement/src/checks/active-measures/key-partition';
import { PgMeasureQueries } from '../apps/enforcement/src/checks/active-measures/pg-measure-queries';
import {
  adminUrl,
  createDatabase,
  dropDatabase,
  generate,
  listedId,
  NATIONAL_SUBJECTS,
  printSizes,
  unlistedId,
} from './scale-generate';

const PARTITIONS = 12;
const REPLICAS = 3;
const log = (l: string) => process.stdout.write(l + '\n');
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const gc = () => (global as { gc?: () => void }).gc?.();
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

class SharedChannel extends CacheInvalidationChannel {
  private readonly listeners: InvalidationListener[] = [];
  listen(listener: InvalidationListener): void {
    this.listeners.push(listener);
    listener.connected();
  }
  async announce(keys: string[]): Promise<void> {
    for (const l of this.listeners) l.message(JSON.stringify(keys));
  }
}

class BenchOwnership extends IndexOwnership {
  readonly maxRows = 50_000_000;
  private listener?: (o: Ownership) => void;
  constructor(private current: Ownership) {
    super();
  }
  watch(changed: (o: Ownership) => void): void {
    this.listener = changed;
    changed(this.current);
  }
  assign(next: Ownership): void {
    this.current = next;
    this.listener?.(next);
  }
}

const ownedBy = (r: number, replicas = REPLICAS) =>
  Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => p % replicas === r);

async function until(condition: () => boolean, timeoutMs = 1_800_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

async function main(): Promise<void> {
  const scale = Number(process.env.SCALE ?? '0.1');
  let database = process.env.SCALE_DB;
  let url: string;
  let subjects: number;
  if (database) {
    url = adminUrl().replace(/\/[^/]*$/, `/${database}`);
  } else {
    database = `credit_scale_${randomUUID().slice(0, 6)}`;
    url = await createDatabase(database);
    log(`generating ${scale} of national volume into ${database}`);
    const g = await generate(url, { scale, tracking: true, log });
    printSizes(g, log);
  }
  const pool = new Pool({ connectionString: url, max: 6 });
  try {
    const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM registry.subjects`)).rows as {
      n: number;
    }[];
    subjects = n;
    const [{ rows }] = (
      await pool.query(
        `SELECT count(*)::int AS rows FROM enforcement.assignments WHERE status IN ('issued','acknowledged','enforced')`,
      )
    ).rows as { rows: number }[];
    log('conditions:');
    log(
      `  database ${database}: ${fmt(subjects)} listed subjects (${fmt(subjects / NATIONAL_SUBJECTS, 3)} of national), ${fmt(rows)} binding rows`,
    );
    log(
      `  ${REPLICAS} replicas in one process, ${PARTITIONS} partitions; ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    log(`  node ${process.version}, gc exposed: ${typeof (global as { gc?: unknown }).gc === 'function'}`);

    const db = { query: (sql: string, params?: unknown[]) => pool.query(sql, params).then((r) => r.rows) };
    const channel = new SharedChannel();
    const quiet = pino({ enabled: false });
    const ownerships: BenchOwnership[] = [];
    const replicas: ActiveMeasures[] = [];

    // 1. start-up, one replica at a time: time to a complete index and its heap
    const heapPer: number[] = [];
    for (let r = 0; r < REPLICAS; r += 1) {
      const before = heap();
      const started = performance.now();
      const ownership = new BenchOwnership({ partitions: PARTITIONS, owned: ownedBy(r) });
      const replica = new ActiveMeasures(
        new PgMeasureQueries(db as unknown as DataSource),
        channel,
        quiet,
        ownership,
      );
      replica.onModuleInit();
      await until(() => replica.complete);
      const ms = performance.now() - started;
      const bytes = heap() - before;
      heapPer.push(bytes);
      ownerships.push(ownership);
      replicas.push(replica);
      log(
        `start-up replica ${r} (partitions ${ownedBy(r).join(',')}): ${fmt(replica.rowsHeld)} rows in ${fmt(ms / 1000, 1)} s ` +
          `(${fmt(replica.rowsHeld / (ms / 1000))} rows/s); heap +${fmt(bytes / 2 ** 20)} MiB = ${fmt(bytes / Math.max(1, replica.rowsHeld))} B/row`,
      );
    }
    const held = replicas.reduce((s, r) => s + r.rowsHeld, 0);
    log(
      `index: ${fmt(held)} rows over ${REPLICAS} replicas (all binding rows: ${held === rows}); heap ${fmt(heapPer.reduce((a, b) => a + b) / 2 ** 20)} MiB in all`,
    );

    // 2. checks routed by partition: 10 % listed, 90 % unlisted subjects, from memory
    const N = 300_000;
    const ids: string[] = [];
    for (let i = 0; i < N; i += 1)
      ids.push(i % 10 === 0 ? listedId((i * 7919) % subjects) : unlistedId((i * 104729) % (subjects * 7)));
    const lat: number[] = [];
    let fromMemory = 0;
    let hits = 0;
    const t0 = performance.now();
    for (let i = 0; i < N; i += 1) {
      const s = performance.now();
      const owner = replicas[keyPartition(ids[i], PARTITIONS) % REPLICAS];
      const known = owner.known(ids[i]);
      if (known) {
        fromMemory += 1;
        if (known.length > 0) hits += 1;
      }
      lat.push(performance.now() - s);
    }
    const seconds = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    log(
      `checks routed by partition (in-process lookup, no HTTP): ${fmt(N / seconds)} /s on one core; ` +
        `p50 ${fmt(pct(lat, 0.5) * 1000, 1)} µs p99 ${fmt(pct(lat, 0.99) * 1000, 1)} µs; ${fmt((100 * fromMemory) / N, 1)} % from memory, ${fmt(hits)} with measures`,
    );
    const wrong = ids
      .slice(0, 10_000)
      .filter((id) => replicas[(keyPartition(id, PARTITIONS) + 1) % REPLICAS].known(id) !== undefined).length;
    log(
      `  a check sent to a replica that does not own its subject: answered from memory ${wrong} of 10,000 times (PostgreSQL answers)`,
    );

    // 3. lift propagation: commit, announce, until every replica answers it from memory
    const lifts: number[] = [];
    const { rows: liftRows } = await pool.query(
      `SELECT id, target_id FROM enforcement.assignments WHERE status IN ('issued','acknowledged','enforced')
       ORDER BY id DESC LIMIT 100`,
    );
    for (const row of liftRows as { id: string; target_id: string }[]) {
      const owner = replicas[keyPartition(row.target_id, PARTITIONS) % REPLICAS];
      const started = performance.now();
      await pool.query(
        `UPDATE enforcement.assignments SET status = 'lifted', lifted_at = now() WHERE id = $1`,
        [row.id],
      );
      await channel.announce([row.target_id]);
      await until(() => {
        const known = owner.known(row.target_id);
        return known !== undefined && !known.some((m) => m.assignmentId === row.id);
      }, 30_000);
      lifts.push(performance.now() - started);
    }
    lifts.sort((a, b) => a - b);
    log(
      `lift propagation (commit → answered from the owner's memory), 100 lifts: p50 ${fmt(pct(lifts, 0.5), 1)} ms p99 ${fmt(pct(lifts, 0.99), 1)} ms`,
    );

    // 4. backstop: a pass over an unchanged index, and after 1,000 rows written behind its back
    let t = performance.now();
    await Promise.all(replicas.map((r) => r.backstop()));
    log(`backstop pass, three replicas, nothing written: ${fmt(performance.now() - t, 0)} ms`);
    await pool.query(
      `UPDATE enforcement.assignments SET updated_at = now() WHERE id IN (SELECT id FROM enforcement.assignments ORDER BY id LIMIT 1000)`,
    );
    t = performance.now();
    await Promise.all(replicas.map((r) => r.backstop()));
    log(`backstop pass, three replicas, 1,000 rows written unannounced: ${fmt(performance.now() - t, 0)} ms`);

    // 5. a day's additions and removals at this scale (6,400 / 7,300 a day nationally), ~6.5 rows each
    const share = subjects / NATIONAL_SUBJECTS;
    const additions = Math.round(6_400 * share);
    const removals = Math.round(7_300 * share);
    t = performance.now();
    const added: string[] = [];
    for (let i = 0; i < additions; i += 1) {
      const target = listedId(subjects + 1 + i);
      added.push(target);
      await pool.query(
        `INSERT INTO enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour, subject_id,
           subject_kind, subject_name, target_id, target_kind, period_from, period_to, status, issued_at,
           feedback_deadline, updated_at)
         SELECT gen_random_uuid(), $2, dept, measure, list_type, list_colour, $1, subject_kind, subject_name, $1,
           target_kind, now(), now() + interval '3 years', 'issued', now(), now() + interval '7 days', now()
         FROM enforcement.assignments WHERE target_id = $3`,
        [target, randomUUID(), listedId(i)],
      );
      await channel.announce([target]);
    }
    for (let i = 0; i < removals; i += 1) {
      const target = listedId(subjects - 1 - i);
      await pool.query(
        `UPDATE enforcement.assignments SET status = 'lifted', lifted_at = now() WHERE target_id = $1 AND status <> 'lifted'`,
        [target],
      );
      await channel.announce([target]);
    }
    const writeMs = performance.now() - t;
    await until(() =>
      added.every((id) => {
        const k = replicas[keyPartition(id, PARTITIONS) % REPLICAS].known(id);
        return k !== undefined && k.length > 0;
      }),
    );
    log(
      `a day's changes (${fmt(additions)} additions, ${fmt(removals)} removals, one transaction each): written and announced in ` +
        `${fmt(writeMs / 1000, 1)} s, all in every owner's memory ${fmt((performance.now() - t - writeMs) / 1000, 2)} s later`,
    );

    // 6. rebalance: replica 2 leaves; 0 and 1 read its partitions while checks go on
    t = performance.now();
    ownerships[2].assign({ partitions: PARTITIONS, owned: [] });
    ownerships[0].assign({ partitions: PARTITIONS, owned: ownedBy(0, 2) });
    ownerships[1].assign({ partitions: PARTITIONS, owned: ownedBy(1, 2) });
    let duringFromMemory = 0;
    let duringAsked = 0;
    while (!(replicas[0].complete && replicas[1].complete)) {
      for (let i = 0; i < 1000; i += 1) {
        const id = ids[(duringAsked + i) % N];
        duringAsked += 1;
        if (replicas[keyPartition(id, PARTITIONS) % 2].known(id) !== undefined) duringFromMemory += 1;
      }
      await sleep(1);
    }
    log(
      `rebalance 3 → 2 replicas: complete again in ${fmt((performance.now() - t) / 1000, 1)} s; meanwhile ` +
        `${fmt((100 * duringFromMemory) / Math.max(1, duringAsked), 1)} % of ${fmt(duringAsked)} checks from memory (the rest PostgreSQL); ` +
        `rows held ${replicas.map((r) => fmt(r.rowsHeld)).join(' / ')}`,
    );
    for (const r of replicas) await r.beforeApplicationShutdown();

    // 7. supervisors' queries (tracking): overdue page, statistics for a year, reconciliation counts
    const queries: [string, string][] = [
      [
        'overdue, first page (50)',
        `SELECT * FROM tracking.follow_up_assignments a WHERE a.overdue ORDER BY a.overdue_since, a.id LIMIT 51`,
      ],
      [
        'overdue count by department',
        `SELECT dept, count(*) FROM tracking.follow_up_assignments WHERE overdue GROUP BY dept`,
      ],
      [
        'statistics, a year by department (rollup)',
        `SELECT dept, sum(assigned), sum(acknowledged), sum(enforced), sum(overdue) FROM tracking.stats_daily
         WHERE day >= current_date - 365 GROUP BY dept`,
      ],
      [
        'reconciliation: assignments per entry, one department',
        `SELECT count(*) FROM trigger.assignments WHERE dept = 'DEPT07' AND status = 'issued'`,
      ],
    ];
    for (const [name, sql] of queries) {
      const times: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const s = performance.now();
        await pool.query(sql);
        times.push(performance.now() - s);
      }
      log(`supervisors: ${name}: ${times.map((x) => fmt(x, 0)).join(' / ')} ms`);
    }
    log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await pool.end();
    if (!process.env.SCALE_DB && process.env.KEEP !== '1') await dropDatabase(database);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
