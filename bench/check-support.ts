/**
 * Shared by the check benchmark (bench/check.bench.ts) and its load generator (bench/check-load.ts):
 * the subject population, the actions, and how a service child process is started.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { computeUsccCheckCharacter } from '../libs/identifiers/src';

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
    if (i > 1200) throw new Error(`${options.name} did not become ready`);
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
