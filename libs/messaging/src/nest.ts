import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { HealthRegistry, ROOT_LOGGER } from '@credit/platform';
import {
  createServiceDataSource,
  DatabaseProbe,
  openServiceDatabase,
  ServiceDatabaseOptions,
} from '@credit/persistence';
import { InProcessBus } from './in-process-bus';
import { KafkaBus } from './kafka-bus';
import { MessageBus } from './message-bus';
import { ServiceMessaging } from './service-messaging';
import { ensureContractTopics } from './topics-setup';

export interface KafkaBusModuleOptions {
  brokers: string[];
  clientId: string;
  prefix?: string;
  partitions: number;
  /** See KafkaBusOptions.instanceId (KAFKA_INSTANCE_ID). */
  instanceId?: string;
}

export interface InProcessBusModuleOptions {
  prefix?: string;
  /** Partitions per topic: how many keys' records a consumer group handles in parallel. */
  partitions: number;
  /** See InProcessBusOptions.retainMs. */
  retainMs?: number;
}

@Global()
@Module({})
export class BusModule implements OnApplicationShutdown {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  /** The process's bus over Kafka; creates the contract topics if missing. */
  static forKafka(options: KafkaBusModuleOptions): DynamicModule {
    return BusModule.providing(options.partitions, 'kafka', (logger) => {
      const { brokers, clientId, prefix, instanceId } = options;
      return new KafkaBus({ brokers, clientId, prefix, logger, instanceId });
    });
  }

  /**
   * The bus inside this process (embedded mode: no broker); creates the contract topics. Records live in
   * memory: the outbox relays re-publish their recent rows at start (see InProcessBus).
   */
  static forInProcess(options: InProcessBusModuleOptions): DynamicModule {
    return BusModule.providing(
      options.partitions,
      'bus',
      (logger) => new InProcessBus({ logger, prefix: options.prefix, retainMs: options.retainMs }),
    );
  }

  private static providing(
    partitions: number,
    healthName: string,
    create: (logger: Logger) => MessageBus,
  ): DynamicModule {
    return {
      module: BusModule,
      providers: [
        {
          provide: MessageBus,
          inject: [ROOT_LOGGER, HealthRegistry],
          useFactory: async (logger: Logger, health: HealthRegistry) => {
            const bus = create(logger);
            await ensureContractTopics(bus, partitions);
            health.register(healthName, () => bus.ping());
            return bus;
          },
        },
      ],
      exports: [MessageBus],
    };
  }

  /** Closed last, after every service stopped its consumers and drained its outbox. */
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

export interface ServiceInfrastructureTokens {
  dataSource: symbol;
  messaging: symbol;
}

export type ServiceInfrastructureOptions = Omit<ServiceDatabaseOptions, 'schema'> & {
  service: string;
  schema: string;
  migrate: boolean;
};

/** How often an embedded relay looks for rows without being woken (distributed: OutboxRelay's 200 ms). */
export const EMBEDDED_RELAY_IDLE_MS = 1000;

/** Each service database's readiness probe, closed with it. */
const probes = new WeakMap<DataSource, DatabaseProbe>();

/**
 * Start and stop order of one service: migrate → (handlers register consumers in onModuleInit) →
 * start consumers and relay → … → stop consumers, drain outbox → close the database.
 * Periodic jobs and buffered writers stop in `beforeApplicationShutdown` too: the database closes in
 * `onApplicationShutdown`, and a job stopping in the same hook raced it (a lost check-log batch, a hung tick).
 */
class ServiceLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: ServiceMessaging,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.messaging.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await probes.get(this.dataSource)?.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** A service's database (its own schema, migrated) and messaging, as Nest providers. */
export function serviceInfrastructureProviders(
  tokens: ServiceInfrastructureTokens,
  options: ServiceInfrastructureOptions,
): Provider[] {
  return [
    {
      provide: tokens.dataSource,
      inject: [HealthRegistry, ROOT_LOGGER],
      useFactory: async (health: HealthRegistry, logger: Logger) => {
        const dataSource = await openServiceDatabase(createServiceDataSource(options), options.migrate, {
          onWait: (err, attempt, pauseMs) =>
            logger.warn(
              { service: options.service, err: err.message, attempt, pauseMs },
              'database not ready yet; waiting for it',
            ),
        });
        const probe = new DatabaseProbe(
          dataSource,
          options.embedded ? undefined : options.url,
          `${options.service}-readiness`,
        );
        probes.set(dataSource, probe);
        health.register(`${options.service}.database`, () => probe.check());
        return dataSource;
      },
    },
    {
      provide: tokens.messaging,
      inject: [tokens.dataSource, MessageBus, ROOT_LOGGER],
      useFactory: (dataSource: DataSource, bus: MessageBus, logger: Logger) =>
        new ServiceMessaging({
          service: options.service,
          schema: options.schema,
          dataSource,
          bus,
          logger: logger.child({ service: options.service }),
          // One process writes the embedded database, and each of its commits that wrote to the outbox
          // wakes the relay: its look for rows nobody announced is only a backstop. Replicas of a
          // distributed service each publish what any of them wrote: they keep looking often.
          ...(options.embedded ? { relayIdleMs: EMBEDDED_RELAY_IDLE_MS } : {}),
        }),
    },
    {
      provide: Symbol(`${options.service}:lifecycle`),
      inject: [tokens.dataSource, tokens.messaging],
      useFactory: (dataSource: DataSource, messaging: ServiceMessaging) =>
        new ServiceLifecycle(dataSource, messaging),
    },
  ];
}
