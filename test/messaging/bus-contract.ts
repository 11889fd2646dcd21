import { DataSource } from 'typeorm';
import { CloudEvent } from '@credit/contracts';
import {
  createCloudEvent,
  EventConsumer,
  EventHandler,
  IncomingRecord,
  MessageBus,
  OutgoingRecord,
  Subscription,
} from '@credit/messaging';
import { messagesConsumed } from '@credit/platform';
import { createMessagingDatabase, testLogger, waitFor } from '../support/infra';

/**
 * The guarantees of the messaging port (libs/messaging/src/message-bus.ts), written once and run
 * against every adapter — the Kafka bus on the real broker and the in-process bus — so that the
 * embedded mode cannot drift from the distributed one. Only the port is used, the dead-letter topics
 * included (read by a consumer group of their own).
 *
 * `makeBus` returns a new bus. The tests share one; the close test closes one of its own, and only
 * uses the topics it created on it (two in-process buses are two separate worlds).
 */
export function describeBusContract(name: string, makeBus: () => MessageBus): void {
  describe(`MessageBus contract: ${name}`, () => {
    let bus: MessageBus;
    const subscriptions: Subscription[] = [];
    let topicCount = 0;
    // the buses' runs share one jest file and so one metrics registry (decision 0084): names of their own
    const run = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

    beforeAll(() => {
      bus = makeBus();
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    });

    afterAll(async () => {
      await bus?.close();
    });

    /** A new topic (and its dead-letter topic) for one test. */
    const newTopic = async (partitions: number, on: MessageBus = bus): Promise<string> => {
      topicCount += 1;
      const topic = `contract.${run}.t${topicCount}`;
      await on.ensureTopics([
        { topic, partitions },
        { topic: `${topic}.dlq`, partitions: 1 },
      ]);
      return topic;
    };

    const subscribe = async (...args: Parameters<MessageBus['subscribe']>): Promise<Subscription> => {
      const subscription = await bus.subscribe(...args);
      subscriptions.push(subscription);
      return subscription;
    };

    const valueOf = (r: IncomingRecord) => r.value?.toString('utf8') ?? '';
    const byKey = (records: IncomingRecord[]): Map<string, string[]> => {
      const keys = new Map<string, string[]>();
      for (const r of records) keys.set(r.key ?? '', [...(keys.get(r.key ?? '') ?? []), valueOf(r)]);
      return keys;
    };

    it('delivers every record once, with its key, value and headers, in order per key (concurrent publishers, large calls)', async () => {
      const topic = await newTopic(3);
      const received: IncomingRecord[] = [];
      await subscribe({
        groupId: `${topic}.reader`,
        topics: [topic],
        concurrency: 3,
        handle: async (r) => void received.push(r),
      });
      // four publishers at once, each with keys of its own: small calls one after the other, then one
      // call large enough for the Kafka adapter to split it into lanes and slices
      const sent: OutgoingRecord[][] = [[], [], [], []];
      await Promise.all(
        sent.map(async (mine, p) => {
          const keys = Array.from({ length: 6 }, (_, k) => `subject-${p}-${k}`);
          let n = 0;
          const next = (): OutgoingRecord => {
            n += 1;
            const key = keys[n % keys.length];
            return {
              topic,
              key,
              value: `${key}#${n}`,
              headers: { 'x-publisher': String(p), 'x-n': String(n) },
            };
          };
          for (let call = 0; call < 10; call += 1) {
            const records = [next(), next(), next()];
            mine.push(...records);
            await bus.publish(records);
          }
          const large = Array.from({ length: 250 }, next);
          mine.push(...large);
          await bus.publish(large);
        }),
      );
      const all = sent.flat();
      await waitFor(() => received.length >= all.length, { timeoutMs: 30_000, message: 'every record' });
      await new Promise((r) => setTimeout(r, 200)); // nothing more arrives
      expect(received).toHaveLength(all.length);

      const expected = byKey(
        all.map((r) => ({ ...r, partition: 0, offset: '0', value: Buffer.from(r.value), headers: {} })),
      );
      expect(byKey(received)).toEqual(expected);
      for (const r of received) {
        expect(r.topic).toBe(topic);
        const [key, n] = valueOf(r).split('#');
        expect(r.key).toBe(key);
        expect(r.headers).toEqual({ 'x-publisher': key.split('-')[1], 'x-n': n });
      }
      // a key has one partition; offsets grow within a partition
      const partitionOf = new Map<string, number>();
      const lastOffset = new Map<number, bigint>();
      for (const r of received) {
        expect(partitionOf.get(r.key!) ?? r.partition).toBe(r.partition);
        partitionOf.set(r.key!, r.partition);
        const offset = BigInt(r.offset);
        expect(offset > (lastOffset.get(r.partition) ?? -1n)).toBe(true);
        lastOffset.set(r.partition, offset);
      }
      expect(new Set(partitionOf.values()).size).toBe(3); // 24 keys over 3 partitions
    });

    it('gives every record to each consumer group, a group that subscribes late starting from the beginning', async () => {
      const topic = await newTopic(2);
      const publish = (from: number, to: number) =>
        bus.publish(
          Array.from({ length: to - from }, (_, i) => ({
            topic,
            key: `k${(from + i) % 5}`,
            value: `${from + i}`,
          })),
        );
      await publish(0, 30);
      const groups = { a: [] as string[], b: [] as string[] };
      await subscribe({
        groupId: `${topic}.a`,
        topics: [topic],
        handle: async (r) => void groups.a.push(valueOf(r)),
      });
      await subscribe({
        groupId: `${topic}.b`,
        topics: [topic],
        handle: async (r) => void groups.b.push(valueOf(r)),
      });
      await publish(30, 60);
      const everything = Array.from({ length: 60 }, (_, i) => `${i}`);
      // at least once: a member that lost its group under load (a missed heartbeat, a rebalance) reads
      // again from the last committed offset, so a record may come twice (CI saw it at load 20); the
      // inbox makes that harmless. What each group must have is every record.
      for (const group of [groups.a, groups.b]) {
        await waitFor(() => new Set(group).size >= 60, {
          timeoutMs: 30_000,
          message: 'every record in both groups',
        });
        expect([...new Set(group)].sort()).toEqual([...everything].sort());
      }
    });

    it('shares the partitions among the members of one group: each record goes to one member', async () => {
      const topic = await newTopic(4);
      const groupId = `${topic}.shared`;
      const seen = { a: [] as string[], b: [] as string[] };
      await subscribe({
        groupId,
        topics: [topic],
        handle: async (r) => void seen.a.push(valueOf(r)),
      });
      const b = await subscribe({
        groupId,
        topics: [topic],
        handle: async (r) => void seen.b.push(valueOf(r)),
      });
      // until both members hold partitions (Kafka assigns them in a rebalance, after subscribe resolved)
      let warmUp = 0;
      await waitFor(
        async () => {
          if (seen.a.length > 0 && seen.b.length > 0) return true;
          warmUp += 1;
          await bus.publish(
            Array.from({ length: 8 }, (_, i) => ({ topic, key: `k${i}`, value: `warm-${warmUp}` })),
          );
          await new Promise((r) => setTimeout(r, 200));
          return false;
        },
        { timeoutMs: 30_000, message: 'both members at work' },
      );
      const shared = Array.from({ length: 100 }, (_, i) => ({
        topic,
        key: `k${i % 16}`,
        value: `shared-${i}`,
      }));
      await bus.publish(shared);
      const of = (list: string[], prefix: string) => list.filter((v) => v.startsWith(prefix));
      await waitFor(() => of([...seen.a, ...seen.b], 'shared-').length >= 100, {
        timeoutMs: 30_000,
        message: 'the shared records',
      });
      await new Promise((r) => setTimeout(r, 200));
      const sharedSeen = [...of(seen.a, 'shared-'), ...of(seen.b, 'shared-')];
      expect(sharedSeen).toHaveLength(100); // none twice
      expect(new Set(sharedSeen)).toEqual(new Set(shared.map((r) => r.value)));
      expect(of(seen.a, 'shared-').length).toBeGreaterThan(0);
      expect(of(seen.b, 'shared-').length).toBeGreaterThan(0);

      // a member leaves: the other takes over its partitions
      await b.stop();
      const later = Array.from({ length: 40 }, (_, i) => ({ topic, key: `k${i % 16}`, value: `later-${i}` }));
      await bus.publish(later);
      await waitFor(() => new Set(of(seen.a, 'later-')).size === 40, {
        timeoutMs: 30_000,
        message: 'the remaining member gets every later record',
      });
      expect(of(seen.b, 'later-')).toEqual([]);
    });

    it('delivers a failed record again, holding back the rest of its partition until it succeeds', async () => {
      const topic = await newTopic(1);
      const attempts: string[] = [];
      let failures = 0;
      await subscribe({
        groupId: `${topic}.reader`,
        topics: [topic],
        handle: async (r) => {
          attempts.push(valueOf(r));
          if (valueOf(r) === 'r2' && failures < 2) {
            failures += 1;
            throw new Error('the database is busy');
          }
        },
      });
      await bus.publish(['r0', 'r1', 'r2', 'r3', 'r4'].map((value) => ({ topic, key: 'k', value })));
      await waitFor(() => attempts.includes('r4'), { timeoutMs: 30_000, message: 'the last record' });
      await new Promise((r) => setTimeout(r, 200));
      expect(attempts).toEqual(['r0', 'r1', 'r2', 'r2', 'r2', 'r3', 'r4']);
    });

    it('keeps the position of a record whose handler has not resolved: the next member of the group gets it again', async () => {
      const topic = await newTopic(1);
      const groupId = `${topic}.reader`;
      const first: string[] = [];
      const failing = await subscribe({
        groupId,
        topics: [topic],
        handle: async (r) => {
          first.push(valueOf(r));
          if (valueOf(r) === 'r1') throw new Error('cannot apply r1 yet');
        },
      });
      await bus.publish(['r0', 'r1', 'r2'].map((value) => ({ topic, key: 'k', value })));
      await waitFor(() => first.filter((v) => v === 'r1').length >= 2, {
        timeoutMs: 30_000,
        message: 'r1 failing more than once',
      });
      await failing.stop();
      expect(first.filter((v) => v !== 'r1')).toEqual(['r0']);

      const second: string[] = [];
      await subscribe({ groupId, topics: [topic], handle: async (r) => void second.push(valueOf(r)) });
      await waitFor(() => second.includes('r2'), { timeoutMs: 30_000, message: 'the rest after a restart' });
      expect(second).toEqual(['r1', 'r2']); // r0 had resolved: not delivered again
    });

    it('hands a batch handler consecutive records of one partition, in order, at most maxBatch, again from the same record after a failure', async () => {
      const topic = await newTopic(2);
      const batches: IncomingRecord[][] = [];
      const failed: IncomingRecord[][] = [];
      await subscribe({
        groupId: `${topic}.reader`,
        topics: [topic],
        maxBatch: 7,
        handle: async () => {
          throw new Error('handleBatch is given: handle is never called');
        },
        handleBatch: async (records) => {
          if (failed.length === 0 && records.some((r) => valueOf(r) === 'k3#63')) {
            failed.push(records);
            throw new Error('this batch fails once');
          }
          batches.push(records);
        },
      });
      const sent = Array.from({ length: 120 }, (_, i) => ({
        topic,
        key: `k${i % 5}`,
        value: `k${i % 5}#${i}`,
      }));
      await bus.publish(sent.slice(0, 60));
      await bus.publish(sent.slice(60));
      await waitFor(() => batches.flat().length >= sent.length, {
        timeoutMs: 30_000,
        message: 'every record',
      });
      await new Promise((r) => setTimeout(r, 200));

      const all = batches.flat();
      expect(all).toHaveLength(sent.length);
      expect(byKey(all)).toEqual(
        byKey(
          sent.map((r) => ({ ...r, partition: 0, offset: '0', value: Buffer.from(r.value), headers: {} })),
        ),
      );
      for (const batch of batches) {
        expect(batch.length).toBeLessThanOrEqual(7);
        expect(new Set(batch.map((r) => r.partition)).size).toBe(1);
        const offsets = batch.map((r) => Number(r.offset));
        expect(offsets).toEqual(offsets.map((_, i) => offsets[0] + i));
      }
      // the failed batch came back starting with the same record
      expect(failed).toHaveLength(1);
      const [failedBatch] = failed;
      const retried = batches.find(
        (b) => b[0].partition === failedBatch[0].partition && b[0].offset === failedBatch[0].offset,
      );
      expect(retried?.map(valueOf).slice(0, failedBatch.length)).toEqual(failedBatch.map(valueOf));
    });

    it('stop waits for the handler in flight, keeps its position, and nothing is delivered after', async () => {
      const topic = await newTopic(1);
      const groupId = `${topic}.reader`;
      const calls: string[] = [];
      let finished = false;
      const subscription = await subscribe({
        groupId,
        topics: [topic],
        handle: async (r) => {
          calls.push(valueOf(r));
          await new Promise((resolve) => setTimeout(resolve, 500));
          finished = true;
        },
      });
      await bus.publish(['r0', 'r1', 'r2'].map((value) => ({ topic, key: 'k', value })));
      await waitFor(() => calls.length > 0, { timeoutMs: 30_000, message: 'the first record in hand' });
      await subscription.stop();
      expect(finished).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(calls).toEqual(['r0']);

      const next: string[] = [];
      await subscribe({ groupId, topics: [topic], handle: async (r) => void next.push(valueOf(r)) });
      await waitFor(() => next.length >= 2, { timeoutMs: 30_000, message: 'the rest' });
      expect(next).toEqual(['r1', 'r2']);
    });

    it('close stops every subscription after its handler in flight', async () => {
      const own = makeBus();
      const topic = await newTopic(1, own);
      const calls: string[] = [];
      let finished = false;
      await own.subscribe({
        groupId: `${topic}.reader`,
        topics: [topic],
        handle: async (r) => {
          calls.push(valueOf(r));
          await new Promise((resolve) => setTimeout(resolve, 500));
          finished = true;
        },
      });
      await own.publish(['r0', 'r1', 'r2'].map((value) => ({ topic, key: 'k', value })));
      await waitFor(() => calls.length > 0, { timeoutMs: 30_000, message: 'the first record in hand' });
      await own.close();
      expect(finished).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(calls).toEqual(['r0']);
    });

    it('refuses to publish to a topic that was never created', async () => {
      await expect(
        bus.publish([{ topic: 'contract.never-created', key: 'k', value: 'v' }]),
      ).rejects.toThrow();
    });

    describe('with the idempotent EventConsumer over PostgreSQL', () => {
      const SCHEMA = 'svc';
      const TYPE = 'credit.test.happened.v1'; // no payload schema: any data is accepted
      let db: Awaited<ReturnType<typeof createMessagingDatabase>>;
      let dataSource: DataSource;

      beforeAll(async () => {
        db = await createMessagingDatabase(SCHEMA);
        dataSource = db.dataSource;
        // no unique key on purpose: an effect applied twice shows up as two rows
        await dataSource.query(
          `CREATE TABLE ${SCHEMA}.effects (consumer text NOT NULL, event_id text NOT NULL)`,
        );
      });

      afterAll(async () => {
        await db?.close();
      });

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
          await dataSource.query(
            `SELECT event_id FROM ${SCHEMA}.effects WHERE consumer = $1 ORDER BY event_id`,
            [consumer],
          )
        ).map((r: { event_id: string }) => r.event_id);

      /** Outcomes counted by the consumer's own metric, by kind. */
      const outcomes = async (consumer: string): Promise<Record<string, number>> => {
        const counts: Record<string, number> = {};
        for (const v of (await messagesConsumed.get()).values.filter((v) => v.labels.consumer === consumer)) {
          counts[String(v.labels.outcome)] = (counts[String(v.labels.outcome)] ?? 0) + v.value;
        }
        return counts;
      };

      it('applies a redelivered event once and dead-letters an unreadable record with its reason, then goes on (batched and single)', async () => {
        const topic = await newTopic(2);
        const names = [`${topic}.batched`, `${topic}.single`];
        for (const [i, consumerName] of names.entries()) {
          const consumer = new EventConsumer(
            {
              name: consumerName,
              topics: [topic],
              handlers: { [TYPE]: recordEffect(consumerName) },
              maxBatch: i === 0 ? 50 : 1,
            },
            {
              schema: SCHEMA,
              dataSource,
              bus,
              logger: testLogger('silent'),
              retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
            },
          );
          await consumer.start();
          subscriptions.push(consumer);
        }
        const event = (n: number): CloudEvent =>
          createCloudEvent({ type: TYPE, source: '/test', subject: 'subject-1', data: { n } });
        const [e1, e2] = [event(1), event(2)];
        const notJson = 'this is not JSON {';
        await bus.publish(
          [JSON.stringify(e1), JSON.stringify(e1), notJson, JSON.stringify(e2)].map((value) => ({
            topic,
            key: 'subject-1',
            value,
            headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
          })),
        );
        const e3 = event(3);
        // e1 once more, later (a redelivery), then e3: once e3 is applied, everything before it was handled
        await bus.publish([
          { topic, key: 'subject-1', value: JSON.stringify(e1) },
          { topic, key: 'subject-1', value: JSON.stringify(e3) },
        ]);

        for (const consumerName of names) {
          await waitFor(async () => (await effects(consumerName)).includes(e3.id), {
            timeoutMs: 30_000,
            message: `${consumerName}: the last event applied`,
          });
          // each effect once, and one inbox row per event
          expect(await effects(consumerName)).toEqual([e1.id, e2.id, e3.id].sort());
          const inbox = await dataSource.query(
            `SELECT event_id FROM ${SCHEMA}.message_inbox WHERE consumer = $1 ORDER BY event_id`,
            [consumerName],
          );
          expect(inbox.map((r: { event_id: string }) => r.event_id)).toEqual([e1.id, e2.id, e3.id].sort());
          expect(await outcomes(consumerName)).toEqual({ applied: 3, duplicate: 2, dead_lettered: 1 });
        }

        // the dead letters, read like any topic
        const letters: IncomingRecord[] = [];
        await subscribe({
          groupId: `${topic}.dlq-reader`,
          topics: [`${topic}.dlq`],
          handle: async (r) => void letters.push(r),
        });
        await waitFor(() => letters.length >= 2, {
          timeoutMs: 30_000,
          message: 'a dead letter per consumer',
        });
        await new Promise((r) => setTimeout(r, 200));
        expect(letters.map((l) => l.headers['dlq-consumer']).sort()).toEqual([...names].sort());
        for (const letter of letters) {
          expect(letter.topic).toBe(`${topic}.dlq`);
          expect(letter.key).toBe('subject-1');
          expect(valueOf(letter)).toBe(notJson);
          expect(letter.headers).toMatchObject({
            'content-type': 'application/cloudevents+json; charset=utf-8',
            'dlq-code': 'MESSAGE.MALFORMED_JSON',
            'dlq-original-topic': topic,
          });
          expect(letter.headers['dlq-reason']).toMatch(/not JSON/);
        }
      });
    });
  });
}
