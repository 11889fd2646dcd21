/**
 * The check as users get it (issue 16): the whole platform, not enforcement alone.
 *
 *  - distributed: registry, trigger, enforcement and tracking each in its own process on real PostgreSQL,
 *    Redis and Kafka; embedded: the one process (PGlite, in-process bus);
 *  - the entries are published through registry's API (bulk import) and reach enforcement through trigger,
 *    so a hit goes the whole way: check log, hit event, outbox, Kafka (or the in-process bus), tracking;
 *  - checks drawn from 250 listed and 2,250 unlisted subjects (10 % hits), then from the 250 listed only
 *    (100 % hits), one action every listed subject is blocked from; against a bare Fastify route
 *    (bench/check-baseline-server.ts) in the same run; the load generator in its own process;
 *  - printed: req/s at 64 connections, p99 at 8, CPU-seconds per component over the load and the drain
 *    (from /proc/<pid>/stat; PostgreSQL = the backends connected to the bench's database, Redis and Kafka
 *    the machine's shared servers), CPU-ms per check for misses and hits, and how long tracking takes to
 *    drain after the load stops (distributed: tracking's consumer groups' lag on Kafka plus enforcement's
 *    unpublished outbox rows; embedded: tracking's consumed-message counters in /metrics still for 0.5 s).
 *
 *   npm run bench:platform-check
 *     env: MODES=distributed,embedded  WARMUP_S=3  MEASURE_S=8  LISTED=250  UNLISTED=2250
 *          PROFILE_DIR=… (--cpu-prof every service's process)
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { mintToken } from '../libs/auth/src/token-verifier';
import { Child, LoadResult, runLoad, sleep, startChild, uscc, withDatabase } from './check-support';

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-platform-secret-0123456789abcdef';
const WARMUP_S = Number(process.env.WARMUP_S ?? 3);
const MEASURE_S = Number(process.env.MEASURE_S ?? 8);
const LISTED = Number(process.env.LISTED ?? 250);
const UNLISTED = Number(process.env.UNLISTED ?? 2250);
const MODES = (process.env.MODES ?? 'distributed,embedded').split(',');
const ACTION = 'government_procurement_bid';
const TICK = 100; // USER_HZ: /proc/<pid>/stat counts CPU in 1/100 s

const LISTED_IDS = Array.from({ length: LISTED }, (_, i) => uscc(i + 1, 'L'));
const UNLISTED_IDS = Array.from({ length: UNLISTED }, (_, i) => uscc(i + 1, 'U'));

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** CPU-seconds (user + system) of a process so far; 0 when it is gone. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** Pids whose command line contains `needle` (the machine's shared Redis and Kafka servers). */
function pidsOf(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(needle)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

interface Component {
  name: string;
  pids: () => Promise<number[]> | number[];
}

type Snapshot = Map<string, Map<number, number>>;

async function snapshot(components: Component[]): Promise<Snapshot> {
  const result: Snapshot = new Map();
  for (const c of components) {
    const byPid = new Map<number, number>();
    for (const pid of await c.pids()) byPid.set(pid, cpuOf(pid));
    result.set(c.name, byPid);
  }
  return result;
}

/** CPU-seconds per component between two snapshots (a pid seen only at the end counts from zero). */
function cpuBetween(before: Snapshot, after: Snapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, end] of after) {
    const start = before.get(name) ?? new Map<number, number>();
    let sum = 0;
    for (const [pid, cpu] of end) sum += Math.max(0, cpu - (start.get(pid) ?? 0));
    out[name] = sum;
  }
  return out;
}

async function api<T>(method: string, url: string, token: string, body?: unknown, contentType?: string) {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': contentType ?? 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The list type, the memorandum and LISTED entries, through the services' own APIs; waits until blocked. */
async function setUp(urls: { registry: string; trigger: string; enforcement: string }) {
  const admin = await mintToken({ sub: 'bench', dept: 'CREDIT_OFFICE', roles: ['admin'] }, SECRET);
  const court = await mintToken({ sub: 'bench', dept: 'COURT', roles: ['initiator'] }, SECRET);
  const checker = await mintToken({ sub: 'bench', dept: 'FINANCE', roles: ['system'] }, SECRET);
  const created = (r: { status: number; body: unknown }, what: string) => {
    if (r.status !== 201) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  for (const [code, name] of [
    ['COURT', '杭州市中级人民法院'],
    ['FINANCE', '杭州市财政局'],
    ['CREDIT_OFFICE', '杭州市信用办'],
  ]) {
    const r = await api('POST', `${urls.registry}/v1/departments`, admin, { code, name, region: '330100' });
    if (r.status !== 201 && r.status !== 409) created(r, code);
  }
  created(
    await api('POST', `${urls.registry}/v1/list-types`, admin, {
      code: 'BENCH_DEFAULTER',
      name: '基准测试名单',
      colour: 'black',
      ownerDept: 'COURT',
      legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
      infoClass: 'A',
      severity: 'serious',
      defaultPeriodDays: 730,
      subjectKinds: ['legal_person'],
      noticeWorkingDays: 0,
      minStatementWorkingDays: 0,
      minStatementReason: 'test: published at once',
      suspendOnObjection: false,
    }),
    'list type',
  );
  const memorandum = {
    code: 'MOU-BENCH-PLATFORM',
    title: '基准测试备忘录',
    documentNo: '基准〔2026〕2号',
    listTypes: ['BENCH_DEFAULTER'],
    measures: [
      {
        code: 'BENCH-PLATFORM-BID-BLOCK',
        text: '限制参与政府采购活动',
        kind: 'punishment',
        dept: 'FINANCE',
        legalBasis: '《政府采购法》第二十二条',
        subjectKinds: ['legal_person'],
        actions: [ACTION],
        mode: 'block',
        feedbackWorkingDays: 5,
      },
    ],
  };
  for (let i = 0; ; i += 1) {
    const r = await api('POST', `${urls.trigger}/v1/memoranda`, admin, memorandum);
    if (r.status === 201) break;
    if (i > 100) created(r, 'memorandum');
    await sleep(100);
  }
  const csv = [
    'subjectKind,subjectId,subjectName,documentNo,decisionDate,facts,noticedAt,noticeChannel',
    ...LISTED_IDS.map(
      (id, i) =>
        `legal_person,${id},基准测试企业${i},(2026)浙0106执${i}号,2026-10-01,拒不履行,2026-10-01T10:00:00+08:00,post`,
    ),
  ].join('\n');
  const imported = await api<{ accepted: number }>(
    'POST',
    `${urls.registry}/v1/list-entries/imports?listType=BENCH_DEFAULTER&mode=publish`,
    court,
    csv,
    'text/csv',
  );
  if (imported.body?.accepted !== LISTED) throw new Error(`import: ${JSON.stringify(imported.body)}`);
  const started = performance.now();
  for (;;) {
    const r = await api<{ items?: { decision: string }[] }>(
      'POST',
      `${urls.enforcement}/v1/checks/batch`,
      checker,
      { subjects: LISTED_IDS.map((id) => ({ id })), action: ACTION },
    );
    const blocked = (r.body.items ?? []).filter((i) => i.decision === 'block').length;
    if (blocked === LISTED) break;
    if (performance.now() - started > 180_000) throw new Error(`only ${blocked} of ${LISTED} blocked`);
    await sleep(250);
  }
  return { checker, publishToBlockMs: performance.now() - started };
}

interface MixResult {
  label: string;
  base64: LoadResult;
  base8: LoadResult;
  sys64: LoadResult;
  sys8: LoadResult;
  drainMs: number | null;
  cpu: Record<string, number>;
  checks: number;
  hitShare: number;
  /** how long the platform took to go quiet before the mix */
  settledMs: number;
  /** CPU less each component's rate at rest over the window (load and drain) */
  netCpu: Record<string, number>;
  windowSeconds: number;
}

const line = (label: string, r: LoadResult) =>
  `  ${label}: ${fmt(r.rps)} req/s (${fmt(r.requests)} in ${r.seconds.toFixed(1)} s, ${r.errors} errors), ` +
  `p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} ms` +
  (r.decisions && Object.keys(r.decisions).length ? `; ${JSON.stringify(r.decisions)}` : '');

async function runMix(options: {
  label: string;
  hitsOnly: boolean;
  baselineUrl: string;
  platformUrl: string;
  token: string;
  components: Component[];
  lag: () => Promise<number>;
}): Promise<MixResult> {
  const subjects = options.hitsOnly ? LISTED_IDS : [...LISTED_IDS, ...UNLISTED_IDS];
  const load = (url: string, connections: number) =>
    runLoad({
      url,
      path: '/v1/checks',
      token: options.token,
      connections,
      warmupSeconds: WARMUP_S,
      seconds: MEASURE_S,
      subjects,
      listed: LISTED,
      action: ACTION,
    });
  const base64 = await load(options.baselineUrl, 64);
  const base8 = await load(options.baselineUrl, 8);
  // nothing left over from the setup or the previous mix: tracking drained, and the platform's own
  // processes quiet (documents rendered, trail sealed) — under 0.3 CPU-s over a second (idle timers,
  // relay polls and sealing passes take ~0.1–0.2), for up to 30 s
  for (let i = 0; i < 600 && (await options.lag()) > 0; i += 1) await sleep(100);
  const own = options.components.filter((c) => !c.name.includes('(shared)'));
  const settleStart = performance.now();
  for (let previous = await snapshot(own); performance.now() - settleStart < 30_000;) {
    await sleep(1000);
    const now = await snapshot(own);
    const busy = Object.values(cpuBetween(previous, now)).reduce((a, b) => a + b, 0);
    previous = now;
    if (busy < 0.3) break;
  }
  const settledMs = performance.now() - settleStart;
  // each component's CPU at rest (its timers; for the shared servers, everyone else's load too), over 2 s:
  // taken off the window's CPU so that a slow run's idle seconds are not charged to its checks
  const idleFrom = await snapshot(options.components);
  await sleep(2000);
  const before = await snapshot(options.components);
  const idlePerSecond = Object.fromEntries(
    Object.entries(cpuBetween(idleFrom, before)).map(([name, cpu]) => [name, cpu / 2]),
  );
  const started = performance.now();
  const sys64 = await load(options.platformUrl, 64);
  const sys8 = await load(options.platformUrl, 8);
  const stopped = performance.now();
  let drainMs: number | null = null;
  for (;;) {
    if ((await options.lag()) === 0) {
      drainMs = performance.now() - stopped;
      break;
    }
    if (performance.now() - stopped > 120_000) break;
    await sleep(100);
  }
  const after = await snapshot(options.components);
  const cpu = cpuBetween(before, after);
  const windowSeconds = (performance.now() - started) / 1000;
  const netCpu = Object.fromEntries(
    Object.entries(cpu).map(([name, v]) => [
      name,
      Math.max(0, v - (idlePerSecond[name] ?? 0) * windowSeconds),
    ]),
  );
  cpu['load generator'] = (sys64.cpuSeconds ?? 0) + (sys8.cpuSeconds ?? 0);
  const checks = (sys64.sent ?? sys64.requests) + (sys8.sent ?? sys8.requests);
  const hitShare =
    ((sys64.withMeasures ?? 0) + (sys8.withMeasures ?? 0)) / Math.max(1, sys64.requests + sys8.requests);
  return {
    label: options.label,
    base64,
    base8,
    sys64,
    sys8,
    drainMs,
    cpu,
    netCpu,
    windowSeconds,
    checks,
    hitShare,
    settledMs,
  };
}

function report(mode: string, mixes: MixResult[]) {
  const platformCpu = (m: MixResult, which: 'cpu' | 'netCpu' = 'netCpu') =>
    Object.entries(m[which])
      .filter(([name]) => name !== 'load generator')
      .reduce((a, [, v]) => a + v, 0);
  const list = (cpu: Record<string, number>) =>
    Object.entries(cpu)
      .filter(([name]) => name !== 'load generator')
      .map(([name, s]) => `${name} ${s.toFixed(2)}`)
      .join(', ');
  for (const m of mixes) {
    console.log(`${mode}, ${m.label} (the platform quiet ${fmt(m.settledMs)} ms after the previous step):`);
    console.log(line('bare Fastify route, 64 connections', m.base64));
    console.log(line('bare Fastify route, 8 connections', m.base8));
    console.log(line('platform POST /v1/checks, 64 connections', m.sys64));
    console.log(line('platform POST /v1/checks, 8 connections', m.sys8));
    const rps = m.sys64.rps / m.base64.rps;
    const p99 = m.sys8.p99 / m.base8.p99;
    console.log(
      `  ratio req/s (64) ${rps.toFixed(2)}; ratio p99 (8) ${p99.toFixed(2)}; hit share ${(100 * m.hitShare).toFixed(1)} %`,
    );
    console.log(
      `  CPU-seconds over the load and the drain (${m.windowSeconds.toFixed(1)} s, ${fmt(m.checks)} checks): ${list(m.cpu)}; ` +
        `load generator ${(m.cpu['load generator'] ?? 0).toFixed(2)}; platform total ${platformCpu(m, 'cpu').toFixed(2)}`,
    );
    console.log(
      `  less each one's rate at rest: ${list(m.netCpu)}; platform ${platformCpu(m).toFixed(2)} = ` +
        `${((1000 * platformCpu(m)) / m.checks).toFixed(3)} CPU-ms per check`,
    );
    console.log(
      `  tracking drained ${m.drainMs === null ? 'NOT within 120 s' : `${fmt(m.drainMs)} ms`} after the load stopped`,
    );
  }
  const ten = mixes.find((m) => !m.label.startsWith('100'));
  const all = mixes.find((m) => m.label.startsWith('100'));
  if (ten && all) {
    const hit = platformCpu(all) / all.checks;
    const mixed = platformCpu(ten) / ten.checks;
    const f = ten.hitShare;
    const miss = (mixed - f * hit) / (1 - f);
    console.log(
      `${mode}: CPU-ms per check across the platform (at rest subtracted): miss ${(1000 * miss).toFixed(3)}, hit ${(1000 * hit).toFixed(3)} ` +
        `(hit/miss ${(hit / miss).toFixed(2)}; miss from the 10 % mix less its hits at the 100 % mix's cost)`,
    );
  }
}

function serviceEnv(name: string, databaseUrl: string, prefix: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10',
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_PARTITIONS: '3',
    AUTH_JWT_SECRET: SECRET,
    REDIS_URL,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    NODE_ENV: 'test',
    ...(name === 'registry' ? { LIST_ENTRY_EXPIRY_INTERVAL_MS: '0' } : {}),
  };
}

async function distributed(baselineUrl: string) {
  await withDatabase(PG_ADMIN, async (databaseUrl) => {
    const prefix = `benchplat${randomUUID().slice(0, 6)}.`;
    const children: Record<string, Child> = {};
    const ports = { registry: 3641, trigger: 3642, enforcement: 3643, tracking: 3644 };
    const db = new Client({ connectionString: databaseUrl });
    const kafka = new Kafka({
      clientId: 'bench-platform',
      brokers: BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    try {
      for (const [name, port] of Object.entries(ports)) {
        children[name] = await startChild({
          name,
          script: `apps/${name}/src/main.ts`,
          port,
          env: serviceEnv(name, databaseUrl, prefix),
          profileDir: process.env.PROFILE_DIR,
        });
      }
      await db.connect();
      await admin.connect();
      const setup = await setUp({
        registry: children.registry.url,
        trigger: children.trigger.url,
        enforcement: children.enforcement.url,
      });
      console.log(
        `distributed: ${LISTED} entries published by bulk import; every check blocked ${fmt(setup.publishToBlockMs)} ms after the import answered`,
      );
      const databaseName = databaseUrl.slice(databaseUrl.lastIndexOf('/') + 1);
      const components: Component[] = [
        ...Object.entries(children).map(([name, c]) => ({ name, pids: () => [c.process.pid!] })),
        {
          name: 'postgres',
          pids: async () =>
            (
              await db.query<{ pid: number }>(
                `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
                [databaseName],
              )
            ).rows.map((r) => r.pid),
        },
        { name: 'redis (shared)', pids: () => pidsOf('redis-server') },
        { name: 'kafka (shared)', pids: () => pidsOf('kafka.Kafka') },
      ];
      const lag = async () => {
        const pending = Number(
          (await db.query(`SELECT count(*) AS n FROM enforcement.message_outbox`)).rows[0].n,
        );
        const groups = (await admin.listGroups()).groups
          .map((g) => g.groupId)
          .filter((g) => g.startsWith(`${prefix}tracking`));
        let behind = 0;
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
        const ends = new Map<string, bigint>();
        for (const t of topics)
          for (const p of await admin.fetchTopicOffsets(t)) ends.set(`${t}|${p.partition}`, BigInt(p.high));
        for (const groupId of groups) {
          for (const t of await admin.fetchOffsets({ groupId })) {
            for (const p of t.partitions) {
              const end = ends.get(`${t.topic}|${p.partition}`) ?? 0n;
              const committed = BigInt(p.offset) < 0n ? 0n : BigInt(p.offset);
              if (end > committed) behind += Number(end - committed);
            }
          }
        }
        return pending + behind;
      };
      const mixes: MixResult[] = [];
      for (const hitsOnly of [false, true]) {
        mixes.push(
          await runMix({
            label: hitsOnly ? '100 % hits' : `${Math.round((100 * LISTED) / (LISTED + UNLISTED))} % hits`,
            hitsOnly,
            baselineUrl,
            platformUrl: children.enforcement.url,
            token: setup.checker,
            components,
            lag,
          }),
        );
      }
      report('distributed', mixes);
    } finally {
      await admin.disconnect().catch(() => undefined);
      await db.end().catch(() => undefined);
      for (const c of Object.values(children).reverse()) await c.stop();
    }
  });
}

async function embedded(baselineUrl: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-platform-'));
  const child = await startChild({
    name: 'embedded',
    script: 'apps/embedded/src/main.ts',
    port: 3645,
    env: {
      NODE_ENV: 'test',
      AUTH_JWT_SECRET: SECRET,
      EMBEDDED_DATA_DIR: join(dataDir, 'data'),
      EMBEDDED_LOG_FILE: join(dataDir, 'log'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    },
    args: ['--no-demo'],
    profileDir: process.env.PROFILE_DIR, // --cpu-prof of the embedded process
  });
  try {
    const setup = await setUp({ registry: child.url, trigger: child.url, enforcement: child.url });
    console.log(
      `embedded: ${LISTED} entries published by bulk import; every check blocked ${fmt(setup.publishToBlockMs)} ms after the import answered`,
    );
    // tracking's consumed messages and every outbox's pending rows, from /metrics
    const counters = async () => {
      const text = await (await fetch(`${child.url}/metrics`)).text();
      let consumed = 0;
      let pending = 0;
      for (const l of text.split('\n')) {
        if (l.startsWith('messaging_messages_consumed_total{') && /consumer="tracking/.test(l))
          consumed += Number(l.slice(l.lastIndexOf(' ') + 1));
        if (l.startsWith('messaging_outbox_pending{')) pending += Number(l.slice(l.lastIndexOf(' ') + 1));
      }
      return { consumed, pending };
    };
    let last = -1;
    let stillSince = 0;
    const QUIET_MS = 500;
    const lag = async () => {
      const { consumed, pending } = await counters();
      const now = performance.now();
      if (consumed !== last || pending > 0) {
        last = consumed;
        stillSince = now;
        return 1;
      }
      return now - stillSince >= QUIET_MS ? 0 : 1;
    };
    const components: Component[] = [{ name: 'embedded', pids: () => [child.process.pid!] }];
    const mixes: MixResult[] = [];
    for (const hitsOnly of [false, true]) {
      last = -1;
      const mix = await runMix({
        label: hitsOnly ? '100 % hits' : `${Math.round((100 * LISTED) / (LISTED + UNLISTED))} % hits`,
        hitsOnly,
        baselineUrl,
        platformUrl: child.url,
        token: setup.checker,
        components,
        lag,
      });
      if (mix.drainMs !== null) mix.drainMs = Math.max(0, mix.drainMs - QUIET_MS);
      mixes.push(mix);
    }
    report('embedded', mixes);
  } finally {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const c = new Client({ connectionString: PG_ADMIN });
  await c.connect();
  const pgVersion = (await c.query('SHOW server_version')).rows[0].server_version as string;
  await c.end();
  console.log('platform check benchmark (issue 16)');
  console.log(
    `conditions: ${cpus().length} CPUs (${cpus()[0]?.model?.trim() ?? '?'}), Node ${process.version}, PostgreSQL ${pgVersion}, ` +
      `Kafka at ${BROKERS} (3 partitions), Redis at ${REDIS_URL}, shared with other work on this machine; ` +
      `${LISTED} listed + ${UNLISTED} unlisted subjects, action ${ACTION}; warm-up ${WARMUP_S} s, measured ${MEASURE_S} s per run; ` +
      `64 connections then 8 connections per mix; LOG_LEVEL ${process.env.LOG_LEVEL ?? 'error'}`,
  );
  const baseline = await startChild({
    name: 'baseline',
    script: 'bench/check-baseline-server.ts',
    port: 3690,
    env: {},
  });
  try {
    if (MODES.includes('distributed')) await distributed(baseline.url);
    if (MODES.includes('embedded')) await embedded(baseline.url);
  } finally {
    await baseline.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
