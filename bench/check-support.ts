/**
 * Shared by the check benchmarks (bench/check.bench.ts, bench/platform-check.bench.ts) and their load
 * generator (bench/check-load.ts): the subject population, the actions, how a service child process is
 * started, and the platform's start through the services' APIs (publishListed) and one lift (liftToAllow).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { computeUsccCheckCharacter } from '../libs/identifiers/src';
import { seedCourtCatalog } from '../test/support/catalog-seed';

/** 1,000,000 subjects; every 10th (n % 10 === 0) has active measures. */
export const SUBJECTS = 1_000_000;
export const isListed = (n: number) => n % 10 === 0;

/** The actions the seeded measures restrict; the check asks about one of them at random. */
export const ACTIONS = [
  'government_procurement_bid',
  'financial_institution_establishment',
  'exit_entry',
  'high_consumption',
  'public_office_appointment',
] as const;

const CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// base 31 over the unified code's character set (no I, O, S, V, Z)
const DIGITS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** A GB 11714 organization code (8 characters + its check character) for the number n. */
function orgCode(prefix: string, n: number): string {
  let rest = n;
  let encoded = '';
  do {
    encoded = DIGITS[rest % 31] + encoded;
    rest = Math.floor(rest / 31);
  } while (rest > 0);
  const body = `${prefix}${encoded.padStart(8 - prefix.length, '0')}`;
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += CHARSET.indexOf(body[i]) * ORG_WEIGHTS[i];
  const check = 11 - (sum % 11);
  return body + (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/** A valid unified social credit code (enterprise, Hangzhou Xihu district) for the number n. */
export function uscc(n: number, prefix = 'C'): string {
  const first17 = `91330106${orgCode(prefix, n)}`;
  return first17 + computeUsccCheckCharacter(first17);
}

export const subjectId = (n: number) => uscc(n, 'C');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withDatabase<T>(admin: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  try {
    return await fn(admin.replace(/\/[^/]*$/, `/${name}`));
  } finally {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
}

export interface Child {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a script (TypeScript, via bench/register.js) as a child process and waits until `ready` answers. */
export async function startChild(options: {
  name: string;
  script: string;
  port: number;
  env: Record<string, string>;
  ready?: string;
  profileDir?: string;
  /** the script's own arguments */
  args?: string[];
}): Promise<Child> {
  const profile = options.profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}/${options.name}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, '-r', './bench/register.js', options.script, ...(options.args ?? [])],
    {
      env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${options.port}`;
  for (let i = 0; ; i += 1) {
    if (gone) throw new Error(`${options.name} exited before it was ready`);
    const ok = await fetch(`${url}${options.ready ?? '/health/ready'}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 1200) {
      child.kill('SIGKILL'); // not left running behind the bench
      throw new Error(`${options.name} did not become ready`);
    }
    await sleep(100);
  }
  return {
    url,
    process: child,
    stop: async () => {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** What the load generator prints (one JSON line). */
export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  decisions?: Record<string, number>;
  /** requests about a subject with active measures */
  withMeasures?: number;
  /** every answered request, warm-up included */
  sent?: number;
  /** the load generator's own CPU */
  cpuSeconds?: number;
}

/** Runs bench/check-load.ts in its own process and reads its result. */
export function runLoad(options: {
  url: string;
  path: string;
  token?: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  subjects?: string[];
  listed?: number;
  action?: string;
  scale?: { listed: number; unlisted: number; listedShare: number };
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', './bench/register.js', 'bench/check-load.ts'], {
      env: { ...process.env, LOAD_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

/** A JSON (or CSV) call to a service, answered as its status and parsed body. */
export async function api<T>(
  method: string,
  url: string,
  token: string,
  body?: unknown,
  contentType?: string,
): Promise<{ status: number; body: T }> {
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

/** A service's environment in the benches' distributed runs. */
export function serviceEnv(
  name: string,
  options: { databaseUrl: string; prefix: string; secret: string; brokers: string; redisUrl: string },
): Record<string, string> {
  return {
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10',
    KAFKA_BROKERS: options.brokers,
    KAFKA_TOPIC_PREFIX: options.prefix,
    KAFKA_PARTITIONS: '3',
    AUTH_JWT_SECRET: options.secret,
    REDIS_URL: options.redisUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    // production would need the identity provider's JWKS, issuer and audience (decision 0019); NODE_ENV
    // changes nothing else in the services
    NODE_ENV: 'test',
    ...(name === 'registry' ? { LIST_ENTRY_EXPIRY_INTERVAL_MS: '0' } : {}),
  };
}

/** The tokens the benches act with: the credit office's admin, the court's initiator, FINANCE's system. */
export async function benchTokens(secret: string) {
  // loaded here, not at the top: the load generator imports this file and needs none of it
  const { mintToken } = await import('../libs/auth/src/token-verifier');
  return {
    admin: await mintToken({ sub: 'bench', dept: 'CREDIT_OFFICE', roles: ['admin'] }, secret),
    court: await mintToken({ sub: 'bench', dept: 'COURT', roles: ['initiator'] }, secret),
    checker: await mintToken({ sub: 'bench', dept: 'FINANCE', roles: ['system'] }, secret),
  };
}

/**
 * The platform's start as users make it, through the services' own APIs: three departments, a serious
 * black list type published at once, a memorandum with one blocking measure of FINANCE on `action`, and
 * every subject published by one bulk import; resolves once every subject's check answers block.
 */
export async function publishListed(options: {
  urls: { registry: string; trigger: string; enforcement: string };
  secret: string;
  subjects: string[];
  action: string;
  /** tells the benches' memoranda apart: the code's tag (e.g. `PLATFORM`) and the document's number */
  tag: string;
  documentNumber: number;
}): Promise<{ checker: string; publishToBlockMs: number }> {
  const { urls, subjects, action, tag } = options;
  const { admin, court, checker } = await benchTokens(options.secret);
  const created = (r: { status: number; body: unknown }, what: string) => {
    if (r.status !== 201) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  for (const [code, name] of [
    ['COURT', '杭州市中级人民法院'],
    ['FINANCE', '杭州市财政局'],
    ['CREDIT_OFFICE', '杭州市信用办'],
  ]) {
    const r = await api('POST', `${urls.registry}/v1/departments`, admin, { code, name, region: '330100' });
    if (r.status !== 409) created(r, code); // the bootstrap department exists already
  }
  // the list type and the memorandum as the tests make them (test/support/catalog-seed.ts); trigger learns
  // of the list type through registry's event: the memorandum is asked again until it has
  await seedCourtCatalog(
    (service, path, token, body) => api('POST', `${urls[service]}${path}`, token, body),
    admin,
    {
      departments: [],
      listType: { code: 'BENCH_DEFAULTER', name: '基准测试名单' },
      memorandum: {
        code: `MOU-BENCH-${tag}`,
        title: '基准测试备忘录',
        documentNo: `基准〔2026〕${options.documentNumber}号`,
      },
      measures: [
        {
          code: `BENCH-${tag}-BID-BLOCK`,
          text: '限制参与政府采购活动',
          kind: 'punishment',
          dept: 'FINANCE',
          legalBasis: '《政府采购法》第二十二条',
          subjectKinds: ['legal_person'],
          actions: [action],
          mode: 'block',
          feedbackWorkingDays: 5,
        },
      ],
      memorandumAttempts: 100,
    },
  );
  const csv = [
    'subjectKind,subjectId,subjectName,documentNo,decisionDate,facts,noticedAt,noticeChannel',
    ...subjects.map(
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
  if (imported.body?.accepted !== subjects.length)
    throw new Error(`import: ${JSON.stringify(imported.body)}`);
  const started = performance.now();
  for (;;) {
    const r = await api<{ items?: { decision: string }[] }>(
      'POST',
      `${urls.enforcement}/v1/checks/batch`,
      checker,
      { subjects: subjects.map((id) => ({ id })), action },
    );
    // (no items while enforcement has not yet learnt that FINANCE was registered: 401)
    const blocked = (r.body.items ?? []).filter((i) => i.decision === 'block').length;
    if (blocked === subjects.length) break;
    if (performance.now() - started > 180_000)
      throw new Error(`only ${blocked} of ${subjects.length} blocked`);
    await sleep(250);
  }
  return { checker, publishToBlockMs: performance.now() - started };
}

/**
 * One lift as a department system sees it: the subject's check answers block (its reason names the
 * entry), the owner ends the entry, and the check is asked every `pollMs` until it answers allow. Returns
 * the time from the end request to that allow, the end request's own answer time, and the checks made.
 */
export async function liftToAllow(options: {
  urls: { registry: string; enforcement: string };
  tokens: { court: string; checker: string };
  subjectId: string;
  action: string;
  pollMs?: number;
}): Promise<{ liftMs: number; endMs: number; checks: number; hits: number }> {
  const { urls, tokens, subjectId: id, action } = options;
  let checks = 0;
  let hits = 0;
  const check = async () => {
    const { body } = await api<{ decision: string; reasons: { entryId: string }[] }>(
      'POST',
      `${urls.enforcement}/v1/checks`,
      tokens.checker,
      { subject: { id }, action },
    );
    checks += 1;
    if (body.decision !== 'allow') hits += 1;
    return body;
  };
  const before = await check();
  if (before.decision !== 'block') throw new Error(`${id} is not blocked before its lift`);
  const started = performance.now();
  const ended = await api(
    'POST',
    `${urls.registry}/v1/list-entries/${before.reasons[0].entryId}/end`,
    tokens.court,
    { reason: 'repaired', note: '已履行' },
  );
  if (ended.status !== 200) throw new Error(`end: ${ended.status} ${JSON.stringify(ended.body)}`);
  const endMs = performance.now() - started;
  for (;;) {
    if ((await check()).decision === 'allow') break;
    if (performance.now() - started > 30_000) throw new Error(`${id} still not allowed after 30 s`);
    await sleep(options.pollMs ?? 2);
  }
  return { liftMs: performance.now() - started, endMs, checks, hits };
}

/** The q-quantile of the values (nearest rank). */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
