/**
 * npm run bench:service-startup — the CPU a service's process spends before it answers /health/ready
 * (issue 17, decision 0066): each service started as the recovery test starts it
 * (`node --enable-source-maps dist/apps/<service>/src/main.js`, test/support/service-process.ts) over the
 * machine's PostgreSQL, Kafka and Redis, then killed and started again BENCH_STARTS times.
 *
 * Measured per start, from the process's own CPU counters (/proc/<pid>/stat, user + system; 10 ms steps),
 * which a loaded machine slows less than it slows the wall clock:
 *   load  — CPU when the process logs "Starting Nest application" (Node has loaded the code)
 *   ready — CPU when /health/ready first answers 200
 * and the wall times of both, beside the load average. The median of the starts is printed.
 *
 * BENCH_DISTS=dir1,dir2 compares builds in one run, interleaved start by start (each a copy of dist/
 * inside this tree, so that node_modules resolves); default: dist. BENCH_SERVICES picks services.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, KAFKA_BROKERS, uniquePrefix, waitFor } from '../test/support/infra';
import { ensureBuilt, exited, freePort, isReady } from '../test/support/service-process';

const ROOT = join(__dirname, '..');
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const DISTS = (process.env.BENCH_DISTS ?? 'dist').split(',').map((d) => resolve(ROOT, d.trim()));
const SERVICES = (process.env.BENCH_SERVICES ?? 'registry,trigger,enforcement,tracking').split(',');
const TICK_MS = 10; // getconf CLK_TCK = 100

interface Sample {
  loadCpuMs: number;
  readyCpuMs: number;
  loadWallMs: number;
  readyWallMs: number;
}

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
}

async function start(dist: string, service: string, env: Record<string, string>): Promise<Sample> {
  const started = Date.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--enable-source-maps', join(dist, `apps/${service}/src/main.js`)],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid!;
  let loaded: { cpu: number; wall: number } | undefined;
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    if (loaded) return;
    stdout += chunk.toString();
    if (stdout.includes('Starting Nest application'))
      loaded = { cpu: cpuMs(pid), wall: Date.now() - started };
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${service} exited ${child.exitCode}: ${stderr}`);
        return isReady(`http://127.0.0.1:${env.PORT}`);
      },
      { timeoutMs: 240_000, intervalMs: 50, message: `${service} ready` },
    );
    const readyCpuMs = cpuMs(pid);
    return {
      loadCpuMs: loaded?.cpu ?? NaN,
      readyCpuMs,
      loadWallMs: loaded?.wall ?? NaN,
      readyWallMs: Date.now() - started,
    };
  } finally {
    child.kill('SIGKILL');
    await exited(child);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  if (!process.env.BENCH_DISTS) ensureBuilt();
  const database = await createTestDatabase();
  const prefix = uniquePrefix();
  try {
    for (const service of SERVICES) {
      const env = {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '3',
        KAFKA_BROKERS,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_PARTITIONS: '3',
        AUTH_JWT_SECRET: 'startup-bench-secret-0123456789',
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        KAFKA_INSTANCE_ID: `startup-${service}`,
      };
      // a first start migrates the service's schema and creates its topics: not counted
      await start(DISTS[0], service, env);
      const samples = new Map<string, Sample[]>(DISTS.map((d) => [d, []]));
      for (let i = 0; i < STARTS; i++)
        for (const dist of DISTS) samples.get(dist)!.push(await start(dist, service, env));
      for (const [dist, list] of samples) {
        const m = (key: keyof Sample) => median(list.map((s) => s[key]));
        process.stdout.write(
          `${service.padEnd(12)} ${dist.slice(ROOT.length + 1).padEnd(28)} CPU load ${m('loadCpuMs')} ms, ready ${m('readyCpuMs')} ms; ` +
            `wall load ${m('loadWallMs')} ms, ready ${m('readyWallMs')} ms (median of ${list.length}; load ${loadavg()
              .map((l) => l.toFixed(1))
              .join(' ')})\n`,
        );
      }
    }
  } finally {
    await database.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
