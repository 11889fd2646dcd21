/**
 * Enforcement's check route A/B (decision 0069): the same enforcement service from two source trees
 * (e.g. a copy of `main` and this worktree), each on its own database and topic prefix, both running at
 * once; loads of misses (unlisted subjects) sent to one then the other, alternating, so that both meet
 * the same neighbours on a shared machine. Per load: req/s, p50/p99, and the CPU-ms per check of the
 * enforcement process (less its rate at rest, read over 2 s just before) and of its PostgreSQL backends
 * (`/proc/<pid>/stat`, warm-up included).
 *
 *   node -r ./bench/register.js bench/check-route-ab.bench.ts
 *     env: TREES=/path/a,/path/b (default: this tree alone)  ROUNDS=3  CONNECTIONS=64,8  WARMUP_S=2
 *          MEASURE_S=6  SUBJECTS=2500
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { benchTokens, runLoad, serviceEnv, sleep, uscc, withDatabase } from './check-support';

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-route-ab-secret-0123456789abcdef';
const TREES = (process.env.TREES ?? process.cwd()).split(',').map((t) => resolve(t));
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = (process.env.CONNECTIONS ?? '64,8').split(',').map(Number);
const WARMUP_S = Number(process.env.WARMUP_S ?? 2);
const MEASURE_S = Number(process.env.MEASURE_S ?? 6);
const SUBJECTS = Array.from({ length: Number(process.env.SUBJECTS ?? 2500) }, (_, i) => uscc(i + 1, 'U'));
const ACTION = 'government_procurement_bid';

function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

interface Service {
  tree: string;
  url: string;
  pid: number;
  db: Client;
  database: string;
  stop: () => Promise<void>;
}

async function start(tree: string, port: number, databaseUrl: string): Promise<Service> {
  const child = spawn(process.execPath, ['-r', './bench/register.js', 'apps/enforcement/src/main.ts'], {
    cwd: tree,
    env: {
      ...process.env,
      ...serviceEnv('enforcement', {
        databaseUrl,
        prefix: `benchab${randomUUID().slice(0, 6)}.`,
        secret: SECRET,
        brokers: BROKERS,
        redisUrl: REDIS_URL,
      }),
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`enforcement of ${tree} exited`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 1800) throw new Error(`enforcement of ${tree} did not become ready`);
    await sleep(100);
  }
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  // the checker's department, as registry's event would have registered it (reloaded every 3 s)
  await db.query(
    `INSERT INTO enforcement.known_departments (code, supervising) VALUES ('FINANCE', false) ON CONFLICT DO NOTHING`,
  );
  return {
    tree,
    url,
    pid: child.pid!,
    db,
    database: databaseUrl.slice(databaseUrl.lastIndexOf('/') + 1),
    stop: async () => {
      await db.end().catch(() => undefined);
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function postgresCpu(s: Service): Promise<number> {
  const { rows } = await s.db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [s.database],
  );
  return rows.reduce((sum, r) => sum + cpuOf(r.pid), 0);
}

async function main() {
  const token = (await benchTokens(SECRET)).checker;
  console.log(
    `check route A/B; trees ${TREES.join(' | ')}; ${ROUNDS} rounds of ${CONNECTIONS.join(', ')} connections; ` +
      `warm-up ${WARMUP_S} s, measured ${MEASURE_S} s; ${SUBJECTS.length} unlisted subjects (misses)`,
  );
  const nest = async (i: number, services: Service[]): Promise<void> => {
    if (i === TREES.length) return run(services, token);
    await withDatabase(PG_ADMIN, async (url) => {
      const s = await start(TREES[i], 3660 + i, url);
      try {
        await nest(i + 1, [...services, s]);
      } finally {
        await s.stop();
      }
    });
  };
  await nest(0, []);
}

async function run(services: Service[], token: string) {
  for (const s of services) {
    for (let i = 0; ; i += 1) {
      const r = await fetch(`${s.url}/v1/checks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: { id: SUBJECTS[0] }, action: ACTION }),
      });
      if (r.ok) break;
      if (i > 600) throw new Error(`${s.tree}: the check answers ${r.status}`);
      await sleep(100);
    }
  }
  const totals = new Map<string, { enforcement: number; postgres: number; checks: number }>();
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const connections of CONNECTIONS) {
      for (const s of round % 2 === 1 ? services : [...services].reverse()) {
        const load1 = loadavg()[0];
        // the process's rate at rest (timers, polls, the neighbours' share of its wait) over 2 s, taken off
        // the load's window: on a starved machine a slow load's idle seconds are not charged to its checks
        const rest0 = cpuOf(s.pid);
        await sleep(2000);
        const cpu0 = cpuOf(s.pid);
        const restPerSecond = (cpu0 - rest0) / 2;
        const pg0 = await postgresCpu(s);
        const started = performance.now();
        const r = await runLoad({
          url: s.url,
          path: '/v1/checks',
          token,
          connections,
          warmupSeconds: WARMUP_S,
          seconds: MEASURE_S,
          subjects: SUBJECTS,
          listed: 0,
          action: ACTION,
        });
        await sleep(300); // the last flush of the check log
        const gross = cpuOf(s.pid) - cpu0;
        const enforcement = Math.max(0, gross - (restPerSecond * (performance.now() - started)) / 1000);
        const postgres = (await postgresCpu(s)) - pg0;
        const checks = r.sent ?? r.requests;
        const key = `${s.tree} @${connections}`;
        const t = totals.get(key) ?? { enforcement: 0, postgres: 0, checks: 0 };
        totals.set(key, {
          enforcement: t.enforcement + enforcement,
          postgres: t.postgres + postgres,
          checks: t.checks + checks,
        });
        console.log(
          `round ${round}, ${connections} connections, ${s.tree} (load average ${load1.toFixed(1)}): ` +
            `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} ms, ${r.errors} errors; ` +
            `${checks} checks; CPU-ms per check: enforcement ${((1000 * enforcement) / checks).toFixed(3)} ` +
            `(${((1000 * gross) / checks).toFixed(3)} before its rate at rest, ${restPerSecond.toFixed(3)} CPU-s/s, is taken off), ` +
            `PostgreSQL ${((1000 * postgres) / checks).toFixed(3)}`,
        );
      }
    }
  }
  for (const [key, t] of totals)
    console.log(
      `all rounds, ${key}: CPU-ms per check: enforcement ${((1000 * t.enforcement) / t.checks).toFixed(3)}, ` +
        `PostgreSQL ${((1000 * t.postgres) / t.checks).toFixed(3)} (${t.checks} checks)`,
    );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
