import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The operator's view of the dead-letter topics (`<topic>.dlq`, one partition each): list what is parked
 * and why, and replay one record to its original topic once the cause is fixed (docs/runbook.md). The
 * replayed record is the original (same key, value, headers but the dlq-* ones): every group on the topic
 * receives it again, and the inbox of a group that had applied it skips it.
 */
export interface DeadLetter {
  /** `<dead-letter topic>@<offset>`, without the topic prefix */
  id: string;
  topic: string;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  originalTopic: string;
  consumer: string;
  code: string;
  reason: string;
  failedAt: string;
}

export interface DeadLetterToolOptions {
  brokers: string[];
  prefix?: string;
  /** the contract topics whose dead letters to read */
  topics: readonly string[];
}

export class DeadLetterTool {
  private readonly kafka: Kafka;
  private readonly prefix: string;

  constructor(private readonly options: DeadLetterToolOptions) {
    this.kafka = new Kafka({
      clientId: 'dead-letters',
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
    });
    this.prefix = options.prefix ?? '';
  }

  /** Every dead letter still kept by the broker, oldest first per topic. */
  async list(): Promise<DeadLetter[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const targets: { name: string; high: number; low: number }[] = [];
    for (const topic of this.options.topics) {
      const name = `${this.prefix}${topic}.dlq`;
      if (!existing.has(name)) continue;
      const [p] = await admin.fetchTopicOffsets(name);
      if (Number(p.high) > Number(p.low)) targets.push({ name, high: Number(p.high), low: Number(p.low) });
    }
    if (targets.length === 0) {
      await admin.disconnect();
      return [];
    }
    // a group of its own, read from the start and then deleted: the tool leaves no position behind
    const groupId = `${this.prefix}dead-letters-cli-${randomBytes(4).toString('hex')}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    const letters: DeadLetter[] = [];
    const remaining = new Map(targets.map((t) => [t.name, t.high]));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: targets.map((t) => t.name), fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('reading the dead-letter topics took over 30 s')),
          30_000,
        );
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic, message }) => {
              const headers = Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [
                  k,
                  String(Array.isArray(v) ? v[0] : v),
                ]),
              );
              const bare = topic.slice(this.prefix.length);
              letters.push({
                id: `${bare}@${message.offset}`,
                topic: bare,
                offset: message.offset,
                key: message.key?.toString('utf8') ?? null,
                value: message.value,
                headers,
                originalTopic: headers['dlq-original-topic'] ?? bare.replace(/\.dlq$/, ''),
                consumer: headers['dlq-consumer'] ?? '',
                code: headers['dlq-code'] ?? '',
                reason: headers['dlq-reason'] ?? '',
                failedAt: headers['dlq-failed-at'] ?? '',
              });
              if (Number(message.offset) + 1 >= (remaining.get(topic) ?? 0)) remaining.delete(topic);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
    return letters;
  }

  /** Publishes the dead letter `id` again to its original topic; returns what was replayed. */
  async replay(id: string): Promise<DeadLetter> {
    const letter = (await this.list()).find((l) => l.id === id);
    if (!letter) throw new Error(`no dead letter ${id} (see: list)`);
    const headers = Object.fromEntries(Object.entries(letter.headers).filter(([k]) => !k.startsWith('dlq-')));
    const producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({
        topic: `${this.prefix}${letter.originalTopic}`,
        acks: -1,
        messages: [
          { key: letter.key, value: letter.value, headers: { ...headers, 'dlq-replayed-from': letter.id } },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    return letter;
  }
}
