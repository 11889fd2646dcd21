/**
 * `npm run bench:scale` — the check's index split over REPLICAS (3) enforcement processes in the
 * distributed mode, checks routed by the gateway to the replica holding their subject (issue 19,
 * decisions 0055 and 0058; the scale model is docs/scale.md, the figures docs/benchmarks/scale.md).
 *
 * Uses a database loaded by bench/scale-generate.ts (SCALE_DB, kept with KEEP=1; or generates one at
 * SCALE and drops it after). Starts REPLICAS enforcement services (`apps/enforcement/src/main.ts`,
 * CHECK_INDEX_SPLIT=true, PARTITIONS partitions on a topic prefix of its own, the machine's Kafka and
 * Redis) and the gateway (`apps/gateway/src/main.ts`, ENFORCEMENT_REPLICAS), then measures:
 *
 * 1. start-up to a complete index: each replica's time to ready (split readiness = its partitions read),
 *    its rows, heap and RSS (/metrics);
 * 2. check throughput and p50/p99 through the gateway (10 % listed subjects, 90 % of UNLISTED subjects
 *    on no list — 10 M at a tenth), and the same load sent to one replica without routing;
 * 3. lift propagation: a lift published on Kafka as the trigger service publishes it → the gateway's
 *    check answers allow; then a day's additions and removals at this volume in one burst;
 * 4. a rebalance under load: one replica stops; time until the others hold every partition, the load's
 *    errors and p99 meanwhile;
 * 5. the supervisors' queries.
 *
 * Env: SCALE_DB / SCALE / KEEP, DAY_RUN (0–7, step 3b's subjects on a kept database), REPLICAS (3), PARTITIONS (12), CONNECTIONS (32), SECONDS (20),
 * HEAP_MB (per replica, 4096), KAFKA_BROKERS (127.0.0.1:9092), REDIS_URL (redis://127.0.0.1:6379).
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { Pool } from 'pg';
import pino from 'pino';
import { EventTypes, keyHash, Topics } from '@credit/contracts';
import { createCloudEvent, KafkaBus } from '@credit/messaging';
import { freePort } from '../test/support/free-port';
import { Child, LoadResult, runLoad, serviceEnv, startChild } from './check-support';
import {
  adminUrl,
  createDatabase,
  dropDatabase,
  generate,
  listedId,
  NATIONAL_SUBJECTS,
  printSizes,
} from './scale-generate';

const REPLICAS = Number(process.env.REPLICAS ?? '3');
const PARTITIONS = Number(process.env.PARTITIONS ?? '12');
const CONNECTIONS = Number(process.env.CONNECTIONS ?? '32');
const SECONDS = Number(process.env.SECONDS ?? '20');
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'scale-bench-secret-0123456789abcdef';
const log = (l: string) => process.stdout.write(l + '\n');
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

interface IndexState {
  mode: string;
  held: number[];
  assigned: number[];
  loaded: boolean;
  complete: boolean;
  rows: number;
}

const stateOf = async (url: string): Promise<IndexState | undefined> =>
  fetch(`${url}/health/check-index`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.json() as Promise<IndexState>,
    () => undefined,
  );

/** heap used and resident set of a replica, from its /metrics */
async function memoryOf(url: string): Promise<{ heap: number; rss: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return { heap: value('nodejs_heap_size_used_bytes'), rss: value('process_resident_memory_bytes') };
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 3_600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(100);
  }
}

const loadLine = (what: string, r: LoadResult) =>
  `${what}: ${fmt(r.rps)} checks/s over ${fmt(r.seconds, 0)} s, ${CONNECTIONS} connections; ` +
  `p50 ${fmt(r.p50, 1)} ms p90 ${fmt(r.p90, 1)} ms p99 ${fmt(r.p99, 1)} ms max ${fmt(r.max, 0)} ms; ` +
  `${fmt(r.errors)} errors; decisions ${JSON.stringify(r.decisions)}; load average ${load()}`;

type LiftedRow = { id: string; entry_id: string; dept: string };

/** A binding row's lift as trigger publishes it on `credit.assignments`, keyed by its target. */
function liftRecord(row: LiftedRow, target: { id: string; kind: string }, liftedAt: string) {
  return {
    topic: Topics.assignments,
    key: target.id,
    value: JSON.stringify(
      createCloudEvent({
        type: EventTypes.assignmentLifted,
        source: 'credit/trigger',
        subject: row.id,
        data: {
          assignmentId: row.id,
          entryId: row.entry_id,
          dept: row.dept,
          target,
          reason: 'entry_ended',
          liftedAt,
        },
      }),
    ),
  };
}

interface DayOptions {
  additions: number;
  removals: number;
  subjects: number;
  dept: string;
  /** how many reasons the gateway's check gives for the subject and action */
  reasonsOf(id: string, action: string): Promise<number>;
}

/**
 * A day's additions and removals as trigger publishes them. An addition is a new subject (an identifier past
 * the generated ones) issued the binding rows of a generated subject (its measures, list type and period);
 * a removal lifts every binding row of a generated subject. Enforcement applies them from Kafka; the figures
 * are from the first record sent to the last row in its table, then to the checks' answers.
 */
async function replayDay(pool: Pool, bus: KafkaBus, o: DayOptions) {
  type Row = {
    id: string;
    entry_id: string;
    dept: string;
    measure: Record<string, unknown> & { actions: string[] };
    list_type: string;
    list_colour: string;
    subject_kind: string;
    subject_name: string;
    target_id: string;
    target_kind: string;
    period_from: Date;
    period_to: Date;
    feedback_deadline: Date;
    subscribed: boolean;
    channel: string;
  };
  const binding = async (ids: string[]) =>
    (
      await pool.query(
        `SELECT id, entry_id, dept, measure, list_type, list_colour, subject_kind, subject_name, target_id,
                target_kind, period_from, period_to, feedback_deadline, subscribed, channel
           FROM enforcement.assignments
          WHERE target_id = ANY($1) AND status IN ('issued','acknowledged','enforced')`,
        [ids],
      )
    ).rows as Row[];
  // templates from the top of the generated range, removals from the bottom: apart from each other and
  // from the lifts above (spread over the whole range, 20 of them)
  // (DAY_RUN, 0–7: runs on one kept database take subjects of their own)
  const run = Number(process.env.DAY_RUN ?? '0');
  const templateIds = Array.from({ length: o.additions }, (_, i) => listedId(o.subjects - 1 - i));
  // (every fourth subject from `run % 4`; runs 4–7 past the range runs 0–3 took)
  const removedBase = Math.floor(run / 4) * 4 * o.removals;
  const removedIds = Array.from({ length: o.removals }, (_, i) => listedId(removedBase + i * 4 + (run % 4)));
  const templates = await binding(templateIds);
  const removed = await binding(removedIds);
  const newIdOf = new Map(templateIds.map((id, i) => [id, listedId(o.subjects + run * o.additions + i)]));
  const entryOf = new Map(templateIds.map((id) => [id, randomUUID()]));
  const now = new Date().toISOString();
  const issuedIds: string[] = [];
  const records = templates.map((row) => {
    const id = newIdOf.get(row.target_id)!;
    const assignmentId = randomUUID();
    issuedIds.push(assignmentId);
    return {
      topic: Topics.assignments,
      key: id,
      value: JSON.stringify(
        createCloudEvent({
          type: EventTypes.assignmentIssued,
          source: 'credit/trigger',
          subject: assignmentId,
          data: {
            assignmentId,
            entryId: entryOf.get(row.target_id)!,
            dept: row.dept,
            measure: row.measure,
            listType: { code: row.list_type, colour: row.list_colour },
            subject: { kind: row.subject_kind, id, name: row.subject_name },
            target: { id, kind: row.target_kind },
            period: { from: row.period_from.toISOString(), to: row.period_to.toISOString() },
            issuedAt: now,
            feedbackDeadline: row.feedback_deadline.toISOString(),
            delivery: { subscribed: row.subscribed, channel: row.channel },
            generation: 0,
          },
        }),
      ),
    };
  });
  for (const row of removed) records.push(liftRecord(row, { id: row.target_id, kind: row.target_kind }, now));
  // the checks to watch: subjects with a row of the checking department, the action of that row
  const watch = (rows: Row[], idOf: (row: Row) => string) => {
    const seen = new Map<string, string>();
    for (const row of rows)
      if (row.dept === o.dept && !seen.has(idOf(row))) seen.set(idOf(row), row.measure.actions[0]);
    return [...seen].slice(0, 20);
  };
  const added = watch(templates, (row) => newIdOf.get(row.target_id)!);
  const gone = watch(removed, (row) => row.target_id);
  const sampled = Math.min(added.length, gone.length);
  const removedRowIds = removed.map((row) => row.id);
  // the poll names each row's table partition where the table has them (decision 0080): by id alone a
  // statement probes every partition for every id (~5 s a poll at a tenth): the poll would be timed
  const partitioned =
    (
      await pool.query(
        `SELECT 1 FROM information_schema.columns
         WHERE table_schema = 'enforcement' AND table_name = 'assignments' AND column_name = 'key_partition'`,
      )
    ).rowCount === 1;
  const issuedRows = templates.map((row, i) => ({ id: issuedIds[i], target: newIdOf.get(row.target_id)! }));
  const removedRows = removed.map((row) => ({ id: row.id, target: row.target_id }));
  // one branch a partition, its ids a parameter of their own: each branch planned on its partition alone
  // (a join on (id, partition) pruned at run time still took ~15 s a poll at a tenth)
  const params: unknown[] = [];
  const counted = (rows: { id: string; target: string }[], extra = '') => {
    if (!partitioned)
      return `(SELECT count(*)::int FROM enforcement.assignments a
        WHERE a.id = ANY($${params.push(rows.map((r) => r.id))}::uuid[])${extra})`;
    const byPart = new Map<number, string[]>();
    for (const r of rows) {
      const part = keyHash(r.target) % 48;
      byPart.set(part, [...(byPart.get(part) ?? []), r.id]);
    }
    const branches = [...byPart].map(
      ([part, ids]) => `SELECT 1 FROM enforcement.assignments a
        WHERE a.key_partition = ${part} AND a.id = ANY($${params.push(ids)}::uuid[])${extra}`,
    );
    return `(SELECT count(*)::int FROM (${branches.join(' UNION ALL ')}) x)`;
  };
  const pollSql = `SELECT ${counted(issuedRows)} AS issued, ${counted(removedRows, ` AND a.status = 'lifted'`)} AS lifted`;
  const started = performance.now();
  for (let i = 0; i < records.length; i += 2000) await bus.publish(records.slice(i, i + 2000));
  const publishMs = performance.now() - started;
  await until(async () => {
    const { rows } = await pool.query(pollSql, params);
    return rows[0].issued === issuedIds.length && rows[0].lifted === removedRowIds.length;
  }, 600_000);
  const appliedMs = performance.now() - started;
  await until(async () => {
    const a = await Promise.all(added.slice(0, sampled).map(([id, action]) => o.reasonsOf(id, action)));
    const g = await Promise.all(gone.slice(0, sampled).map(([id, action]) => o.reasonsOf(id, action)));
    return a.every((n) => n > 0) && g.every((n) => n === 0);
  }, 600_000);
  const answeredMs = performance.now() - started;
  return {
    additions: o.additions,
    issued: issuedIds.length,
    removals: o.removals,
    lifted: removedRowIds.length,
    publishMs,
    appliedMs,
    answeredMs,
    sampled,
  };
}

async function main(): Promise<void> {
  const scale = Number(process.env.SCALE ?? '0.1');
  let database = process.env.SCALE_DB;
  let url: string;
  if (database) {
    url = adminUrl().replace(/\/[^/]*$/, `/${database}`);
  } else {
    database = `credit_scale_${randomUUID().slice(0, 6)}`;
    url = await createDatabase(database);
    log(`generating ${scale} of national volume into ${database}`);
    const g = await generate(url, { scale, tracking: true, log });
    printSizes(g, log);
  }
  const pool = new Pool({ connectionString: url, max: 4 });
  const children: Child[] = [];
  const prefix = `scale-${randomBytes(3).toString('hex')}.`;
  const bus = new KafkaBus({
    brokers: BROKERS.split(','),
    clientId: 'scale-bench',
    prefix,
    logger: pino({ level: 'warn' }),
  });
  try {
    const [{ subjects }] = (await pool.query(`SELECT count(*)::int AS subjects FROM registry.subjects`))
      .rows as { subjects: number }[];
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
      `  ${REPLICAS} enforcement processes (CHECK_INDEX_SPLIT, ${PARTITIONS} partitions, Kafka ${BROKERS}, Redis) + the gateway ` +
        `routing by partition; ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB; load average ${load()}`,
    );
    // the checking department, one of the generated ones (a check sees the measures its department
    // must enforce, decision 0020), as registry's event would have told enforcement
    const dept = process.env.CHECK_DEPT ?? 'DEPT02';
    await pool.query(`INSERT INTO enforcement.known_departments (code) VALUES ($1) ON CONFLICT DO NOTHING`, [
      dept,
    ]);
    const { mintToken } = await import('../libs/auth/src/token-verifier');
    const token = await mintToken({ sub: 'bench', dept, roles: ['system'] }, SECRET);
    const env = (name: string) => ({
      ...serviceEnv(name, {
        databaseUrl: url,
        prefix,
        secret: SECRET,
        brokers: BROKERS,
        redisUrl: REDIS_URL,
      }),
      KAFKA_PARTITIONS: String(PARTITIONS),
      CHECK_INDEX_SPLIT: 'true',
      CHECK_INDEX_MAX_ROWS: String(Math.max(2_000_000, rows)),
      DATABASE_POOL_SIZE: '6',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'fatal',
      NODE_OPTIONS: `--max-old-space-size=${process.env.HEAP_MB ?? '4096'}`,
    });

    // 1. start-up: every replica at once (the group's first assignment splits the partitions between
    // them); ready = its partitions read
    const ports = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
    const started = performance.now();
    const replicas = await Promise.all(
      ports.map(async (port, r) => {
        // live first (startChild gives up after 2 min), then ready: its partitions read
        const child = await startChild({
          name: `enforcement-${r}`,
          script: 'apps/enforcement/src/main.ts',
          port,
          env: env('enforcement'),
          ready: '/health/live',
        });
        children.push(child);
        await until(async () => (await stateOf(child.url))?.loaded === true);
        const ms = performance.now() - started;
        return { child, ms };
      }),
    );
    await until(async () => {
      const states = await Promise.all(replicas.map((r) => stateOf(r.child.url)));
      const held = states.flatMap((s) => (s?.complete ? s.held : [NaN]));
      return new Set(held).size === PARTITIONS && held.length === PARTITIONS;
    });
    const all = performance.now() - started;
    let heldRows = 0;
    for (const [r, { child, ms }] of replicas.entries()) {
      const s = (await stateOf(child.url))!;
      const m = await memoryOf(child.url);
      heldRows += s.rows;
      log(
        `start-up replica ${r}: ready (partitions ${s.held.join(',')} read) ${fmt(ms / 1000, 1)} s after launch; ` +
          `${fmt(s.rows)} rows; heap ${fmt(m.heap / 2 ** 20)} MiB, RSS ${fmt(m.rss / 2 ** 20)} MiB ` +
          `(${fmt(m.heap / Math.max(1, s.rows))} heap B/row, process baseline included)`,
      );
    }
    log(
      `index: ${fmt(heldRows)} rows over ${REPLICAS} replicas (every binding row once: ${heldRows === rows}); ` +
        `every partition held ${fmt(all / 1000, 1)} s after launch; load average ${load()}`,
    );

    const gatewayPort = await freePort();
    const gateway = await startChild({
      name: 'gateway',
      script: 'apps/gateway/src/main.ts',
      port: gatewayPort,
      ready: '/health/live',
      env: {
        ENFORCEMENT_URL: replicas[0].child.url,
        ENFORCEMENT_REPLICAS: replicas.map((r) => r.child.url).join(','),
        REGISTRY_URL: 'http://127.0.0.1:9',
        TRIGGER_URL: 'http://127.0.0.1:9',
        TRACKING_URL: 'http://127.0.0.1:9',
        LOG_LEVEL: 'error',
      },
    });
    children.push(gateway);
    await sleep(1500); // the gateway's first reads of the replicas' partitions

    // 2. checks: 10 % listed, 90 % of 10 M × scale/0.1 unlisted subjects (the issue's 10 M at a tenth)
    const population = {
      listed: subjects,
      unlisted: Math.max(1, Math.round(subjects * (10_000_000 / 1_500_000))),
      listedShare: 0.1,
    };
    const routed = await runLoad({
      url: gateway.url,
      path: '/v1/checks',
      token,
      connections: CONNECTIONS,
      warmupSeconds: 5,
      seconds: SECONDS,
      scale: population,
      action: 'exit_entry',
    });
    log(loadLine('checks through the gateway, routed by partition', routed));
    const unrouted = await runLoad({
      url: replicas[0].child.url,
      path: '/v1/checks',
      token,
      connections: CONNECTIONS,
      warmupSeconds: 5,
      seconds: SECONDS,
      scale: population,
      action: 'exit_entry',
    });
    log(
      loadLine(
        `the same load sent to one replica directly (no gateway; ${fmt(100 - 100 / REPLICAS)} % of subjects not its own: PostgreSQL)`,
        unrouted,
      ),
    );

    // 3. lift propagation: a subject's rows lifted by events on Kafka (keyed by the subject, as the
    // trigger service publishes them) until the gateway's check answers allow
    // the gateway's answer to one check (the lifts watch its decision, the day's changes its reasons)
    const answer = async (id: string, action: string) => {
      const response = await fetch(`${gateway.url}/v1/checks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: { id }, action }),
      });
      return (await response.json()) as { decision: string; reasons: unknown[] };
    };
    const check = async (id: string, action: string) => (await answer(id, action)).decision;
    const lifts: number[] = [];
    for (let k = 0; k < 2000 && lifts.length < 20; k += 1) {
      const id = listedId(Math.floor(((k + 1) * subjects) / 2001));
      const { rows: binding } = await pool.query(
        `SELECT id, entry_id, dept, measure->'actions'->>0 AS action FROM enforcement.assignments
         WHERE target_id = $1 AND dept = $2 AND status IN ('issued','acknowledged','enforced')`,
        [id, dept],
      );
      if (binding.length === 0) continue;
      const actions = [...new Set((binding as { action: string }[]).map((b) => b.action))];
      const before = await Promise.all(actions.map((a) => check(id, a)));
      if (before.every((d) => d === 'allow')) continue; // reference-only measures: nothing to see lifted
      const t = performance.now();
      const at = new Date().toISOString();
      await bus.publish(
        (binding as LiftedRow[]).map((row) => liftRecord(row, { id, kind: 'legal_person' }, at)),
      );
      await until(
        async () => (await Promise.all(actions.map((a) => check(id, a)))).every((d) => d === 'allow'),
        60_000,
      );
      lifts.push(performance.now() - t);
    }
    lifts.sort((a, b) => a - b);
    if (lifts.length > 0)
      log(
        `lift propagation (publish on Kafka → consumed, committed, announced → the gateway's check allows), ` +
          `${lifts.length} subjects (3–10 rows each): p50 ${fmt(pct(lifts, 0.5), 0)} ms p99 ${fmt(pct(lifts, 0.99), 0)} ms max ${fmt(lifts[lifts.length - 1] ?? 0, 0)} ms`,
      );

    // 3b. a day's changes: ~6,400 additions and ~7,300 removals a day nationally (2025), × this volume,
    // published in one burst as trigger publishes them (issued / lifted, keyed by the subject): how long
    // until enforcement has applied every one, and until the gateway's checks answer from them
    const share = subjects / NATIONAL_SUBJECTS;
    const day = await replayDay(pool, bus, {
      additions: Math.max(1, Math.round(6400 * share)),
      removals: Math.max(1, Math.round(7300 * share)),
      subjects,
      dept,
      reasonsOf: async (id, action) => (await answer(id, action)).reasons.length,
    });
    log(
      `a day's changes at this volume: ${fmt(day.additions)} additions (${fmt(day.issued)} assignments issued) and ` +
        `${fmt(day.removals)} removals (${fmt(day.lifted)} assignments lifted), published in ${fmt(day.publishMs, 0)} ms; ` +
        `every one applied by enforcement ${fmt(day.appliedMs, 0)} ms after the first was sent; the gateway's checks of ` +
        `${day.sampled} added and ${day.sampled} removed subjects answer from them ${fmt(day.answeredMs, 0)} ms after it; ` +
        `load average ${load()}`,
    );

    // 4. rebalance under load: the last replica stops; the others read its partitions
    const leaving = replicas[REPLICAS - 1].child;
    const rest = replicas.slice(0, REPLICAS - 1).map((r) => r.child.url);
    const during = runLoad({
      url: gateway.url,
      path: '/v1/checks',
      token,
      connections: CONNECTIONS,
      warmupSeconds: 1,
      seconds: Math.max(SECONDS, 30),
      scale: population,
      action: 'exit_entry',
    });
    await sleep(3000);
    const t = performance.now();
    await leaving.stop();
    const stopped = performance.now() - t;
    await until(async () => {
      const states = await Promise.all(rest.map(stateOf));
      const held = states.flatMap((s) => (s?.complete ? s.held : [NaN]));
      return new Set(held).size === PARTITIONS && held.length === PARTITIONS;
    });
    const regained = performance.now() - t;
    const r = await during;
    const states = await Promise.all(rest.map(stateOf));
    log(
      `rebalance ${REPLICAS} → ${REPLICAS - 1} under load: the replica stopped in ${fmt(stopped / 1000, 1)} s; every partition ` +
        `read again ${fmt(regained / 1000, 1)} s after the stop (rows held ${states.map((s) => fmt(s?.rows ?? 0)).join(' / ')})`,
    );
    log(loadLine('  checks meanwhile', r));

    // 5. supervisors' queries (tracking): overdue page, statistics for a year, reconciliation's gaps
    const queries: [string, string][] = [
      [
        'overdue, first page (50)',
        `SELECT * FROM tracking.follow_up_assignments a WHERE a.overdue ORDER BY a.overdue_since, a.id LIMIT 51`,
      ],
      [
        'statistics, a year by department (rollup)',
        `SELECT dept, sum(assigned), sum(acknowledged), sum(enforced), sum(overdue) FROM tracking.stats_daily
         WHERE day >= current_date - 365 GROUP BY dept`,
      ],
      [
        "reconciliation: one department's open gaps, first page (100)",
        `SELECT g.* FROM tracking.reconciliation_gaps g WHERE g.cleared_at IS NULL AND g.dept = 'DEPT07'
         ORDER BY g.since, g.kind, g.ref LIMIT 101`,
      ],
      [
        // not a supervisors' route: what a count of a department's rows costs at this volume
        "a department's issued assignments counted (trigger.assignments)",
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
    log(`load average at the end: ${load()}`);
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    await bus.close().catch(() => undefined);
    await pool.end();
    if (!process.env.SCALE_DB && process.env.KEEP !== '1') await dropDatabase(database);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
