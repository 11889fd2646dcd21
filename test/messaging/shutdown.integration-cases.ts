import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Topics } from '@credit/contracts';
import { createCloudEvent, KafkaBus, messagingTablesLatestUp, ServiceMessaging } from '@credit/messaging';
import { createTestDatabase, KAFKA_BROKERS, testLogger, uniquePrefix } from '../support/infra';

/** Graceful shutdown: consumers stop first, then the relay drains what was committed. */
describe('ServiceMessaging shutdown', () => {
  it('publishes, on stop, events committed while the relay was idle', async () => {
    const database = await createTestDatabase();
    const prefix = uniquePrefix();
    const dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await dataSource.query('CREATE SCHEMA svc');
    for (const sql of messagingTablesLatestUp('svc')) await dataSource.query(sql);
    const bus = new KafkaBus({
      brokers: [KAFKA_BROKERS],
      clientId: 'shutdown-test',
      prefix,
      logger: testLogger(),
    });
    await bus.ensureTopics([{ topic: Topics.listEntries, partitions: 1 }]);
    // an idle relay that would not poll again for a minute
    const messaging = new ServiceMessaging({
      service: 'svc',
      schema: 'svc',
      dataSource,
      bus,
      logger: testLogger(),
      relayIdleMs: 60_000,
    });
    const kafka = new Kafka({ brokers: [KAFKA_BROKERS], logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `${prefix}reader` });
    try {
      await messaging.start();
      await new Promise((r) => setTimeout(r, 200)); // let the relay's first (empty) pass go to sleep
      const events = [1, 2, 3].map((n) =>
        createCloudEvent({ type: 'test.shutdown.v1', source: '/test', data: { n } }),
      );
      await dataSource.transaction((manager) =>
        messaging.outbox.add(
          manager,
          events.map((event) => ({ topic: Topics.listEntries, key: 'subject-1', event })),
        ),
      );
      await messaging.stop();

      const pending = await dataSource.query('SELECT count(*)::int AS n FROM svc.message_outbox');
      expect(pending[0].n).toBe(0);

      const seen: number[] = [];
      await reader.connect();
      await reader.subscribe({ topic: `${prefix}${Topics.listEntries}`, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${seen.length} events arrived`)), 20_000);
        void reader.run({
          eachMessage: async ({ message }) => {
            seen.push(JSON.parse(message.value!.toString()).data.n);
            if (seen.length === 3) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      expect(seen).toEqual([1, 2, 3]);
    } finally {
      await reader.disconnect();
      await bus.close();
      await dataSource.destroy();
      await database.drop();
    }
  });
});
