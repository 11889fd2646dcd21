import { DataSource } from 'typeorm';
import { CloudEvent } from '@credit/contracts';
import { createCloudEvent, EventHandler, InProcessBus, ServiceMessaging } from '@credit/messaging';
import { createMessagingDatabase, testLogger, waitFor } from '../support/infra';

/**
 * The in-process bus keeps records in memory: what the previous process published but had not
 * delivered is gone with it. The outbox (in PostgreSQL) is the durable part: at start the relay sends
 * its kept published rows again, and the consumers' inbox skips what was applied.
 */
const SCHEMA = 'svc';
const TOPIC = 'restart.events';
const TYPE = 'credit.test.happened.v1';

describe('ServiceMessaging over the in-process bus, across a restart', () => {
  let db: Awaited<ReturnType<typeof createMessagingDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createMessagingDatabase(SCHEMA);
    dataSource = db.dataSource;
    await dataSource.query(`CREATE TABLE ${SCHEMA}.effects (seq serial, event_id text NOT NULL)`);
  });

  afterAll(async () => {
    await db?.close();
  });

  const recordEffect: EventHandler = async (event, { manager }) => {
    await manager.query(`INSERT INTO ${SCHEMA}.effects (event_id) VALUES ($1)`, [event.id]);
  };
  const effects = async (): Promise<string[]> =>
    (await dataSource.query(`SELECT event_id FROM ${SCHEMA}.effects ORDER BY seq`)).map(
      (r: { event_id: string }) => r.event_id,
    );

  /** One "process": its own bus and the service's messaging on the shared database. */
  const startProcess = async (handler: EventHandler) => {
    const bus = new InProcessBus({ logger: testLogger('silent'), retryDelayMs: 20 });
    await bus.ensureTopics([
      { topic: TOPIC, partitions: 2 },
      { topic: `${TOPIC}.dlq`, partitions: 1 },
    ]);
    const messaging = new ServiceMessaging({
      service: 'svc',
      schema: SCHEMA,
      dataSource,
      bus,
      logger: testLogger('silent'),
      retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
      relayIdleMs: 50,
    });
    messaging.consume({ name: 'svc.restart', topics: [TOPIC], handlers: { [TYPE]: handler }, maxBatch: 1 });
    // a recipe stands for the events listed in it (decision 0016)
    messaging.relay.registerRecipe('test.listed', async (_manager, data) =>
      (data as CloudEvent[][]).map((events) =>
        events.map((e) => ({ key: 'subject-2', value: JSON.stringify(e) })),
      ),
    );
    await messaging.start();
    return {
      messaging,
      stop: async () => {
        await messaging.stop();
        await bus.close();
      },
    };
  };

  const write = (messaging: ServiceMessaging, events: CloudEvent[]) =>
    dataSource.transaction((manager) =>
      messaging.outbox.add(
        manager,
        events.map((event) => ({ topic: TOPIC, key: 'subject-1', event })),
      ),
    );
  const newEvent = (n: number) =>
    createCloudEvent({ type: TYPE, source: '/test', subject: 'subject-1', data: { n } });

  it('delivers after a restart what the previous process published but had not applied, each effect once and in order', async () => {
    const [e1, e2, e3, e4] = [1, 2, 3, 4].map(newEvent);
    // the first process applies e1; e2 cannot be applied while it runs (the database "is down" for it)
    const first = await startProcess(async (event, context) => {
      if (event.id !== e1.id)
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      await recordEffect(event, context);
    });
    await write(first.messaging, [e1, e2, e3]);
    await waitFor(async () => (await effects()).includes(e1.id), {
      message: 'e1 applied by the first process',
    });
    const published = await dataSource.query(
      `SELECT count(*)::int AS n FROM ${SCHEMA}.message_published WHERE payload IS NOT NULL`,
    );
    expect(published[0].n).toBe(3); // all three left the outbox: only the bus's memory held e2 and e3
    await first.stop();
    expect(await effects()).toEqual([e1.id]);

    const second = await startProcess(recordEffect);
    try {
      await write(second.messaging, [e4]);
      await waitFor(async () => (await effects()).includes(e4.id), {
        message: 'e4 applied by the second process',
      });
      expect(await effects()).toEqual([e1.id, e2.id, e3.id, e4.id]);
      const inbox = await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.message_inbox`);
      expect(inbox[0].n).toBe(4);
    } finally {
      await second.stop();
    }
  });

  it('after a restart, rebuilds from their recipe the events the previous process had not delivered', async () => {
    const [e5, e6, e7] = [5, 6, 7].map(newEvent);
    const first = await startProcess(async (event, context) => {
      if (event.id !== e5.id)
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      await recordEffect(event, context);
    });
    await dataSource.transaction((manager) =>
      first.messaging.outbox.addRecipe(manager, {
        kind: 'test.listed',
        topic: TOPIC,
        eventType: TYPE,
        data: [e5, e6],
        records: [e5, e6].map((e) => ({ key: 'subject-2', value: JSON.stringify(e) })),
      }),
    );
    await waitFor(async () => (await effects()).includes(e5.id), {
      message: 'e5 applied by the first process',
    });
    await first.stop();

    const second = await startProcess(recordEffect);
    try {
      await write(second.messaging, [e7]);
      await waitFor(async () => (await effects()).includes(e7.id), {
        message: 'e7 applied by the second process',
      });
      const mine = (await effects()).filter((id) => [e5.id, e6.id, e7.id].includes(id));
      expect(mine).toEqual([e5.id, e6.id, e7.id]);
    } finally {
      await second.stop();
    }
  });
});
