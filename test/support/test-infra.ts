import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The infrastructure of one test run (decision 0048): PostgreSQL, Redis and Kafka in containers of the
 * project's own images (deploy/images/build.sh, decision 0045), started by testcontainers, or the
 * machine's own services (TEST_INFRA=local).
 *
 *   TEST_INFRA=containers  containers; fails when no Docker engine answers or an image is missing
 *   TEST_INFRA=local       the machine's services (TEST_PG_ADMIN_URL, REDIS_URL, KAFKA_BROKERS or their defaults)
 *   unset                  containers when an engine answers and the images exist, else local (one line says why)
 */
export type TestInfraMode = 'containers' | 'local';

export const IMAGES = {
  postgres: process.env.TEST_IMAGE_POSTGRES ?? 'credit/postgres:15',
  redis: process.env.TEST_IMAGE_REDIS ?? 'credit/redis:7',
  kafka: process.env.TEST_IMAGE_KAFKA ?? 'credit/kafka:3.9',
};

/** Every container of a test run carries these labels: the run's owner (the jest process) and its host. */
export const LABEL = 'credit.test-infra';
const LABEL_PID = `${LABEL}.pid`;
const LABEL_HOST = `${LABEL}.host`;
const LABEL_RUN = `${LABEL}.run`;

/** The environment the tests read: test/support/infra.ts and services.ts. */
export interface TestInfraEnv {
  TEST_PG_ADMIN_URL: string;
  REDIS_URL: string;
  KAFKA_BROKERS: string;
}

export interface StartedTestInfra {
  env: TestInfraEnv;
  /** how long the three took to answer, in ms: in all, and each (from the start of the run's setup) */
  startedInMs: number;
  took: Record<string, number>;
  /** What the database's container says went wrong (a backend that died, memory), for the run's end. */
  databaseTrouble(): Promise<string[]>;
  stop(): Promise<void>;
}

type Log = (line: string) => void;

// Ryuk (testcontainers' reaper) is an image from a registry, which these machines cannot reach: the
// containers are labelled instead, a watchdog removes them if the run dies, and the next run sweeps.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

async function runtime() {
  const { getContainerRuntimeClient } = await import('testcontainers');
  return getContainerRuntimeClient();
}

/** Which infrastructure this run uses, and why (for the one line the run prints). */
export async function chooseMode(): Promise<{ mode: TestInfraMode; reason: string }> {
  const wanted = process.env.TEST_INFRA;
  if (wanted === 'local') return { mode: 'local', reason: 'TEST_INFRA=local' };
  if (wanted !== undefined && wanted !== '' && wanted !== 'containers') {
    throw new Error(`TEST_INFRA must be "containers" or "local", not "${wanted}"`);
  }
  const missing = await missingImages().catch((err: Error) => err);
  if (missing instanceof Error) {
    if (wanted === 'containers')
      throw new Error(`TEST_INFRA=containers, but no Docker engine answers: ${missing.message}`);
    return { mode: 'local', reason: 'no Docker engine answers (deploy/images/dockerd.sh start)' };
  }
  if (missing.length > 0) {
    const hint = `${missing.join(', ')} missing: run deploy/images/build.sh postgres redis kafka`;
    if (wanted === 'containers') throw new Error(`TEST_INFRA=containers, but ${hint}`);
    return { mode: 'local', reason: hint };
  }
  return {
    mode: 'containers',
    reason: wanted === 'containers' ? 'TEST_INFRA=containers' : 'a Docker engine answers',
  };
}

async function missingImages(): Promise<string[]> {
  const { ImageName } = await import('testcontainers');
  const client = await runtime();
  const missing: string[] = [];
  for (const image of Object.values(IMAGES)) {
    if (!(await client.image.exists(ImageName.fromString(image)))) missing.push(image);
  }
  return missing;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes the containers of earlier runs on this host whose jest process is gone (a crash, a kill -9
 * before the watchdog acted). Containers of runs still going — another shell's — are left alone.
 */
export async function sweepLeftovers(log: Log): Promise<void> {
  const client = await runtime();
  const leftovers = await client.container.dockerode.listContainers({
    all: true,
    filters: { label: [LABEL_PID, `${LABEL_HOST}=${hostname()}`] },
  });
  for (const info of leftovers) {
    const pid = Number(info.Labels[LABEL_PID]);
    if (pid === process.pid || alive(pid)) continue;
    log(
      `removing ${info.Names.join(',')} left by test run ${info.Labels[LABEL_RUN]} (process ${pid} is gone)`,
    );
    await client.container.dockerode
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .catch((err: Error) => log(`could not remove ${info.Id}: ${err.message}`));
  }
}

/**
 * A detached process that removes this run's containers once the jest process is gone without its
 * globalTeardown (killed, crashed). It only calls the docker CLI; the next run's sweep is the backstop.
 */
function startWatchdog(run: string): number | undefined {
  const script = `
    const { execFileSync } = require('node:child_process');
    const [owner, label] = process.argv.slice(1);
    const alive = () => { try { process.kill(Number(owner), 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    const timer = setInterval(() => {
      if (alive()) return;
      clearInterval(timer);
      try {
        const ids = execFileSync('docker', ['ps', '-aq', '--filter', 'label=' + label]).toString().split(/\\s+/).filter(Boolean);
        if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
      } catch {}
    }, 2000);`;
  const child = spawn(process.execPath, ['-e', script, String(process.pid), `${LABEL_RUN}=${run}`], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child.pid;
}

/** Until a FindCoordinator succeeds: a fresh KRaft broker serves requests before its offsets topic exists. */
async function waitForGroupCoordinator(brokers: string, timeoutMs = 60_000): Promise<void> {
  const admin = new Kafka({ clientId: 'test-infra', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  const deadline = Date.now() + timeoutMs;
  await admin.connect();
  try {
    for (;;) {
      try {
        await admin.describeGroups(['test-infra.readiness']);
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Starts the three containers on random host ports (never the machine's 5432/6379/9092), each with
 * modest limits (the machine has 2 cores, shared), and waits until each answers.
 */
/** The database container answers on TCP (not only on its socket, as during the entrypoint's initdb). */
const PG_READY = ['pg_isready', '--host', 'localhost', '--username', 'postgres', '--dbname', 'postgres'];

export async function startContainers(log: Log): Promise<StartedTestInfra> {
  const { GenericContainer, RandomPortGenerator, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const started = Date.now();
  await sweepLeftovers(log);
  const run = `${process.pid}-${started.toString(36)}`;
  const labels = {
    [LABEL]: 'true',
    [LABEL_PID]: String(process.pid),
    [LABEL_HOST]: hostname(),
    [LABEL_RUN]: run,
  };
  const watchdog = startWatchdog(run);

  const postgres = new PostgreSqlContainer(IMAGES.postgres)
    .withName(`credit-test-${run}-postgres`)
    .withLabels(labels)
    .withUsername('postgres')
    .withPassword('postgres')
    .withDatabase('postgres')
    // disposable data: no durability work; room for two jest workers × four services' pools
    .withCommand([
      'postgres',
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ...['-c', 'max_connections=200', '-c', 'TimeZone=Etc/UTC'],
    ])
    // ready when it answers on its TCP port (the entrypoint's first, socket-only start does not), checked
    // during the start only: the module's default, a Docker health check every 250 ms for the container's
    // life, cost ~11 % of an idle machine all run long (decision 0092). Its types take no 'NONE': the same
    // check every 10 minutes.
    .withHealthCheck({ test: ['CMD', ...PG_READY], interval: 600_000 })
    .withWaitStrategy(Wait.forAll([Wait.forSuccessfulCommand(PG_READY.join(' ')), Wait.forListeningPorts()]))
    .withSharedMemorySize(256 * 1024 ** 2)
    // room for up to 200 backends, each caching the catalogue of the many schemas a run creates (a whole
    // run peaked at 383 MiB; the quota is a ceiling, not a reservation)
    .withResourcesQuota({ memory: 4 });
  const redis = new RedisContainer(IMAGES.redis)
    .withName(`credit-test-${run}-redis`)
    .withLabels(labels)
    // the image's own command (RedisContainer would otherwise run a bare redis-server, protected mode on)
    .withCommand([
      'redis-server',
      '--bind',
      '0.0.0.0',
      '--protected-mode',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
    ])
    .withResourcesQuota({ memory: 0.25 });

  const startKafka = async () => {
    // the broker must advertise the address the tests reach it on: a host port chosen before the start
    // (a port taken in between fails the start, which is tried again on another)
    for (let attempt = 1; ; attempt++) {
      const port = await new RandomPortGenerator().generatePort();
      try {
        const container = await new GenericContainer(IMAGES.kafka)
          .withName(`credit-test-${run}-kafka-${attempt}`)
          .withLabels(labels)
          .withEnvironment({
            KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
            // a cluster id given spares the entrypoint one JVM start; the client compiler alone starts the
            // broker about a quarter sooner, and a test run's broker never gets hot enough to miss C2
            KAFKA_CLUSTER_ID: kafkaClusterId(),
            KAFKA_HEAP: '-Xmx384m -Xms128m -XX:TieredStopAtLevel=1',
            KAFKA_NUM_PARTITIONS: '3',
          })
          .withExposedPorts({ container: 9092, host: port })
          // the logs in memory (decision 0086): every test platform makes its own topics, some 2,000
          // partitions a run, each a folder of segment and index files that nothing reads after the run
          // (owned by the image's kafka user, uid and gid 1001: Docker 20.10 ignores a tmpfs's mode)
          .withTmpFs({ '/var/lib/kafka/data': 'rw,uid=1001,gid=1001' })
          .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
          .withStartupTimeout(120_000)
          .withResourcesQuota({ memory: 1 })
          .start();
        return { container, brokers: `127.0.0.1:${port}` };
      } catch (err) {
        if (attempt >= 3 || !/port is already allocated|address already in use/i.test(String(err))) throw err;
        log(`kafka: host port ${port} was taken meanwhile, another`);
      }
    }
  };

  const took: Record<string, number> = {};
  const timed = <T>(name: string, start: Promise<T>) =>
    start.then((value) => {
      took[name] = Date.now() - started;
      return value;
    });
  const results = await Promise.allSettled([
    timed('postgres', postgres.start()),
    timed('redis', redis.start()),
    timed('kafka', startKafka()),
  ]);
  const stopAll = async () => {
    await Promise.allSettled(
      results.map((r) =>
        r.status !== 'fulfilled'
          ? undefined
          : 'container' in r.value
            ? r.value.container.stop()
            : r.value.stop(),
      ),
    );
    if (watchdog) {
      try {
        process.kill(watchdog);
      } catch {
        // already gone
      }
    }
  };
  const [pg, rd, kf] = results;
  if (pg.status === 'rejected' || rd.status === 'rejected' || kf.status === 'rejected') {
    await stopAll();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    throw failed?.reason;
  }
  await timed('kafka group coordinator', waitForGroupCoordinator(kf.value.brokers)).catch(async (err) => {
    await stopAll();
    throw err;
  });
  const env: TestInfraEnv = {
    // 127.0.0.1 rather than testcontainers' "localhost": the mapped ports are bound on IPv4
    TEST_PG_ADMIN_URL: `postgres://postgres:postgres@127.0.0.1:${pg.value.getPort()}/postgres`,
    REDIS_URL: `redis://127.0.0.1:${rd.value.getPort()}`,
    KAFKA_BROKERS: kf.value.brokers,
  };
  const databaseTrouble = () => containerTrouble(pg.value.getName().replace(/^\//, ''));
  return { env, startedInMs: Date.now() - started, took, databaseTrouble, stop: stopAll };
}

/**
 * The lines of a PostgreSQL container's log that tell of a crash (a backend killed or dying, the recovery
 * that follows, memory), and its memory peak against its quota (cgroup v1). A run once saw a service
 * refused with "not yet accepting connections" and nothing else to go on.
 */
async function containerTrouble(name: string): Promise<string[]> {
  const run = (args: string[]) =>
    new Promise<string>((resolve) => {
      const child = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
      child.on('error', () => resolve(''));
      child.on('close', () => resolve(out));
    });
  const trouble = (await run(['logs', name]))
    .split('\n')
    .filter((line) =>
      /terminated by signal|was terminated|Failed process was running|out of memory|interrupted|PANIC|in recovery|not yet accepting/i.test(
        line,
      ),
    );
  const memory = (
    await run([
      'exec',
      name,
      'cat',
      '/sys/fs/cgroup/memory/memory.max_usage_in_bytes',
      '/sys/fs/cgroup/memory/memory.limit_in_bytes',
      '/sys/fs/cgroup/memory/memory.failcnt',
    ])
  )
    .trim()
    .split('\n');
  const mib = (bytes: string) => `${Math.round(Number(bytes) / 1024 ** 2)} MiB`;
  const figures =
    memory.length === 3 && memory.every((m) => /^\d+$/.test(m))
      ? [`memory peak ${mib(memory[0])} of ${mib(memory[1])}, limit hit ${memory[2]} times`]
      : [];
  return [
    ...figures,
    ...trouble.slice(0, 20),
    ...(trouble.length > 20 ? [`… ${trouble.length - 20} more`] : []),
  ];
}

/**
 * A cluster id as Kafka's own `random-uuid` makes them: 16 random bytes in base64url, never one that
 * starts with '-'. (Before the image's entrypoint passed `--cluster-id=…`, the storage tool read such an
 * id as an option and the broker never started: one run in 64 failed its global setup so.)
 */
export function kafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
