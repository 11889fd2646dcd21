import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoSettled, ensureDemoTemplate } from './embedded-demo-template';
import { freePort } from './free-port';
import { templatePath } from './pglite-template';
import { ensureBuilt } from './service-process';

const ROOT = join(__dirname, '..', '..');
const STOP_GRACE_MS = 20_000;

// children still running when the test process exits (a failed test, a timeout) are killed with it
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
/** A port nothing listens on: DATABASE_URL, REDIS_URL and KAFKA_BROKERS point there. */
export const CLOSED_PORT = 9;

export interface EmbeddedProcess {
  url: string;
  /** what the process printed at start: time to ready (s) and resident memory (MB) */
  readySeconds: number;
  rssMb: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>;
}

/** Copies the migrated template into `dataDir`/pgdata, making the template first when missing. */
async function copyTemplate(dataDir: string): Promise<void> {
  let template = templatePath();
  if (!existsSync(template)) {
    // (only then: the medium platform loads every service module into this worker)
    const { migratedTemplate } = await import('./medium');
    template = await migratedTemplate();
  }
  mkdirSync(dataDir, { recursive: true });
  cpSync(template, join(dataDir, 'pgdata'), { recursive: true });
}

/**
 * Copies the demo template (test/support/embedded-demo-template.ts) into `dataDir`/pgdata, making it first
 * when missing: a first start with the demo on the migrated template, its events settled, stopped.
 */
async function copyDemoTemplate(dataDir: string): Promise<void> {
  const template = await ensureDemoTemplate(async (building) => {
    const maker = await startEmbeddedProcess({
      dataDir: building,
      waitFor: /Ctrl-C stops the platform/,
      timeoutMs: 240_000,
    });
    let failed: unknown;
    try {
      // a first start that loaded the demo, then its events handled
      const output = maker.output();
      if (!/new database[\s\S]*loading the demo/.test(output) || output.includes('demo could not be loaded'))
        throw new Error(`the demo was not loaded on a first start:\n${output}`);
      await demoSettled(maker.url);
    } catch (err) {
      failed = err;
    }
    const code = await maker.stop();
    if (failed) throw failed;
    if (code !== 0) throw new Error(`the demo template's process exited with ${code}:\n${maker.output()}`);
  });
  mkdirSync(dataDir, { recursive: true });
  cpSync(template, join(dataDir, 'pgdata'), { recursive: true });
}

/**
 * Starts apps/embedded as its own process from the build, as `npm start` runs it (rebuilt when a source is
 * newer; compiling the sources at each start cost 0.7 CPU-s and 0.6 s more to ready), with PostgreSQL, Redis
 * and Kafka pointed at a closed port and every connection to their ports refused and reported
 * (test/support/no-infra-connections.js). Resolves once it printed `waitFor` (by default: ready).
 */
export async function startEmbeddedProcess(options: {
  dataDir: string;
  args?: string[];
  /** overrides of the environment; `undefined` removes a variable (HOST, NODE_ENV: their defaults) */
  env?: Record<string, string | undefined>;
  waitFor?: RegExp;
  timeoutMs?: number;
  /**
   * A new data folder starts as a copy of the migrated template (test/support/pglite-template.ts): PGlite's
   * initdb and the migrations are the same every time and take tens of seconds under load. The process
   * still finds no department, so it starts as on a first start (demo, `new database`). false: a real
   * first start, initdb and migrations in the process (test/e2e/embedded.e2e-cases.ts keeps one).
   */
  fromTemplate?: boolean;
  /**
   * A new data folder starts as a copy of the demo template instead: the migrated template on which a
   * first start loaded the demo and handled its events (decision 0062). The process starts as any later
   * start of a demo database does (`database kept`, the guide printed in development).
   */
  demo?: boolean;
}): Promise<EmbeddedProcess> {
  if (!existsSync(join(options.dataDir, 'pgdata'))) {
    if (options.demo) await copyDemoTemplate(options.dataDir);
    else if (options.fromTemplate ?? true) await copyTemplate(options.dataDir);
  }
  ensureBuilt();
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '-r',
      join(ROOT, 'test/support/no-infra-connections.js'),
      join(ROOT, 'dist/apps/embedded/src/main.js'),
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        // as `npm start` sets it; HOST is left to the embedded mode's default (loopback)
        NODE_ENV: 'development',
        EMBEDDED_DATA_DIR: options.dataDir,
        EMBEDDED_LOG_FILE: `${options.dataDir}.log`,
        DATABASE_URL: `postgres://postgres@127.0.0.1:${CLOSED_PORT}/credit`,
        REDIS_URL: `redis://127.0.0.1:${CLOSED_PORT}`,
        KAFKA_BROKERS: `127.0.0.1:${CLOSED_PORT}`,
        FORBIDDEN_PORT: String(CLOSED_PORT),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
        // the story waits for its trail to be sealed: no settle window, seal often
        TRACKING_TRAIL_SEAL_INTERVAL_MS: '300',
        TRACKING_TRAIL_SETTLE_MS: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  child.on('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = options.waitFor ?? /embedded platform ready at/;
  // (a first start on a 2-core machine shared with other test runs has taken close to a minute)
  // (on what it prints, not polled: the line is seen as soon as it is printed)
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), options.timeoutMs ?? 120_000);
    const seen = () => {
      if (!waitFor.test(output)) return;
      clearTimeout(timer);
      child.stdout!.off('data', seen);
      child.stderr!.off('data', seen);
      resolve(true);
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    void exited.then(() => {
      clearTimeout(timer);
      resolve(waitFor.test(output));
    });
  });
  if (!started) {
    child.kill('SIGKILL');
    throw new Error(`the embedded process did not start:\n${output}`);
  }
  const ready = /ready at (\S+) in ([\d.]+) s, (\d+) MB resident/.exec(output)!;
  return {
    url: ready[1],
    readySeconds: Number(ready[2]),
    rssMb: Number(ready[3]),
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      // a process that does not stop is killed (and reported by its exit code), never left behind
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
