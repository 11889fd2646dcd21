import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { CloudEvent } from '@credit/contracts';
import { createCloudEvent, KafkaBus, Outbox, OutboxRelay } from '@credit/messaging';
import { AfterCommitSubscriber } from '@credit/persistence';
import { metricsRegistry } from '@credit/platform';
import { createKafkaBus, createMessagingDatabase, testLogger, uniquePrefix, waitFor } from '../support/infra';
import { KafkaProbe, ReadRecord } from '../support/kafka-probe';

/**
 * Transactional outbox over the real PostgreSQL and Kafka: what a service writes in a transaction is
 * published if and only if it commits, once, and in commit order per key.
 */
const SCHEMA = 'svc';
const TOPICS = {
  commit: 'outbox.commit',
  rollback: 'outbox.rollback',
  order: 'outbox.order',
  recipe: 'outbox.recipe',
  oversized: 'outbox.oversized',
};

/** A relay of the test schema, as ServiceMessaging makes one, looking for rows every `idleMs`. */
const testRelay = (dataSource: DataSource, bus: KafkaBus, idleMs: number) =>
  new OutboxRelay({ service: 'test', schema: SCHEMA, dataSource, bus, logger: testLogger(), idleMs });

describe('Outbox and OutboxRelay', () => {
  const prefix = uniquePrefix();
  const outbox = new Outbox(SCHEMA);
  let db: Awaited<ReturnType<typeof createMessagingDatabase>>;
  let dataSource: DataSource;
  let bus: KafkaBus;
  let probe: KafkaProbe;
  let relay: OutboxRelay;

  beforeAll(async () => {
    db = await createMessagingDatabase(SCHEMA, 20);
    dataSource = db.dataSource;
    // the state a service changes together with its events
    await dataSource.query(`CREATE TABLE ${SCHEMA}.list_entries (id text PRIMARY KEY, status text NOT NULL)`);
    bus = createKafkaBus(prefix, 'outbox-test');
    await bus.ensureTopics([
      { topic: TOPICS.commit, partitions: 3 },
      { topic: TOPICS.rollback, partitions: 1 },
      { topic: TOPICS.order, partitions: 3 },
      { topic: TOPICS.recipe, partitions: 3 },
      { topic: TOPICS.oversized, partitions: 1 },
    ]);
    probe = new KafkaProbe(prefix);
    relay = testRelay(dataSource, bus, 50);
    relay.start();
  });

  afterAll(async () => {
    await relay?.stop();
    await probe?.close();
    await bus?.close();
    await db?.close();
  });

  const newEvent = (subject: string, data: Record<string, unknown> = {}) =>
    createCloudEvent({ type: 'credit.test.happened.v1', source: '/test', subject, data });
  const eventOf = (record: ReadRecord) => JSON.parse(record.value ?? 'null') as CloudEvent;
  const outboxRows = (eventId: string) =>
    dataSource.query(`SELECT id FROM ${SCHEMA}.message_outbox WHERE event_id = $1`, [eventId]);
  const publishedLines = (eventId: string) =>
    dataSource.query(`SELECT published_at, payload FROM ${SCHEMA}.message_published WHERE event_id = $1`, [
      eventId,
    ]);
  /** The relay sends a pass before it commits the pass's moves (published, parked): wait for that commit. */
  const passCommitted = () =>
    waitFor(
      async () =>
        Number((await dataSource.query(`SELECT count(*) AS n FROM ${SCHEMA}.message_outbox`))[0].n) === 0,
      { message: 'the pass committed (the outbox empty)' },
    );

  it('publishes an event whose transaction committed, exactly once, and moves its row to the published log', async () => {
    const event = newEvent('91350100M000100Y43', { entryId: 'entry-1' });
    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO ${SCHEMA}.list_entries (id, status) VALUES ('entry-1', 'published')`);
      await outbox.add(manager, [{ topic: TOPICS.commit, key: '91350100M000100Y43', event }]);
    });
    const reader = await probe.read(TOPICS.commit);

    const record = await waitFor(() => reader.records.find((r) => eventOf(r).id === event.id), {
      message: 'the committed event on the topic',
    });
    expect(record.key).toBe('91350100M000100Y43');
    expect(eventOf(record)).toEqual(event);
    expect(record.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');

    const [line] = await waitFor(
      async () => {
        const lines = await publishedLines(event.id);
        return lines.length > 0 ? lines : undefined;
      },
      { message: 'the published line of the event' },
    );
    expect(line.published_at).toBeInstanceOf(Date);
    expect(line.payload).toBeNull(); // Kafka keeps the record: no payload to keep here
    expect(await outboxRows(event.id)).toHaveLength(0);

    // later passes find nothing left to send: the topic holds the event once
    for (let pass = 0; pass < 3; pass += 1) await relay.publishPending();
    expect(await probe.recordCount(TOPICS.commit)).toBe(1);
    expect(reader.records.filter((r) => eventOf(r).id === event.id)).toHaveLength(1);
  });

  it('parks a row the bus can never take (over its size limit) and publishes the rows behind it', async () => {
    const key = '91350100M000100Y43';
    const [before, big, after] = [
      newEvent(key),
      newEvent(key, { text: 'x'.repeat(1_100_000) }),
      newEvent(key),
    ];
    await dataSource.transaction((manager) =>
      outbox.add(
        manager,
        [before, big, after].map((event) => ({ topic: TOPICS.oversized, key, event })),
      ),
    );
    const reader = await probe.read(TOPICS.oversized);

    await waitFor(() => reader.records.length >= 2, { message: 'the two rows around the big one published' });
    await passCommitted();
    expect(reader.records.map((r) => eventOf(r).id)).toEqual([before.id, after.id]);
    const parked = await dataSource.query(
      `SELECT reason, length(payload::text) AS bytes FROM ${SCHEMA}.message_parked WHERE event_id = $1`,
      [big.id],
    );
    expect(parked).toEqual([
      { reason: expect.stringMatching(/over the bus's limit/), bytes: expect.any(Number) },
    ]);
    expect(parked[0].bytes).toBeGreaterThan(1_100_000);
    expect(await outboxRows(big.id)).toHaveLength(0);
  });

  it('never publishes an event whose transaction rolled back', async () => {
    const lost = newEvent('subject-rolled-back', { entryId: 'entry-2' });
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO ${SCHEMA}.list_entries (id, status) VALUES ('entry-2', 'published')`,
        );
        await outbox.add(manager, [{ topic: TOPICS.rollback, key: 'subject-rolled-back', event: lost }]);
        throw new Error('the use case failed after writing');
      }),
    ).rejects.toThrow('the use case failed after writing');
    for (let pass = 0; pass < 3; pass += 1) await relay.publishPending();

    // an event committed afterwards on the same topic and key shows the relay has gone past that point
    const later = newEvent('subject-rolled-back', { entryId: 'entry-3' });
    await dataSource.transaction((manager) =>
      outbox.add(manager, [{ topic: TOPICS.rollback, key: 'subject-rolled-back', event: later }]),
    );
    const reader = await probe.read(TOPICS.rollback);
    await waitFor(() => reader.records.some((r) => eventOf(r).id === later.id), {
      message: 'the later event',
    });

    expect(reader.records.map((r) => eventOf(r).id)).toEqual([later.id]);
    expect(await probe.recordCount(TOPICS.rollback)).toBe(1);
    expect(await outboxRows(lost.id)).toEqual([]);
    expect(await publishedLines(lost.id)).toEqual([]);
    expect(await dataSource.query(`SELECT id FROM ${SCHEMA}.list_entries WHERE id = 'entry-2'`)).toEqual([]);
  });

  it('keeps each key in commit order across concurrent writers', async () => {
    await dataSource.query(
      `CREATE TABLE ${SCHEMA}.write_log (seq bigserial PRIMARY KEY, key text, event_id uuid)`,
    );
    const keys = ['subject-a', 'subject-b', 'subject-c', 'subject-d'];
    const rounds = 15;

    // Each transaction writes one event (every fifth: two keys at once, like a fan-out) and logs it
    // while it holds the key's lock, so write_log.seq orders each key's events as they committed.
    const write = async (round: number, index: number) => {
      const ownKeys = round % 5 === 0 ? [keys[index], keys[(index + 1) % keys.length]] : [keys[index]];
      await dataSource.transaction(async (manager) => {
        const messages = ownKeys.map((key) => ({
          topic: TOPICS.order,
          key,
          event: newEvent(key, { round }),
        }));
        await outbox.add(manager, messages);
        for (const m of messages) {
          await manager.query(`INSERT INTO ${SCHEMA}.write_log (key, event_id) VALUES ($1, $2)`, [
            m.key,
            m.event.id,
          ]);
        }
        // hold the transaction open a little so that writers of the same key overlap
        await manager.query('SELECT pg_sleep($1)', [Math.random() * 0.01]);
      });
    };
    await Promise.all(
      Array.from({ length: rounds }, (_, round) => keys.map((_key, index) => write(round, index))).flat(),
    );

    const log: { key: string; event_id: string }[] = await dataSource.query(
      `SELECT key, event_id FROM ${SCHEMA}.write_log ORDER BY seq`,
    );
    const reader = await probe.read(TOPICS.order);
    await waitFor(() => reader.records.length >= log.length, {
      message: `${log.length} events on the topic (got ${reader.records.length})`,
    });

    const expected = groupByKey(log.map((row) => ({ key: row.key, id: row.event_id })));
    const arrived = [...reader.records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    const actual = groupByKey(arrived.map((r) => ({ key: r.key ?? '', id: eventOf(r).id })));
    expect(actual).toEqual(expected);
    expect(new Set(arrived.map((r) => eventOf(r).id)).size).toBe(log.length);
    for (const key of keys) {
      expect(new Set(arrived.filter((r) => r.key === key).map((r) => r.partition)).size).toBe(1);
    }
  });

  it('publishes a recipe row as the run of records its resolver rebuilds, in place among ordinary rows', async () => {
    // this outbox keeps nothing in memory: the relay must rebuild every recipe (as after a restart)
    type RunData = { run: string; keys: string[] };
    const runRecords = (d: RunData) =>
      d.keys.map((key, i) => ({ key, value: JSON.stringify({ id: `${d.run}-${i}`, key }) }));
    const ordinary = (key: string, id: string) => ({
      topic: TOPICS.recipe,
      key,
      event: createCloudEvent({
        id,
        type: 'credit.test.happened.v1',
        source: '/test',
        subject: key,
        data: {},
      }),
    });
    const recipe = (data: RunData) => ({
      kind: 'test.runs',
      topic: TOPICS.recipe,
      eventType: 'credit.test.run.v1',
      data,
      records: runRecords(data),
    });
    const first: RunData = { run: 'r1', keys: ['k1', 'k2', 'k1', 'k3'] };
    const unresolved: RunData = { run: 'r2', keys: ['k2', 'k1'] };
    await dataSource.transaction(async (manager) => {
      await outbox.add(manager, [ordinary('k1', randomUUID()), ordinary('k2', randomUUID())]);
      await outbox.addRecipe(manager, recipe(first));
      await outbox.add(manager, [ordinary('k1', randomUUID())]);
    });
    const reader = await probe.read(TOPICS.recipe);
    // no resolver yet: passes fail before sending anything, and every row stays (nothing is lost)
    await new Promise((r) => setTimeout(r, 500));
    expect(await dataSource.query(`SELECT event_type FROM ${SCHEMA}.message_outbox ORDER BY id`)).toEqual(
      [
        'credit.test.happened.v1',
        'credit.test.happened.v1',
        'credit.test.run.v1',
        'credit.test.happened.v1',
      ].map((event_type) => ({ event_type })),
    );
    expect(reader.records).toEqual([]);
    relay.registerRecipe('test.runs', async (_manager, data) => (data as RunData[]).map(runRecords));
    await dataSource.transaction((manager) => outbox.addRecipe(manager, recipe(unresolved)));

    await waitFor(() => reader.records.length >= 9, { message: `9 records (got ${reader.records.length})` });
    await passCommitted();
    const ids = (key: string) =>
      reader.records
        .filter((r) => r.key === key)
        .map((r) => (JSON.parse(r.value ?? 'null') as { id: string }).id);
    const outboxIds: { event_id: string; event_type: string; events: number }[] = await dataSource.query(
      `SELECT event_id, event_type, events FROM ${SCHEMA}.message_published
       WHERE topic = $1 ORDER BY id`,
      [TOPICS.recipe],
    );
    const ordinaryIds = outboxIds
      .filter((o) => o.event_type === 'credit.test.happened.v1')
      .map((o) => o.event_id);
    // per key: the ordinary row before the recipe, the recipe's records in order, the ordinary row after
    expect(ids('k1')).toEqual([ordinaryIds[0], 'r1-0', 'r1-2', ordinaryIds[2], 'r2-1']);
    expect(ids('k2')).toEqual([ordinaryIds[1], 'r1-1', 'r2-0']);
    expect(ids('k3')).toEqual(['r1-3']);
    expect(outboxIds.map((o) => [o.event_type, o.events])).toEqual([
      ['credit.test.happened.v1', 1],
      ['credit.test.happened.v1', 1],
      ['credit.test.run.v1', 4],
      ['credit.test.happened.v1', 1],
      ['credit.test.run.v1', 2],
    ]);
    expect(await dataSource.query(`SELECT id FROM ${SCHEMA}.message_outbox`)).toEqual([]);
    for (let pass = 0; pass < 3; pass += 1) await relay.publishPending();
    expect(await probe.recordCount(TOPICS.recipe)).toBe(9);
  });

  it('counts a pass in events: a recipe row larger than what is left waits for the next pass, then goes alone', async () => {
    // its own database and a relay that only runs when called, with room for three events a pass
    const own = await createMessagingDatabase(SCHEMA, 4);
    try {
      const small = new OutboxRelay({
        service: 'test',
        schema: SCHEMA,
        dataSource: own.dataSource,
        bus,
        logger: testLogger(),
        batchSize: 3,
      });
      small.registerRecipe('test.budget', async (_manager, data) =>
        (data as number[]).map((n) =>
          Array.from({ length: n }, (_, i) => ({ key: 'kb', value: `{"i":${i}}` })),
        ),
      );
      const ownOutbox = new Outbox(SCHEMA);
      const ordinary = () => ({
        topic: TOPICS.recipe,
        key: 'kb',
        event: createCloudEvent({
          type: 'credit.test.happened.v1',
          source: '/test',
          subject: 'kb',
          data: {},
        }),
      });
      await own.dataSource.transaction(async (manager) => {
        await ownOutbox.add(manager, [ordinary()]);
        await ownOutbox.addRecipe(manager, {
          kind: 'test.budget',
          topic: TOPICS.recipe,
          eventType: 'credit.test.run.v1',
          data: 4,
          records: Array.from({ length: 4 }, (_, i) => ({ key: 'kb', value: `{"i":${i}}` })),
        });
        await ownOutbox.add(manager, [ordinary(), ordinary()]);
      });
      const passes = [];
      for (let pass = 0; pass < 4; pass += 1) passes.push(await small.publishPending());
      expect(passes).toEqual([1, 4, 2, 0]);
    } finally {
      await own.close();
    }
  });

  it('asks one statement a pass while idle, opening no transaction, and still finds a row written behind it', async () => {
    await passCommitted();
    await new Promise((r) => setTimeout(r, 500)); // passes that found nothing: idle from here
    const queries = jest.spyOn(dataSource, 'query');
    const transactions = jest.spyOn(dataSource, 'transaction');
    try {
      await new Promise((r) => setTimeout(r, 1000));
      expect(transactions).not.toHaveBeenCalled();
      const sql = queries.mock.calls.map(([text]) => String(text));
      // a pass every 50 ms: some 20 in the second (the minutely cleanup's DELETE may fall in it)
      expect(sql.filter((text) => text.includes('SELECT EXISTS')).length).toBeGreaterThanOrEqual(5);
      expect(sql.filter((text) => !text.includes('SELECT EXISTS') && !text.includes('DELETE'))).toEqual([]);
    } finally {
      queries.mockRestore();
      transactions.mockRestore();
    }
    // committed without waking the relay (as another replica's row would be): the next probe finds it
    const event = newEvent('91350100M000100Y43', { entryId: 'entry-after-idle' });
    await dataSource.transaction((manager) =>
      outbox.add(manager, [{ topic: TOPICS.commit, key: '91350100M000100Y43', event }]),
    );
    const reader = await probe.read(TOPICS.commit);
    await waitFor(() => reader.records.find((r) => eventOf(r).id === event.id), {
      message: 'the event written while the relay was idle',
    });
    await passCommitted();
    expect(reader.records.filter((r) => eventOf(r).id === event.id)).toHaveLength(1);
  });
});

/**
 * A transaction that wrote to the outbox wakes the relay when it commits (AfterCommitSubscriber on the
 * data source, as createServiceDataSource registers it): the row goes out at once, not at the relay's next
 * look, which is a minute away here.
 */
describe('Outbox: the relay woken by the commit', () => {
  const prefix = uniquePrefix();
  let db: Awaited<ReturnType<typeof createMessagingDatabase>>;
  let dataSource: DataSource;
  let bus: KafkaBus;
  let probe: KafkaProbe;
  let relay: OutboxRelay;
  let wakes = 0;
  const outbox = new Outbox(SCHEMA, undefined, () => {
    wakes += 1;
    relay.wake();
  });

  beforeAll(async () => {
    db = await createMessagingDatabase(SCHEMA, 4);
    dataSource = new DataSource({
      ...(db.dataSource.options as PostgresConnectionOptions),
      subscribers: [AfterCommitSubscriber],
    });
    await dataSource.initialize();
    bus = createKafkaBus(prefix, 'outbox-wake-test');
    await bus.ensureTopics([{ topic: TOPICS.commit, partitions: 1 }]);
    probe = new KafkaProbe(prefix);
    relay = testRelay(dataSource, bus, 60_000);
    relay.start();
    await new Promise((r) => setTimeout(r, 200)); // its first pass done: asleep for a minute
  });

  afterAll(async () => {
    await relay?.stop();
    await probe?.close();
    await bus?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.close();
  });

  const newEvent = (entryId: string) =>
    createCloudEvent({
      type: 'credit.test.happened.v1',
      source: '/test',
      subject: '91350100M000100Y43',
      data: { entryId },
    });
  const published = async (eventId: string) => {
    const reader = await probe.read(TOPICS.commit);
    return waitFor(
      () => reader.records.find((r) => (JSON.parse(r.value ?? 'null') as CloudEvent).id === eventId),
      {
        timeoutMs: 10_000,
        message: 'the event on the topic',
      },
    );
  };

  it('publishes at the commit, once a transaction (savepoints inside it included) has committed', async () => {
    const event = newEvent('woken-1');
    await dataSource.transaction(async (manager) => {
      await outbox.add(manager, [{ topic: TOPICS.commit, key: event.subject!, event }]);
      // a savepoint released inside is not the commit
      await manager.transaction(async (inner) => {
        await outbox.add(inner, [{ topic: TOPICS.commit, key: event.subject!, event: newEvent('woken-1b') }]);
      });
      expect(wakes).toBe(0);
    });
    expect(wakes).toBe(1);
    await published(event.id);
  });

  it('wakes nothing when the transaction rolls back, and the next commit starts afresh', async () => {
    const before = wakes;
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.add(manager, [
          { topic: TOPICS.commit, key: '91350100M000100Y43', event: newEvent('rolled-back') },
        ]);
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');
    expect(wakes).toBe(before);
    const event = newEvent('woken-2');
    await dataSource.transaction((manager) =>
      outbox.add(manager, [{ topic: TOPICS.commit, key: event.subject!, event }]),
    );
    expect(wakes).toBe(before + 1);
    await published(event.id);
  });

  it('runs no pass for a wake that came before the pass read the outbox, and reports none pending after it', async () => {
    await new Promise((r) => setTimeout(r, 200)); // the previous tests' passes done
    const transaction = dataSource.transaction.bind(dataSource) as (
      fn: (manager: EntityManager) => Promise<unknown>,
    ) => Promise<unknown>;
    // a commit's wake that lands as the pass begins, before its read: the read sees that commit's rows
    const passes = jest.spyOn(dataSource, 'transaction').mockImplementation(((
      fn: (manager: EntityManager) => Promise<unknown>,
    ) => {
      relay.wake();
      return transaction(fn);
    }) as typeof dataSource.transaction);
    try {
      const event = newEvent('woken-3');
      // written by an outbox that wakes no one, in a transaction of the manager's (not counted above)
      await dataSource.manager.transaction((manager) =>
        new Outbox(SCHEMA).add(manager, [{ topic: TOPICS.commit, key: event.subject!, event }]),
      );
      relay.wake();
      await published(event.id);
      await new Promise((r) => setTimeout(r, 500));
      // before: the wake inside the pass ran a second one, which found nothing (four statements)
      expect(passes).toHaveBeenCalledTimes(1);
    } finally {
      passes.mockRestore();
    }
    const metrics = await metricsRegistry.getSingleMetricAsString('messaging_outbox_pending');
    expect(metrics).toContain('messaging_outbox_pending{service="test"} 0');
  });
});

function groupByKey(items: { key: string; id: string }[]): Record<string, string[]> {
  const byKey: Record<string, string[]> = {};
  for (const { key, id } of items) (byKey[key] ??= []).push(id);
  return byKey;
}
