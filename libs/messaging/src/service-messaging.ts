import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ConsumerDefinition, EventConsumer, RetryPolicy } from './event-consumer';
import { MessageBus } from './message-bus';
import { watchMessaging } from './messaging-metrics';
import { Outbox, OutboxPayloadCache, OutboxRelay } from './outbox';

export interface ServiceMessagingOptions {
  service: string;
  schema: string;
  dataSource: DataSource;
  bus: MessageBus;
  logger: Logger;
  retry?: RetryPolicy;
  relayIdleMs?: number;
}

/**
 * A service's messaging: its outbox (written in its transactions), the relay that publishes it, and its
 * idempotent consumers. Started after the database is migrated; stopped before the database is closed:
 * consumers first (stop taking work, finish the record in hand), then the relay drains.
 */
export class ServiceMessaging {
  readonly outbox: Outbox;
  readonly relay: OutboxRelay;
  private readonly consumers: EventConsumer[] = [];
  private started = false;
  private unwatch?: () => void;

  constructor(private readonly options: ServiceMessagingOptions) {
    // the relay publishes what this process wrote from memory instead of reading it back
    const cache = new OutboxPayloadCache();
    // a transaction that wrote to the outbox wakes the relay when it commits
    this.outbox = new Outbox(options.schema, cache, () => this.relay.wake());
    this.relay = new OutboxRelay({
      cache,
      service: options.service,
      schema: options.schema,
      dataSource: options.dataSource,
      bus: options.bus,
      logger: options.logger.child({ component: 'outbox-relay' }),
      idleMs: options.relayIdleMs,
    });
  }

  consume<K extends string, B extends string = never>(definition: ConsumerDefinition<K, B>): EventConsumer {
    const consumer = new EventConsumer(definition, {
      schema: this.options.schema,
      dataSource: this.options.dataSource,
      bus: this.options.bus,
      logger: this.options.logger.child({ component: 'consumer', consumer: definition.name }),
      retry: this.options.retry,
      // no wake here: an effect that wrote to the outbox woke the relay as it committed (Outbox)
    });
    this.consumers.push(consumer);
    return consumer;
  }

  /** The consumer groups this service runs and the topics each reads (what deploy/topics.md lists). */
  get consumerGroups(): { group: string; topics: string[] }[] {
    return this.consumers.map((c) => ({ group: c.name, topics: [...c.topics] }));
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.relay.start();
    const { service, schema, dataSource, bus } = this.options;
    this.unwatch = watchMessaging(
      { service, schema, dataSource },
      this.consumers.map((c) => ({ bus, group: c.name, topics: c.topics })),
    );
    await Promise.all(this.consumers.map((c) => c.start()));
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.unwatch?.();
    const log = this.options.logger.child({ component: 'shutdown' });
    log.info({ consumers: this.consumers.map((c) => c.name) }, 'stopping consumers');
    await Promise.all(this.consumers.map((c) => c.stop()));
    await this.relay.stop();
    log.info('consumers stopped and outbox drained');
  }
}
