import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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
