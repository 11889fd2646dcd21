import { DataSource, EntityManager } from 'typeorm';
import { CloudEvent, EventTypes } from '@credit/contracts';
import {
  ConsumerDefinition,
  createCloudEvent,
  EventConsumer,
  EventHandler,
  KafkaBus,
  RejectedEventError,
  RetryPolicy,
  ServiceMessaging,
} from '@credit/messaging';
import { messagesConsumed } from '@credit/platform';
import { createKafkaBus, createMessagingDatabase, testLogger, uniquePrefix, waitFor } from '../support/infra';
import { KafkaProbe } from '../support/kafka-probe';

/**
 * The idempotent consumer over the real PostgreSQL and Kafka: effects and inbox rows commit together,
 * redeliveries change nothing, failures are retried with backoff, and what cannot be applied is parked
 * on `<topic>.dlq` with its reason while the consumer goes on.
 */
const SCHEMA = 'svc';
const TEST_TYPE = 'credit.test.happened.v1'; // no payload schema: every payload is accepted
const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 };
// the dead letters and retries below are expected: their warnings would only hide a real failure's output
const quietLogger = () => testLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const TOPICS = ['dedupe', 'poison', 'rejected', 'flaky', 'failing', 'refused', 'rollback', 'heard'].map(
  (t) => `consumer.${t}`,
);

describe('EventConsumer', () => {
  const prefix = uniquePrefix();
  let db: Awaited<ReturnType<typeof createMessagingDatabase>>;
  let dataSource: DataSource;
  let bus: KafkaBus;
  let probe: KafkaProbe;
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    db = await createMessagingDatabase(SCHEMA);
    dataSource = db.dataSource;
    // no unique key on purpose: an effect applied twice shows up as two rows
    await dataSource.query(`CREATE TABLE ${SCHEMA}.effects (consumer text NOT NULL, event_id text NOT NULL)`);
    bus = createKafkaBus(prefix, 'consumer-test');
    await bus.ensureTopics(
      TOPICS.flatMap((topic) => [
        { topic, partitions: 2 },
        { topic: `${topic}.dlq`, partitions: 1 },
      ]),
    );
    probe = new KafkaProbe(prefix);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await probe?.close();
    await bus?.close();
    await db?.close();
  });

  const newEvent = (data: Record<string, unknown> = {}, type = TEST_TYPE): CloudEvent =>
    createCloudEvent({ type, source: '/test', subject: 'subject-1', data });

  /** Sends records in one batch with one key, so they arrive in this order. */
  const send = (topic: string, ...values: (CloudEvent | string)[]) =>
    bus.publish(
      values.map((v) => ({ topic, key: 'subject-1', value: typeof v === 'string' ? v : JSON.stringify(v) })),
    );

  /** The handler's effect: one row, written in the consumer's transaction. */
  const recordEffect =
    (consumer: string): EventHandler =>
    async (event, { manager }) => {
      await manager.query(`INSERT INTO ${SCHEMA}.effects (consumer, event_id) VALUES ($1, $2)`, [
        consumer,
        event.id,
      ]);
    };

  const effects = async (consumer: string): Promise<string[]> =>
    (
      await dataSource.query(`SELECT event_id FROM ${SCHEMA}.effects WHERE consumer = $1 ORDER BY event_id`, [
        consumer,
      ])
    ).map((r: { event_id: string }) => r.event_id);

  const inbox = async (consumer: string): Promise<{ event_id: string; event_type: string }[]> =>
    dataSource.query(`SELECT event_id, event_type FROM ${SCHEMA}.message_inbox WHERE consumer = $1`, [
      consumer,
    ]);

  /** Outcomes counted by the consumer's own metric, by kind. */
  const outcomes = async (consumer: string): Promise<Record<string, number>> => {
    const metric = await messagesConsumed.get();
    const counts: Record<string, number> = {};
    for (const v of metric.values.filter((v) => v.labels.consumer === consumer)) {
      counts[String(v.labels.outcome)] = (counts[String(v.labels.outcome)] ?? 0) + v.value;
    }
    return counts;
  };

  const startConsumer = async (definition: ConsumerDefinition, retry: RetryPolicy = FAST_RETRY) => {
    const consumer = new EventConsumer(definition, {
      schema: SCHEMA,
      dataSource,
      bus,
      logger: quietLogger(),
      retry,
    });
    await consumer.start();
    running.push(consumer);
    return consumer;
  };

  it('applies a redelivered event once, with one inbox row', async () => {
    const name = 'svc.dedupe';
    const messaging = new ServiceMessaging({
      service: 'svc',
      schema: SCHEMA,
      dataSource,
      bus,
      logger: quietLogger(),
    });
    messaging.consume({ name, topics: ['consumer.dedupe'], handlers: { [TEST_TYPE]: recordEffect(name) } });
    await messaging.start();
    running.push(messaging);

    const event = newEvent({ n: 1 });
    await send('consumer.dedupe', event);
    await send('consumer.dedupe', event); // the same CloudEvent id again: a redelivery

    await waitFor(
      async () => {
        const seen = await outcomes(name);
        return seen.applied === 1 && seen.duplicate === 1;
      },
      { message: 'both deliveries handled' },
    );
    expect(await effects(name)).toEqual([event.id]);
    expect(await inbox(name)).toEqual([{ event_id: event.id, event_type: TEST_TYPE }]);
  });

  it('hears each valid event before its transaction, a redelivery too; a failing hook holds nothing up', async () => {
    const name = 'svc.heard';
    const order: string[] = [];
    const n = (event: CloudEvent<unknown>) => String((event.data as { n: number }).n);
    const apply = recordEffect(name);
    await startConsumer({
      name,
      topics: ['consumer.heard'],
      handlers: {
        [TEST_TYPE]: async (event, context) => {
          await apply(event, context);
          order.push(`applied ${n(event)}`);
        },
      },
      heard: {
        [TEST_TYPE]: (event) => {
          order.push(`heard ${n(event)}`);
          if (n(event) === '2') throw new Error('a hook that fails');
        },
      },
    });
    const one = newEvent({ n: 1 });
    const two = newEvent({ n: 2 });
    await send('consumer.heard', one, 'not json', two, one); // the last: a redelivery of the first

    await waitFor(
      async () => {
        const seen = await outcomes(name);
        return seen.applied === 2 && seen.duplicate === 1 && seen.dead_lettered === 1;
      },
      { message: 'every record handled' },
    );
    expect(await effects(name)).toEqual([one.id, two.id].sort());
    // each heard before it is applied; the unreadable record never heard; the redelivery heard, not applied
    expect(order.filter((o) => o.startsWith('heard'))).toEqual(['heard 1', 'heard 2', 'heard 1']);
    expect(order.indexOf('heard 1')).toBeLessThan(order.indexOf('applied 1'));
    expect(order.indexOf('heard 2')).toBeLessThan(order.indexOf('applied 2'));
    expect(order.filter((o) => o.startsWith('applied'))).toEqual(['applied 1', 'applied 2']);
  });

  it('dead-letters malformed, badly enveloped and schema-violating records, then goes on', async () => {
    const name = 'svc.poison';
    await startConsumer({
      name,
      topics: ['consumer.poison'],
      handlers: { [TEST_TYPE]: recordEffect(name), [EventTypes.listEntryPublished]: recordEffect(name) },
    });
    const notJson = 'this is not JSON {';
    const badEnvelope = JSON.stringify({ hello: 'world' });
    const badPayload = newEvent(
      {
        listType: { code: 'SAMR-SERIOUS-ILLEGAL', colour: 'black' },
        ownerDept: 'SAMR',
        subject: { kind: 'legal_person', id: '91350100M000100Y43' },
        relatedPersons: [],
        decision: { documentNo: '市监罚〔2024〕12号', date: '2024-02-01' },
        period: { from: '2024-03-01T00:00:00Z', to: '2027-03-01T00:00:00Z' },
        publishedAt: '2024-03-01T08:00:00Z',
      }, // no entryId
      EventTypes.listEntryPublished,
    );
    // a shape class-transformer used to throw on while copying it (the consumer then retried it for ever)
    const unreadable = newEvent(
      { ...(badPayload.data as object), entryId: { constructor: 'x' } },
      EventTypes.listEntryPublished,
    );
    const valid = newEvent({ n: 2 });

    await send('consumer.poison', notJson, badEnvelope, badPayload, unreadable, valid);

    await waitFor(async () => (await effects(name)).includes(valid.id), {
      message: 'the valid event applied',
    });
    const dlq = await probe.read('consumer.poison.dlq');
    await waitFor(() => dlq.records.length >= 4, { message: 'four dead letters' });

    expect(dlq.records.map((r) => r.headers['dlq-code'])).toEqual([
      'MESSAGE.MALFORMED_JSON',
      'MESSAGE.INVALID_ENVELOPE',
      'MESSAGE.INVALID_PAYLOAD',
      'MESSAGE.INVALID_PAYLOAD',
    ]);
    expect(dlq.records.map((r) => r.value)).toEqual([
      notJson,
      badEnvelope,
      JSON.stringify(badPayload),
      JSON.stringify(unreadable),
    ]);
    expect(dlq.records[0].headers['dlq-reason']).toMatch(/not JSON/);
    expect(dlq.records[1].headers['dlq-reason']).toMatch(/attributes missing or wrong: specversion, id/);
    expect(dlq.records[2].headers['dlq-reason']).toMatch(/^entryId: /);
    expect(dlq.records[3].headers['dlq-reason']).toMatch(/^entryId: must be string/);
    for (const record of dlq.records) {
      expect(record.key).toBe('subject-1');
      expect(record.headers).toMatchObject({ 'dlq-consumer': name, 'dlq-original-topic': 'consumer.poison' });
    }
    expect(await effects(name)).toEqual([valid.id]);
    expect((await inbox(name)).map((r) => r.event_id)).toEqual([valid.id]);
    expect(await outcomes(name)).toEqual({ dead_lettered: 4, applied: 1 });
  });

  it('dead-letters at once, with its code, an event the handler rejects', async () => {
    const name = 'svc.rejected';
    const attempts = new Map<string, number>();
    await startConsumer({
      name,
      topics: ['consumer.rejected'],
      handlers: {
        [TEST_TYPE]: async (event, context) => {
          attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
          if ((event.data as { assignmentId?: string }).assignmentId === 'unknown') {
            throw new RejectedEventError(
              'FEEDBACK.UNKNOWN_ASSIGNMENT',
              'no assignment unknown for this department',
            );
          }
          await recordEffect(name)(event, context);
        },
      },
    });
    const rejected = newEvent({ assignmentId: 'unknown' });
    const accepted = newEvent({ assignmentId: 'known' });

    await send('consumer.rejected', rejected, accepted);

    await waitFor(async () => (await effects(name)).includes(accepted.id), {
      message: 'the accepted event applied',
    });
    const dlq = await probe.read('consumer.rejected.dlq');
    const [letter] = await waitFor(() => (dlq.records.length > 0 ? dlq.records : undefined), {
      message: 'the dead letter',
    });
    expect(letter.headers['dlq-code']).toBe('FEEDBACK.UNKNOWN_ASSIGNMENT');
    expect(letter.headers['dlq-reason']).toBe('no assignment unknown for this department');
    expect(JSON.parse(letter.value ?? '').id).toBe(rejected.id);
    expect(attempts.get(rejected.id)).toBe(1); // no retries
    expect((await inbox(name)).map((r) => r.event_id)).toEqual([accepted.id]);
  });

  it('retries a failing handler with backoff and applies the event once when it succeeds', async () => {
    const name = 'svc.flaky';
    const attemptTimes: number[] = [];
    await startConsumer({
      name,
      topics: ['consumer.flaky'],
      handlers: {
        [TEST_TYPE]: async (event, context) => {
          attemptTimes.push(Date.now());
          if (attemptTimes.length <= 2) throw new Error('the downstream table is busy');
          await recordEffect(name)(event, context);
        },
      },
    });
    const event = newEvent({ n: 3 });

    await send('consumer.flaky', event);

    await waitFor(async () => (await outcomes(name)).applied === 1, { message: 'the event applied' });
    expect(attemptTimes).toHaveLength(3);
    // the waits double: at least 20 ms, then at least 40 ms
    expect(attemptTimes[1] - attemptTimes[0]).toBeGreaterThanOrEqual(FAST_RETRY.baseDelayMs - 1);
    expect(attemptTimes[2] - attemptTimes[1]).toBeGreaterThanOrEqual(2 * FAST_RETRY.baseDelayMs - 1);
    expect(await effects(name)).toEqual([event.id]);
    expect(await inbox(name)).toHaveLength(1);
    expect(await probe.recordCount('consumer.flaky.dlq')).toBe(0);
  });

  it('dead-letters an event whose handler keeps failing after the last attempt', async () => {
    const name = 'svc.failing';
    let calls = 0;
    await startConsumer({
      name,
      topics: ['consumer.failing'],
      handlers: {
        [TEST_TYPE]: async (event, context) => {
          if ((event.data as { broken?: boolean }).broken) {
            calls += 1;
            throw new Error('cannot map this measure');
          }
          await recordEffect(name)(event, context);
        },
      },
    });
    const broken = newEvent({ broken: true });
    const next = newEvent({ broken: false });

    await send('consumer.failing', broken, next);

    await waitFor(async () => (await effects(name)).includes(next.id), { message: 'the next event applied' });
    const dlq = await probe.read('consumer.failing.dlq');
    const [letter] = await waitFor(() => (dlq.records.length > 0 ? dlq.records : undefined), {
      message: 'the dead letter',
    });
    expect(calls).toBe(FAST_RETRY.attempts);
    expect(letter.headers['dlq-code']).toBe('MESSAGE.HANDLER_FAILED');
    expect(letter.headers['dlq-reason']).toBe(`failed ${FAST_RETRY.attempts} times: cannot map this measure`);
    expect((await inbox(name)).map((r) => r.event_id)).toEqual([next.id]);
  });

  it('dead-letters at once an event with a value the database refuses, blaming no neighbour in its batch', async () => {
    const name = 'svc.refused';
    const alone: string[] = [];
    // the JSON text as PostgreSQL reads it: an escaped NUL is SQLSTATE 22P05 on every attempt
    const asJsonb = (events: CloudEvent[], manager: EntityManager) =>
      manager.query(`SELECT unnest($1::text[])::jsonb`, [events.map((e) => JSON.stringify(e.data))]);
    await startConsumer({
      name,
      topics: ['consumer.refused'],
      handlers: {
        [TEST_TYPE]: async (event, context) => {
          alone.push(event.id);
          await asJsonb([event], context.manager);
          await recordEffect(name)(event, context);
        },
      },
      // a run applied at once: its failure names the run's first event, whichever is at fault
      batchHandlers: {
        [TEST_TYPE]: async (run, context) => {
          await asJsonb(
            run.map((r) => r.event),
            context.manager,
          );
          for (const r of run) await recordEffect(name)(r.event, { ...context, record: r.record });
        },
      },
    });
    const first = newEvent({ detail: 'fine' });
    const refused = newEvent({ detail: 'a \u0000 here' });
    const last = newEvent({ detail: 'fine too' });

    await send('consumer.refused', first, refused, last);

    await waitFor(async () => (await effects(name)).length === 2, { message: 'the other two applied' });
    const dlq = await probe.read('consumer.refused.dlq');
    const [letter] = await waitFor(() => (dlq.records.length > 0 ? dlq.records : undefined), {
      message: 'the dead letter',
    });
    expect(letter.headers['dlq-code']).toBe('MESSAGE.HANDLER_FAILED');
    expect(letter.headers['dlq-reason']).toMatch(/^the database refused a value \(SQLSTATE 22P05\): /);
    // tried once on its own, not FAST_RETRY.attempts times
    expect(alone.filter((id) => id === refused.id)).toHaveLength(1);
    expect(await effects(name)).toEqual([first.id, last.id].sort());
    expect(dlq.records).toHaveLength(1);
  });

  it('rolls a failed attempt back together with its inbox row, so the retry applies the effect once', async () => {
    const name = 'svc.rollback';
    let attempt = 0;
    let seenAtRetry: { effects: string[]; inbox: unknown[] } | undefined;
    await startConsumer({
      name,
      topics: ['consumer.rollback'],
      handlers: {
        [TEST_TYPE]: async (event, context) => {
          attempt += 1;
          if (attempt === 2) {
            // what another connection sees of the first attempt: nothing
            seenAtRetry = { effects: await effects(name), inbox: await inbox(name) };
          }
          await recordEffect(name)(event, context);
          if (attempt === 1) throw new Error('failed after writing the effect');
        },
      },
    });
    const event = newEvent({ n: 4 });

    await send('consumer.rollback', event);

    await waitFor(async () => (await outcomes(name)).applied === 1, { message: 'the event applied' });
    expect(attempt).toBe(2);
    expect(seenAtRetry).toEqual({ effects: [], inbox: [] });
    expect(await effects(name)).toEqual([event.id]);
    expect(await inbox(name)).toEqual([{ event_id: event.id, event_type: TEST_TYPE }]);
  });
});
