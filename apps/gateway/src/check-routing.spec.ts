import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { keyPartition } from '@credit/contracts';
import type { ReplicaIndexState } from './check-routing';
import { buildGateway } from './gateway';
import { RouteTable } from './route-table';

const PARTITIONS = 6;
const subject = (i: number) => `91330106ROUTE${String(i).padStart(5, '0')}`;

/** An enforcement replica as the gateway sees it: its partitions, and checks answered with its name. */
class FakeReplica {
  state: ReplicaIndexState;
  readonly checks: { subject: string; body: string; headers: IncomingMessage['headers'] }[] = [];
  private server?: Server;
  url = '';

  constructor(
    readonly name: string,
    held: number[],
    assigned = held,
    loaded = true,
  ) {
    this.state = { mode: 'split', partitions: PARTITIONS, held, assigned, loaded };
  }

  /** Closes each check's connection without a byte of answer (a replica closing its kept connections). */
  hangUp = false;
  /** Answers each check 503 with `Connection: close`, as Fastify does once its close began. */
  closing = false;
  /** Sends the head and part of the body of each check's answer, then closes the connection. */
  breakMidAnswer = false;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      if (this.closing && request.url === '/v1/checks') {
        response.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
        response.end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable' }));
        return;
      }
      if (this.hangUp && request.url === '/v1/checks') {
        request.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        if (request.url === '/health/check-index') {
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify(this.state));
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        let id = '';
        try {
          id = (JSON.parse(body) as { subject: { id: string } }).subject.id;
        } catch {
          response.statusCode = 400;
          response.setHeader('content-type', 'application/problem+json');
          response.end(JSON.stringify({ status: 400, code: 'VALIDATION.FAILED' }));
          return;
        }
        this.checks.push({ subject: id, body, headers: request.headers });
        if (this.breakMidAnswer) {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          response.write('{"decision":');
          setTimeout(() => request.socket.destroy(), 20);
          return;
        }
        response.setHeader('content-type', 'application/json');
        response.setHeader('x-replica', this.name);
        response.end(JSON.stringify({ decision: 'allow', subject: id, replica: this.name }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('gateway: a check goes to the enforcement replica holding its subject (decision 0058)', () => {
  let replicas: FakeReplica[];
  let gateway: FastifyInstance | undefined;

  const start = async (...fakes: FakeReplica[]) => startWith((urls) => urls, ...fakes);
  const startWith = async (addresses: (urls: string[]) => string[], ...fakes: FakeReplica[]) => {
    replicas = fakes;
    for (const r of replicas) await r.start();
    gateway = await buildGateway({
      upstreams: {
        registry: 'http://127.0.0.1:9',
        trigger: 'http://127.0.0.1:9',
        enforcement: replicas[0].url,
        tracking: 'http://127.0.0.1:9',
      },
      table: new RouteTable([{ method: 'POST', path: '/v1/checks', service: 'enforcement' }]),
      enforcementReplicas: addresses(replicas.map((r) => r.url)),
      checkRoutingRefreshMs: 50,
    });
  };
  const check = async (id: string) => {
    const res = await gateway!.inject({
      method: 'POST',
      url: '/v1/checks',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json', 'x-correlation-id': 'c-1' },
      payload: JSON.stringify({ subject: { id }, action: 'exit_entry' }),
    });
    return { status: res.statusCode, replica: res.headers['x-replica'] as string | undefined, res };
  };
  const holderOf = (id: string) =>
    replicas.find((r) => r.state.held.includes(keyPartition(id, PARTITIONS)))?.name;
  const until = async (condition: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 5000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    for (const r of replicas) await r.stop();
  });

  it('sends every check to the replica that holds its partition, body and headers unchanged', async () => {
    await start(new FakeReplica('a', [0, 1]), new FakeReplica('b', [2, 3]), new FakeReplica('c', [4, 5]));
    for (let i = 0; i < 60; i += 1) {
      const { status, replica } = await check(subject(i));
      expect(status).toBe(200);
      expect(replica).toBe(holderOf(subject(i)));
    }
    // every replica had its share, and only its own subjects
    for (const r of replicas) {
      expect(r.checks.length).toBeGreaterThan(0);
      for (const c of r.checks) expect(holderOf(c.subject)).toBe(r.name);
    }
    const seen = replicas[0].checks[0];
    expect(JSON.parse(seen.body)).toEqual({ subject: { id: seen.subject }, action: 'exit_entry' });
    expect(seen.headers.authorization).toBe('Bearer t');
    expect(seen.headers['x-correlation-id']).toBe('c-1');
    // the first gateway of the file pays the modules' first use (5–9 s on a loaded 2-core machine)
  }, 30_000);

  it('on the listening server (before Fastify) too: owner, body, headers and answer unchanged', async () => {
    await start(new FakeReplica('a', [0, 1, 2]), new FakeReplica('b', [3, 4, 5]));
    await gateway!.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(gateway!.server.address() as AddressInfo).port}/v1/checks`;
    for (let i = 0; i < 12; i += 1) {
      const body = JSON.stringify({ subject: { id: subject(i) }, action: 'exit_entry' });
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-replica')).toBe(holderOf(subject(i)));
      expect(await res.json()).toMatchObject({ subject: subject(i) });
    }
    const seen = replicas.flatMap((r) => r.checks);
    expect(seen).toHaveLength(12);
    expect(seen[0].headers.authorization).toBe('Bearer t');
    expect(seen[0].headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    // a body that is not a check still reaches a replica, which refuses it
    const bad = await fetch(url, { method: 'POST', body: '{"subject":' });
    expect(bad.status).toBe(400);
    for (const r of replicas) await r.stop();
    const none = await fetch(url, { method: 'POST', body: JSON.stringify({ subject: { id: subject(1) } }) });
    expect(none.status).toBe(502);
    expect(await none.json()).toMatchObject({ code: 'GATEWAY.UPSTREAM_UNAVAILABLE' });
  });

  it('a partition held by none goes to the replica it is assigned to, then to any loaded replica', async () => {
    // partition 5 given to c, still being read; partition 4 nobody's yet (between two joins)
    await start(
      new FakeReplica('a', [0, 1]),
      new FakeReplica('b', [2, 3]),
      new FakeReplica('c', [], [5], false),
    );
    const inPartition = (p: number) =>
      [...Array(500).keys()].map(subject).find((id) => keyPartition(id, PARTITIONS) === p)!;
    expect((await check(inPartition(5))).replica).toBe('c');
    // no owner: a replica that finished loading (c has not), in turn
    const answered = new Set<string>();
    for (let i = 0; i < 6; i += 1) answered.add((await check(inPartition(4))).replica!);
    expect([...answered].sort()).toEqual(['a', 'b']);
  });

  it('follows a rebalance: the new holder gets the partition once it says so', async () => {
    await start(new FakeReplica('a', [0, 1, 2]), new FakeReplica('b', [3, 4, 5]));
    const id = [...Array(500).keys()].map(subject).find((s) => keyPartition(s, PARTITIONS) === 2)!;
    expect((await check(id)).replica).toBe('a');
    replicas[0].state = { ...replicas[0].state, held: [0, 1], assigned: [0, 1] };
    replicas[1].state = { ...replicas[1].state, held: [2, 3, 4, 5], assigned: [2, 3, 4, 5] };
    await until(async () => (await check(id)).replica === 'b', 'the check routed to the new holder');
  });

  it('an owner that is down: the check is answered by another replica, not refused', async () => {
    await start(new FakeReplica('a', [0, 1, 2]), new FakeReplica('b', [3, 4, 5]));
    const ofA = [...Array(500).keys()].map(subject).filter((s) => keyPartition(s, PARTITIONS) <= 2);
    expect((await check(ofA[0])).replica).toBe('a');
    await replicas[0].stop();
    for (const id of ofA.slice(0, 10)) {
      const { status, replica } = await check(id);
      expect(status).toBe(200);
      expect(replica).toBe('b');
    }
  });

  it('an owner that closes the connection before a byte of answer: another replica answers', async () => {
    await start(new FakeReplica('a', [0, 1, 2]), new FakeReplica('b', [3, 4, 5]));
    const ofA = [...Array(500).keys()].map(subject).filter((s) => keyPartition(s, PARTITIONS) <= 2);
    expect((await check(ofA[0])).replica).toBe('a');
    replicas[0].hangUp = true;
    const { status, replica } = await check(ofA[1]);
    expect({ status, replica }).toEqual({ status: 200, replica: 'b' });
  });

  it('an owner that is closing (503): another replica answers; 503 only when every one is', async () => {
    await start(new FakeReplica('a', [0, 1, 2]), new FakeReplica('b', [3, 4, 5]));
    const ofA = [...Array(500).keys()].map(subject).filter((s) => keyPartition(s, PARTITIONS) <= 2);
    replicas[0].closing = true;
    expect(await check(ofA[0])).toMatchObject({ status: 200, replica: 'b' });
    replicas[1].closing = true;
    expect((await check(ofA[1])).status).toBe(503);
  });

  it('an owner that fails once its answer began: 502, not asked again elsewhere', async () => {
    await start(new FakeReplica('a', [0, 1, 2]), new FakeReplica('b', [3, 4, 5]));
    const ofA = [...Array(500).keys()].map(subject).filter((s) => keyPartition(s, PARTITIONS) <= 2);
    replicas[0].breakMidAnswer = true;
    const { status, res } = await check(ofA[0]);
    expect(status).toBe(502);
    expect(res.json()).toMatchObject({ code: 'GATEWAY.UPSTREAM_UNAVAILABLE' });
    expect(replicas[1].checks).toEqual([]);
  });

  it('a body that names no subject is still sent to a replica, which answers it (400)', async () => {
    await start(new FakeReplica('a', [0, 1, 2]), new FakeReplica('b', [3, 4, 5]));
    const res = await gateway!.inject({
      method: 'POST',
      url: '/v1/checks',
      headers: { 'content-type': 'application/json' },
      payload: '{"subject":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'VALIDATION.FAILED' });
  });

  it('no replica answers: 502 GATEWAY.UPSTREAM_UNAVAILABLE', async () => {
    await start(new FakeReplica('a', [0, 1, 2]), new FakeReplica('b', [3, 4, 5]));
    for (const r of replicas) await r.stop();
    const { status, res } = await check(subject(1));
    expect(status).toBe(502);
    expect(res.json()).toMatchObject({ code: 'GATEWAY.UPSTREAM_UNAVAILABLE' });
  });

  it('finds the replicas behind a DNS name (dns+http://name:port, a headless service)', async () => {
    await startWith(
      (urls) => urls.map((u) => u.replace('http://127.0.0.1', 'dns+http://localhost')),
      new FakeReplica('a', [0, 1, 2, 3, 4, 5]),
    );
    for (let i = 0; i < 5; i += 1) {
      const { status, replica } = await check(subject(i));
      expect(status).toBe(200);
      expect(replica).toBe('a');
    }
  });
});
