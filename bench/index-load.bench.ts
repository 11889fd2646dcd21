/**
 * `npm run bench:index-load` — how fast a replica reads its share of the check's index (issue 19,
 * decision 0065): the paged read by id (`bindingPage`, how every replica read before) against the
 * streamed one (`COPY … TO STDOUT`, `PgMeasureQueries.readBinding`), over a database of
 * bench/scale-generate.ts (SCALE_DB, kept with KEEP=1).
 *
 * For each arm, REPLICAS shares (PARTITIONS partitions, replica r owns p % REPLICAS = r) are read one after
 * the other (rows/s of a replica reading alone), then all at once (as replicas starting together). Wall
 * time is this machine's contention; what each arm costs is printed as CPU-seconds — the Node process's
 * (`process.cpuUsage`) and PostgreSQL's backends' (/proc/<pid>/stat of this bench's connections) — per
 * 100k rows, with the load average beside every figure. Heap per row after gc (run with --expose-gc).
 *
 * Env: SCALE_DB (required), ADMIN_URL, PARTITIONS (12), REPLICAS (3), ARMS (pages,copy), ROUNDS (1).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { openServiceDatabase } from '@credit/persistence';
import { BindingIndex } from '../apps/enforcement/src/checks/active-measures/binding-index';
import {
  IndexScope,
  MeasureQueries,
  readByPages,
} from '../apps/enforcement/src/checks/active-measures/measure-queries';
import { PgMeasureQueries } from '../apps/enforcement/src/checks/active-measures/pg-measure-queries';
import { readWholeSet } from '../apps/enforcement/src/checks/active-measures/whole-set-reader';
import { WebhookSecretCipher } from '../apps/enforcement/src/delivery/webhook-secret-cipher';
import { ENFORCEMENT_ENTITIES, enforcementMigrations } from '../apps/enforcement/src/enforcement.module';
import { adminUrl } from './scale-generate';

const PARTITIONS = Number(process.env.PARTITIONS ?? '12');
const REPLICAS = Number(process.env.REPLICAS ?? '3');
const ROUNDS = Number(process.env.ROUNDS ?? '1');
const ARMS = (process.env.ARMS ?? 'pages,copy').split(',') as Arm[];
type Arm = 'pages' | 'copy';
const TICKS = 100; // USER_HZ on Linux
const log = (l: string) => process.stdout.write(l + '\n');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The paged read as every replica did before 0065, whatever the queries' own `readBinding`. */
class PagedQueries extends PgMeasureQueries {
  override readBinding(scope: IndexScope | undefined, sink: Parameters<MeasureQueries['readBinding']>[1]) {
    return readByPages(this, scope, sink);
  }
}

async function backendCpu(db: DataSource, app: string): Promise<Map<number, number>> {
  const rows: { pid: number }[] = await db.query(
    `SELECT pid FROM pg_stat_activity WHERE application_name = $1`,
    [app],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS); // utime, stime
    } catch {
      // a backend that ended
    }
  }
  return cpu;
}

interface Figures {
  rows: number;
  ms: number;
  nodeCpu: number;
  pgCpu: number;
}

async function measured(db: DataSource, app: string, read: () => Promise<number>): Promise<Figures> {
  const pgBefore = await backendCpu(db, app);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rows = await read();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const pgAfter = await backendCpu(db, app);
  let pgCpu = 0;
  for (const [pid, seconds] of pgAfter) pgCpu += seconds - (pgBefore.get(pid) ?? 0);
  return { rows, ms, nodeCpu: (used.user + used.system) / 1e6, pgCpu };
}

const line = (what: string, f: Figures) =>
  `${what}: ${fmt(f.rows)} rows in ${fmt(f.ms / 1000, 1)} s = ${fmt(f.rows / (f.ms / 1000))} rows/s; ` +
  `CPU per 100k rows: node ${fmt((f.nodeCpu * 1e5) / f.rows, 2)} s, PostgreSQL ${fmt((f.pgCpu * 1e5) / f.rows, 2)} s; ` +
  `load average ${load()}`;

async function main(): Promise<void> {
  const database = process.env.SCALE_DB;
  if (!database) throw new Error('SCALE_DB: a database made by bench/scale-generate.ts (KEEP=1)');
  const url = adminUrl().replace(/\/[^/]*$/, `/${database}`);
  const app = `index-load-bench-${process.pid}`;
  const db = new DataSource({
    type: 'postgres',
    url,
    schema: 'enforcement',
    entities: ENFORCEMENT_ENTITIES,
    migrations: enforcementMigrations(new WebhookSecretCipher(randomBytes(32))),
    migrationsTableName: 'migrations',
    applicationName: app,
    extra: { max: REPLICAS + 3, idleTimeoutMillis: 0 },
  });
  await openServiceDatabase(db); // this branch's migrations, if the database predates them
  log(`index load: ${database}, ${PARTITIONS} partitions, ${REPLICAS} shares; load average ${load()}`);
  const scopes = Array.from({ length: REPLICAS }, (_, r) => ({
    partitions: PARTITIONS,
    owned: Array.from({ length: PARTITIONS }, (_, p) => p).filter((p) => p % REPLICAS === r),
  }));
  const readShare = async (queries: MeasureQueries, scope: IndexScope): Promise<BindingIndex> => {
    const index = await readWholeSet(queries, { intact: () => true, maxRows: 1e9, scope });
    if (!index) throw new Error('read abandoned');
    return index;
  };
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const arm of ARMS) {
      const queries = arm === 'pages' ? new PagedQueries(db) : new PgMeasureQueries(db);
      for (const [r, scope] of scopes.entries()) {
        let kept: BindingIndex | undefined;
        const f = await measured(db, app, async () => {
          kept = await readShare(queries, scope);
          return kept.rows;
        });
        global.gc?.();
        const heapWith = process.memoryUsage().heapUsed;
        const rows = kept!.rows;
        const shape = kept!.entryShape;
        kept = undefined;
        global.gc?.();
        const heap = heapWith - process.memoryUsage().heapUsed;
        const byEntry = entryMapHeap(shape.entries, shape.keys);
        log(
          `round ${round} ${arm} replica ${r} alone (partitions ${scope.owned.join(',')}):${line('', f)}` +
            `; index heap ${fmt(heap / 2 ** 20)} MiB = ${fmt(heap / rows)} B/row, of which the entries' ` +
            `key sets (${shape.entries} entries, ${(shape.keys / shape.entries).toFixed(2)} keys each) ` +
            `${fmt(byEntry / rows)} B/row`,
        );
      }
      global.gc?.();
      const all = await measured(db, app, async () => {
        const read = await Promise.all(scopes.map((scope) => readShare(queries, scope)));
        return read.reduce((n, index) => n + index.rows, 0);
      });
      log(`round ${round} ${arm} ${REPLICAS} shares at once:${line('', all)}`);
    }
  }
  await db.destroy();
}

/**
 * The heap of a map shaped as the index's `byEntry` (entry id → set of keys, decision 0067): `entries`
 * sets holding `keys` references in all. The strings are made first and not counted — the index shares
 * them with its rows — so what is measured is the map and its sets.
 */
function entryMapHeap(entries: number, keys: number): number {
  const ids = Array.from({ length: entries }, (_, i) => `entry-${i}`);
  const keyNames = Array.from({ length: keys }, (_, i) => `key-${i}`);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const map = new Map<string, Set<string>>();
  for (let k = 0; k < keys; k += 1) {
    const id = ids[Math.floor((k * entries) / keys)];
    const set = map.get(id);
    if (set) set.add(keyNames[k]);
    else map.set(id, new Set([keyNames[k]]));
  }
  global.gc?.();
  const heap = process.memoryUsage().heapUsed - before;
  return map.size > 0 ? heap : 0;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
