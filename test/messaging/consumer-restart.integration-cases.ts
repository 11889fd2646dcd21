import { KafkaBus } from '@credit/messaging';
import { createKafkaBus, testLogger, uniquePrefix, waitFor } from '../support/infra';
import { freeBrokerPort, ownBroker, OwnBroker } from '../support/own-broker';

/**
 * Decision 0050: a consumer that kafkajs leaves stopped after a crash it does not retry (a join that
 * found no coordinator on a fresh broker, an unrecoverable error in a batch) is started again by the bus,
 * instead of staying dead under a service that answers ready.
 */
describe('KafkaBus: a crashed consumer is started again', () => {
  it('after an error kafkajs does not retry (a TypeError out of the handler)', async () => {
    const prefix = uniquePrefix();
    const bus = createKafkaBus(prefix, 'opsx-consumer-restart');
    const seen: string[] = [];
    let thrown = false;
    try {
      await bus.ensureTopics([{ topic: 'credit.feedback', partitions: 1 }]);
      await bus.subscribe({
        groupId: 'restart-after-crash',
        topics: ['credit.feedback'],
        handle: async (record) => {
          const key = record.key ?? '';
          if (key === 'boom' && !thrown) {
            thrown = true;
            // kafkajs counts TypeError among the unrecoverable errors: its own restart does not happen
            throw new TypeError('a bug in a handler');
          }
          seen.push(key);
        },
      });
      await bus.publish([{ topic: 'credit.feedback', key: 'boom', value: '{}' }]);
      await waitFor(() => thrown, { timeoutMs: 30_000, message: 'the handler threw' });
      await bus.publish([{ topic: 'credit.feedback', key: 'after', value: '{}' }]);
      // the record is delivered again (its offset was never committed), then the next one
      await waitFor(() => seen.includes('after'), { timeoutMs: 60_000, message: 'consuming again' });
      expect(seen).toEqual(['boom', 'after']);
    } finally {
      await bus.close();
    }
  }, 90_000);
});

/**
 * A broker of this test's own (deploy/local/kafka.sh on another port and folder, never the shared one),
 * formatted anew: consumers join the moment it serves requests, while its group coordinator (the
 * __consumer_offsets topic) is still being created.
 */

describe('KafkaBus on a broker that has just started', () => {
  let bus: KafkaBus | undefined;
  let broker: OwnBroker | undefined;

  beforeAll(async () => {
    broker = ownBroker('opsx-fresh-broker', await freeBrokerPort(process.env.FRESH_BROKER_PORT));
    // reset: stopped, its data removed, started on an empty folder
    await broker.sh('reset');
  }, 240_000);

  afterAll(async () => {
    await bus?.close();
    await broker?.remove();
  }, 120_000);

  it('joins every group and consumes, however the first joins went', async () => {
    bus = new KafkaBus({
      brokers: [broker!.brokers],
      clientId: 'opsx-fresh-broker',
      prefix: uniquePrefix(),
      logger: testLogger(),
    });
    const topics = ['credit.list-entries', 'credit.assignments', 'credit.feedback', 'credit.tracking'];
    await bus.ensureTopics(topics.map((topic) => ({ topic, partitions: 3 })));
    const seen = new Set<string>();
    for (const [i, topic] of topics.entries())
      await bus.subscribe({
        groupId: `fresh-${i}`,
        topics: [topic],
        handle: async (record) => {
          seen.add(`${topic}|${record.key}`);
        },
      });
    await bus.publish(topics.map((topic) => ({ topic, key: 'k', value: '{}' })));
    await waitFor(() => topics.every((t) => seen.has(`${t}|k`)), {
      timeoutMs: 90_000,
      message: `every group consuming (seen: ${[...seen].join(', ')})`,
    });
  }, 150_000);
});
