import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createCloudEvent,
  DeadLetterTool,
  EventConsumer,
  KafkaBus,
  RejectedEventError,
} from '@credit/messaging';
import {
  createKafkaBus,
  createMessagingDatabase,
  KAFKA_BROKERS,
  testLogger,
  uniquePrefix,
  waitFor,
} from '../support/infra';

/**
 * docs/runbook.md, dead letters: a consumer parks an event its handler refuses; after the fix an operator
 * lists the dead letters and replays that one (`npm run dead-letters -- list|replay <id>`), and the consumer
 * applies it — once, even when replayed twice (its inbox).
 */
const SCHEMA = 'svc';
const TOPIC = 'credit.feedback'; // a contract topic: the CLI looks at the contract topics' dead letters
const ROOT = join(__dirname, '..', '..');

describe('dead letters: list and replay', () => {
  const prefix = uniquePrefix();
  let db: Awaited<ReturnType<typeof createMessagingDatabase>>;
  let bus: KafkaBus;
  let consumer: EventConsumer;
  let broken = true;
  const applied: string[] = [];

  beforeAll(async () => {
    db = await createMessagingDatabase(SCHEMA);
    bus = createKafkaBus(prefix, 'dead-letters-test');
    await bus.ensureTopics([
      { topic: TOPIC, partitions: 2 },
      { topic: `${TOPIC}.dlq`, partitions: 1 },
    ]);
    consumer = new EventConsumer(
      {
        name: 'svc.feedback',
        topics: [TOPIC],
        handlers: {
          'credit.test.happened.v1': async (event) => {
            if (broken) throw new RejectedEventError('TEST.NOT_YET', 'the fix is not deployed');
            applied.push(event.id);
          },
        },
      },
      {
        schema: SCHEMA,
        dataSource: db.dataSource,
        bus,
        logger: testLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
        retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
      },
    );
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await bus?.close();
    await db?.close();
  });

  const cli = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      ['-r', join(ROOT, 'bench/register.js'), join(ROOT, 'scripts/dead-letters.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX: prefix },
      },
    );

  it('lists the parked event with its reason, and replays it after the fix', async () => {
    const event = createCloudEvent({
      type: 'credit.test.happened.v1',
      source: '/test',
      subject: 's-1',
      data: { n: 1 },
    });
    await bus.publish([{ topic: TOPIC, key: 's-1', value: JSON.stringify(event) }]);
    const tool = new DeadLetterTool({ brokers: KAFKA_BROKERS.split(','), prefix, topics: [TOPIC] });
    const [letter] = await waitFor(
      async () => {
        const letters = await tool.list();
        return letters.length > 0 && letters;
      },
      { timeoutMs: 30_000, intervalMs: 1000, message: 'the dead letter' },
    );
    expect(letter).toMatchObject({
      id: `${TOPIC}.dlq@0`,
      originalTopic: TOPIC,
      consumer: 'svc.feedback',
      code: 'TEST.NOT_YET',
      key: 's-1',
    });
    expect(applied).toEqual([]);

    const listed = await cli('list');
    expect(listed.stdout).toContain(`${TOPIC}.dlq@0`);
    expect(listed.stdout).toContain('TEST.NOT_YET');
    expect(listed.stdout).toContain(event.id);

    broken = false; // the fix
    const replayed = await cli('replay', `${TOPIC}.dlq@0`);
    expect(replayed.stdout).toContain(`replayed ${TOPIC}.dlq@0 to ${TOPIC}`);
    await waitFor(() => applied.includes(event.id), {
      timeoutMs: 30_000,
      message: 'the replayed event applied',
    });

    // replayed again by mistake: the inbox skips it
    await tool.replay(`${TOPIC}.dlq@0`);
    const rows = async () =>
      (
        await db.dataSource.query(
          `SELECT count(*)::int AS n FROM ${SCHEMA}.message_inbox WHERE event_id = $1`,
          [event.id],
        )
      )[0].n;
    await new Promise((r) => setTimeout(r, 1500));
    expect(applied).toEqual([event.id]);
    expect(await rows()).toBe(1);
  });

  it('refuses an unknown id and a missing command', async () => {
    await expect(cli('replay', `${TOPIC}.dlq@999`)).rejects.toMatchObject({
      stderr: expect.stringContaining('no dead letter'),
    });
    await expect(cli()).rejects.toMatchObject({ code: 64 });
  });
});
