/**
 * Embedded check benchmark (issue 5), against the real enforcement service (its own process) on real
 * PostgreSQL, Redis and Kafka:
 *
 *  1. data: 1,000,000 subjects, 100,000 of them with active measures (seeded straight into
 *     enforcement.assignments with COPY: block/warn/priority/reference measures over a handful of actions);
 *  2. throughput: `POST /v1/checks` with a valid JWT, subjects drawn at random from the 1M (~10% hit),
 *     requests/s at 64 connections and p50/p99 at 8 connections — against a bare Fastify server with one
 *     constant POST route measured in the same run; the load generator is its own process
 *     (bench/check-load.ts) and does the same work against both (a random subject per request, each
 *     answer's decision read); targets ≥ 0.8 × the baseline's rps, p99 ≤ 1.5 × the baseline's p99;
 *  3. lift propagation: registry `POST /v1/list-entries/{id}/end` → the check answering `allow`, over many
 *     lifts, with registry, trigger and enforcement in their own processes; target p99 ≤ 250 ms.
 *
 *   npm run bench:check     (env: WARMUP_S=5 MEASURE_S=15 LIFTS=200; PROFILE_DIR=… to --cpu-prof the
 *                            enforcement child and the baseline server; PHASES=throughput,lift to run a part)
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { mintToken } from '../libs/auth/src/token-verifier';
import { tablePartitionOf } from '../apps/enforcement/src/checks/active-measures/table-partitions';
import {
  ACTIONS,
  benchTokens,
  Child,
  isListed,
  liftToAllow,
  LoadResult,
  publishListed,
  quantile,
  runLoad,
  serviceEnv,
  startChild,
  subjectId,
  SUBJECTS,
  uscc,
  withDatabase,
} from './check-support';

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-check-secret-0123456789abcdef';
const WARMUP_S = Number(process.env.WARMUP_S ?? 5);
const MEASURE_S = Number(process.env.MEASURE_S ?? 15);
const LIFTS = Number(process.env.LIFTS ?? 200);
const PHASES = (process.env.PHASES ?? 'throughput,lift').split(',');
const PROFILE_DIR = process.env.PROFILE_DIR;

const RPS_TARGET = 0.8;
const P99_TARGET = 1.5;
const LIFT_P99_TARGET_MS = 250;

/** The measures seeded for listed subjects: a mix of modes over the handful of actions. */
const SEED_MEASURES: { code: string; dept: string; mode: string; actions: string[] }[] = [
  { code: 'BENCH-BID-BLOCK', dept: 'FINANCE', mode: 'block', actions: ['government_procurement_bid'] },
  { code: 'BENCH-FIN-BLOCK', dept: 'NFRA', mode: 'block', actions: ['financial_institution_establishment'] },
  { code: 'BENCH-EXIT-WARN', dept: 'POLICE', mode: 'warn', actions: ['exit_entry'] },
  { code: 'BENCH-CONSUME-BLOCK', dept: 'CULTURE', mode: 'block', actions: ['high_consumption'] },
  {
    code: 'BENCH-OFFICE-WARN',
    dept: 'CIVIL',
    mode: 'warn',
    actions: ['public_office_appointment', 'government_procurement_bid'],
  },
  {
    code: 'BENCH-PRIORITY',
    dept: 'PUBLIC_RESOURCE',
    mode: 'priority',
    actions: ['government_procurement_bid', 'exit_entry'],
  },
  { code: 'BENCH-REFERENCE', dept: 'CREDIT_OFFICE', mode: 'reference', actions: [...ACTIONS] },
];

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** COPY text-format field (our values hold no tab, newline or backslash, but be safe). */
const field = (v: string | null) => (v === null ? '\\N' : v.replace(/[\\\t\n\r]/g, (c) => `\\${c}`));

export async function seed(databaseUrl: string): Promise<{ subjects: number; rows: number; ms: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const started = performance.now();
  // the checking department, registered as its event would have told enforcement (decision 0019)
  await db.query(
    `INSERT INTO enforcement.known_departments (code) VALUES ('FINANCE') ON CONFLICT DO NOTHING`,
  );
  const now = Date.now();
  const from = new Date(now - 30 * 86_400_000).toISOString();
  const to = new Date(now + 700 * 86_400_000).toISOString();
  const deadline = new Date(now + 7 * 86_400_000).toISOString();
  const measures = SEED_MEASURES.map((m) =>
    JSON.stringify({
      code: m.code,
      version: 1,
      memorandumCode: 'MOU-BENCH',
      text: `基准测试措施 ${m.code}`,
      kind: 'punishment',
      mode: m.mode,
      actions: m.actions,
      legalBasis: '《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
      feedbackWorkingDays: 5,
    }),
  );
  let rows = 0;
  let subjects = 0;
  function* lines(): Generator<string> {
    let chunk = '';
    for (let n = 0; n < SUBJECTS; n += 1) {
      if (!isListed(n)) continue;
      subjects += 1;
      const k = n / 10;
      const id = subjectId(n);
      const entryId = randomUUID();
      // 1–3 measures per subject, chosen so that every mode and action is represented
      for (let j = 0, count = 1 + (k % 3); j < count; j += 1) {
        const m = (k + j * 3) % SEED_MEASURES.length;
        rows += 1;
        chunk +=
          [
            randomUUID(),
            entryId,
            SEED_MEASURES[m].dept,
            measures[m],
            'COURT_DEFAULTER',
            'black',
            id,
            'legal_person',
            `基准测试企业${n}`,
            id,
            'legal_person',
            null,
            null,
            from,
            to,
            'issued',
            from,
            deadline,
            null,
            null,
            from,
            null,
            '0',
            'f',
            'pull',
            null,
            '{}',
            String(tablePartitionOf(id)),
          ]
            .map(field)
            .join('\t') + '\n';
      }
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(
    Readable.from(lines()),
    db.query(
      copyFrom(`COPY enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour, subject_id,
        subject_kind, subject_name, target_id, target_kind, target_role, target_name, period_from, period_to,
        status, issued_at, feedback_deadline, acknowledged_at, lifted_at, updated_at, suspended_from, generation,
        subscribed, channel, webhook_url, subject_legacy_ids, key_partition) FROM STDIN`),
    ),
  );
  // the steady state autovacuum keeps: statistics, and the GIN pending list merged
  await db.query('VACUUM ANALYZE enforcement.assignments');
  await db.end();
  return { subjects, rows, ms: performance.now() - started };
}

const line = (label: string, r: LoadResult) =>
  `${label}: ${fmt(r.rps)} req/s over ${r.seconds.toFixed(1)} s (${fmt(r.requests)} requests, ${r.errors} errors), ` +
  `latency ms p50 ${r.p50.toFixed(2)} p90 ${r.p90.toFixed(2)} p99 ${r.p99.toFixed(2)} max ${r.max.toFixed(1)}` +
  (r.decisions ? `; decisions ${JSON.stringify(r.decisions)}` : '');

async function throughput(enforcement: Child, token: string) {
  const baseline = await startChild({
    name: 'baseline',
    script: 'bench/check-baseline-server.ts',
    port: 3690,
    env: {},
    profileDir: PROFILE_DIR, // what the bare route costs, to read beside enforcement's profile
  });
  const load = (url: string, connections: number) =>
    runLoad({
      url,
      path: '/v1/checks',
      token,
      connections,
      warmupSeconds: WARMUP_S,
      seconds: MEASURE_S,
    });
  let base64: LoadResult;
  let base8: LoadResult;
  try {
    base64 = await load(baseline.url, 64);
    base8 = await load(baseline.url, 8);
  } finally {
    await baseline.stop();
  }
  const sys64 = await load(enforcement.url, 64);
  const sys8 = await load(enforcement.url, 8);
  console.log(line('baseline bare Fastify, 64 connections', base64));
  console.log(line('baseline bare Fastify, 8 connections', base8));
  console.log(line('enforcement POST /v1/checks, 64 connections', sys64));
  console.log(line('enforcement POST /v1/checks, 8 connections', sys8));
  const hits = sys64.decisions ? sys64.requests - (sys64.decisions.allow ?? 0) : 0;
  const pctOf = (n: number) => `${((100 * n) / Math.max(1, sys64.requests)).toFixed(1)}%`;
  console.log(
    `at 64 connections: ${pctOf(sys64.withMeasures ?? 0)} of checks about a subject with active measures, ` +
      `${pctOf(hits)} answered other than allow (the random action is not always one the subject's measures restrict)`,
  );
  const rpsRatio = sys64.rps / base64.rps;
  const p99Ratio = sys8.p99 / base8.p99;
  console.log(
    `ratio rps (64 conns) check/baseline: ${rpsRatio.toFixed(2)} (target ≥ ${RPS_TARGET}) ${rpsRatio >= RPS_TARGET ? 'met' : 'NOT met'}`,
  );
  console.log(
    `ratio p99 (8 conns) check/baseline: ${p99Ratio.toFixed(2)} (${sys8.p99.toFixed(2)} ms vs ${base8.p99.toFixed(2)} ms; target ≤ ${P99_TARGET}) ${p99Ratio <= P99_TARGET ? 'met' : 'NOT met'}`,
  );
}

async function liftPropagation(enforcementUrl: string, databaseUrl: string, prefix: string) {
  const registry = await startChild({
    name: 'registry',
    script: 'apps/registry/src/main.ts',
    port: 3611,
    env: serviceEnv('registry', {
      databaseUrl,
      prefix,
      secret: SECRET,
      brokers: BROKERS,
      redisUrl: REDIS_URL,
    }),
  });
  const trigger = await startChild({
    name: 'trigger',
    script: 'apps/trigger/src/main.ts',
    port: 3612,
    env: serviceEnv('trigger', {
      databaseUrl,
      prefix,
      secret: SECRET,
      brokers: BROKERS,
      redisUrl: REDIS_URL,
    }),
  });
  try {
    // the entries published in one bulk import; then every subject lifted one after the other
    const subjects = Array.from({ length: LIFTS }, (_, i) => uscc(i + 1, 'L'));
    const urls = { registry: registry.url, trigger: trigger.url, enforcement: enforcementUrl };
    const { publishToBlockMs } = await publishListed({
      urls,
      secret: SECRET,
      subjects,
      action: 'government_procurement_bid',
      tag: 'LIFT',
      documentNumber: 1,
    });
    const tokens = await benchTokens(SECRET);
    const lifts: number[] = [];
    const endCalls: number[] = [];
    for (const subjectId of subjects) {
      const r = await liftToAllow({ urls, tokens, subjectId, action: 'government_procurement_bid' });
      lifts.push(r.liftMs);
      endCalls.push(r.endMs);
    }
    const pct = quantile;
    console.log(
      `lift propagation setup: ${LIFTS} entries published by bulk import; every check answered block ${fmt(publishToBlockMs)} ms after the import answered`,
    );
    console.log(
      `registry POST /end answer: p50 ${pct(endCalls, 0.5).toFixed(1)} ms p99 ${pct(endCalls, 0.99).toFixed(1)} ms`,
    );
    // where the time goes, per hop, from the services' outbox and inbox tables (timestamps are each
    // transaction's start: the end request's, the relay pass's, the consuming handler's)
    const phases = new Client({ connectionString: databaseUrl });
    await phases.connect();
    const { rows: hops } = await phases.query<Record<string, number>>(
      `WITH ended AS (SELECT key, event_id, created_at, published_at FROM registry.message_published
                      WHERE event_type = 'credit.list-entry.ended.v1'),
            lifted AS (SELECT key, event_id, created_at, published_at FROM trigger.message_published
                       WHERE event_type = 'credit.assignment.lifted.v1')
       SELECT extract(epoch FROM e.published_at - e.created_at) * 1000 AS "registry outbox → relay pass",
              extract(epoch FROM ti.received_at - e.published_at) * 1000 AS "relay pass → trigger handler",
              extract(epoch FROM l.published_at - l.created_at) * 1000 AS "trigger outbox → relay pass",
              extract(epoch FROM ei.received_at - l.published_at) * 1000 AS "relay pass → enforcement handler"
       FROM ended e
       JOIN trigger.message_inbox ti ON ti.event_id = e.event_id::text
       JOIN lifted l ON l.key = e.key
       JOIN enforcement.message_inbox ei ON ei.event_id = l.event_id::text AND ei.consumer = 'enforcement.assignments'`,
    );
    await phases.end();
    if (hops.length > 0) {
      const parts = Object.keys(hops[0]).map((name) => {
        const values = hops.map((h) => Number(h[name]));
        return `${name} p50 ${pct(values, 0.5).toFixed(1)} / p99 ${pct(values, 0.99).toFixed(1)}`;
      });
      console.log(`lift hops (ms, ${hops.length} lifts): ${parts.join('; ')}`);
    }
    const p99 = pct(lifts, 0.99);
    console.log(
      `lift propagation (POST /end → check answers allow, polled every ~2 ms) over ${lifts.length} lifts: ` +
        `p50 ${pct(lifts, 0.5).toFixed(1)} ms p90 ${pct(lifts, 0.9).toFixed(1)} ms p99 ${p99.toFixed(1)} ms ` +
        `max ${Math.max(...lifts).toFixed(1)} ms (target p99 ≤ ${LIFT_P99_TARGET_MS} ms) ${p99 <= LIFT_P99_TARGET_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
    await trigger.stop();
    await registry.stop();
  }
}

async function main() {
  const pgVersion = await (async () => {
    const c = new Client({ connectionString: PG_ADMIN });
    await c.connect();
    const v = (await c.query('SHOW server_version')).rows[0].server_version as string;
    await c.end();
    return v;
  })();
  console.log('check benchmark');
  console.log(
    `conditions: ${cpus().length} CPUs (${cpus()[0]?.model?.trim() ?? '?'}), Node ${process.version}, PostgreSQL ${pgVersion}, ` +
      `Kafka at ${BROKERS} (3 partitions), Redis at ${REDIS_URL}; every server and the load generator in its own process ` +
      `on this machine; warm-up ${WARMUP_S} s, measured ${MEASURE_S} s per run; enforcement DATABASE_POOL_SIZE ${process.env.DATABASE_POOL_SIZE ?? '10'}, LOG_LEVEL ${process.env.LOG_LEVEL ?? 'error'}`,
  );
  await withDatabase(PG_ADMIN, async (databaseUrl) => {
    const prefix = `benchcheck${randomUUID().slice(0, 6)}.`;
    const start = () =>
      startChild({
        name: 'enforcement',
        script: 'apps/enforcement/src/main.ts',
        port: 3613,
        env: serviceEnv('enforcement', {
          databaseUrl,
          prefix,
          secret: SECRET,
          brokers: BROKERS,
          redisUrl: REDIS_URL,
        }),
        profileDir: PROFILE_DIR,
      });
    let enforcement = await start(); // creates the schema
    try {
      if (PHASES.includes('throughput')) {
        const seeded = await seed(databaseUrl);
        console.log(
          `data: ${fmt(SUBJECTS)} subjects, ${fmt(seeded.subjects)} with active measures (${fmt(seeded.rows)} binding rows ` +
            `in enforcement.assignments: modes block/warn/priority/reference over ${ACTIONS.length} actions), seeded by COPY + VACUUM ANALYZE in ${fmt(seeded.ms)} ms`,
        );
        // rows written behind the service's back (not through the assignment stream, so never announced):
        // start it again, as after a deployment, so that it reads them
        await enforcement.stop();
        enforcement = await start();
        const token = await mintToken({ sub: 'bench', dept: 'FINANCE', roles: ['system'] }, SECRET);
        await throughput(enforcement, token);
      }
      if (PHASES.includes('lift')) await liftPropagation(enforcement.url, databaseUrl, prefix);
    } finally {
      await enforcement.stop();
    }
  });
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
