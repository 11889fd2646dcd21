import { createServer, Server, Socket, connect } from 'node:net';
import { DataSource } from 'typeorm';
import { createServiceDataSource, openServiceDatabase } from '@credit/persistence';
import { createTestDatabase } from '../support/infra';
import { freePort } from '../support/service-process';

/**
 * A service's start waits for a database that is not ready yet (decision 0076): CI saw a service exit on
 * "the database system is not yet accepting connections" while PostgreSQL recovered. The database here is
 * the real one behind a TCP relay that is first closed, or first answers as a recovering server does.
 */
describe('a service start waits for its database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let target: { host: string; port: number };
  const servers: Server[] = [];
  const sources: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    target = { host: url.hostname, port: Number(url.port || 5432) };
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => (s.isInitialized ? s.destroy() : undefined)));
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  afterAll(async () => {
    await database?.drop();
  });

  /**
   * Relays every connection to the real database, or answers it as a recovering server does while
   * `refusing` returns true. `crashOn`: when a client sends what it matches, the connection is ended as
   * PostgreSQL ends every backend's when another backend crashed (57P02).
   */
  function relay(
    port: number,
    refusing?: () => boolean,
    crashOn?: (chunk: Buffer) => boolean,
  ): Promise<Server> {
    const server = createServer((client: Socket) => {
      if (refusing?.()) {
        // what PostgreSQL sends a client during crash recovery, after the client's startup message
        client.once('data', () =>
          client.end(errorResponse('57P03', 'the database system is not yet accepting connections')),
        );
        return;
      }
      const upstream = connect(target.port, target.host);
      client.on('data', (chunk: Buffer) => {
        if (!crashOn?.(chunk)) {
          upstream.write(chunk);
          return;
        }
        // the error reaches the client before the socket closes
        upstream.removeAllListeners('close');
        upstream.unpipe(client);
        upstream.destroy();
        client.end(
          errorResponse('57P02', 'terminating connection because of crash of another server process'),
        );
      });
      upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end);
      upstream.on('error', end);
      client.on('close', end);
      upstream.on('close', end);
    });
    servers.push(server);
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
  }

  function dataSourceAt(port: number, name = database.name): DataSource {
    const url = new URL(database.url);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    url.pathname = `/${name}`;
    const source = createServiceDataSource({
      url: url.toString(),
      schema: 'waiting',
      entities: [],
      migrations: [],
      poolSize: 2,
    });
    sources.push(source);
    return source;
  }

  it('connects once the port opens, having waited for it', async () => {
    const port = await freePort();
    const waits: string[] = [];
    const opened = openServiceDatabase(dataSourceAt(port), true, {
      onWait: (err) => waits.push((err as { code?: string }).code ?? err.message),
    });
    await new Promise((r) => setTimeout(r, 1200));
    await relay(port);
    const source = await opened;
    expect(source.isInitialized).toBe(true);
    expect(await source.query('SELECT current_database() AS name')).toEqual([{ name: database.name }]);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits.every((code) => code === 'ECONNREFUSED')).toBe(true);
  });

  it('connects once a recovering database accepts connections again', async () => {
    const port = await freePort();
    let recovering = true;
    await relay(port, () => recovering);
    const waits: string[] = [];
    const opened = openServiceDatabase(dataSourceAt(port), true, {
      onWait: (err) => waits.push((err as { code?: string }).code ?? err.message),
    });
    setTimeout(() => (recovering = false), 1200);
    const source = await opened;
    expect(source.isInitialized).toBe(true);
    // the service's schema was created by the migration step that follows the connection
    const schemas = await source.query(
      `SELECT 1 FROM information_schema.schemata WHERE schema_name = 'waiting'`,
    );
    expect(schemas).toHaveLength(1);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits.every((code) => code === '57P03')).toBe(true);
  });

  it('takes its migration lock again when the database resets after the connection', async () => {
    // what CI met: connected, then every backend told to go (another crashed) during the lock query,
    // and the database in recovery for a while after
    const port = await freePort();
    let recovering = false;
    let crashes = 0;
    await relay(
      port,
      () => recovering,
      (chunk) => {
        if (crashes > 0 || !chunk.includes('pg_advisory_lock(')) return false;
        crashes += 1;
        recovering = true;
        setTimeout(() => (recovering = false), 1200);
        return true;
      },
    );
    const waits: string[] = [];
    const source = await openServiceDatabase(dataSourceAt(port), true, {
      onWait: (err) => waits.push((err as { code?: string }).code ?? err.message),
    });
    expect(crashes).toBe(1);
    const schemas = await source.query(
      `SELECT 1 FROM information_schema.schemata WHERE schema_name = 'waiting'`,
    );
    expect(schemas).toHaveLength(1);
    // the cut query's error first, then the recovering database's refusals
    expect(waits[0]).toBe('57P02');
    expect(waits.slice(1).length).toBeGreaterThanOrEqual(1);
    expect(waits.slice(1).every((code) => code === '57P03')).toBe(true);
  });

  it('gives up at once on a refusal that waiting cannot mend (a database that does not exist)', async () => {
    const port = await freePort();
    await relay(port);
    const waits: unknown[] = [];
    const started = Date.now();
    await expect(
      openServiceDatabase(dataSourceAt(port, 'no_such_database'), true, { onWait: (err) => waits.push(err) }),
    ).rejects.toMatchObject({ code: '3D000' });
    expect(waits).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up when the database stays unready past the wait', async () => {
    const port = await freePort();
    await relay(port, () => true);
    const waits: unknown[] = [];
    await expect(
      openServiceDatabase(dataSourceAt(port), true, { waitMs: 1000, onWait: (err) => waits.push(err) }),
    ).rejects.toMatchObject({ code: '57P03' });
    expect(waits.length).toBeGreaterThanOrEqual(1);
  });
});

/** A PostgreSQL ErrorResponse message: severity FATAL, the SQLSTATE and the text. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`, 'utf8'),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'ascii');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}
