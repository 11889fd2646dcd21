/**
 * Fan-out benchmark (issue 4): entries published per second and assignments issued per second, end to end
 * — a bulk publish in registry → every `credit.assignment.issued.v1` consumed — against the demo catalog,
 * with a baseline measured in the same run: raw kafkajs produce + consume of the same number of messages of
 * the same size on the same broker.
 *
 *   npm run bench:fan-out            (ENTRIES=10000 by default)
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { mintToken } from '../libs/auth/src/token-verifier';
import { createRootLogger, loadConfig, ServiceConfig } from '../libs/platform/src';
import { createServiceApp } from '../libs/runtime/src';
import { RegistryModule } from '../apps/registry/src/registry.module';
import { TriggerModule } from '../apps/trigger/src/trigger.module';
import { loadDemoCatalog, readDemoCatalog } from '../scripts/demo-catalog';
import { computeUsccCheckCharacter } from '../libs/identifiers/src';

const ENTRIES = Number(process.env.ENTRIES ?? 10_000);
/** the machine's load as the run began (shared with other work: the figures move with it) */
const LOAD_AT_START = loadavg();
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-secret-0123456789abcdef';
const LIST_TYPE = 'COURT_DEFAULTER';

function orgCode(n: number): string {
  const charset = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  // base 31 over the unified code's character set (no I, O, S, V, Z)
  const digits = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let rest = n;
  let encoded = '';
  do {
    encoded = digits[rest % 31] + encoded;
    rest = Math.floor(rest / 31);
  } while (rest > 0);
  const body = `B${encoded.padStart(7, '0')}`;
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + charset.indexOf(c) * weights[i], 0);
  const check = 11 - (sum % 11);
  return body + (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

function uscc(n: number): string {
  const first17 = `91330106${orgCode(n)}`;
  return first17 + computeUsccCheckCharacter(first17);
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    return await fn(PG_ADMIN.replace(/\/[^/]*$/, `/${name}`));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** Counts records on a topic from a fresh group until `expected` arrived; resolves with the time of the last. */
async function countUntil(kafka: Kafka, topic: string, expected: number, filter: (value: Buffer) => boolean) {
  const consumer = kafka.consumer({
    groupId: `bench-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 50,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let bytes = 0;
  let resolveDone!: (t: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        if (m.value && filter(m.value)) {
          seen += 1;
          bytes += m.value.length;
        }
      }
      if (seen >= expected) resolveDone(performance.now());
    },
  });
  return { done, stop: () => consumer.disconnect(), seen: () => seen, meanSize: () => bytes / seen };
}

/**
 * CPU seconds used so far, by process group (Linux /proc; empty elsewhere): the bench itself, the service
 * children, PostgreSQL backends of the bench database, the Kafka broker (java). Backends that exit inside
 * the window are not counted; the machine's other load is not either.
 */
function cpuSnapshot(
  children: Map<number, string>,
  database: string,
  backends = new Map<number, string>(),
): Map<string, Map<number, number>> {
  const groups = new Map<string, Map<number, number>>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return groups;
  }
  const tick = 100; // USER_HZ
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / tick;
    const n = Number(pid);
    let group = n === process.pid ? 'bench' : (children.get(n) ?? (comm === 'java' ? 'kafka' : undefined));
    if (!group && comm === 'postgres') {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `))
          group = backends.has(n) ? `postgres(${backends.get(n)})` : 'postgres';
      } catch {
        // gone
      }
    }
    if (!group) continue;
    const m = groups.get(group) ?? new Map<number, number>();
    m.set(n, seconds);
    groups.set(group, m);
  }
  return groups;
}

/** The bench database's backends by the service that opened them (each connects with its `application_name`). */
async function backendsOf(client: Client): Promise<Map<number, string>> {
  const rows = (
    await client.query(
      `SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name <> ''`,
    )
  ).rows as { pid: number; application_name: string }[];
  return new Map(rows.map((r) => [r.pid, r.application_name]));
}

/** Rows written per table and transactions committed in the bench database (cumulative statistics). */
async function writesOf(client: Client): Promise<{ tables: Map<string, number>; commits: number }> {
  const tables = (
    await client.query(
      `SELECT schemaname || '.' || relname t, n_tup_ins + n_tup_upd + n_tup_del n FROM pg_stat_user_tables`,
    )
  ).rows as { t: string; n: string }[];
  const [{ commits }] = (
    await client.query(
      `SELECT xact_commit::bigint commits FROM pg_stat_database WHERE datname = current_database()`,
    )
  ).rows as { commits: string }[];
  return { tables: new Map(tables.map((r) => [r.t, Number(r.n)])), commits: Number(commits) };
}

/** Samples the statements the bench database's named backends are running until stopped: counts by statement. */
function sampleStatements(databaseUrl: string) {
  const counts = new Map<string, number>();
  let running = true;
  const client = new Client({ connectionString: databaseUrl });
  const loop = (async () => {
    await client.connect();
    while (running) {
      const rows = (
        await client.query(
          `SELECT application_name a, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) q FROM pg_stat_activity
           WHERE datname = current_database() AND state = 'active' AND application_name <> ''`,
        )
      ).rows as { a: string; q: string }[];
      for (const r of rows) counts.set(`${r.a}: ${r.q}`, (counts.get(`${r.a}: ${r.q}`) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return counts;
    },
  };
}

function cpuUsed(before: Map<string, Map<number, number>>, after: Map<string, Map<number, number>>) {
  const used: Record<string, number> = {};
  for (const [group, pids] of after) {
    let total = 0;
    for (const [pid, s] of pids) total += s - (before.get(group)?.get(pid) ?? 0);
    used[group] = total;
  }
  return used;
}

async function baseline(kafka: Kafka, messages: number, size: number, keys: string[]) {
  const topic = `bench-raw-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const value = 'x'.repeat(size);
  const counter = await countUntil(kafka, topic, messages, () => true);
  const start = performance.now();
  for (let i = 0; i < messages; i += 1000) {
    const n = Math.min(1000, messages - i);
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: n }, (_, j) => ({ key: keys[(i + j) % keys.length], value })),
    });
  }
  const end = await counter.done;
  await counter.stop();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return (end - start) / 1000;
}

async function main() {
  const catalog = readDemoCatalog();
  const perEntry = catalog.memoranda
    .filter((m) => m.listTypes.includes(LIST_TYPE))
    .flatMap((m) => m.measures)
    .filter((m) => m.subjectKinds.includes('legal_person') && !(m.relatedRoles?.length ?? 0)).length;
  const assignments = ENTRIES * perEntry;
  const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const pgVersion = await (async () => {
    const c = new Client({ connectionString: PG_ADMIN });
    await c.connect();
    const v = (await c.query('SHOW server_version')).rows[0].server_version as string;
    await c.end();
    return v;
  })();

  await withDatabase(async (databaseUrl) => {
    const prefix = `bench${randomBytes(3).toString('hex')}.`;
    const config = loadConfig(ServiceConfig, {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_PARTITIONS: '3',
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    });
    // MODE=processes (default): registry and trigger as their own processes, as in the distributed mode;
    // MODE=in-process: both in this process (one event loop for everything)
    const separate = (process.env.MODE ?? 'processes') === 'processes';
    const closers: (() => Promise<void>)[] = [];
    const children = new Map<number, string>();
    const urls: string[] = [];
    for (const [name, port, module] of [
      ['registry', 3601, () => RegistryModule.register({ databaseUrl, poolSize: 8, expiryIntervalMs: 0 })],
      ['trigger', 3602, () => TriggerModule.register({ databaseUrl, poolSize: 8 })],
    ] as const) {
      if (separate) {
        const profile = process.env.PROFILE_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}/${name}`]
          : [];
        const child = spawn(
          process.execPath,
          [...profile, '-r', './bench/register.js', `apps/${name}/src/main.ts`],
          {
            env: {
              ...process.env,
              PORT: String(port),
              HOST: '127.0.0.1',
              // named, so that the bench tells each service's PostgreSQL backends apart
              DATABASE_URL: `${databaseUrl}?application_name=${name}`,
              DATABASE_POOL_SIZE: '8',
              KAFKA_BROKERS: BROKERS.join(','),
              KAFKA_TOPIC_PREFIX: prefix,
              KAFKA_PARTITIONS: '3',
              AUTH_JWT_SECRET: SECRET,
              LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
              LIST_ENTRY_EXPIRY_INTERVAL_MS: '0',
            },
            stdio: ['ignore', 'inherit', 'inherit'],
          },
        );
        if (child.pid) children.set(child.pid, name);
        const url = `http://127.0.0.1:${port}`;
        for (let i = 0; ; i += 1) {
          const ready = await fetch(`${url}/health/ready`).then(
            (r) => r.ok,
            () => false,
          );
          if (ready) break;
          if (i > 600) throw new Error(`${name} did not become ready`);
          await new Promise((r) => setTimeout(r, 100));
        }
        urls.push(url);
        closers.push(async () => {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        });
      } else {
        const app = await createServiceApp({
          name,
          title: name,
          config,
          logger: createRootLogger(name, process.env.LOG_LEVEL ?? 'error'),
          modules: [module()],
        });
        await app.listen(0, '127.0.0.1');
        urls.push(await app.getUrl());
        closers.push(() => app.close());
      }
    }
    const [registryUrl, triggerUrl] = urls;
    const admin = await mintToken({ sub: 'bench', dept: 'CREDIT_OFFICE', roles: ['admin'] }, SECRET);
    await loadDemoCatalog({ registryUrl, triggerUrl, adminToken: admin });
    const court = await mintToken({ sub: 'bench', dept: 'COURT', roles: ['initiator'] }, SECRET);

    const rows = ['subjectKind,subjectId,subjectName,documentNo,decisionDate,facts,noticedAt,noticeChannel'];
    const keys: string[] = [];
    for (let i = 0; i < ENTRIES; i += 1) {
      const id = uscc(i + 1);
      keys.push(id);
      rows.push(
        `legal_person,${id},基准测试企业${i},(2026)浙0106执${i}号,2026-10-01,拒不履行,2026-10-01T10:00:00+08:00,post`,
      );
    }
    const csv = rows.join('\n');

    const issued = await countUntil(kafka, `${prefix}credit.assignments`, assignments, (v) =>
      v.includes('"credit.assignment.issued.v1"'),
    );
    const databaseName = databaseUrl.slice(databaseUrl.lastIndexOf('/') + 1);
    const stats = new Client({ connectionString: databaseUrl });
    await stats.connect();
    const backendsBefore = await backendsOf(stats);
    const writesBefore = await writesOf(stats);
    const cpuBefore = cpuSnapshot(children, databaseName, backendsBefore);
    // PG_SAMPLE=1: which statements the services' backends are running, sampled every 20 ms (a profile of
    // PostgreSQL's time by statement: pg_stat_statements needs a server restart to load)
    const sampler = process.env.PG_SAMPLE ? sampleStatements(databaseUrl) : undefined;
    const start = performance.now();
    const response = await fetch(
      `${registryUrl}/v1/list-entries/imports?listType=${LIST_TYPE}&mode=publish`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${court}`, 'content-type': 'text/csv' },
        body: csv,
      },
    );
    const imported = (await response.json()) as { accepted: number; rejected: number };
    const published = performance.now();
    if (imported.accepted !== ENTRIES) throw new Error(`import accepted ${imported.accepted} of ${ENTRIES}`);
    const end = await issued.done;
    const endedAt = new Date();
    const statements = await sampler?.stop();
    const backendsAfter = await backendsOf(stats);
    for (const [pid, name] of backendsBefore) if (!backendsAfter.has(pid)) backendsAfter.set(pid, name);
    const cpu = cpuUsed(cpuBefore, cpuSnapshot(children, databaseName, backendsAfter));
    // backends report their statistics once idle for a second: read them a little after the window
    await new Promise((r) => setTimeout(r, 1500));
    const writesAfter = await writesOf(stats);
    await stats.end();
    await issued.stop();

    // where the time went, from the outbox, inbox and published log
    const sample = await new Client({ connectionString: databaseUrl });
    await sample.connect();
    const phase = async (sql: string) => (await sample.query(sql)).rows[0] as { a: Date; b: Date; n: number };
    const phases = {
      registryOutbox: await phase(
        `SELECT min(created_at) a, max(published_at) b, sum(events)::int n FROM registry.message_published`,
      ),
      triggerInbox: await phase(
        `SELECT min(received_at) a, max(received_at) b, count(*)::int n FROM trigger.message_inbox`,
      ),
      triggerTransactions: await phase(
        `SELECT min(received_at) a, max(received_at) b, count(DISTINCT received_at)::int n FROM trigger.message_inbox`,
      ),
      triggerOutbox: await phase(
        `SELECT min(created_at) a, max(published_at) b, sum(events)::int n FROM trigger.message_published`,
      ),
      triggerOutboxWritten: await phase(
        `SELECT min(created_at) a, max(created_at) b, sum(events)::int n FROM trigger.message_published`,
      ),
    };
    // the documents (两书同达, decision 0026) the publish asked for that the documents job served inside the
    // window: their work is counted in the CPU-seconds above, and how many fall inside depends on its pace
    const documents = (
      await sample.query(
        `SELECT count(*) FILTER (WHERE status = 'issued' AND issued_at <= $1)::int served, count(*)::int asked
         FROM registry.documents`,
        [endedAt],
      )
    ).rows[0] as { served: number; asked: number };
    // TIMELINE=1: per half second since the import began, what registry published and trigger received,
    // wrote and published (a pass's rows carry its transaction's start)
    const timeline = process.env.TIMELINE
      ? (
          await sample.query(
            `WITH t0 AS (SELECT min(created_at) t FROM registry.message_published),
             s AS (SELECT 'registry published' what, published_at t, events n FROM registry.message_published
                   UNION ALL SELECT 'received', received_at, 1 FROM trigger.message_inbox
                   UNION ALL SELECT 'written', created_at, events FROM trigger.message_published
                   UNION ALL SELECT 'published', published_at, events FROM trigger.message_published),
             b AS (SELECT what, floor(2 * extract(epoch FROM s.t - t0.t)) / 2 sec, sum(n)::int n
                     FROM s, t0 GROUP BY 1, 2)
             SELECT sec::float8 sec, string_agg(what || ' ' || n, ', ' ORDER BY what) line FROM b GROUP BY sec ORDER BY sec`,
          )
        ).rows.map((r: { sec: number; line: string }) => `t+${r.sec.toFixed(1)}s: ${r.line}`)
      : [];
    // the size of an issued event as it travelled (the published log keeps no payloads)
    const size = Math.round(issued.meanSize());
    await sample.end();
    for (const close of closers.reverse()) await close();

    const systemSeconds = (end - start) / 1000;
    const baselineCpuBefore = cpuSnapshot(new Map(), '');
    const baselineSeconds = await baseline(kafka, assignments, size, keys);
    const baselineCpu = cpuUsed(baselineCpuBefore, cpuSnapshot(new Map(), ''));
    const entriesPerSecond = ENTRIES / ((published - start) / 1000);
    const systemRate = assignments / systemSeconds;
    const baselineRate = assignments / baselineSeconds;

    console.log(
      `fan-out benchmark; load average at the start ${LOAD_AT_START.map((l) => l.toFixed(1)).join(' ')}`,
    );
    console.log(
      `conditions: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, PostgreSQL ${pgVersion}, Kafka at ${BROKERS.join(',')}, 3 partitions, ${separate ? 'registry and trigger in their own processes' : 'in-process registry+trigger'}`,
    );
    console.log(
      `workload: ${ENTRIES} entries on ${LIST_TYPE} (legal persons) × ${perEntry} demo measures = ${assignments} assignments, event ~${size} bytes`,
    );
    console.log(
      `registry publish (bulk import, publish mode): ${(published - start).toFixed(0)} ms = ${entriesPerSecond.toFixed(0)} entries/s`,
    );
    console.log(
      `end to end (publish → every issued event consumed): ${systemSeconds.toFixed(2)} s = ${systemRate.toFixed(0)} assignments/s, ${(ENTRIES / systemSeconds).toFixed(0)} entries/s`,
    );
    console.log(
      `baseline (raw kafkajs produce+consume of ${assignments} × ${size} B): ${baselineSeconds.toFixed(2)} s = ${baselineRate.toFixed(0)} messages/s`,
    );
    console.log(
      `documents served inside the window: ${documents.served} of the ${documents.asked} the publish asked for`,
    );
    for (const [name, p] of Object.entries(phases)) {
      console.log(`phase ${name}: ${p.n} rows over ${((+p.b - +p.a) / 1000).toFixed(2)} s`);
    }
    if (Object.keys(cpu).length > 0) {
      const list = Object.entries(cpu)
        .sort((a, b) => b[1] - a[1])
        .map(([group, seconds]) => `${group} ${seconds.toFixed(1)}`)
        .join(', ');
      console.log(
        `cpu seconds over the end-to-end window: ${list} (of ${cpus().length} × ${systemSeconds.toFixed(1)} s)`,
      );
      const used = Object.values(cpu).reduce((a, b) => a + b, 0);
      const baselineUsed = Object.values(baselineCpu).reduce((a, b) => a + b, 0);
      // the work itself bounds the time: all of it spread perfectly over every core takes at least this long
      const floor = used / cpus().length;
      console.log(
        `cpu seconds over the baseline: ${baselineUsed.toFixed(1)} (bench ${(baselineCpu.bench ?? 0).toFixed(1)}, kafka ${(baselineCpu.kafka ?? 0).toFixed(1)}); the system's ${used.toFixed(1)} CPU-s take at least ${floor.toFixed(2)} s on ${cpus().length} cores: ratio at most ${(baselineSeconds / floor).toFixed(2)} for this work`,
      );
      // the same bound without the neighbours' share of the machine: work per assignment against the
      // baseline's per message (kafka counts the whole broker, so other traffic inflates both a little)
      const perAssignment = (seconds: number) => ((1000 * seconds) / assignments).toFixed(3);
      console.log(
        `bound: the system spends ${perAssignment(used)} CPU-ms an assignment, the baseline ${perAssignment(baselineUsed)} a message (${(used / baselineUsed).toFixed(1)}×); largest: ${Object.entries(
          cpu,
        )
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([group, seconds]) => `${group} ${perAssignment(seconds)}`)
          .join(', ')}`,
      );
    }
    // what PostgreSQL was asked to write: rows (inserted, updated, deleted) per table per assignment
    const written = [...writesAfter.tables]
      .map(([table, n]) => [table, n - (writesBefore.tables.get(table) ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    const rowsTotal = written.reduce((sum, [, n]) => sum + n, 0);
    console.log(
      `rows written (inserted + updated + deleted, till 1.5 s after the window): ${rowsTotal} = ${(rowsTotal / assignments).toFixed(2)} per assignment; ${writesAfter.commits - writesBefore.commits} transactions; ${written
        .slice(0, 10)
        .map(([table, n]) => `${table} ${(n / assignments).toFixed(3)}`)
        .join(', ')}`,
    );
    if (statements) {
      const total = [...statements.values()].reduce((a, b) => a + b, 0);
      for (const [statement, n] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, 15))
        console.log(`statement ${((100 * n) / total).toFixed(1)}% of ${total} samples: ${statement}`);
    }
    for (const line of timeline) console.log(`timeline ${line}`);
    const ratio = systemRate / baselineRate;
    console.log(
      `ratio system/baseline: ${ratio.toFixed(2)} (target ≥ 0.5) ${ratio >= 0.5 ? 'met' : 'NOT met: bounded by the CPU-seconds above (the largest first) and the phases'}`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  });
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
