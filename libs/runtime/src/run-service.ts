import { DynamicModule, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { BusModule } from '@credit/messaging';
import {
  authOptions,
  createHttpApp,
  parseTrustProxy,
  PlatformModule,
  quotaOptionsOf,
  ServiceConfig,
} from '@credit/platform';

@Module({})
class ProcessModule {}

export interface ServiceProcessOptions {
  name: string;
  title: string;
  description?: string;
  config: ServiceConfig;
  logger: Logger;
  /** The service modules hosted by this process: one in the distributed mode, four in the embedded one. */
  modules: DynamicModule[];
  /** The process's bus: Kafka from the config unless given (the embedded mode's is in-process). */
  bus?: DynamicModule;
  /** See HttpAppOptions.shutdownHooks. */
  shutdownHooks?: boolean;
  /** Redis that shares quota counts between replicas; absent: counted in this process (the embedded mode). */
  quotaRedisUrl?: string;
}

/** Composes one process: platform (auth, problems, health, metrics), the bus, and the services it hosts. */
export async function createServiceApp(options: ServiceProcessOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const root: DynamicModule = {
    module: ProcessModule,
    imports: [
      PlatformModule.forRoot({
        logger: options.logger,
        auth: authOptions(config),
        quotas: { options: quotaOptionsOf(config), redisUrl: options.quotaRedisUrl },
      }),
      options.bus ??
        BusModule.forKafka({
          brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
          clientId: options.name,
          prefix: config.KAFKA_TOPIC_PREFIX,
          partitions: config.KAFKA_PARTITIONS,
          instanceId: config.KAFKA_INSTANCE_ID || undefined,
        }),
      ...options.modules,
    ],
  };
  return createHttpApp(root, {
    title: options.title,
    description: options.description,
    logger: options.logger,
    shutdownHooks: options.shutdownHooks,
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    service: options.name,
  });
}

export async function startServiceApp(options: ServiceProcessOptions): Promise<NestFastifyApplication> {
  const app = await createServiceApp(options);
  await app.listen(options.config.PORT, options.config.HOST);
  options.logger.info({ port: options.config.PORT, docs: `/docs` }, `${options.name} listening`);
  return app;
}
