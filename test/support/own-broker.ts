import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

export interface OwnBroker {
  brokers: string;
  /** this broker's folder: its data, logs and whatever the test writes beside them */
  home: string;
  /** deploy/local/kafka.sh start | stop | reset … for this broker */
  sh(command: string): Promise<unknown>;
  /** stops it (if it runs) and removes its folder */
  remove(): Promise<void>;
}

/**
 * A broker of a test's own (deploy/local/kafka.sh on another port, never the shared one), in a folder of
 * this run's: a fixed folder outlived its run and held a link to that run's clone, removed since, and the
 * next run's link failed (EEXIST). The jars the project's script fetched once are shared.
 */
export function ownBroker(name: string, port: number): OwnBroker {
  const home = mkdtempSync(join(tmpdir(), `${name}-${port}-`));
  symlinkSync(process.env.KAFKA_LIBS ?? join(ROOT, '.cache/kafka/libs'), join(home, 'libs'));
  const sh = (command: string) =>
    promisify(execFile)('bash', [join(ROOT, 'deploy/local/kafka.sh'), command], {
      env: {
        ...process.env,
        KAFKA_PORT: String(port),
        KAFKA_HOME_DIR: home,
        KAFKA_HEAP: '-Xmx256m -Xms128m',
      },
      timeout: 180_000,
    });
  return {
    brokers: `127.0.0.1:${port}`,
    home,
    sh,
    remove: async () => {
      await sh('stop').catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Whether nothing listens on 127.0.0.1:port right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port for a broker of a test's own, with the next one (its controller's) free too. A fixed port failed
 * a CI run whose broker exited at start: another run on the same machine held it. Picked below the
 * kernel's ephemeral range (32768 and up), so no outgoing connection takes it before the broker binds.
 */
export async function freeBrokerPort(override?: string): Promise<number> {
  if (override) return Number(override); // a port the run was told to use
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    if ((await canListen(port)) && (await canListen(port + 1))) return port;
  }
  throw new Error('no free pair of ports between 20000 and 32000 for a broker');
}
