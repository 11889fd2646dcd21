/**
 * `npm run bench:scale-generate` — loads a fraction of national volume into a database of its own, through
 * the services' migrations, by COPY (issue 19; the scale model is docs/scale.md).
 *
 * National volume: 15 M listed subjects, one published entry each, ~6.5 binding assignments per entry
 * (3–10 measures of a 60-measure catalogue over 37 departments) ≈ 100 M binding rows. At SCALE=0.1 (the
 * default): 1.5 M subjects, ~9.75 M rows in each of trigger.assignments, enforcement.assignments and
 * tracking.follow_up_assignments (4 % of them overdue), plus a year of tracking.stats_daily.
 *
 * Env: ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres), SCALE (0.1), SCALE_DB (a fresh
 * credit_scale_<hex>), KEEP=1 keeps the database (otherwise it is dropped at the end), TRACKING=0 skips
 * tracking's tables. Prints each table's rows, size and bytes per row.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createServiceDataSource, openServiceDatabase, ServiceDatabaseOptions } from '@credit/persistence';
import { keyHash } from '../apps/enforcement/src/checks/active-measures/key-partition';
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

const field = (v: string | number | null) =>
  v === null ? '\\N' : String(v).replace(/[\\\t\n\r]/g, (c) => `\\${c}`);
const line = (values: (string | number | null)[]) => values.map(field).join('\t') + '\n';

async function copy(db: Client, sql: string, lines: () => Generator<string>): Promise<void> {
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
  const started = performance.now();
  await pipeline(Readable.from(chunks()), db.query(copyFrom(sql)));
  const table = /COPY (\S+)/.exec(sql)?.[1];
  process.stdout.write(`    COPY ${table}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
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
  log: (line: string) => void;
}

export async function generate(url: string, options: GenerateOptions): Promise<Omit<Generated, 'database'>> {
  const subjects = Math.round(NATIONAL_SUBJECTS * options.scale);
  const seconds: Record<string, number> = {};
  const timed = async (name: string, fn: () => Promise<void>) => {
    const started = performance.now();
    await fn();
    seconds[name] = (performance.now() - started) / 1000;
    options.log(`  ${name}: ${seconds[name].toFixed(1)} s`);
  };
  await timed('migrations', () => migrate(url));
  const db = new Client({ connectionString: url });
  await db.connect();
  // the bulk load supplies what the triggers would compute (target_hash) and needs no per-row trigger
  await db.query(`SET session_replication_role = replica`);
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const measureIds = Array.from({ length: MEASURE_COUNT }, () => randomUUID());
  const measureJson = measureIds.map((_, m) =>
    JSON.stringify({
      code: `M${String(m).padStart(3, '0')}`,
      version: 1,
      memorandumCode: `MOU${m % 6}`,
      text: `联合惩戒措施 ${m}：限制${ACTIONS[m % ACTIONS.length]}`,
      kind: 'punishment',
      mode: MODES[m % MODES.length],
      actions: [ACTIONS[m % ACTIONS.length], ACTIONS[(m + 2) % ACTIONS.length]],
      legalBasis: '《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
      feedbackWorkingDays: 5,
    }),
  );
  let rows = 0;

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
    for (let m = 0; m < MEASURE_COUNT; m += 1)
      await db.query(
        `INSERT INTO trigger.measures (id, memorandum_code, code, version, text, kind, dept, legal_basis,
           list_types, subject_kinds, actions, mode, feedback_working_days, current)
         VALUES ($1, $2, $3, 1, $4, 'punishment', $5, '依据', $6, '{legal_person}', $7, $8, 5, true)`,
        [
          measureIds[m],
          `MOU${m % 6}`,
          `M${String(m).padStart(3, '0')}`,
          `措施${m}`,
          deptOf(m),
          LIST_TYPES,
          [ACTIONS[m % ACTIONS.length]],
          MODES[m % MODES.length],
        ],
      );
  });

  /** Entry ids are derived from n (no table of 1.5 M uuids held): a uuid whose last 12 hex digits are n. */
  const entryId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const assignmentId = (n: number, j: number) =>
    `00000000-0000-4000-8${j.toString(16)}00-${n.toString(16).padStart(12, '0')}`;
  // published 0–3 years ago, for 3 years (the common period): every entry binds today
  const publishedAt = (n: number) => now - ((n * 7919) % 1095) * DAY;

  await timed('registry', async () => {
    await copy(db, `COPY registry.subjects (id, kind, identifier, name) FROM STDIN`, function* () {
      for (let n = 0; n < subjects; n += 1)
        yield line([entryId(n), 'legal_person', listedId(n), `规模测试企业${n}`]);
    });
    await copy(
      db,
      `COPY registry.list_entries (id, list_type, owner_dept, subject_kind, subject_id, subject_name,
         decision_document_no, decision_date, decision_facts, period_from, period_to, status, published_at,
         created_by, version) FROM STDIN`,
      function* () {
        for (let n = 0; n < subjects; n += 1) {
          const at = publishedAt(n);
          yield line([
            entryId(n),
            LIST_TYPES[n % LIST_TYPES.length],
            deptOf(n % LIST_TYPES.length),
            'legal_person',
            listedId(n),
            `规模测试企业${n}`,
            `（2024）浙0106执${n}号`,
            iso(at).slice(0, 10),
            '被执行人未履行生效法律文书确定的义务',
            iso(at),
            iso(at + 1095 * DAY),
            'published',
            iso(at),
            'scale-generator',
            1,
          ]);
        }
      },
    );
  });

  await timed('trigger', async () => {
    await copy(
      db,
      `COPY trigger.entries (entry_id, owner_dept, list_type, subject_id, status) FROM STDIN`,
      function* () {
        for (let n = 0; n < subjects; n += 1)
          yield line([
            entryId(n),
            deptOf(n % LIST_TYPES.length),
            LIST_TYPES[n % LIST_TYPES.length],
            listedId(n),
            'published',
          ]);
      },
    );
    await copy(
      db,
      `COPY trigger.assignments (id, entry_id, measure_id, measure_code, measure_version, dept, list_type,
         subject_id, target_id, target_kind, status, issued_at, feedback_deadline, updated_at, period_from,
         period_to) FROM STDIN`,
      function* () {
        for (let n = 0; n < subjects; n += 1) {
          const at = publishedAt(n);
          const id = listedId(n);
          for (let j = 0; j < rowsOf(n); j += 1) {
            const m = (n + j * 7) % MEASURE_COUNT;
            yield line([
              assignmentId(n, j),
              entryId(n),
              measureIds[m],
              `M${String(m).padStart(3, '0')}`,
              1,
              deptOf(m),
              LIST_TYPES[n % LIST_TYPES.length],
              id,
              id,
              'legal_person',
              'issued',
              iso(at),
              iso(at + 7 * DAY),
              iso(at),
              iso(at),
              iso(at + 1095 * DAY),
            ]);
          }
        }
      },
    );
  });

  const statuses = ['issued', 'acknowledged', 'enforced'];
  await timed('enforcement', async () => {
    await copy(
      db,
      `COPY enforcement.assignments (id, entry_id, dept, measure, list_type, list_colour, subject_id,
         subject_kind, subject_name, target_id, target_kind, target_role, target_name, period_from, period_to,
         status, issued_at, feedback_deadline, acknowledged_at, lifted_at, updated_at, generation, subscribed,
         channel, subject_legacy_ids, target_hash) FROM STDIN`,
      function* () {
        for (let n = 0; n < subjects; n += 1) {
          const at = publishedAt(n);
          const id = listedId(n);
          const hash = keyHash(id);
          for (let j = 0; j < rowsOf(n); j += 1) {
            const m = (n + j * 7) % MEASURE_COUNT;
            rows += 1;
            yield line([
              assignmentId(n, j),
              entryId(n),
              deptOf(m),
              measureJson[m],
              LIST_TYPES[n % LIST_TYPES.length],
              'black',
              id,
              'legal_person',
              `规模测试企业${n}`,
              id,
              'legal_person',
              null,
              null,
              iso(at),
              iso(at + 1095 * DAY),
              statuses[(n + j) % 3],
              iso(at),
              iso(at + 7 * DAY),
              null,
              null,
              iso(at),
              0,
              'f',
              'pull',
              '{}',
              hash,
            ]);
          }
        }
      },
    );
  });

  if (options.tracking) {
    await timed('tracking', async () => {
      await copy(
        db,
        `COPY tracking.follow_up_assignments (id, entry_id, dept, issued, subject_id, list_type, measure_code,
           measure_version, memorandum_code, target_id, target_kind, issued_at, ack_deadline,
           feedback_deadline, acknowledged_at, status, overdue, overdue_kind, overdue_level,
           overdue_deadline, overdue_since, updated_at) FROM STDIN`,
        function* () {
          for (let n = 0; n < subjects; n += 1) {
            const at = publishedAt(n);
            const id = listedId(n);
            for (let j = 0; j < rowsOf(n); j += 1) {
              const m = (n + j * 7) % MEASURE_COUNT;
              // one in 25 is overdue (acknowledgement never came), the rest acknowledged in time
              const overdue = (n * 31 + j) % 25 === 0;
              yield line([
                assignmentId(n, j),
                entryId(n),
                deptOf(m),
                't',
                id,
                LIST_TYPES[n % LIST_TYPES.length],
                `M${String(m).padStart(3, '0')}`,
                1,
                `MOU${m % 6}`,
                id,
                'legal_person',
                iso(at),
                iso(at + 3 * DAY),
                iso(at + 7 * DAY),
                overdue ? null : iso(at + DAY),
                overdue ? 'issued' : 'acknowledged',
                overdue ? 't' : 'f',
                overdue ? 'ack' : null,
                overdue ? 1 : null,
                overdue ? iso(at + 3 * DAY) : null,
                overdue ? iso(at + 3 * DAY) : null,
                iso(at),
              ]);
            }
          }
        },
      );
      // the overdue rollup (decision 0056): its trigger does not run under replica, so built as the
      // migration builds it
      await db.query(`INSERT INTO tracking.overdue_counts (dept, kind, level, n)
        SELECT dept, coalesce(overdue_kind, ''), coalesce(overdue_level, 0), count(*)
        FROM tracking.follow_up_assignments WHERE overdue GROUP BY 1, 2, 3`);
      // the statistics' rollup: a year of days per department, list type and memorandum
      await db.query(
        `INSERT INTO tracking.stats_daily (dept, list_type, memorandum_code, day, assigned,
          acknowledged, acknowledged_on_time, enforced, overdue, acted)
        SELECT 'DEPT' || lpad(d::text, 2, '0'), lt, 'MOU' || (d % 6), current_date - g,
               (20 + (d * g) % 40), 18, 16, 10, 1, 12
        FROM generate_series(0, ${DEPARTMENTS - 1}) d, unnest($1::text[]) lt, generate_series(0, 364) g`,
        [LIST_TYPES],
      );
    });
  }

  await timed('vacuum analyze', async () => {
    await db.query('RESET session_replication_role');
    await db.query('VACUUM ANALYZE');
  });
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
        `SELECT (SELECT count(*) FROM ${table})::bigint AS rows, pg_total_relation_size('${table}')::bigint AS bytes`,
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
    const g = await generate(url, { scale, tracking: process.env.TRACKING !== '0', log });
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
