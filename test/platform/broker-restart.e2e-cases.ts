import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { deadLetterTopic, Topics } from '@credit/contracts';
import { KafkaBus } from '@credit/messaging';
import { createTestDatabase, uniquePrefix, waitFor } from '../support/infra';
import { freeBrokerPort, ownBroker, OwnBroker } from '../support/own-broker';
import { freePort } from '../support/free-port';

/**
 * Issue 17: a broker restart is ridden out without restarting the services. A broker of this test's own
 * (deploy/local/kafka.sh on another port, never the shared one) is stopped and started again under a
 * running trigger process; a record published after the restart is handled by the same process.
 */
const ROOT = join(__dirname, '..', '..');

describe('a broker restart under a running service', () => {
  const prefix = uniquePrefix();
  let broker: OwnBroker;
  let brokers: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let child: ChildProcess | undefined;
  let bus: KafkaBus;

  beforeAll(async () => {
    broker = ownBroker('broker-restart', await freeBrokerPort(process.env.BROKER_RESTART_PORT));
    brokers = broker.brokers;
    await broker.sh('start');
    database = await createTestDatabase();
    bus = new KafkaBus({
      brokers: [brokers],
      clientId: 'broker-restart-test',
      prefix,
      logger: pino({ level: 'silent' }),
    });
  }, 240_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await bus?.close();
    await broker?.remove();
    await database?.drop();
  }, 120_000);

  const handled = async (key: string) => {
    // the trigger dead-letters an unreadable record at once: its presence on the dead-letter topic says it was handled
    const { Kafka, logLevel } = await import('kafkajs');
    const admin = new Kafka({ brokers: [brokers], clientId: 'probe', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [p] = await admin.fetchTopicOffsets(`${prefix}${deadLetterTopic(Topics.listEntries)}`);
      return Number(p.high) >= Number(key);
    } finally {
      await admin.disconnect();
    }
  };

  it('keeps consuming after the broker comes back, without a restart of the service', async () => {
    const port = await freePort(); // a random one could be taken, as the broker's fixed port was
    child = spawn(process.execPath, [join(ROOT, 'dist/apps/trigger/src/main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: '3',
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_PARTITIONS: '2',
        KAFKA_INSTANCE_ID: 'broker-restart-trigger',
      },
      stdio: ['ignore', openSync(join(broker.home, 'trigger.log'), 'a'), 'inherit'],
    });
    const ready = async () =>
      (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200;
    await waitFor(ready, { timeoutMs: 90_000, message: 'trigger ready' });
    await bus.publish([{ topic: Topics.listEntries, key: 'k', value: 'not an event: before' }]);
    await waitFor(() => handled('1'), { timeoutMs: 30_000, message: 'handled before the restart' });

    const pid = child.pid;
    const stoppedAt = Date.now();
    await broker.sh('restart');
    const restartedMs = Date.now() - stoppedAt;
    await bus.publish([{ topic: Topics.listEntries, key: 'k', value: 'not an event: after' }]);
    const publishedAt = Date.now();
    await waitFor(() => handled('2'), {
      timeoutMs: 60_000,
      intervalMs: 200,
      message: 'handled after the restart',
    });
    const consumingMs = Date.now() - publishedAt;
    await waitFor(ready, { timeoutMs: 30_000, message: 'ready again' });
    process.stdout.write(
      `broker restart: broker back in ${restartedMs} ms; the record published after it handled ${consumingMs} ms later\n`,
    );
    expect(child.pid).toBe(pid);
    expect(child.exitCode).toBeNull();
  }, 300_000);
});
