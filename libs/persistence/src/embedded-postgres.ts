import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { PgliteWorker } from './pglite-worker';

export interface EmbeddedPostgresOptions {
  /** Folder of the database files (created if missing); `memory://` keeps them in memory. */
  dataDir: string;
  /** shared_buffers and the like: kept small, the whole platform must stay under 300 MB resident. */
  settings?: string[];
  /** Called when a caller has waited this long for the session (a likely deadlock: see decision 0009). */
  onLongWait?: (waitedMs: number, holder: string | undefined) => void;
  longWaitMs?: number;
  /**
   * Where PGlite runs: `worker`, a thread of its own, so that its statements no longer stop the process's
   * event loop (decision 0089); `main` (the default), in the caller's thread — for tests and tools that
   * open a database for a moment.
   */
  thread?: 'main' | 'worker';
}

type Release = (err?: unknown) => void;

/** What differs between PGlite in this thread and in a worker: COPY's data, notifications, the end. */
interface Engine {
  copy(sql: string, text: string): Promise<void>;
  /** Called holding the session; the function it gives back too. */
  listen(client: Client, channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

function inThisThread(pglite: PGlite): Engine {
  return {
    copy: async (sql, text) => void (await pglite.query(sql, [], { blob: new Blob([text]) })),
    listen: (_client, channel, callback) => pglite.listen(channel, callback),
    close: () => pglite.close(),
  };
}

function inWorker(worker: PgliteWorker): Engine {
  return {
    copy: async (sql, text) => void (await worker.call({ op: 'copy', sql, text })),
    // in a worker the notifications come to the client, with the answer to the notifying commit
    listen: async (client, channel, callback) => {
      const name = `"${channel.replace(/"/g, '""')}"`;
      const onNotification = (n: { channel: string; payload?: string }) => {
        if (n.channel === channel) callback(n.payload ?? '');
      };
      await client.query(`LISTEN ${name}`);
      client.on('notification', onNotification);
      return async () => {
        client.off('notification', onNotification);
        await client.query(`UNLISTEN ${name}`);
      };
    },
    close: () => worker.close(),
  };
}
type Checkout = (err: unknown, client?: Client, release?: Release) => void;

const DEFAULT_SETTINGS = ['shared_buffers=16MB', 'work_mem=4MB', 'maintenance_work_mem=16MB'];

/**
 * PostgreSQL in the process (PGlite: PostgreSQL compiled to WebAssembly), for the embedded mode. PGlite is
 * one session, so the whole process shares one connection: a caller checks it out, uses it (a query, or a
 * whole transaction) and releases it, and the next caller waits its turn. Transactions are therefore
 * serialised, which keeps them atomic and isolated; the price is that code holding the session must never
 * wait for a second checkout (that would wait forever) — the few places that did have an embedded path.
 * TypeORM gets the session through the `driver` option: a pg-compatible module whose pools all hand out
 * this one connection.
 */
export class EmbeddedPostgres {
  readonly driver: object;
  /** PGlite itself, when it runs in this thread (`thread: 'main'`) */
  readonly pglite?: PGlite;
  private readonly engine: Engine;
  private readonly waiting: (() => void)[] = [];
  private busy = false;
  private holder?: string;
  private closed = false;

  private constructor(
    engine: { pglite: PGlite } | { worker: PgliteWorker },
    private readonly client: Client,
    private readonly options: EmbeddedPostgresOptions,
    private readonly lockFile?: string,
  ) {
    if ('pglite' in engine) this.pglite = engine.pglite;
    this.engine = 'pglite' in engine ? inThisThread(engine.pglite) : inWorker(engine.worker);
    const checkout = () => this.checkout();
    // what TypeORM's PostgresDriver uses of the pg module: new Pool(), pool.on(), connect(cb), end(cb)
    class SessionPool {
      on(): this {
        return this;
      }
      connect(callback: Checkout): void {
        checkout().then(
          ([client, release]) => callback(undefined, client, release),
          (err: unknown) => callback(err),
        );
      }
      end(callback?: (err?: unknown) => void): void {
        callback?.(); // the session outlives every DataSource: EmbeddedPostgres.close() ends it
      }
    }
    this.driver = { Pool: SessionPool };
    drivers.set(this.driver, this);
  }

  /** Opens (or creates, on first start) the database in `dataDir`; refuses a folder another process uses. */
  static async open(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const inMemory = options.dataDir.startsWith('memory://');
    let lockFile: string | undefined;
    if (!inMemory) {
      mkdirSync(options.dataDir, { recursive: true });
      lockFile = join(options.dataDir, 'embedded.pid');
      claimFolder(lockFile);
    }
    const dataDir = inMemory ? options.dataDir : join(options.dataDir, 'pgdata');
    const settings = options.settings ?? DEFAULT_SETTINGS;
    try {
      if (!inMemory && !existsSync(join(dataDir, 'PG_VERSION'))) await createInChild(dataDir, settings);
      if (options.thread === 'worker') {
        const worker = await PgliteWorker.open(dataDir, settings);
        // PGlite answers the wire protocol's start-up itself; its one role is postgres
        const client = new Client({ stream: () => worker.socket(), user: 'postgres', database: 'postgres' });
        try {
          await client.connect();
        } catch (err) {
          await worker.close();
          throw err;
        }
        return new EmbeddedPostgres({ worker }, client, options, lockFile);
      }
      // loaded here, not on import: the distributed mode never loads PGlite
      const { PGlite } = await import('@electric-sql/pglite');
      const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
      const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
      const pglite = await PGlite.create({ dataDir, extensions: { btree_gist }, postgresqlconf: settings });
      const client = new Client(createPgConfig(pglite));
      await client.connect();
      return new EmbeddedPostgres({ pglite }, client, options, lockFile);
    } catch (err) {
      if (lockFile) rmSync(lockFile, { force: true });
      throw err;
    }
  }

  /** Waits for the session, then holds it until `release` is called (once; later calls do nothing). */
  checkout(): Promise<[Client, Release]> {
    if (this.closed) return Promise.reject(new Error('the embedded database is closed'));
    const holder = this.options.onLongWait
      ? new Error().stack?.split('\n').slice(2, 8).join('\n')
      : undefined;
    const granted = (): [Client, Release] => {
      this.busy = true;
      this.holder = holder;
      let released = false;
      return [
        this.client,
        () => {
          if (released) return;
          released = true;
          this.holder = undefined;
          const next = this.waiting.shift();
          if (next) next();
          else this.busy = false;
        },
      ];
    };
    if (!this.busy) return Promise.resolve(granted());
    return new Promise((resolve) => {
      const started = Date.now();
      const timer = this.options.onLongWait
        ? setTimeout(
            () => this.options.onLongWait!(Date.now() - started, this.holder),
            this.options.longWaitMs ?? 10_000,
          )
        : undefined;
      timer?.unref();
      this.waiting.push(() => {
        clearTimeout(timer);
        resolve(granted());
      });
    });
  }

  /** Runs `fn` holding the session. */
  async exclusive<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const [client, release] = await this.checkout();
    try {
      return await fn(client);
    } finally {
      release();
    }
  }

  /**
   * COPY … FROM a text block, for the holder of the session (inside its transaction). PGlite reads COPY
   * data from its /dev/blob device rather than the protocol's CopyData messages.
   */
  async copyFrom(table: string, columns: string[], text: string): Promise<void> {
    await this.engine.copy(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, text);
  }

  /** LISTEN on the session; `callback` gets each NOTIFY payload once the notifying transaction commits. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    // under the session, so that the LISTEN never lands inside another caller's transaction
    const unlisten = await this.exclusive((client) => this.engine.listen(client, channel, callback));
    return () => (this.closed ? Promise.resolve() : this.exclusive(() => unlisten()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(async () => {
      this.closed = true;
      await this.client.end().catch(() => undefined);
      await this.engine.close();
    });
    if (this.lockFile) rmSync(this.lockFile, { force: true });
  }
}

const drivers = new WeakMap<object, EmbeddedPostgres>();

/**
 * Creates a new database (initdb) in a short-lived process: PGlite's initdb peaks at some 800 MB and the
 * process keeps much of it afterwards, while opening an existing database costs about 170 MB.
 */
async function createInChild(dataDir: string, settings: string[]): Promise<void> {
  // into a temporary folder, renamed once complete: a crash half-way leaves no half-made database
  const partial = `${dataDir}.creating`;
  rmSync(partial, { recursive: true, force: true });
  const script = `require(${JSON.stringify(require.resolve('@electric-sql/pglite'))}).PGlite.create({
      dataDir: process.argv[1], postgresqlconf: JSON.parse(process.argv[2]) })
    .then((db) => db.close())
    .then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });`;
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['-e', script, partial, JSON.stringify(settings)], (err, _out, stderr) =>
      err
        ? reject(new Error(`creating the database in ${dataDir} failed: ${stderr || err.message}`))
        : resolve(),
    );
  });
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(partial, dataDir);
}

/** The embedded database behind a DataSource, if it has one: for the few places that need their own path. */
export function embeddedPostgresOf(dataSource: DataSource): EmbeddedPostgres | undefined {
  const driver = (dataSource.options as { driver?: object }).driver;
  return driver ? drivers.get(driver) : undefined;
}

/** One open database per data folder (two would corrupt the files); a lock left by a dead process is taken over. */
function claimFolder(lockFile: string): void {
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const pid = Number(readFileSync(lockFile, 'utf8').trim());
  if (pid && isAlive(pid)) {
    throw new Error(`${lockFile}: the data folder is in use by process ${pid}`);
  }
  writeFileSync(lockFile, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
