import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import { createRootLogger, loadConfig, ServiceConfig } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { RegistryModule } from '../../apps/registry/src/registry.module';
import { admitDepartment } from './departments';
import { KAFKA_BROKERS, uniquePrefix } from './infra';
import { createMigratedDatabase } from './migrated-database';
import { TEST_JWT_SECRET } from './services';

export interface RegistryUnderTest {
  app: NestFastifyApplication;
  url: string;
  databaseUrl: string;
  topicPrefix: string;
  token(dept: string, roles: Role[]): Promise<string>;
  close(): Promise<void>;
}

/** The registry alone, over real PostgreSQL and Kafka, with its expiry job driven by the test. */
export async function startRegistry(
  options: { orgCodeCheck?: 'flag' | 'reject' } = {},
): Promise<RegistryUnderTest> {
  const database = await createMigratedDatabase();
  const topicPrefix = uniquePrefix();
  const config = loadConfig(ServiceConfig, {
    DATABASE_URL: database.url,
    KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_PARTITIONS: '3',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  });
  const app = await createServiceApp({
    name: 'registry',
    title: 'registry',
    config,
    logger: createRootLogger('registry', config.LOG_LEVEL),
    modules: [
      RegistryModule.register({
        databaseUrl: database.url,
        poolSize: 5,
        expiryIntervalMs: 0,
        identifierPolicy: { orgCodeCheck: options.orgCodeCheck ?? 'flag' },
      }),
    ],
  });
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: await app.getUrl(),
    databaseUrl: database.url,
    topicPrefix,
    token: (dept, roles) => {
      admitDepartment([app], dept, roles);
      return mintToken({ sub: `${dept.toLowerCase()}-user`, dept, roles }, TEST_JWT_SECRET);
    },
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
