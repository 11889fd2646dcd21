import { spawn } from 'node:child_process';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { KAFKA_BROKERS } from '../support/infra';

const PROBE = join(__dirname, '../../deploy/images/kafka/healthcheck.sh');

/** Runs the Kafka image's health probe against a port of this host: its exit code and how long it took. */
function probe(port: number): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [PROBE, String(port)], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, ms: Date.now() - started }));
  });
}

/** The fake servers, and every socket they accepted: closed by hand, as server.close() waits for them. */
const servers: Server[] = [];
const accepted = new Set<Socket>();

async function listen(onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer((socket) => {
    accepted.add(socket);
    // the probe closes with our reply partly unread, which resets the connection: expected, not a fault
    socket.on('error', () => undefined);
    socket.on('close', () => accepted.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return server;
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

/**
 * The compose stack's Kafka probe (decision 0083): an ApiVersions request written over bash's /dev/tcp.
 * Healthy only when a broker answers it without an error; a port that accepts and says nothing fails.
 */
describe('the Kafka image health probe', () => {
  afterAll(async () => {
    for (const socket of accepted) socket.destroy();
    await Promise.all(servers.filter((s) => s.listening).map((s) => new Promise((r) => s.close(r))));
  });

  it('is healthy against a broker that serves', async () => {
    const port = Number(KAFKA_BROKERS.split(',')[0].split(':')[1]);
    expect((await probe(port)).code).toBe(0);
  });

  it('fails on a closed port', async () => {
    const server = await listen(() => undefined);
    const port = portOf(server);
    await new Promise((r) => server.close(r));
    expect((await probe(port)).code).not.toBe(0);
  });

  it('fails within its 5 s on a port that accepts and never answers', async () => {
    const silent = await listen(() => undefined);
    const { code, ms } = await probe(portOf(silent));
    expect(code).not.toBe(0);
    expect(ms).toBeLessThan(15_000);
  });

  it('fails on an answer that carries an error code', async () => {
    // size, correlation id 1, error code 35 (UNSUPPORTED_VERSION), then padding
    const wrong = await listen((socket) =>
      socket.once('data', () =>
        socket.end(Buffer.concat([Buffer.from([0, 0, 0, 32, 0, 0, 0, 1, 0, 35]), Buffer.alloc(30)])),
      ),
    );
    expect((await probe(portOf(wrong))).code).not.toBe(0);
  });
});
