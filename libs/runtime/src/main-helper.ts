import { DynamicModule } from '@nestjs/common';
import { startServiceApp } from './run-service';
import {
  checkServiceConfig,
  ConfigError,
  createRootLogger,
  loadConfig,
  ServiceConfig,
  setupTracingFromEnv,
} from '@credit/platform';

/** Parses the service's config or stops the process with a message naming the bad variables. */
export function configOrExit<T extends ServiceConfig>(name: string, schema: new () => T): T {
  try {
    return loadConfig(schema, process.env, checkServiceConfig);
  } catch (err) {
    if (err instanceof ConfigError) {
      createRootLogger(name).fatal({ problems: err.problems }, `${name}: ${err.message}`);
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

export interface ServiceMainOptions<T extends ServiceConfig> {
  name: string;
  title: string;
  configSchema: new () => T;
  modules: (config: T) => DynamicModule[];
}

/** The whole of a service's main.ts: config (or exit naming the variable), logger, app, listen. */
export function runServiceMain<T extends ServiceConfig>(options: ServiceMainOptions<T>): void {
  const config = configOrExit(options.name, options.configSchema);
  const logger = createRootLogger(options.name, config.LOG_LEVEL);
  // before the app: its request hooks are only added when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT)
  if (setupTracingFromEnv(options.name)) logger.info('traces exported over OTLP');
  startServiceApp({
    name: options.name,
    title: options.title,
    config,
    logger,
    modules: options.modules(config),
    quotaRedisUrl: config.REDIS_URL,
  }).catch((err: Error) => {
    logger.fatal({ err }, `${options.name} failed to start`);
    process.stderr.write(`${options.name} failed to start: ${err?.stack ?? err}\n`);
    process.exit(1);
  });
}

/** The database options every service module takes, from the shared config. */
export function databaseOptions(config: ServiceConfig) {
  return {
    databaseUrl: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    migrate: config.DATABASE_MIGRATE_ON_START,
  };
}
