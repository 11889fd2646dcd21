import { Duplex } from 'node:stream';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * PGlite in a worker thread (decision 0089): PostgreSQL compiled to WebAssembly runs synchronously, so in
 * the process's main thread every statement stopped the HTTP server, the timers and the bus for as long
 * as it ran. In a worker it runs beside them; the main thread talks to it in the wire protocol.
 *
 * The session is the one resource every transaction queues for, so a caller holding it must not wait
 * behind the HTTP requests in the event loop for each answer: the caller waits for the answer in place
 * for up to `SYNC_WAIT_MS` (most statements take well under a millisecond), and only a longer statement
 * (a check log's COPY, a seal pass) lets the event loop run meanwhile.
 *
 * The worker's code is a string (run with `eval`): it must load as plain CommonJS wherever the caller was
 * loaded from (TypeScript sources under jest or tsx, the compiled build, the bundle).
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, signal } = workerData;
let db;
let chain = Promise.resolve();
async function handle(m) {
  switch (m.op) {
    case 'open': {
      const { PGlite } = require(workerData.pglite);
      const { btree_gist } = require(workerData.btreeGist);
      db = await PGlite.create({ dataDir: m.dataDir, extensions: { btree_gist }, postgresqlconf: m.settings });
      return undefined;
    }
    case 'protocol':
      return await db.execProtocolRaw(m.bytes);
    case 'copy':
      await db.query(m.sql, [], { blob: new Blob([m.text]) });
      return undefined;
    case 'close':
      if (db) await db.close();
      return undefined;
  }
  throw new Error('unknown operation ' + m.op);
}
function reply(message) {
  port.postMessage(message);
  // wakes a caller waiting in place (Atomics.wait) for this answer
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}
port.on('message', (m) => {
  chain = chain.then(() => handle(m)).then(
    (result) => reply({ id: m.id, result }),
    (err) => reply({ id: m.id, error: { message: String((err && err.message) || err), stack: err && err.stack } }),
  );
});
`;

type Operation =
  | { op: 'open'; dataDir: string; settings: string[] }
  | { op: 'protocol'; bytes: Uint8Array }
  | { op: 'copy'; sql: string; text: string }
  | { op: 'close' };

interface Reply {
  id: number;
  result?: Uint8Array;
  error?: { message: string; stack?: string };
}

/**
 * How long a caller waits in place for an answer before letting the event loop run (ms). Measured under
 * `npm run bench:platform-check` (decision 0089): at 0–4 ms the session, held across event-loop turns,
 * was busy ~90 % of the time and a lift waited for it (p99 290–860 ms); at 8 ms a lift's p99 was 165–180
 * ms, and a statement still never stops the HTTP server for longer than this.
 */
const SYNC_WAIT_MS = 8;

/** The worker and its calls, answered in the order they were made. */
export class PgliteWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** counts the worker's answers: a caller waiting in place sleeps until it moves */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<
    number,
    { resolve: (r?: Uint8Array) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;
  private failure?: Error;

  private constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        pglite: require.resolve('@electric-sql/pglite'),
        btreeGist: require.resolve('@electric-sql/pglite/contrib/btree_gist'),
        port: port2,
        signal: this.signal,
      },
      transferList: [port2],
    });
    this.port.on('message', (reply: Reply) => this.settle(reply));
    // a worker that dies (PGlite aborted, out of memory) fails every call, now and later
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const call of this.pending.values()) call.reject(this.failure);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the embedded database's thread exited (code ${code})`)));
  }

  /** Starts the thread and opens (or creates) the database in `dataDir`. */
  static async open(dataDir: string, settings: string[]): Promise<PgliteWorker> {
    const worker = new PgliteWorker();
    try {
      await worker.call({ op: 'open', dataDir, settings });
      return worker;
    } catch (err) {
      await worker.worker.terminate();
      worker.port.close();
      throw err;
    }
  }

  /** Sends an operation and waits in place up to `SYNC_WAIT_MS` for its answer before yielding. */
  call(operation: Operation): Promise<Uint8Array | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    const answer = new Promise<Uint8Array | undefined>((resolve, reject) =>
      this.pending.set(id, { resolve, reject }),
    );
    this.port.postMessage({ ...operation, id });
    this.awaitInPlace(id, SYNC_WAIT_MS);
    return answer;
  }

  /** Takes the answers that have come, sleeping on the counter between them, until `id`'s or the time is up. */
  private awaitInPlace(id: number, waitMs: number): void {
    const deadline = performance.now() + waitMs;
    while (this.pending.has(id)) {
      const seen = Atomics.load(this.signal, 0);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        this.settle(received.message as Reply);
        continue;
      }
      const left = deadline - performance.now();
      if (left <= 0 || this.failure) return;
      Atomics.wait(this.signal, 0, seen, left);
    }
  }

  private settle(reply: Reply): void {
    const call = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (!call) return;
    if (reply.error) {
      const err = new Error(reply.error.message);
      if (reply.error.stack) err.stack = reply.error.stack;
      call.reject(err);
    } else call.resolve(reply.result);
  }

  /** A socket for `pg.Client`'s `stream` option: the client's messages go to the worker's PGlite. */
  socket(): Duplex {
    return new WorkerSocket(this);
  }

  async close(): Promise<void> {
    await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
    this.port.close();
  }
}

const TERMINATE = 0x58; // 'X': the client leaves; PGlite's one session stays open until close()

/**
 * What `pg.Client` needs of a socket. The messages written in one turn of the event loop (a query's
 * Parse, Bind, Describe, Execute and Sync) go to PGlite as one call, and its answer comes back as data.
 */
class WorkerSocket extends Duplex {
  private chunks: Buffer[] = [];
  private scheduled = false;
  private sent: Promise<unknown> = Promise.resolve();

  constructor(private readonly worker: PgliteWorker) {
    super();
  }

  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {
    // answers are pushed as they come
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error) => void): void {
    if (!(chunk.length === 5 && chunk[0] === TERMINATE)) {
      this.chunks.push(chunk);
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.send());
      }
    }
    callback();
  }

  override _final(callback: (err?: Error) => void): void {
    this.send(); // what is still waiting for its turn goes first
    void this.sent.finally(() => {
      this.push(null);
      callback();
    });
  }

  private send(): void {
    this.scheduled = false;
    if (this.chunks.length === 0) return;
    // a copy of its own: the chunks may sit in Node's shared buffer pool
    const bytes = new Uint8Array(Buffer.concat(this.chunks));
    this.chunks = [];
    this.sent = this.sent
      .then(() => this.worker.call({ op: 'protocol', bytes }))
      .then(
        (answer) => {
          if (answer && answer.length > 0)
            this.push(Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength));
        },
        (err: Error) => this.destroy(err),
      );
  }
}
