/**
 * `npm run bench:supervisors` — the supervisors' queries and tracking's periodic passes at a fraction of
 * national volume (issue 19, decision 0056), on data generated inside PostgreSQL (INSERT … SELECT over
 * generate_series: minutes where the COPY generator takes an hour), through the real migrations.
 *
 * Volume at SCALE (national × SCALE): 15 M listed subjects × 6.5 follow-up assignments (3–10 each, 37
 * departments), 4 % overdue (fully marked), the rest acknowledged and enforced; a day's issues (42 k
 * national) whose acknowledgement deadline has just passed (what one overdue pass must mark); one entry
 * per subject in `tracking.entries`, 10 % ended and lifted; a year of `stats_daily`; a year of trail
 * records (230 k a day national) in monthly partitions; and a check log by day (decision 0071): 13 months
 * of CHECKS_PER_DAY (default 2,000) to time the maintainer's drop of a day against a DELETE, and one peak
 * day, yesterday, at CHECK_DAY_SCALE of the national 170 M checks a day (default SCALE) for the
 * supervisors' check-log queries.
 *
 * Each query runs three times (the figures are the three); the old forms beside the new ones. The
 * check-log summary reads the rollups the log's writes keep (decision 0072): the peak day's INSERT pays
 * for them, and their rows for the day are printed.
 * Env: ADMIN_URL, SCALE (0.01), CHECK_DAY_SCALE, SCALE_DB (reuse a kept database: no generation),
 * KEEP=1, ONLY=checks (the check log alone: no tracking data, no tracking queries), PASS_BEFORE=1 (the
 * overdue pass's walk by id as well: O(open), skipped from SCALE 0.05 on), PEAK_DAY (the peak day's
 * start, ISO: a kept database read after the day it was made).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import pino from 'pino';
import type { Principal } from '@credit/auth';
import {
  addDays,
  createServiceDataSource,
  dayPartitionName,
  dayStart,
  maintainMonthlyPartitions,
  openServiceDatabase,
} from '@credit/persistence';
import { CheckLogQueries } from '../apps/enforcement/src/checks/check-log.queries';
import { CheckLogSummaryQueries } from '../apps/enforcement/src/checks/check-log-summary.queries';
import { WebhookSecretCipher } from '../apps/enforcement/src/delivery/webhook-secret-cipher';
import { ENFORCEMENT_ENTITIES, enforcementMigrations } from '../apps/enforcement/src/enforcement.module';
import { LogPartitionsJob } from '../apps/enforcement/src/retention/log-partitions.job';
import { DEFAULT_LOG_PARTITIONS_OPTIONS } from '../apps/enforcement/src/retention/log-partitions.options';
import { LIFTS_MISSING_SQL } from '../apps/tracking/src/reconciliation/run-reconciliation.usecase';
import { TRACKING_ENTITIES, TRACKING_MIGRATIONS } from '../apps/tracking/src/tracking.module';
import { adminUrl, createDatabase, dropDatabase } from './scale-generate';

const log = (l: string) => process.stdout.write(l + '\n');
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  log(`  ${name}: ${fmt((performance.now() - started) / 1000, 1)} s`);
  return result;
}

async function migrate(url: string): Promise<void> {
  const cipher = new WebhookSecretCipher(randomBytes(32));
  for (const service of [
    { schema: 'enforcement', entities: ENFORCEMENT_ENTITIES, migrations: enforcementMigrations(cipher) },
    { schema: 'tracking', entities: TRACKING_ENTITIES, migrations: TRACKING_MIGRATIONS },
  ]) {
    const ds = createServiceDataSource({ ...service, url, poolSize: 1 });
    try {
      await openServiceDatabase(ds);
    } finally {
      if (ds.isInitialized) await ds.destroy();
    }
  }
}

async function generate(db: Client, url: string, scale: number): Promise<void> {
  const subjects = Math.round(15_000_000 * scale);
  const dueToday = Math.round(42_000 * scale);
  const trailPerDay = Math.round(230_000 * scale);
  // follow-up: 3–10 per subject; published 0–3 years ago; 1 in 25 overdue and escalated on both counts
  await timed(`follow_up_assignments (${fmt(subjects)} subjects)`, () =>
    db.query(`INSERT INTO tracking.follow_up_assignments (id, entry_id, dept, issued, subject_id, list_type,
        measure_code, measure_version, memorandum_code, target_id, target_kind, issued_at, ack_deadline,
        ack_escalation_at, feedback_deadline, feedback_escalation_at, acknowledged_at, enforced_at,
        ack_overdue_level, ack_overdue_since, feedback_overdue_level, feedback_overdue_since, status, overdue,
        overdue_kind, overdue_level, overdue_deadline, overdue_since, updated_at)
      SELECT md5('a' || n || ':' || j)::uuid, md5('e' || n)::uuid,
        'DEPT' || lpad((((n + j * 7) % 60) % 37)::text, 2, '0'), true, 'S' || n,
        (ARRAY['COURT_DEFAULTER','TAX_MAJOR','CUSTOMS_DISHONEST','SAFETY_BLACK','ENV_SERIOUS'])[1 + n % 5],
        'M' || lpad(((n + j * 7) % 60)::text, 3, '0'), 1, 'MOU' || ((n + j * 7) % 60 % 6), 'S' || n,
        'legal_person', t, t + interval '3 days', t + interval '8 days', t + interval '7 days',
        t + interval '12 days',
        CASE WHEN o THEN NULL ELSE t + interval '1 day' END,
        CASE WHEN o THEN NULL ELSE t + interval '2 days' END,
        CASE WHEN o THEN 2 ELSE 0 END, CASE WHEN o THEN t + interval '3 days' END,
        CASE WHEN o THEN 2 ELSE 0 END, CASE WHEN o THEN t + interval '7 days' END,
        CASE WHEN o THEN 'issued' ELSE 'enforced' END, o,
        CASE WHEN o THEN 'acknowledgement' END, CASE WHEN o THEN 2 END,
        CASE WHEN o THEN t + interval '3 days' END, CASE WHEN o THEN t + interval '3 days' END, t
      FROM generate_series(0, ${subjects - 1}) n, generate_series(0, 9) j,
        LATERAL (SELECT now() - ((n::bigint * 7919) % 1095) * interval '1 day' - interval '30 days' AS t,
                        (n * 31 + j) % 25 = 0 AS o) x
      WHERE j < 3 + n % 8`),
  );
  // the rollup's changes appended by the load, folded as the overdue pass does after each pass
  await timed('overdue rollup: fold the load', () =>
    db.query(`WITH moved AS (DELETE FROM tracking.overdue_count_changes RETURNING dept, kind, level, delta)
      INSERT INTO tracking.overdue_counts (dept, kind, level, n)
      SELECT dept, kind, level, sum(delta) FROM moved GROUP BY 1, 2, 3
      ON CONFLICT (dept, kind, level) DO UPDATE SET n = overdue_counts.n + EXCLUDED.n`),
  );
  // a day's issues whose acknowledgement deadline passed an hour ago: one pass's work
  await timed(`due now (${fmt(dueToday)})`, () =>
    db.query(
      `UPDATE tracking.follow_up_assignments SET acknowledged_at = NULL, enforced_at = NULL,
         ack_deadline = now() - interval '1 hour', ack_escalation_at = now() + interval '3 days',
         feedback_deadline = now() + interval '4 days', feedback_escalation_at = now() + interval '9 days',
         status = 'issued'
       WHERE id IN (SELECT id FROM tracking.follow_up_assignments WHERE NOT overdue ORDER BY id LIMIT $1)`,
      [dueToday],
    ),
  );
  await timed('entries (10 % ended, their assignments lifted and confirmed)', async () => {
    await db.query(`INSERT INTO tracking.entries (entry_id, owner_dept, list_type, published_at, ended_at,
        end_reason, fan_outs, declared, issued, fanned_out_at)
      SELECT md5('e' || n)::uuid, 'COURT', 'COURT_DEFAULTER', now() - ((n::bigint * 7919) % 1095) * interval '1 day',
        CASE WHEN n % 10 = 0 THEN now() - (n % 365) * interval '1 day' END,
        CASE WHEN n % 10 = 0 THEN 'expired' END, 1, 3 + n % 8, 3 + n % 8, now()
      FROM generate_series(0, ${subjects - 1}) n`);
    await db.query(`UPDATE tracking.follow_up_assignments a SET lifted_at = e.ended_at,
        lift_confirmed_at = e.ended_at + interval '1 day', status = 'lift_confirmed'
      FROM tracking.entries e WHERE e.entry_id = a.entry_id AND e.ended_at IS NOT NULL`);
  });
  await timed('stats_daily (a year)', () =>
    db.query(
      `INSERT INTO tracking.stats_daily (dept, list_type, memorandum_code, day, assigned,
        acknowledged, acknowledged_on_time, enforced, overdue, acted)
      SELECT 'DEPT' || lpad(d::text, 2, '0'), lt, 'MOU' || (d % 6), current_date - g,
             (20 + (d * g) % 40), 18, 16, 10, 1, 12
      FROM generate_series(0, 36) d, unnest($1::text[]) lt, generate_series(0, 364) g`,
      [['COURT_DEFAULTER', 'TAX_MAJOR', 'CUSTOMS_DISHONEST', 'SAFETY_BLACK', 'ENV_SERIOUS']],
    ),
  );
  // the trail: a year back; the months before the migration's are made first, as the maintainer makes them
  await timed(`trail_records (a year, ${fmt(trailPerDay)} a day)`, async () => {
    const ds = await openSchema(url, 'tracking');
    await ds.transaction((m) =>
      maintainMonthlyPartitions(
        m,
        { table: 'tracking.trail_records' },
        new Date(Date.now() - 380 * 86_400_000),
        13,
      ),
    );
    await ds.destroy();
    await db.query(`INSERT INTO tracking.trail_records (entry_id, event_id, type, topic, time, actor_dept, data)
      SELECT md5('e' || ((d * ${trailPerDay} + i) % ${subjects}))::uuid, 'evt-' || d || '-' || i,
        'credit.feedback.acknowledged.v1', 'credit.feedback', now() - d * interval '1 day' + i * interval '1 ms',
        'DEPT01', jsonb_build_object('n', i)
      FROM generate_series(1, 365) d, generate_series(0, ${trailPerDay - 1}) i`);
  });
  await timed('vacuum analyze', () => db.query('VACUUM ANALYZE'));
}

const DEPTS = 37;
const ACTIONS = [
  'government_procurement_bid',
  'exit_entry',
  'high_consumption',
  'financial_institution_establishment',
  'public_office_appointment',
];

/**
 * The check log by day (decision 0071): 13 months of `perDay` checks (the maintainer's drop and a DELETE
 * timed on them) and yesterday at `dayScale` of the national 170 M: 37 departments, 10 % of checks on a
 * listed subject (a hit: one reason), 90 % on one of 10 M × dayScale / 0.1 unlisted subjects.
 */
async function generateChecks(db: Client, url: string, perDay: number, dayScale: number): Promise<void> {
  const peak = Math.round(170_000_000 * dayScale);
  const unlisted = Math.max(1, Math.round(100_000_000 * dayScale));
  const listed = Math.max(1, Math.round(15_000_000 * dayScale));
  await timed('check log: days from 400 days back to a week ahead', async () => {
    const ds = await openSchema(url, 'enforcement');
    // the summary's rollups (decisions 0072, 0079, 0081) by the same days, as the log maintainer makes them:
    // a transaction a table, as it does (400 days of them at once outgrow the lock table)
    for (const table of [
      'enforcement.checks',
      'enforcement.check_decisions',
      'enforcement.check_counts',
      'enforcement.check_subject_days',
    ])
      await ds.transaction((m) =>
        maintainMonthlyPartitions(m, { table, unit: 'day' }, addDays(new Date(), -400), 407),
      );
    await ds.destroy();
  });
  await timed(`checks (13 months, ${fmt(perDay)} a day)`, () =>
    db.query(`INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision,
        reasons, checked_at)
      SELECT gen_random_uuid(), 'DEPT01', 'clerk', 'S' || i, 'bid', NULL, 'allow', '[]',
        now() - d * interval '1 day' + i * interval '1 s'
      FROM generate_series(2, 395) d, generate_series(0, ${perDay - 1}) i`),
  );
  const day = peakDay();
  await timed(`checks: yesterday at ${dayScale} of national (${fmt(peak)} rows)`, async () => {
    const actions = `(ARRAY[${ACTIONS.map((a) => `'${a}'`).join(',')}])`;
    await db.query(`SET synchronous_commit = off`);
    await db.query(
      `INSERT INTO enforcement.checks (id, dept, actor, subject_id, action, stage, decision,
        reasons, checked_at)
      SELECT gen_random_uuid(), 'DEPT' || lpad((i % ${DEPTS})::text, 2, '0'), 'clerk' || (i % 500),
        CASE WHEN hit THEN 'C' || ((i * 7919) % ${listed}) ELSE 'D' || ((i * 104729) % ${unlisted}) END,
        ${actions}[1 + i % 5], NULL, CASE WHEN hit AND i % 3 = 0 THEN 'deny' ELSE 'allow' END,
        CASE WHEN hit THEN jsonb_build_array(jsonb_build_object('entryId', md5('e' || i)::uuid,
          'measureCode', 'M007', 'dept', 'DEPT07')) ELSE '[]'::jsonb END,
        $1::timestamptz + (i * 86400000 / ${peak}) * interval '1 ms'
      FROM generate_series(0::bigint, ${peak - 1}) i, LATERAL (SELECT i % 10 = 0 AS hit) h`,
      [day],
    );
  });
  // and its rollups, as autovacuum keeps them (their plans need the statistics: decision 0079)
  for (const table of ['checks', 'check_counts', 'check_subject_days'])
    await timed(`vacuum analyze enforcement.${table}`, () => db.query(`VACUUM ANALYZE enforcement.${table}`));
}

async function openSchema(url: string, schema: string) {
  const ds = createServiceDataSource({ url, schema, entities: [], migrations: [], poolSize: 1 });
  return openServiceDatabase(ds, false);
}

async function logJob(url: string, retentionMonths: number) {
  const ds = await openSchema(url, 'enforcement');
  const job = new LogPartitionsJob(
    ds,
    {
      ...DEFAULT_LOG_PARTITIONS_OPTIONS,
      checkLogRetentionMonths: retentionMonths,
      accessLogRetentionMonths: 60,
      intervalMs: 0,
    },
    pino({ level: 'silent' }),
  );
  return { ds, job };
}

async function times(db: Client, name: string, sql: string, params: unknown[] = []): Promise<number[]> {
  const t: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const s = performance.now();
    await db.query(sql, params);
    t.push(performance.now() - s);
  }
  log(`  ${name}: ${t.map((x) => fmt(x, 0)).join(' / ')} ms`);
  return t;
}

const OLD_FILTER = `a.issued AND NOT a.suspended
  AND a.lifted_at IS NULL AND a.lift_confirmed_at IS NULL AND a.not_applicable_at IS NULL
  AND ((a.acknowledged_at IS NULL AND ((a.ack_overdue_level < 1 AND a.ack_deadline < $1)
         OR (a.ack_overdue_level < 2 AND a.ack_escalation_at < $1)))
    OR (a.enforced_at IS NULL AND ((a.feedback_overdue_level < 1 AND a.feedback_deadline < $1)
         OR (a.feedback_overdue_level < 2 AND a.feedback_escalation_at < $1))))`;

/** A whole overdue pass's reads (no marking): batches of 200 until none is left, the old way or the new. */
async function passReads(db: Client, by: 'id' | 'next_mark_at'): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  let rows = 0;
  let after: unknown[] =
    by === 'id'
      ? ['00000000-0000-0000-0000-000000000000']
      : ['-infinity', '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const page =
      by === 'id'
        ? await db.query(
            `SELECT a.id FROM tracking.follow_up_assignments a WHERE a.id > $2 AND ${OLD_FILTER}
             ORDER BY a.id LIMIT 200`,
            [new Date(), ...after],
          )
        : await db.query(
            `SELECT a.id, a.next_mark_at::text AS next_mark_at FROM tracking.follow_up_assignments a
             WHERE a.next_mark_at < $1 AND (a.next_mark_at, a.id) > ($2::timestamptz, $3::uuid)
             ORDER BY a.next_mark_at, a.id LIMIT 200`,
            [new Date(), ...after],
          );
    rows += page.rows.length;
    if (page.rows.length < 200) break;
    const last = page.rows[page.rows.length - 1] as { id: string; next_mark_at?: string };
    after = by === 'id' ? [last.id] : [last.next_mark_at, last.id];
  }
  return { ms: performance.now() - started, rows };
}

async function main(): Promise<void> {
  const scale = Number(process.env.SCALE ?? '0.01');
  const checksPerDay = Number(process.env.CHECKS_PER_DAY ?? '2000');
  const checkDayScale = Number(process.env.CHECK_DAY_SCALE ?? String(scale));
  const onlyChecks = process.env.ONLY === 'checks';
  const reuse = process.env.SCALE_DB;
  const name = reuse ?? `credit_supervisors_${randomBytes(3).toString('hex')}`;
  log(`supervisors bench: SCALE=${scale} database ${name}; load average ${load()}`);
  const url = reuse ? adminUrl().replace(/\/[^/]*$/, `/${name}`) : await createDatabase(name);
  const db = new Client({ connectionString: url });
  try {
    if (!reuse) {
      await timed('migrations', () => migrate(url));
      await db.connect();
      if (!onlyChecks) await generate(db, url, scale);
      await generateChecks(db, url, checksPerDay, checkDayScale);
    } else await db.connect();
    const tables = onlyChecks
      ? ['enforcement.checks']
      : ['tracking.follow_up_assignments', 'tracking.trail_records', 'enforcement.checks'];
    for (const table of tables) {
      const { rows } = await db.query(
        `SELECT count(*)::bigint AS n, pg_size_pretty(pg_total_relation_size($1::regclass)) AS size,
           (SELECT count(*) FROM pg_inherits WHERE inhparent = $1::regclass) AS parts FROM ${table}`,
        [table],
      );
      log(
        `  ${table}: ${fmt(Number(rows[0].n))} rows, ${rows[0].size}${Number(rows[0].parts) ? `, ${rows[0].parts} partitions (heap only: see pg_partition_tree)` : ''}`,
      );
    }
    await checkLogQueries(db, url);
    if (!onlyChecks) await trackingQueries(db);

    // the check log's retention: one day dropped, against deleting the same rows
    const { rows: before } = await db.query(
      `SELECT count(*)::int AS n FROM enforcement.checks
       WHERE checked_at < date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '12 months'`,
    );
    const { ds, job } = await logJob(url, 12);
    const s = performance.now();
    const pass = await job.run();
    const dropMs = performance.now() - s;
    await ds.destroy();
    log(
      `  log maintainer pass (retention 12 months): ${fmt(dropMs, 0)} ms; dropped ` +
        `${pass.tables['enforcement.checks'].dropped.length} days of checks (${fmt(before[0].n)} rows); ` +
        `made ${pass.tables['enforcement.checks'].created.length} days ahead`,
    );
    const { rows: nextDay } = await db.query(
      `SELECT count(*)::int AS n FROM enforcement.checks
       WHERE checked_at < date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '12 months' + interval '1 day'`,
    );
    const d = performance.now();
    await db.query('BEGIN');
    await db.query(
      `DELETE FROM enforcement.checks
       WHERE checked_at < date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '12 months' + interval '1 day'`,
    );
    const deleteMs = performance.now() - d;
    await db.query('ROLLBACK');
    log(
      `  the next day by DELETE instead (rolled back): ${fmt(deleteMs, 0)} ms for ${fmt(nextDay[0].n)} rows`,
    );
    log(`load average at the end: ${load()}`);
  } finally {
    await db.end().catch(() => undefined);
    if (!reuse && process.env.KEEP !== '1') await dropDatabase(name);
    else log(`kept ${url}`);
  }
}

const supervisor: Principal = { sub: 'bench', dept: 'CREDIT_OFFICE', roles: ['supervisor'] };

/** Yesterday as a Beijing day (from 16:00 UTC the day before): the peak day, a day as supervisors ask. */
const peakDay = () =>
  process.env.PEAK_DAY
    ? new Date(process.env.PEAK_DAY)
    : new Date(addDays(dayStart(new Date()), -1).getTime() - 8 * 3_600_000);
/** `n` days after a Beijing day's start (`addDays` keeps UTC midnights). */
const dayAfter = (day: Date, n: number) => new Date(day.getTime() + n * 86_400_000);

/** The supervisors' check-log queries, through the services' own query classes, on yesterday's peak day. */
async function checkLogQueries(db: Client, url: string): Promise<void> {
  const day = peakDay();
  const { rows: peak } = await db.query(
    `SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS subjects FROM enforcement.checks
     WHERE checked_at >= $1 AND checked_at < $2`,
    [day, dayAfter(day, 1)],
  );
  const { rows: parts } = await db.query(
    `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'enforcement.checks'::regclass`,
  );
  const { rows: subject } = await db.query(
    `SELECT subject_id FROM enforcement.checks WHERE checked_at >= $1 AND checked_at < $2
       AND subject_id LIKE 'C%' LIMIT 1`,
    [day, dayAfter(day, 1)],
  );
  log(
    `check log queries (load average ${load()}): yesterday ${fmt(peak[0].n)} checks of ` +
      `${fmt(peak[0].subjects)} subjects; ${fmt(parts[0].n)} partitions`,
  );
  const ds = await openSchema(url, 'enforcement');
  const list = new CheckLogQueries(ds);
  const summary = new CheckLogSummaryQueries(ds);
  const from = day.toISOString();
  const to = dayAfter(day, 1).toISOString();
  const run = async (name: string, fn: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      await fn();
      t.push(performance.now() - started);
    }
    log(`  ${name}: ${t.map((x) => fmt(x, 0)).join(' / ')} ms`);
  };
  try {
    await run("check log, a department's first page (100), the day", () =>
      list.list(supervisor, { dept: 'DEPT07', from, to, limit: 100 }),
    );
    await run("check log, a department's first page (100), no period (every partition)", () =>
      list.list(supervisor, { dept: 'DEPT07', limit: 100 }),
    );
    await run("check log, a subject's checks, the day", () =>
      list.list(supervisor, { subjectId: subject[0].subject_id, from, to, limit: 100 }),
    );
    await run("check log, a subject's checks, no period (every partition)", () =>
      list.list(supervisor, { subjectId: subject[0].subject_id, limit: 100 }),
    );
    await run('check-log summary, one department, the day', () =>
      summary.summary(supervisor, { dept: 'DEPT07', from, to }),
    );
    await run("a check by id alone (the decision use case's read, every partition)", () =>
      ds.query(`SELECT id, checked_at FROM enforcement.checks WHERE id = $1`, [
        '00000000-0000-4000-8000-000000000000',
      ]),
    );
    await run('check-log summary, every department, the day', () =>
      summary.summary(supervisor, { from, to }),
    );
    // the console's default: the last 30 days (here one peak day and 29 days of CHECKS_PER_DAY)
    const month = dayAfter(day, -29).toISOString();
    await run('check-log summary, every department, 30 days (the console asks top 0)', () =>
      summary.summary(supervisor, { from: month, to, top: 0 }),
    );
    await run('check-log summary, every department, 30 days, top 10', () =>
      summary.summary(supervisor, { from: month, to }),
    );
    // not whole Beijing days (decision 0081): the part of a day at an end from the day rollup's rows
    // checked in it (large), or from the log's rows (small: an hour)
    const at = (hours: number) => new Date(day.getTime() + hours * 3_600_000).toISOString();
    for (const [name, period] of [
      ['the day less its first hour', { from: at(1), to }],
      ['an hour', { from: at(9), to: at(10) }],
      ['09:30 to 17:30', { from: at(9.5), to: at(17.5) }],
    ] as const) {
      await run(`check-log summary, one department, ${name}`, () =>
        summary.summary(supervisor, { dept: 'DEPT07', ...period }),
      );
      await run(`check-log summary, every department, ${name}, top 0`, () =>
        summary.summary(supervisor, { ...period, top: 0 }),
      );
      await run(`check-log summary, every department, ${name}, top 10`, () =>
        summary.summary(supervisor, period),
      );
    }
    const daySummary = (await summary.summary(supervisor, { from, to })).items;
    const estimated = daySummary.filter((i) => i.subjectsEstimated);
    const topEstimated = daySummary.filter((i) => i.topSubjectsEstimated).length;
    const { rows: distinct } = await db.query(
      `SELECT dept, count(DISTINCT subject_id)::int AS n FROM enforcement.checks
       WHERE checked_at >= $1 AND checked_at < $2 AND dept = ANY($3) GROUP BY dept`,
      [day, dayAfter(day, 1), estimated.slice(0, 5).map((i) => i.dept)],
    );
    const errors = (distinct as { dept: string; n: number }[]).map(({ dept, n }) => {
      const got = estimated.find((i) => i.dept === dept)!.subjects;
      return `${dept} ${fmt(got)} for ${fmt(n)} (${fmt((100 * (got - n)) / n, 2)} %)`;
    });
    log(
      `  the day's distinct subjects (0079): ${estimated.length} of ${daySummary.length} departments ` +
        `estimated; ${errors.join(', ')}; most checked proven for ${daySummary.length - topEstimated}`,
    );
    // what the summary reads since decision 0072: the day's rollup rows, not its checks
    const { rows: rolled } = await db.query(
      `SELECT (SELECT count(*) FROM enforcement.check_counts WHERE hour >= $1 AND hour < $2)::int AS counts,
         (SELECT count(*) FROM enforcement.check_subject_days WHERE day = $1)::int AS days,
         pg_total_relation_size($3::regclass)::bigint AS bytes`,
      [
        day,
        dayAfter(day, 1),
        `enforcement.${dayPartitionName('enforcement.check_subject_days', dayStart(day))}`,
      ],
    );
    log(
      `  rollups of the day (0072): ${fmt(rolled[0].counts)} check_counts rows, ` +
        `${fmt(rolled[0].days)} check_subject_days rows (0079; ${fmt(rolled[0].bytes / rolled[0].days, 0)} B a row with its indexes)`,
    );
  } finally {
    await ds.destroy();
  }
}

async function trackingQueries(db: Client): Promise<void> {
  const [{ overdue }] = (
    await db.query(`SELECT count(*)::int AS overdue FROM tracking.follow_up_assignments WHERE overdue`)
  ).rows;
  log(`queries (load average ${load()}), ${fmt(overdue)} overdue:`);
  await times(
    db,
    'overdue count by department, counting rows (before)',
    `SELECT dept, count(*) FROM tracking.follow_up_assignments WHERE overdue GROUP BY dept`,
  );
  await times(
    db,
    'overdue count by department, kind and level (rollup)',
    `SELECT dept, kind, level, sum(n) FROM (SELECT dept, kind, level, n FROM tracking.overdue_counts
         UNION ALL SELECT dept, kind, level, delta FROM tracking.overdue_count_changes) x
       GROUP BY 1, 2, 3 HAVING sum(n) <> 0`,
  );
  await times(
    db,
    'overdue, first page (50)',
    `SELECT * FROM tracking.follow_up_assignments a WHERE a.overdue ORDER BY a.overdue_since, a.id LIMIT 51`,
  );
  await times(
    db,
    "overdue, one department's first page (50)",
    `SELECT * FROM tracking.follow_up_assignments a WHERE a.overdue AND a.dept = 'DEPT07'
       ORDER BY a.overdue_since, a.id LIMIT 51`,
  );
  await times(
    db,
    'statistics, a year by department (stats_daily)',
    `SELECT dept, sum(assigned), sum(acknowledged), sum(enforced), sum(overdue) FROM tracking.stats_daily
       WHERE day >= current_date - 365 GROUP BY dept`,
  );
  await times(
    db,
    'reconciliation pass: ended entries with assignments not lifted (before: every ended entry)',
    `SELECT a.id FROM tracking.entries e JOIN tracking.follow_up_assignments a ON a.entry_id = e.entry_id
       WHERE e.ended_at IS NOT NULL AND e.ended_at < $1
         AND a.issued AND a.lifted_at IS NULL AND a.lift_confirmed_at IS NULL AND a.not_applicable_at IS NULL`,
    [new Date(Date.now() - 86_400_000)],
  );
  await times(
    db,
    "reconciliation pass: lifts missing from the watermark (a day's ends: decision 0071)",
    LIFTS_MISSING_SQL,
    [new Date(Date.now() - 86_400_000 - 600_000), new Date(Date.now() - 600_000)],
  );
  await times(
    db,
    'reconciliation pass: fan-outs missing',
    `SELECT entry_id FROM tracking.entries
       WHERE published_at IS NOT NULL AND (fan_outs = 0 OR issued < declared) AND published_at < $1`,
    [new Date(Date.now() - 3_600_000)],
  );
  await times(
    db,
    "an entry's trail (every month's partition)",
    `SELECT * FROM tracking.trail_records WHERE entry_id = md5('e7')::uuid ORDER BY seq`,
  );
  // the walk by id (before 0056) is O(open assignments): minutes a pass at a tenth; PASS_BEFORE=1 times it
  const forms =
    Number(process.env.SCALE ?? '0.01') < 0.05 || process.env.PASS_BEFORE === '1'
      ? (['id', 'next_mark_at'] as const)
      : (['next_mark_at'] as const);
  for (const by of forms) {
    const runs: { ms: number; rows: number }[] = [];
    for (let i = 0; i < 3; i += 1) runs.push(await passReads(db, by));
    log(
      `  overdue pass reads, ${by === 'id' ? 'walking open assignments by id (before)' : 'by next_mark_at (now)'}: ` +
        `${runs.map((r) => fmt(r.ms, 0)).join(' / ')} ms, ${fmt(runs[0].rows)} rows due`,
    );
  }
  const { rows: plan } = await db.query(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT a.id FROM tracking.follow_up_assignments a
       WHERE a.next_mark_at < now() ORDER BY a.next_mark_at, a.id LIMIT 200`,
  );
  log(
    '  plan of a pass batch:\n' +
      plan.map((r: { 'QUERY PLAN': string }) => `    ${r['QUERY PLAN']}`).join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
