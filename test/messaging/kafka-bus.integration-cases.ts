import { createKafkaBus, uniquePrefix, waitFor } from '../support/infra';
import { KafkaProbe } from '../support/kafka-probe';

/** Large publishes go out in concurrent lanes and size-bounded slices: every key must keep its order. */
describe('KafkaBus.publish', () => {
  it('keeps the order of every key in a large batch (lanes and slices)', async () => {
    const prefix = uniquePrefix();
    const bus = createKafkaBus(prefix);
    const probe = new KafkaProbe(prefix);
    try {
      await bus.ensureTopics([{ topic: 'credit.assignments', partitions: 3 }]);
      const reader = await probe.read('credit.assignments');
      const keys = Array.from({ length: 17 }, (_, i) => `subject-${i}`);
      const padding = 'x'.repeat(900); // ~3,000 records of ~1 KB: several slices per lane
      const records = Array.from({ length: 3000 }, (_, n) => ({
        topic: 'credit.assignments',
        key: keys[n % keys.length],
        value: JSON.stringify({ n, padding }),
      }));
      await bus.publish(records);
      await waitFor(() => reader.records.length >= records.length, {
        timeoutMs: 30_000,
        message: 'all records',
      });
      expect(reader.records).toHaveLength(records.length);
      for (const key of keys) {
        const sent = records.filter((r) => r.key === key).map((r) => JSON.parse(r.value).n);
        const received = reader.records.filter((r) => r.key === key).map((r) => JSON.parse(r.value!).n);
        expect(received).toEqual(sent);
      }
    } finally {
      await probe.close();
      await bus.close();
    }
  });
});
