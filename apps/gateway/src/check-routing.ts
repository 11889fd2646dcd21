import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Pool } from 'undici';
import { keyHash } from '@credit/contracts';
import { GatewayErrors } from './gateway.errors';

/** What an enforcement replica serves at /health/check-index (apps/enforcement check-index.controller). */
export interface ReplicaIndexState {
  mode: 'split' | 'whole';
  partitions?: number;
  held: number[];
  assigned: number[];
  loaded: boolean;
}

interface Replica {
  url: string;
  state?: ReplicaIndexState;
  /** answered its last poll (and no forward to it failed since) */
  up: boolean;
}

/** Who holds and who is assigned each partition, as the last poll said: one look-up per check. */
interface Owners {
  partitions: number;
  /** by partition: the replicas that say they hold it (one, but for a moment in a rebalance) */
  held: Replica[][];
  assigned: Replica[][];
}

export interface CheckRouterOptions {
  /**
   * Each enforcement replica's base URL, or `dns+http://name:port`: every address `name` resolves to (a
   * Kubernetes headless service's pods), resolved again at each refresh.
   */
  replicas: readonly string[];
  /** how often each replica's partitions are read again (default 1 s) */
  refreshMs?: number;
  timeoutMs?: number;
}

/**
 * Where a check goes (decision 0058): each enforcement replica holds the index of the partitions of the
 * assignments topic the Kafka group gives it (0055) and says which at `/health/check-index`; the gateway
 * reads that from every replica every second and sends a check to the replica that holds its subject's
 * partition — murmur2 of the identifier, as Kafka's partitioner and the replicas compute it. A partition
 * no replica holds yet goes to the one it is assigned to; an owner unknown or down, to any other replica
 * that finished loading (it asks PostgreSQL: slower, never wrong). Routing is only where the answer is
 * fast: a replica never answers from memory for a partition it does not hold, so a stale table costs a
 * PostgreSQL read, not a wrong answer.
 */
export class CheckRouter {
  private replicas: Replica[] = [];
  private owners: Owners[] = [];
  private timer?: NodeJS.Timeout;
  private next = 0;
  private readonly sources: string[];
  private readonly refreshMs: number;
  private readonly timeoutMs: number;

  constructor(options: CheckRouterOptions) {
    this.sources = options.replicas.map((url) => url.replace(/\/$/, ''));
    this.refreshMs = options.refreshMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  /** Reads every replica's partitions now and then every `refreshMs`. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const urls = (await Promise.all(this.sources.map(expand))).flat();
    const known = new Map(this.replicas.map((r) => [r.url, r]));
    this.replicas = urls.map((url) => known.get(url) ?? { url, up: true });
    await Promise.all(
      this.replicas.map(async (replica) => {
        try {
          const response = await fetch(`${replica.url}/health/check-index`, {
            signal: AbortSignal.timeout(this.timeoutMs),
          });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          replica.state = (await response.json()) as ReplicaIndexState;
          replica.up = true;
        } catch {
          replica.up = false;
        }
      }),
    );
    this.owners = ownersOf(this.replicas);
  }

  /** The replicas known now (their URLs). */
  urls(): string[] {
    return this.replicas.map((r) => r.url);
  }

  /** A forward to `url` failed: tried last until its next poll answers. */
  markDown(url: string): void {
    const replica = this.replicas.find((r) => r.url === url);
    if (replica) replica.up = false;
  }

  /**
   * The replica to try first for a check of `identifier`: the one holding its partition in memory, else
   * the one it is assigned to, else the next loaded one in turn — without the list `candidates` makes.
   */
  first(identifier: string | undefined): string | undefined {
    if (identifier !== undefined) {
      const owner = this.ownerOf(identifier, 'held') ?? this.ownerOf(identifier, 'assigned');
      if (owner) return owner.url;
    }
    return this.candidates(undefined)[0];
  }

  /**
   * The replicas to try for a check of `identifier`, best first: the one holding its partition in
   * memory, else the one it is assigned to, then every other that is up and loaded (in turn, to share the
   * PostgreSQL reads), then the rest.
   */
  candidates(identifier: string | undefined): string[] {
    const first: Replica[] = [];
    if (identifier !== undefined) {
      const owner = this.ownerOf(identifier, 'held') ?? this.ownerOf(identifier, 'assigned');
      if (owner) first.push(owner);
    }
    const start = this.next++ % Math.max(1, this.replicas.length);
    const turn = [...this.replicas.slice(start), ...this.replicas.slice(0, start)];
    const rank = (r: Replica) => (r.up && (r.state?.loaded ?? false) ? 0 : r.up ? 1 : 2);
    const rest = turn.filter((r) => !first.includes(r)).sort((a, b) => rank(a) - rank(b));
    return [...first, ...rest].map((r) => r.url);
  }

  private ownerOf(identifier: string, which: 'held' | 'assigned'): Replica | undefined {
    // one table per partition count (one, but during a change of the topic's partitions)
    let hash = -1;
    for (const owners of this.owners) {
      if (hash < 0) hash = keyHash(identifier);
      for (const replica of owners[which][hash % owners.partitions] ?? []) if (replica.up) return replica;
    }
    return undefined;
  }
}

/** The replicas' partitions as tables by partition number, one per partition count announced. */
function ownersOf(replicas: readonly Replica[]): Owners[] {
  const tables = new Map<number, Owners>();
  for (const replica of replicas) {
    const state = replica.state;
    // whether it is up is asked at each check (a poll or a failed forward changes it)
    if (!state || state.mode !== 'split' || !state.partitions) continue;
    let owners = tables.get(state.partitions);
    if (!owners) {
      owners = { partitions: state.partitions, held: [], assigned: [] };
      tables.set(state.partitions, owners);
    }
    for (const p of state.held) (owners.held[p] ??= []).push(replica);
    for (const p of state.assigned) (owners.assigned[p] ??= []).push(replica);
  }
  return [...tables.values()];
}

/** A replica's URL, or every address of a `dns+http://name:port` (none while it does not resolve). */
async function expand(source: string): Promise<string[]> {
  if (!source.startsWith('dns+')) return [source];
  const url = new URL(source.slice(4));
  try {
    const addresses = await lookup(url.hostname, { all: true });
    return addresses.map(({ address, family }) => {
      const host = family === 6 ? `[${address}]` : address;
      return `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`;
    });
  } catch {
    return [];
  }
}

/**
 * Errors where the replica gave no answer at all: the next replica may be asked. `UND_ERR_SOCKET` before
 * the answer's first byte is a kept connection the replica closed — a replica leaving closes its idle
 * connections, and a check sent on one as it closes was never read (decision 0074).
 */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'UND_ERR_SOCKET',
]);
/** hop-by-hop headers, not passed on (RFC 9110 7.6.1) */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export interface CheckForwarding {
  /** keep-alive connections to each replica (default 64) */
  connections?: number;
  /** requests sent on a connection before the first is answered (default 1: no pipelining) */
  pipelining?: number;
}

/**
 * A pool of keep-alive connections to each replica (undici's `Pool`), made once per replica URL: no
 * client, agent or socket per check. A URL that goes away keeps its pool, idle (undici closes idle
 * connections after the replica's keep-alive timeout).
 */
class ReplicaPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: Required<CheckForwarding>) {}

  get(url: string): Pool {
    let pool = this.pools.get(url);
    if (!pool) {
      pool = new Pool(url, {
        connections: this.options.connections,
        pipelining: this.options.pipelining,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      this.pools.set(url, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Checks routed by their subject's partition (decisions 0058, 0065): the body is read whole (a check's is
 * a few hundred bytes), its `subject.id` found in the bytes, and the same bytes sent to the owner over a
 * kept connection; the owner's answer comes back unchanged. A replica that refuses the connection is
 * skipped for the next one; one that fails after it took the request is not (the check may have been
 * logged): 502 as for any service.
 *
 * `handle` answers a check on the HTTP server itself, before Fastify's routing, hooks and body parsing
 * (the gateway's `serverFactory`): the hot path. The same forwarding serves Fastify's `POST /v1/checks`
 * route (`registerCheckRouting`: requests injected in tests, a path with a query).
 */
export class CheckForwarder {
  private readonly pools: ReplicaPools;

  constructor(
    readonly router: CheckRouter,
    private readonly bodyLimit: number,
    forwarding: CheckForwarding = {},
  ) {
    this.pools = new ReplicaPools({
      connections: forwarding.connections ?? 64,
      pipelining: forwarding.pipelining ?? 1,
    });
  }

  /** Whether the raw request is a check `handle` answers. */
  static isCheck(request: IncomingMessage): boolean {
    return request.method === 'POST' && request.url === '/v1/checks';
  }

  /** A check answered on the HTTP server: body read, forwarded, answer written as it came. */
  handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    let length = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > this.bodyLimit) refused = true;
      else chunks.push(chunk);
    });
    request.on('error', () => response.destroy());
    request.on('end', () => {
      if (refused) return problem(response, 413, 'Payload Too Large', 'the check is larger than allowed');
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const header = request.headers['x-correlation-id'];
      const correlation = typeof header === 'string' && header ? undefined : randomUUID();
      this.route(body, request.rawHeaders, request.url ?? '/v1/checks', correlation).then(
        (answer) => {
          const headers: string[] = [];
          for (const name in answer.headers) {
            const value = answer.headers[name];
            if (value === undefined || HOP.has(name)) continue;
            if (Array.isArray(value)) for (const v of value) headers.push(name, v);
            else headers.push(name, value);
          }
          response.writeHead(answer.status, headers);
          response.end(answer.body);
        },
        (err: Error) =>
          problem(response, 502, 'Bad Gateway', err.message, GatewayErrors.UPSTREAM_UNAVAILABLE.code),
      );
    });
  }

  /**
   * The check sent to its subject's replica, then to the next while none could take it; rejects with
   * what each said when none answered. `correlation`: the id to add when the request carries none.
   */
  async route(body: Buffer, rawHeaders: string[], path: string, correlation?: string): Promise<Answer> {
    const subject = subjectOf(body);
    const headers = forwardedHeaders(rawHeaders, correlation);
    const failures: string[] = [];
    const tried: string[] = [];
    let unavailable: Answer | undefined;
    let url = this.router.first(subject);
    while (url !== undefined) {
      tried.push(url);
      try {
        const answer = await forward(this.pools.get(url), path, headers, body);
        if (answer.status !== 503) return answer;
        // a replica closing (Fastify's 503 before any route ran) served nothing: the next one may
        unavailable = answer;
        failures.push(`${url}: 503`);
        this.router.markDown(url);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        failures.push(`${url}: ${(err as Error).message}`);
        this.router.markDown(url);
        if (!NOT_SENT.has(code)) break;
      }
      // the rest, best first, only once the first failed
      url = this.router.candidates(subject).find((candidate) => !tried.includes(candidate));
    }
    if (unavailable) return unavailable;
    throw new Error(`no enforcement replica answered: ${failures.join('; ')}`);
  }

  /**
   * Reads the replicas' partitions, then opens a connection to each (and readies the HTTP parser): the
   * first checks pay no connection set-up.
   */
  async start(): Promise<void> {
    await this.router.start();
    await Promise.all(
      this.router.urls().map((url) =>
        this.pools
          .get(url)
          .request({ path: '/health/live', method: 'GET' })
          .then(
            (answer) => answer.body.dump(),
            () => undefined, // down now: the first check finds it so
          ),
      ),
    );
  }

  async close(): Promise<void> {
    this.router.stop();
    await this.pools.close();
  }
}

/** `POST /v1/checks` as a Fastify route, forwarded as `CheckForwarder.handle` forwards it. */
export async function registerCheckRouting(app: FastifyInstance, forwarder: CheckForwarder): Promise<void> {
  app.addHook('onClose', () => forwarder.close());
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post('/v1/checks', async (request: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const correlation = request.headers['x-correlation-id'] ? undefined : String(request.id);
      try {
        const answer = await forwarder.route(body, request.raw.rawHeaders, request.url, correlation);
        for (const name in answer.headers) {
          const value = answer.headers[name];
          if (value !== undefined && !HOP.has(name)) void reply.header(name, value);
        }
        return await reply.status(answer.status).send(answer.body);
      } catch (err) {
        return reply
          .status(502)
          .header('content-type', 'application/problem+json')
          .send(
            problemOf(502, 'Bad Gateway', (err as Error).message, GatewayErrors.UPSTREAM_UNAVAILABLE.code),
          );
      }
    });
  });
}

function problemOf(status: number, title: string, detail: string, code?: string) {
  return { type: 'about:blank', title, status, detail, ...(code ? { code } : {}) };
}

function problem(response: ServerResponse, status: number, title: string, detail: string, code?: string) {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify(problemOf(status, title, detail, code)));
}

/** The request's own header lines as they came, hop-by-hop ones left out; a correlation id added. */
function forwardedHeaders(raw: string[], correlation: string | undefined): string[] {
  const headers: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (!HOP.has(name)) headers.push(name, raw[i + 1]);
  }
  if (correlation !== undefined) headers.push('x-correlation-id', correlation);
  return headers;
}

/** `"subject"`, `:`, `{`, `"id"`, `:`, `"` in a check's JSON as every client writes it (any spacing). */
const SUBJECT_ID = /"subject"\s*:\s*\{\s*"id"\s*:\s*"([^"\\]*)"/;

/**
 * The subject a check names, or undefined when the body is not one (the replica answers 400 itself).
 * Found in the text without parsing it whole when `subject` opens with its `id` (as every client sends
 * it); parsed otherwise. A wrong guess would only send the check to a replica that asks PostgreSQL.
 */
export function subjectOf(body: Buffer): string | undefined {
  const text = body.toString('utf8');
  const found = SUBJECT_ID.exec(text);
  if (found) return found[1];
  try {
    const parsed = JSON.parse(text) as { subject?: { id?: unknown } } | null;
    const id = parsed?.subject?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

async function forward(pool: Pool, path: string, headers: string[], body: Buffer): Promise<Answer> {
  let answering = false;
  try {
    const answer = await pool.request({ path, method: 'POST', headers, body });
    answering = true;
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    return { status: answer.statusCode, headers: answer.headers, body: bytes };
  } catch (err) {
    // once the replica began to answer, a failure is not one the next replica may retry
    if (answering) throw Object.assign(new Error((err as Error).message), { code: 'EANSWER' });
    throw err;
  }
}
