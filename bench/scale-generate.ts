/**
 * `npm run bench:scale-generate` — loads a fraction of national volume into a database of its own, through
 * the services' migrations (issue 19; the scale model is docs/scale.md). PostgreSQL makes the rows itself
 * (`INSERT … SELECT` over `generate_series`, one session per service in parallel, secondary indexes and
 * exclusion constraints dropped and built after the load); JS makes one line per subject (decision 0058).
 *
 * National volume: 15 M listed subjects, one published entry each, ~6.5 binding assignments per entry
 * (3–10 measures of a 60-measure catalogue over 37 departments) ≈ 100 M binding rows. At SCALE=0.1 (the
 * default): 1.5 M subjects, ~9.75 M rows in each of trigger.assignments, enforcement.assignments and
 * tracking.follow_up_assignments (4 % of them overdue), plus a year of tracking.stats_daily.
 *
 * Env: ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), SCALE (0.1), SCALE_DB (a fresh
 * credit_scale_<hex>), KEEP=1 keeps the database (otherwise it is dropped at the end), TRACKING=0 skips
 * tracking's tables, UNLOGGED=1 loads the tables no other logged table references UNLOGGED and makes
 * them LOGGED before their indexes are built. Prints each table's rows, size and bytes per row, and each
 * step's wall time and its PostgreSQL backend's CPU-seconds (/proc/<pid>/stat: the figure that does not
 * depend on the machine's load).
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createServiceDataSource, openServiceDatabase, ServiceDatabaseOptions } from '@credit/persistence';
import { keyHash } from '@credit/contracts';
import { WebhookSecretCipher } from '../apps/enforcement/src/delivery/webhook-secret-cipher';
import { ENFORCEMENT_ENTITIES, enforcementMigrations } from '../apps/enforcement/src/enforcement.module';
import { REGISTRY_ENTITIES, REGISTRY_MIGRATIONS } from '../apps/registry/src/registry.module';
import { TRACKING_ENTITIES, TRACKING_MIGRATIONS } from '../apps/tracking/src/tracking.module';
import { TRIGGER_ENTITIES, TRIGGER_MIGRATIONS } from '../apps/trigger/src/trigger.module';
import { uscc } from './check-support';

export const NATIONAL_SUBJECTS = 15_000_000;
export const DEPARTMENTS = 37;
export const MEASURE_COUNT = 60;
export const LIST_TYPES = [
  'COURT_DEFAULTER',
  'TAX_MAJOR',
  'CUSTOMS_DISHONEST',
  'SAFETY_BLACK',
  'ENV_SERIOUS',
];
export const ACTIONS = [
  'government_procurement_bid',
  'financial_institution_establishment',
  'exit_entry',
  'high_consumption',
  'public_office_appointment',
];
const MODES = ['block', 'warn', 'reference', 'priority'] as const;
const DAY = 86_400_000;

export const listedId = (n: number) => uscc(n, 'C');
/** Subjects asked about who are on no list. */
export const unlistedId = (n: number) => uscc(n, 'D');
/** Measures per listed subject: 3–10, 6.5 on average. */
export const rowsOf = (n: number) => 3 + (n % 8);
export const deptOf = (m: number) => `DEPT${String(m % DEPARTMENTS).padStart(2, '0')}`;

export interface Generated {
  database: string;
  url: string;
  subjects: number;
  rows: number;
  seconds: Record<string, number>;
  sizes: { table: string; rows: number; bytes: number }[];
}

/** COPY of lines made in JS, in chunks of ~1 MiB (only the per-subject table: 1 line per subject). */
async function copyLines(db: Client, sql: string, lines: () => Generator<string>): Promise<void> {
  function* chunks(): Generator<string> {
    let chunk = '';
    for (const l of lines()) {
      chunk += l;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks()), db.query(copyFrom(sql)));
}

/** The large tables: loaded without their secondary indexes and exclusion constraints, built after. */
const BULK_TABLES = [
  'registry.subjects',
  'registry.list_entries',
  'trigger.entries',
  'trigger.assignments',
  'enforcement.assignments',
  'tracking.follow_up_assignments',
];

/**
 * Tables that may be loaded UNLOGGED: no logged table references them (registry's subjects and entries
 * are referenced by notices, documents and the rest, which PostgreSQL refuses for an unlogged table).
 */
const UNLOGGED_TABLES = ['trigger.assignments', 'enforcement.assignments', 'tracking.follow_up_assignments'];

interface Deferred {
  table: string;
  /** statements that build again what was dropped */
  build: string[];
}

/**
 * Drops a table's secondary indexes and its exclusion constraints (a bulk build after the load is many
 * times faster than maintaining them row by row: the no-overlap GiST alone was 143 s of 766 at 1 %).
 * Keeps the primary key and anything a foreign key depends on.
 */
async function dropIndexes(db: Client, table: string): Promise<Deferred> {
  const build: string[] = [];
  const constraints = (
    await db.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = $1::regclass AND contype IN ('x', 'u')`,
      [table],
    )
  ).rows as { conname: string; def: string }[];
  for (const c of constraints) {
    try {
      await db.query(`ALTER TABLE ${table} DROP CONSTRAINT "${c.conname}"`);
      build.push(`ALTER TABLE ${table} ADD CONSTRAINT "${c.conname}" ${c.def}`);
    } catch {
      // referenced by a foreign key: kept
    }
  }
  const indexes = (
    await db.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
       WHERE i.indrelid = $1::regclass
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [table],
    )
  ).rows as { name: string; def: string }[];
  for (const i of indexes) {
    await db.query(`DROP INDEX ${i.name}`);
    // a partitioned table's index reads "ON ONLY" (made so, it would stay without its partitions')
    build.push(i.def.replace(' ON ONLY ', ' ON '));
  }
  return { table, build };
}

/** A partitioned table's partitions, or the table itself. */
async function partitionsOrSelf(db: Client, table: string): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = $1::regclass ORDER BY 1`,
    [table],
  );
  return rows.length ? (rows as { name: string }[]).map((r) => r.name) : [table];
}

/** CPU-seconds (user + system) a PostgreSQL backend of this machine has used so far; NaN if unreadable. */
function backendCpu(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14, 15) in ticks
  } catch {
    return NaN;
  }
}

/** A session tuned for a bulk load: no triggers (the load supplies what they compute), no fsync wait. */
async function bulkSession(url: string): Promise<Client> {
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query(`SET session_replication_role = replica`);
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET maintenance_work_mem = '512MB'`);
  await db.query(`SET work_mem = '64MB'`);
  return db;
}

export async function migrate(url: string): Promise<void> {
  const cipher = new WebhookSecretCipher(randomBytes(32));
  const services: Omit<ServiceDatabaseOptions, 'url'>[] = [
    { schema: 'registry', entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS },
    { schema: 'trigger', entities: TRIGGER_ENTITIES, migrations: TRIGGER_MIGRATIONS },
    { schema: 'enforcement', entities: ENFORCEMENT_ENTITIES, migrations: enforcementMigrations(cipher) },
    { schema: 'tracking', entities: TRACKING_ENTITIES, migrations: TRACKING_MIGRATIONS },
  ];
  for (const service of services) {
    const dataSource = createServiceDataSource({ ...service, url, poolSize: 1 });
    try {
      await openServiceDatabase(dataSource);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  }
}

export interface GenerateOptions {
  scale: number;
  tracking: boolean;
  /** load the large tables UNLOGGED, made LOGGED again before their indexes are built */
  unlogged?: boolean;
  log: (line: string) => void;
}

/** Entry ids and assignment ids derived from n (and j), in SQL: a uuid whose last 12 hex digits are n. */
const ENTRY_ID = `('00000000-0000-4000-8000-' || lpad(to_hex(s.n), 12, '0'))::uuid`;
const ASSIGNMENT_ID = `('00000000-0000-4000-8' || to_hex(j) || '00-' || lpad(to_hex(s.n), 12, '0'))::uuid`;
const LIST_TYPE = `(ARRAY[${LIST_TYPES.map((t) => `'${t}'`).join(',')}])[s.n % ${LIST_TYPES.length} + 1]`;
const OWNER_DEPT = `'DEPT0' || (s.n % ${LIST_TYPES.length})`;
/** each subject's rows: 3–10 (rowsOf), measure m = (n + 7j) % 60 */
const ROWS = `scale_subjects s CROSS JOIN LATERAL generate_series(0, 2 + s.n % 8) j
  JOIN scale_measures m ON m.m = (s.n + j * 7) % ${MEASURE_COUNT}`;

/**
 * The rows of each table, made by PostgreSQL itself (INSERT … SELECT over generate_series): JS makes only
 * one line per subject (its identifier with the check character, its murmur2, its publication time),
 * COPied into `scale_subjects`; every table's rows are a join of it with the measures. Four sessions, one
 * per service, in parallel; secondary indexes built after the load.
 */
export async function generate(url: string, options: GenerateOptions): Promise<Omit<Generated, 'database'>> {
  const subjects = Math.round(NATIONAL_SUBJECTS * options.scale);
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await fn();
    seconds[name] = (performance.now() - started) / 1000;
    options.log(`  ${name}: ${seconds[name].toFixed(1)} s`);
    return result;
  };
  await timed('migrations', () => migrate(url));
  const db = await bulkSession(url);
  const now = Date.now();
  let rows = 0;
  for (let n = 0; n < subjects; n += 1) rows += rowsOf(n);

  await timed('catalogue', async () => {
    for (let d = 0; d < DEPARTMENTS; d += 1)
      await db.query(`INSERT INTO registry.departments (code, name, region) VALUES ($1, $2, '330000')`, [
        deptOf(d),
        `部门${d}`,
      ]);
    for (const [i, code] of LIST_TYPES.entries())
      await db.query(
        `INSERT INTO registry.list_types (code, name, colour, owner_dept, legal_basis, info_class, severity,
           default_period_days, subject_kinds, notice_working_days, suspend_on_objection)
         VALUES ($1, $2, 'black', $3, '依据', 'A', 'serious', 1095, '{legal_person,natural_person}', 5, false)`,
        [code, `名单${i}`, deptOf(i)],
      );
    for (let u = 0; u < 6; u += 1)
      await db.query(
        `INSERT INTO trigger.memoranda (code, title, document_no, list_types) VALUES ($1, $2, $3, $4)`,
        [`MOU${u}`, `备忘录${u}`, `发改财金〔2016〕${141 + u}号`, LIST_TYPES],
      );
    await db.query(`CREATE UNLOGGED TABLE scale_measures (m int PRIMARY KEY, id uuid, code text, dept text,
      memorandum text, mode text, action text, json jsonb)`);
    for (let m = 0; m < MEASURE_COUNT; m += 1) {
      const id = randomUUID();
      const code = `M${String(m).padStart(3, '0')}`;
      const json = {
        code,
        version: 1,
        memorandumCode: `MOU${m % 6}`,
        text: `联合惩戒措施 ${m}：限制${ACTIONS[m % ACTIONS.length]}`,
        kind: 'punishment',
        mode: MODES[m % MODES.length],
        actions: [ACTIONS[m % ACTIONS.length], ACTIONS[(m + 2) % ACTIONS.length]],
        legalBasis: '《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
        feedbackWorkingDays: 5,
      };
      await db.query(`INSERT INTO scale_measures VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        m,
        id,
        code,
        deptOf(m),
        `MOU${m % 6}`,
        MODES[m % MODES.length],
        ACTIONS[m % ACTIONS.length],
        JSON.stringify(json),
      ]);
      await db.query(
        `INSERT INTO trigger.measures (id, memorandum_code, code, version, text, kind, dept, legal_basis,
           list_types, subject_kinds, actions, mode, feedback_working_days, current)
         VALUES ($1, $2, $3, 1, $4, 'punishment', $5, '依据', $6, '{legal_person}', $7, $8, 5, true)`,
        [
          id,
          `MOU${m % 6}`,
          code,
          `措施${m}`,
          deptOf(m),
          LIST_TYPES,
          [ACTIONS[m % ACTIONS.length]],
          MODES[m % MODES.length],
        ],
      );
    }
  });

  // one line per subject from JS: identifier (check character), murmur2 (Kafka's partition), published at
  await timed('subjects (JS → COPY, one line each)', async () => {
    await db.query(`CREATE UNLOGGED TABLE scale_subjects (n int, id text, hash int, at timestamptz)`);
    await copyLines(db, `COPY scale_subjects (n, id, hash, at) FROM STDIN`, function* () {
      for (let n = 0; n < subjects; n += 1) {
        const id = listedId(n);
        // published 0–3 years ago, for 3 years (the common period): every entry binds today
        const at = new Date(now - ((n * 7919) % 1095) * DAY).toISOString();
        yield `${n}\t${id}\t${keyHash(id)}\t${at}\n`;
      }
    });
    await db.query(`ANALYZE scale_subjects`);
  });

  const deferred = await timed('drop secondary indexes', async () => {
    const all: Deferred[] = [];
    for (const table of BULK_TABLES) all.push(await dropIndexes(db, table));
    return all;
  });

  const statements: Record<string, { table: string; sql: string; params?: unknown[] }[]> = {
    registry: [
      {
        table: 'registry.subjects',
        sql: `INSERT INTO registry.subjects (id, kind, identifier, name)
          SELECT ${ENTRY_ID}, 'legal_person', s.id, '规模测试企业' || s.n FROM scale_subjects s`,
      },
      {
        table: 'registry.list_entries',
        sql: `INSERT INTO registry.list_entries (id, list_type, owner_dept, subject_kind, subject_id, subject_name,
            decision_document_no, decision_date, decision_facts, period_from, period_to, status, published_at,
            created_by, version)
          SELECT ${ENTRY_ID}, ${LIST_TYPE}, ${OWNER_DEPT}, 'legal_person', s.id, '规模测试企业' || s.n,
            '（2024）浙0106执' || s.n || '号', (s.at AT TIME ZONE 'UTC')::date, '被执行人未履行生效法律文书确定的义务',
            s.at, s.at + interval '1095 days', 'published', s.at, 'scale-generator', 1
          FROM scale_subjects s`,
      },
    ],
    trigger: [
      {
        table: 'trigger.entries',
        sql: `INSERT INTO trigger.entries (entry_id, owner_dept, list_type, subject_id, status)
          SELECT ${ENTRY_ID}, ${OWNER_DEPT}, ${LIST_TYPE}, s.id, 'published' FROM scale_subjects s`,
      },
      {
        table: 'trigger.assignments',
        sql: `INSERT INTO trigger.assignments (id, entry_id, measure_id, measure_code, measure_version, dept,
            list_type, subject_id, target_id, target_kind, status, issued_at, feedback_deadline, updated_at,
            period_from, period_to)
          SELECT ${ASSIGNMENT_ID}, ${ENTRY_ID}, m.id, m.code, 1, m.dept, ${LIST_TYPE}, s.id, s.id,
            'legal_person', 'issued', s.at, s.at + interval '7 days', s.at, s.at, s.at + interval '1095 days'
          FROM ${ROWS}`,
      },
    ],
    enforcement: [
      {
        table: 'enforcement.assignments',
        sql: `INSERT INTO enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour,
            subject_id, subject_kind, subject_name, target_id, target_kind, target_role, target_name,
            period_from, period_to, status, issued_at, feedback_deadline, acknowledged_at, lifted_at,
            updated_at, generation, subscribed, channel, subject_legacy_ids, target_hash, key_partition)
          SELECT ${ASSIGNMENT_ID}, ${ENTRY_ID}, m.dept, m.json, ${LIST_TYPE}, 'black', s.id, 'legal_person',
            '规模测试企业' || s.n, s.id, 'legal_person', NULL, NULL, s.at, s.at + interval '1095 days',
            (ARRAY['issued', 'acknowledged', 'enforced'])[(s.n + j) % 3 + 1], s.at, s.at + interval '7 days',
            NULL, NULL, s.at, 0, false, 'pull', '{}', s.hash, s.hash % 48
          FROM ${ROWS}`,
      },
      {
        // the trigger that keeps it does not run under replica: one target, one partition an entry
        table: 'enforcement.entry_partitions',
        sql: `INSERT INTO enforcement.entry_partitions (entry_id, key_partition)
          SELECT ${ENTRY_ID}, s.hash % 48 FROM scale_subjects s`,
      },
    ],
    ...(options.tracking
      ? {
          tracking: [
            {
              table: 'tracking.follow_up_assignments',
              // one in 25 is overdue (acknowledgement never came), the rest acknowledged in time
              sql: `INSERT INTO tracking.follow_up_assignments (id, entry_id, dept, issued, subject_id, list_type,
                  measure_code, measure_version, memorandum_code, target_id, target_kind, issued_at,
                  ack_deadline, feedback_deadline, acknowledged_at, status, overdue, overdue_kind,
                  overdue_level, overdue_deadline, overdue_since, updated_at)
                SELECT ${ASSIGNMENT_ID}, ${ENTRY_ID}, m.dept, true, s.id, ${LIST_TYPE}, m.code, 1, m.memorandum,
                  s.id, 'legal_person', s.at, s.at + interval '3 days', s.at + interval '7 days',
                  CASE WHEN o.overdue THEN NULL ELSE s.at + interval '1 day' END,
                  CASE WHEN o.overdue THEN 'issued' ELSE 'acknowledged' END, o.overdue,
                  CASE WHEN o.overdue THEN 'ack' END, CASE WHEN o.overdue THEN 1 END,
                  CASE WHEN o.overdue THEN s.at + interval '3 days' END,
                  CASE WHEN o.overdue THEN s.at + interval '3 days' END, s.at
                FROM ${ROWS}
                  CROSS JOIN LATERAL (SELECT (s.n::bigint * 31 + j) % 25 = 0 AS overdue) o`,
            },
            {
              table: 'tracking.stats_daily',
              // the statistics' rollup: a year of days per department, list type and memorandum
              sql: `INSERT INTO tracking.stats_daily (dept, list_type, memorandum_code, day, assigned,
                  acknowledged, acknowledged_on_time, enforced, overdue, acted)
                SELECT 'DEPT' || lpad(d::text, 2, '0'), lt, 'MOU' || (d % 6), current_date - g,
                       (20 + (d * g) % 40), 18, 16, 10, 1, 12
                FROM generate_series(0, ${DEPARTMENTS - 1}) d, unnest($1::text[]) lt, generate_series(0, 364) g`,
              params: [LIST_TYPES],
            },
          ],
        }
      : {}),
  };

  // a session per service, in parallel: rows, then that service's indexes, then VACUUM ANALYZE
  const rates: string[] = [];
  await timed('load, index and analyse (one session per service, in parallel)', () =>
    Promise.all(
      Object.entries(statements).map(async ([service, list]) => {
        const session = await bulkSession(url);
        const [{ pid }] = (await session.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
        // wall seconds and the backend's CPU-seconds of a step
        const step = async <T>(fn: () => Promise<T>): Promise<{ result: T; s: number; cpu: number }> => {
          const [w, c] = [performance.now(), backendCpu(pid)];
          const result = await fn();
          return { result, s: (performance.now() - w) / 1000, cpu: backendCpu(pid) - c };
        };
        const cpu = (c: number) => (Number.isNaN(c) ? '' : `, ${c.toFixed(1)} CPU-s in PostgreSQL`);
        try {
          for (const { table, sql, params } of list) {
            const unlogged = options.unlogged === true && UNLOGGED_TABLES.includes(table);
            // a partitioned table's persistence is its partitions' (decision 0080: enforcement.assignments)
            const leaves = unlogged ? await partitionsOrSelf(session, table) : [];
            for (const leaf of leaves) await session.query(`ALTER TABLE ${leaf} SET UNLOGGED`);
            const load = await step(() => session.query(sql, params));
            const n = load.result.rowCount ?? 0;
            rates.push(
              `${table}${unlogged ? ' (unlogged)' : ''}: ${n.toLocaleString('en-US')} rows in ${load.s.toFixed(1)} s ` +
                `(${Math.round(n / load.s).toLocaleString('en-US')} rows/s${cpu(load.cpu)})`,
            );
            options.log(`    ${rates[rates.length - 1]}`);
            if (unlogged) {
              const logged = await step(async () => {
                for (const leaf of leaves) await session.query(`ALTER TABLE ${leaf} SET LOGGED`);
              });
              options.log(`    ${table}: SET LOGGED in ${logged.s.toFixed(1)} s${cpu(logged.cpu)}`);
            }
            const build = deferred.find((d) => d.table === table)?.build ?? [];
            const built = await step(async () => {
              for (const statement of build) await session.query(statement);
            });
            if (build.length)
              options.log(
                `    ${table}: ${build.length} indexes built in ${built.s.toFixed(1)} s${cpu(built.cpu)}`,
              );
          }
          await session.query('RESET session_replication_role');
          const vacuum = await step(async () => {
            for (const { table } of list) await session.query(`VACUUM ANALYZE ${table}`);
          });
          options.log(`    ${service}: VACUUM ANALYZE ${vacuum.s.toFixed(1)} s${cpu(vacuum.cpu)}`);
        } finally {
          await session.end();
        }
      }),
    ),
  );
  if (options.tracking) {
    // the overdue rollup (decision 0056): its trigger does not run under replica, so built as the
    // migration builds it
    await db.query(`INSERT INTO tracking.overdue_counts (dept, kind, level, n)
      SELECT dept, coalesce(overdue_kind, ''), coalesce(overdue_level, 0), count(*)
      FROM tracking.follow_up_assignments WHERE overdue GROUP BY 1, 2, 3`);
  }
  await db.query(`DROP TABLE scale_subjects, scale_measures`);
  await db.query('RESET session_replication_role');
  await db.query(
    'VACUUM ANALYZE registry.departments, registry.list_types, trigger.measures, trigger.memoranda',
  );

  const tables = [
    'registry.subjects',
    'registry.list_entries',
    'trigger.entries',
    'trigger.assignments',
    'enforcement.assignments',
    ...(options.tracking ? ['tracking.follow_up_assignments', 'tracking.stats_daily'] : []),
  ];
  const sizes: Generated['sizes'] = [];
  for (const table of tables) {
    const [r] = (
      await db.query(
        `SELECT (SELECT count(*) FROM ${table})::bigint AS rows, coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('${table}')),
          pg_total_relation_size('${table}'))::bigint AS bytes`,
      )
    ).rows as { rows: string; bytes: string }[];
    sizes.push({ table, rows: Number(r.rows), bytes: Number(r.bytes) });
  }
  await db.end();
  return { url, subjects, rows, seconds, sizes };
}

export function adminUrl(): string {
  return process.env.ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export async function createDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return adminUrl().replace(/\/[^/]*$/, `/${name}`);
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

export function printSizes(g: Pick<Generated, 'sizes'>, log: (l: string) => void): void {
  for (const s of g.sizes)
    log(
      `  ${s.table.padEnd(32)} ${s.rows.toLocaleString('en-US').padStart(12)} rows ` +
        `${(s.bytes / 2 ** 20).toFixed(0).padStart(7)} MiB  ${(s.bytes / Math.max(1, s.rows)).toFixed(0)} B/row`,
    );
}

async function main(): Promise<void> {
  const scale = Number(process.env.SCALE ?? '0.1');
  const name = process.env.SCALE_DB ?? `credit_scale_${randomBytes(3).toString('hex')}`;
  const log = (l: string) => process.stdout.write(l + '\n');
  log(`scale-generate: ${scale} of national volume into database ${name}`);
  const url = await createDatabase(name);
  const started = performance.now();
  try {
    const g = await generate(url, {
      scale,
      tracking: process.env.TRACKING !== '0',
      unlogged: process.env.UNLOGGED === '1',
      log,
    });
    log(
      `loaded ${g.subjects.toLocaleString('en-US')} listed subjects, ${g.rows.toLocaleString('en-US')} binding rows ` +
        `in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    printSizes(g, log);
  } finally {
    if (process.env.KEEP === '1') log(`kept ${url}`);
    else await dropDatabase(name);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
