/**
 * npm run bench:embedded — how long the embedded mode (npm start) takes to be ready and how much memory it
 * holds: a first start on a new data folder (the database created, the demo loaded), then later starts
 * on the same folder. Runs the compiled app (dist/, built first when older than the sources) as
 * `npm start` does, with PostgreSQL, Redis and Kafka pointed at a closed port.
 *
 * Time to ready: from spawning the process to /health/ready answering 200. Resident memory (VmRSS) at
 * ready, after a workload (the demo catalog's checks and reads) and its peak (VmHWM).
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@credit/auth';
import { LOCAL_JWT_SECRET } from '@credit/platform';

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist/apps/embedded/src/main.js');
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
// the flags scripts/start-embedded.sh gives node (npm start); BENCH_NODE_FLAGS to compare others
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=1 --optimize-for-size')
  .split(' ')
  .filter(Boolean);

function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

function buildIfStale(): void {
  const stale =
    !existsSync(MAIN) ||
    execSync(`find apps libs scripts -name '*.ts' -newer ${MAIN} -print -quit`, { cwd: ROOT }).length > 0;
  if (stale) {
    process.stdout.write('building…\n');
    execSync('npm run -s build', { cwd: ROOT, stdio: 'inherit' });
  }
}

async function oneStart(dataDir: string, port: number, label: string) {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development', // as npm start: the built-in secret is accepted only there (decision 0019)
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_DATA_DIR: dataDir,
      EMBEDDED_LOG_FILE: `${dataDir}.log`,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:9/credit',
      REDIS_URL: 'redis://127.0.0.1:9',
      KAFKA_BROKERS: '127.0.0.1:9',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label}: exited early\n${output}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const readyMs = performance.now() - started;
  const atReady = memory(child.pid!);
  // the demo (first start only) runs after ready: wait for the guide before the workload
  while (!output.includes('Ctrl-C stops')) await new Promise((r) => setTimeout(r, 50));
  const demoMs = performance.now() - started - readyMs;
  const checkMs = await workload(url);
  const afterWork = memory(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { label, readyMs, demoMs, atReady, afterWork, checkMs };
}

/** 500 checks and a few reads: the check's p50 in ms. */
async function workload(url: string): Promise<number> {
  const system = await mintToken({ sub: 'bench', dept: 'FINANCE', roles: ['system'] }, LOCAL_JWT_SECRET);
  const times: number[] = [];
  for (let i = 0; i < 500; i += 1) {
    const t = performance.now();
    const res = await fetch(`${url}/v1/checks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: { id: i % 2 ? '91330106MA7H3001XC' : '91330106MA2H7QK45E' },
        action: 'government_procurement_bid',
        stage: 'approval',
      }),
    });
    await res.text();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main() {
  buildIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'embedded-bench-'));
  const dataDir = join(dir, 'data');
  const bare = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1000)']);
  await new Promise((r) => setTimeout(r, 300));
  const bareNode = memory(bare.pid!).rssMb;
  bare.kill();
  const runs = [];
  try {
    for (let i = 0; i < STARTS; i += 1) {
      runs.push(
        await oneStart(
          dataDir,
          3990,
          i === 0 ? 'first start (new database + demo)' : `start ${i + 1} (kept)`,
        ),
      );
    }
  } finally {
    const size = Number(execSync(`du -sk ${dataDir}`).toString().split('\t')[0]);
    process.stdout.write(`data folder after the runs: ${Math.round(size / 1024)} MB\n`);
    rmSync(dir, { recursive: true, force: true });
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(
    `\nembedded mode, node ${process.version} ${NODE_FLAGS.join(' ')}, ${cpus().length} CPUs, load average ${load}; ` +
      `a bare node process: ${bareNode} MB resident\n`,
  );
  process.stdout.write(
    'start                               ready (s)  demo (s)  RSS at ready  RSS after 500 checks  peak RSS  check p50 (ms)\n',
  );
  for (const r of runs) {
    process.stdout.write(
      `${r.label.padEnd(36)}${(r.readyMs / 1000).toFixed(2).padStart(9)}${(r.demoMs / 1000).toFixed(2).padStart(10)}` +
        `${`${r.atReady.rssMb} MB`.padStart(14)}${`${r.afterWork.rssMb} MB`.padStart(22)}${`${r.afterWork.peakMb} MB`.padStart(10)}` +
        `${r.checkMs.toFixed(2).padStart(16)}\n`,
    );
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
