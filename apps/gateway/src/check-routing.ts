import { lookup } from 'node:dns/promises';
import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { keyPartition } from '@credit/contracts';
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
  }

  /** A forward to `url` failed: tried last until its next poll answers. */
  markDown(url: string): void {
    const replica = this.replicas.find((r) => r.url === url);
    if (replica) replica.up = false;
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
    for (const replica of this.replicas) {
      const state = replica.state;
      if (!replica.up || !state || state.mode !== 'split' || !state.partitions) continue;
      if (state[which].includes(keyPartition(identifier, state.partitions))) return replica;
    }
    return undefined;
  }
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

/** Errors where the replica cannot have begun the check: the next replica may be asked. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** hop-by-hop headers, not passed on (RFC 9110 7.6.1) */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * `POST /v1/checks` routed by its subject's partition (decision 0058): the body is read whole (a check's
 * is a few hundred bytes), its `subject.id` hashed, and the same bytes sent to the owner; the owner's
 * answer comes back unchanged. A replica that refuses the connection is skipped for the next one; one that
 * fails after it took the request is not (the check may have been logged): 502 as for any service.
 */
export async function registerCheckRouting(
  app: FastifyInstance,
  router: CheckRouter,
  bodyLimit: number,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  app.addHook('onClose', async () => {
    router.stop();
    agent.destroy();
  });
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    scope.post('/v1/checks', async (request: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const failures: string[] = [];
      for (const url of router.candidates(subjectOf(body))) {
        try {
          const answer = await forward(agent, url, request, body);
          for (const [name, value] of Object.entries(answer.headers))
            if (value !== undefined && !HOP.has(name)) void reply.header(name, value);
          return reply.status(answer.status).send(answer.body);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? '';
          failures.push(`${url}: ${(err as Error).message}`);
          router.markDown(url);
          if (!NOT_SENT.has(code)) break;
        }
      }
      return reply
        .status(502)
        .header('content-type', 'application/problem+json')
        .send({
          type: 'about:blank',
          title: 'Bad Gateway',
          status: 502,
          detail: `no enforcement replica answered: ${failures.join('; ')}`,
          code: GatewayErrors.UPSTREAM_UNAVAILABLE.code,
        });
    });
  });
}

/** The subject a check names, or undefined when the body is not one (the replica answers 400 itself). */
export function subjectOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { subject?: { id?: unknown } } | null;
    const id = parsed?.subject?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function forward(agent: Agent, base: string, request: FastifyRequest, body: Buffer): Promise<Answer> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined && !HOP.has(name)) headers[name] = value;
  headers['content-length'] = String(body.length);
  headers['x-correlation-id'] ??= String(request.id);
  return new Promise((resolve, reject) => {
    let answering = false;
    // once the replica began to answer, a failure is not one the next replica may retry
    const fail = (err: Error) =>
      reject(answering ? Object.assign(new Error(err.message), { code: 'EANSWER' }) : err);
    const outgoing = httpRequest(
      `${base}${request.url}`,
      { method: 'POST', headers, agent, timeout: 30_000 },
      (incoming) => {
        answering = true;
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 502,
            headers: incoming.headers,
            body: Buffer.concat(chunks),
          }),
        );
        incoming.on('error', fail);
      },
    );
    outgoing.on('timeout', () =>
      outgoing.destroy(Object.assign(new Error('no answer within 30 s'), { code: 'ETIMEDOUT' })),
    );
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}
