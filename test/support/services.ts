import { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { enforcementSettingsFromEnv } from '../../apps/enforcement/src/config';
import { EnforcementModule } from '../../apps/enforcement/src/enforcement.module';
import type { PublicationOptions } from '../../apps/registry/src/publication/publication.options';
import { RegistryModule } from '../../apps/registry/src/registry.module';
import { TrackingModule } from '../../apps/tracking/src/tracking.module';
import { RescreenOptions } from '../../apps/trigger/src/rescreen/rescreen-entries.job';
import { WindowOptions } from '../../apps/trigger/src/lawful/memorandum-window.job';
import { TriggerModule } from '../../apps/trigger/src/trigger.module';
import { mintToken } from '@credit/auth';
import { Role } from '@credit/contracts';
import { createRootLogger, loadConfig, ServiceConfig } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { admitDepartment } from './departments';
import { KAFKA_BROKERS, uniquePrefix } from './infra';
import { createMigratedDatabase } from './migrated-database';

export const TEST_JWT_SECRET = 'test-secret-for-e2e-0123456789';

export type ServiceName = 'registry' | 'trigger' | 'enforcement' | 'tracking';

export interface TestPlatform {
  url: Record<ServiceName, string>;
  app: Record<ServiceName, NestFastifyApplication>;
  databaseUrl: string;
  topicPrefix: string;
  token(dept: string, roles: Role[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the four services as four Nest applications (each its own HTTP server, database schema,
 * consumer groups) over the real PostgreSQL and Kafka, in a fresh database and topic namespace.
 */
export interface PlatformOptions {
  rescreen?: Partial<RescreenOptions>;
  /** the memoranda's effective-window job (default: only when a test runs it) */
  window?: Partial<WindowOptions>;
  watchListMaxPerDepartment?: number;
  /** every service's log lines to this file (at `logLevel`, default info), as a deployment writes them */
  logFile?: string;
  logLevel?: string;
  /** settings of every service beyond the test defaults (e.g. QUOTA_*) */
  env?: Record<string, string>;
  /** 公示: the public answers' cache and the feed's sequencing (issue 14) */
  publication?: Partial<PublicationOptions>;
  /** the registry's development sign-in routes (/dev/v1, decision 0028), as NODE_ENV=development has them */
  devSignIn?: boolean;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const database = await createMigratedDatabase();
  const topicPrefix = uniquePrefix();
  const config = loadConfig(ServiceConfig, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_PARTITIONS: '3',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: options.logLevel ?? process.env.TEST_LOG_LEVEL ?? (options.logFile ? 'info' : 'warn'),
    ...options.env,
  });
  const logFile = options.logFile ? pino.destination({ dest: options.logFile, sync: true }) : undefined;
  const db = { databaseUrl: database.url, poolSize: 4, migrate: true };
  const modules = {
    registry: () =>
      RegistryModule.register({
        ...db,
        expiryIntervalMs: 0,
        publication: options.publication,
        ...(options.devSignIn ? { devSignIn: { jwtSecret: TEST_JWT_SECRET } } : {}),
      }),
    trigger: () =>
      TriggerModule.register({
        ...db,
        rescreen: options.rescreen,
        window: { intervalMs: 0, ...options.window },
        webhookPolicy: { allowPlainHttp: true },
      }),
    enforcement: () =>
      EnforcementModule.register({
        ...db,
        redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        ...enforcementSettingsFromEnv(), // tests tune DELIVERY_*, CHECK_SWEEP_* … as an operator would
        ...(options.watchListMaxPerDepartment
          ? { watchListMaxPerDepartment: options.watchListMaxPerDepartment }
          : {}),
      }),
    tracking: () => TrackingModule.register(db),
  };
  const apps: NestFastifyApplication[] = [];
  const url = {} as Record<ServiceName, string>;
  const app = {} as Record<ServiceName, NestFastifyApplication>;
  try {
    for (const name of Object.keys(modules) as ServiceName[]) {
      const instance = await createServiceApp({
        name,
        title: name,
        config,
        logger: createRootLogger(name, config.LOG_LEVEL, logFile),
        modules: [modules[name]()],
        quotaRedisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      });
      await instance.listen(0, '127.0.0.1');
      apps.push(instance);
      app[name] = instance;
      url[name] = await instance.getUrl();
    }
  } catch (err) {
    await Promise.allSettled(apps.map((a) => a.close()));
    await database.drop();
    throw err;
  }
  return {
    url,
    app,
    databaseUrl: database.url,
    topicPrefix,
    token: (dept, roles, sub = `${dept.toLowerCase()}-user`) => {
      admitDepartment(apps, dept, roles);
      return mintToken({ sub, dept, roles }, TEST_JWT_SECRET);
    },
    close: async () => {
      // together: each waits out its consumers' fetch in flight (up to KafkaBus's maxWaitMs, 1 s)
      await Promise.all(apps.map((a) => a.close()));
      await database.drop();
    },
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small JSON client for the public routes. */
export async function api<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: { token?: string; body?: unknown } = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
}
