import { randomBytes } from 'node:crypto';
import { Admin, Consumer, Kafka, logLevel } from 'kafkajs';
import { KAFKA_BROKERS } from './infra';

export interface ReadRecord {
  /** The topic name without the test prefix. */
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface TopicReader {
  /** Every record read so far, in arrival order (which is offset order within a partition). */
  readonly records: ReadRecord[];
  close(): Promise<void>;
}

/**
 * Looks at topics with a plain kafkajs client, independent of the KafkaBus under test: reads them from
 * the beginning in a group of its own, and counts what a topic holds.
 */
export class KafkaProbe {
  private readonly kafka = new Kafka({
    clientId: 'test-probe',
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  private admin?: Promise<Admin>;
  private readonly consumers = new Set<Consumer>();

  constructor(private readonly prefix: string) {}

  /** Starts reading `topic` (unprefixed) from its first record. */
  async read(topic: string): Promise<TopicReader> {
    const records: ReadRecord[] = [];
    const consumer = this.kafka.consumer({
      groupId: `${this.prefix}probe-${randomBytes(3).toString('hex')}`,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    this.consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: this.prefix + topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          topic,
          partition,
          offset: Number(message.offset),
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]),
          ),
        });
      },
    });
    return {
      records,
      close: async () => {
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  /** How many records `topic` (unprefixed) holds, from the broker's offsets. */
  async recordCount(topic: string): Promise<number> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    const offsets = await (await this.admin).fetchTopicOffsets(this.prefix + topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await (await this.admin)?.disconnect();
  }
}
