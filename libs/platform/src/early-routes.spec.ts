import { connect } from 'node:net';
import Fastify, { FastifyInstance, FastifyServerOptions } from 'fastify';
import { answerBeforeFastify, answeredWhileClosing, earlyServerFactory } from './early-routes';

/** A route answered on the server before Fastify, or left to Fastify unread (decision 0069). */
describe('routes answered before Fastify', () => {
  let app: FastifyInstance;
  let url: string;
  const seen: string[] = [];

  beforeAll(async () => {
    app = Fastify({ serverFactory: earlyServerFactory, keepAliveTimeout: 4321 });
    app.post('/v1/things', async (request) => ({ by: 'fastify', body: request.body }));
    const taken = answerBeforeFastify(app, 'POST', '/v1/things', (request, response) => {
      seen.push(String(request.headers['x-take']));
      if (request.headers['x-take'] !== 'yes') return false; // nothing read: Fastify gets it whole
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ by: 'early', body: JSON.parse(Buffer.concat(chunks).toString()) }));
      });
      return true;
    });
    expect(taken).toBe(true);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  const post = (path: string, take: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-take': take },
      body: JSON.stringify({ n: 1 }),
    }).then((r) => r.json() as Promise<{ by: string; body: unknown }>);

  it('answers on the server when the handler takes the request', async () => {
    await expect(post('/v1/things', 'yes')).resolves.toEqual({ by: 'early', body: { n: 1 } });
  });

  it('leaves a request the handler declines to Fastify, body and all', async () => {
    await expect(post('/v1/things', 'no')).resolves.toEqual({ by: 'fastify', body: { n: 1 } });
  });

  it('asks the handler only for its exact method and path', async () => {
    seen.length = 0;
    await expect(post('/v1/things?x=1', 'yes')).resolves.toEqual({ by: 'fastify', body: { n: 1 } });
    const r = await fetch(`${url}/v1/things`, { headers: { 'x-take': 'yes' } });
    expect(r.status).toBe(404);
    expect(seen).toEqual([]);
  });

  it('keeps the timeouts Fastify sets on a server it makes', () => {
    expect(app.server.keepAliveTimeout).toBe(4321);
  });

  it('registers nothing on a server Fastify made itself', async () => {
    const plain = Fastify();
    expect(answerBeforeFastify(plain, 'POST', '/v1/things', () => true)).toBe(false);
    await plain.close();
  });
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One kept-alive connection written by hand: which requests go on it, and when it closes, are known. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let buffered = '';
  let ended = false;
  const waiting: (() => void)[] = [];
  const wake = () => waiting.splice(0).forEach((resolve) => resolve());
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    wake();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      ended = true;
      wake();
      resolve();
    }),
  );
  return {
    closed,
    send(headers: Record<string, string>) {
      const body = '{"n":1}';
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(
        `POST /v1/held HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${lines.join('')}` +
          `content-length: ${body.length}\r\n\r\n${body}`,
      );
    },
    /** The next answer on the connection (its body by content-length). */
    async next(): Promise<RawAnswer> {
      for (;;) {
        const head = buffered.indexOf('\r\n\r\n');
        if (head >= 0) {
          const [statusLine, ...lines] = buffered.slice(0, head).split('\r\n');
          const headers: Record<string, string> = {};
          for (const line of lines) {
            const colon = line.indexOf(':');
            headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
          }
          const end = head + 4 + Number(headers['content-length'] ?? 0);
          if (buffered.length >= end) {
            const body = buffered.slice(head + 4, end);
            buffered = buffered.slice(end);
            return { status: Number(statusLine.split(' ')[1]), headers, body };
          }
        }
        if (ended) throw new Error('the connection closed before an answer');
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
  };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

/** What Fastify answers a request that comes while it closes (`return503OnClosing`). */
const UNAVAILABLE = '{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}';

/**
 * While Fastify closes: it stops accepting connections and closes idle ones, and answers a request that
 * comes on a kept-alive connection 503 with `Connection: close` — for a path with an early handler as for
 * its own routes (decision 0069).
 */
describe('routes answered before Fastify, while Fastify closes', () => {
  /**
   * An app whose route and early handler (`x-take: yes`) hold each request until released; `closing`
   * resolves once Fastify began to close.
   */
  const heldApp = async (options: Partial<FastifyServerOptions> = {}) => {
    const app = Fastify({ serverFactory: earlyServerFactory, ...options });
    const arrived: string[] = [];
    const releases: (() => void)[] = [];
    const held = () => new Promise<void>((resolve) => releases.push(resolve));
    app.post('/v1/held', async () => {
      arrived.push('fastify');
      await held();
      return { by: 'fastify' };
    });
    const taken = answerBeforeFastify(app, 'POST', '/v1/held', (request, response) => {
      if (request.headers['x-take'] !== 'yes') return false;
      arrived.push('early');
      request.resume();
      request.on('end', () => {
        void held().then(() => {
          // a request it read, given to Fastify (as the check hands over its refusals)
          if (request.headers['x-hand-over'] === 'yes' && answeredWhileClosing(app, request, response))
            return;
          const payload = JSON.stringify({ by: 'early' });
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': payload.length });
          response.end(payload);
        });
      });
      return true;
    });
    let began!: () => void;
    const closing = new Promise<void>((resolve) => (began = resolve));
    // added after the early route's hook: runs once Fastify is closing and the early routes know it
    app.addHook('preClose', (done) => {
      began();
      done();
    });
    const url = taken ? await app.listen({ port: 0, host: '127.0.0.1' }) : '';
    const release = async () => {
      await until(() => releases.length > 0);
      releases.shift()!();
    };
    return { app, url, arrived, release, closing, taken };
  };

  it('answers the next request on a kept-alive connection 503 and closes it, as for its routes', async () => {
    const answers: Record<string, RawAnswer[]> = {};
    const arrivals: Record<string, string[]> = {};
    for (const take of ['yes', 'no']) {
      const { app, url, arrived, release, closing } = await heldApp();
      const connection = rawConnection(url);
      connection.send({ 'x-take': take });
      await until(() => arrived.length === 1);
      const closed = app.close();
      await closing;
      // in flight when close began: answered as usual, the connection kept
      await release();
      const first = await connection.next();
      connection.send({ 'x-take': take });
      answers[take] = [first, await connection.next()];
      await connection.closed;
      await closed;
      arrivals[take] = arrived;
    }
    // the second request reached neither the early handler nor the route
    expect(arrivals).toEqual({ yes: ['early'], no: ['fastify'] });
    const seen = (a: RawAnswer) => [a.status, a.headers.connection, a.body];
    expect(answers.yes.map(seen)).toEqual([
      [200, 'keep-alive', '{"by":"early"}'],
      [503, 'close', UNAVAILABLE],
    ]);
    expect(answers.no.map(seen)).toEqual([
      [200, 'keep-alive', '{"by":"fastify"}'],
      [503, 'close', UNAVAILABLE],
    ]);
  });

  it('closes an idle kept-alive connection and takes no new one, as for its routes', async () => {
    const { app, url, release } = await heldApp();
    const connection = rawConnection(url);
    connection.send({ 'x-take': 'yes' });
    await release();
    expect((await connection.next()).status).toBe(200);
    await app.close(); // waits for the connections: the idle one was closed
    await connection.closed;
    await expect(fetch(`${url}/v1/held`, { method: 'POST' })).rejects.toThrow();
  });

  it('gives a request it read to Fastify once close began: 503 and Connection: close, not a cut', async () => {
    const { app, url, arrived, release, closing } = await heldApp();
    const connection = rawConnection(url);
    // before close, the handler answers it itself
    connection.send({ 'x-take': 'yes', 'x-hand-over': 'yes' });
    await release();
    expect((await connection.next()).body).toBe('{"by":"early"}');
    connection.send({ 'x-take': 'yes', 'x-hand-over': 'yes' });
    await until(() => arrived.length === 2);
    const closed = app.close();
    await closing;
    await release();
    const answer = await connection.next();
    expect([answer.status, answer.headers.connection, answer.body]).toEqual([503, 'close', UNAVAILABLE]);
    await connection.closed;
    await closed;
    expect(arrived).toEqual(['early', 'early']); // Fastify's route never ran it
  });

  it('registers nothing when Fastify would answer its routes while closing (return503OnClosing off)', async () => {
    const { app, taken } = await heldApp({ return503OnClosing: false });
    expect(taken).toBe(false);
    await app.close();
  });
});
