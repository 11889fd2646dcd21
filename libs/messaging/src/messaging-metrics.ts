import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { metricsRegistry } from '@credit/platform';
import { MessageBus } from './message-bus';

/**
 * What an operator watches of the messaging (issue 17, deploy/observability): read when /metrics is
 * scraped, from the broker (lag) and the service's own outbox table, so nothing is counted on the hot path.
 */
export const deadLetters = new Counter({
  name: 'messaging_dead_letters_total',
  help: 'Records parked on a dead-letter topic, by consumer, original topic and reason code',
  labelNames: ['consumer', 'topic', 'code'],
  registers: [metricsRegistry],
});

export interface LagSource {
  bus: MessageBus;
  /** the consumer group (as named in the code, without the topic prefix) */
  group: string;
  topics: string[];
}

export interface OutboxSource {
  service: string;
  schema: string;
  dataSource: DataSource;
}

const lagSources = new Set<LagSource>();
const outboxSources = new Set<OutboxSource>();

/** Gives up on a source that does not answer: a scrape must not hang on a lost broker. */
function bounded<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);
}

new Gauge({
  name: 'messaging_consumer_lag',
  help: 'Records published but not yet committed by the consumer group, per topic',
  labelNames: ['group', 'topic'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    await Promise.all(
      [...lagSources].map(async ({ bus, group, topics }) => {
        if (!bus.consumerPositions) return;
        const positions = await bounded(bus.consumerPositions(group, topics)).catch(() => undefined);
        if (!positions) return;
        const byTopic = new Map<string, number>();
        for (const p of positions) {
          const from =
            p.committed === '-1' ? Number(p.start) : Math.max(Number(p.committed), Number(p.start));
          byTopic.set(p.topic, (byTopic.get(p.topic) ?? 0) + Math.max(0, Number(p.end) - from));
        }
        for (const [topic, lag] of byTopic) this.set({ group, topic }, lag);
      }),
    );
  },
});

const outboxAge = new Gauge({
  name: 'messaging_outbox_oldest_age_seconds',
  help: 'Age of the oldest outbox row not yet published (0 when the outbox is empty)',
  labelNames: ['service'],
  registers: [metricsRegistry],
});

new Gauge({
  name: 'messaging_outbox_backlog',
  help: 'Outbox rows not yet published',
  labelNames: ['service'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    outboxAge.reset();
    await Promise.all(
      [...outboxSources].map(async ({ service, schema, dataSource }) => {
        if (!dataSource.isInitialized) return;
        const rows: { backlog: string; age: number | null }[] = await bounded(
          dataSource.query(
            `SELECT count(*) AS backlog, extract(epoch FROM now() - min(created_at))::float8 AS age
             FROM "${schema}".message_outbox`,
          ),
        ).catch(() => []);
        if (rows.length === 0) return;
        this.set({ service }, Number(rows[0].backlog));
        outboxAge.set({ service }, Math.max(0, rows[0].age ?? 0));
      }),
    );
  },
});

/** Registers what /metrics reports of one service; the returned function takes it away again. */
export function watchMessaging(outbox: OutboxSource, lags: LagSource[]): () => void {
  outboxSources.add(outbox);
  for (const l of lags) lagSources.add(l);
  return () => {
    outboxSources.delete(outbox);
    for (const l of lags) lagSources.delete(l);
  };
}
