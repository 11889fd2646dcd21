import { resolve } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { EnforcementConfig, enforcementSettingsOf } from '../../enforcement/src/config';
import { EnforcementModule } from '../../enforcement/src/enforcement.module';
import {
  publicationFromConfig,
  exchangeFromConfig,
  RegistryConfig,
  retentionFromConfig,
} from '../../registry/src/config';
import { devSignInOf, RegistryModule } from '../../registry/src/registry.module';
import { TriggerConfig } from '../../trigger/src/config';
import { TrackingConfig } from '../../tracking/src/config';
import { TrackingModule } from '../../tracking/src/tracking.module';
import { TriggerModule } from '../../trigger/src/trigger.module';
import { BusModule } from '@credit/messaging';
import { EmbeddedPostgres } from '@credit/persistence';
import { checkServiceConfig, findConsoleDir, loadConfig, registerConsole } from '@credit/platform';
import { createServiceApp } from '@credit/runtime';
import { EmbeddedConfig } from './config';

export interface EmbeddedPlatform {
  app: NestFastifyApplication;
  db: EmbeddedPostgres;
  config: EmbeddedConfig;
  /** http://host:port the platform answers on */
  url: string;
  /** the database was empty at start (first start, or a new data folder) */
  firstStart: boolean;
  close(): Promise<void>;
}

/** Every setting the embedded mode reads, validated up front: a bad one stops it naming the variable. */
export function loadEmbeddedConfig(env: NodeJS.ProcessEnv = process.env) {
  return {
    embedded: loadConfig(EmbeddedConfig, env, checkServiceConfig),
    registry: loadConfig(RegistryConfig, env),
    trigger: loadConfig(TriggerConfig, env),
    tracking: loadConfig(TrackingConfig, env),
    enforcement: loadConfig(EnforcementConfig, env),
  };
}

/**
 * The whole platform in one process: the four service modules in one Nest application (one HTTP server,
 * the routes of API.md, one /docs, /health and /metrics), over an in-process database (PGlite, the same
 * entities and migrations as production) and the in-process bus, with the outbox and inbox as in
 * production. Nothing outside the process is reached: no PostgreSQL server, Kafka or Redis.
 */
export async function startEmbeddedPlatform(
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EmbeddedPlatform> {
  const { embedded: config, registry, trigger, tracking, enforcement } = loadEmbeddedConfig(env);
  const db = await EmbeddedPostgres.open({
    dataDir: config.EMBEDDED_DATA_DIR.startsWith('memory://')
      ? config.EMBEDDED_DATA_DIR
      : resolve(config.EMBEDDED_DATA_DIR),
    thread: config.EMBEDDED_DATABASE_THREAD,
    onLongWait: (waitedMs, holder) =>
      logger.warn({ waitedMs, holder }, 'still waiting for the database session (held too long?)'),
  });
  let app: NestFastifyApplication | undefined;
  try {
    const firstStart = !(await hasData(db));
    const database = { databaseUrl: 'embedded', embedded: db, migrate: true };
    app = await createServiceApp({
      name: 'embedded',
      title: 'joint reward and punishment platform (联合奖惩) — embedded',
      description: 'registry, trigger, enforcement and tracking in one process',
      config,
      logger,
      bus: BusModule.forInProcess({ partitions: config.EMBEDDED_PARTITIONS }),
      shutdownHooks: false, // close() stops the app, then the database
      modules: [
        RegistryModule.register({
          ...database,
          expiryIntervalMs: registry.LIST_ENTRY_EXPIRY_INTERVAL_MS,
          identifierPolicy: { orgCodeCheck: registry.SUBJECT_ORG_CODE_CHECK },
          retention: retentionFromConfig(registry),
          publication: publicationFromConfig(registry),
          exchange: exchangeFromConfig(registry),
          noticeMaxBackdateDays: registry.NOTICE_MAX_BACKDATE_DAYS,
          devSignIn: devSignInOf(config),
        }),
        TriggerModule.register({
          ...database,
          window: { intervalMs: trigger.MEMORANDUM_WINDOW_INTERVAL_MS },
          webhookPolicy: { allowPlainHttp: config.NODE_ENV === 'development' || config.NODE_ENV === 'test' },
        }),
        // no redisUrl: the check's cache invalidations stay in the process; one process holds the whole index
        EnforcementModule.register({ ...database, ...embeddedEnforcementSettings(enforcement) }),
        TrackingModule.register({
          ...database,
          followUp: {
            ackWorkingDays: tracking.TRACKING_ACK_WORKING_DAYS,
            escalationWorkingDays: tracking.TRACKING_ESCALATION_WORKING_DAYS,
            intervalMs: tracking.TRACKING_OVERDUE_INTERVAL_MS,
            applicationThreshold: tracking.TRACKING_APPLICATION_THRESHOLD,
          },
          trail: {
            sealIntervalMs: tracking.TRACKING_TRAIL_SEAL_INTERVAL_MS,
            settleMs: tracking.TRACKING_TRAIL_SETTLE_MS,
            partitionsIntervalMs: tracking.TRACKING_TRAIL_PARTITIONS_INTERVAL_MS,
          },
          reconciliation: {
            intervalMs: tracking.TRACKING_RECONCILE_INTERVAL_MS,
            fanOutGraceMs: tracking.TRACKING_FAN_OUT_GRACE_MS,
            liftGraceMs: tracking.TRACKING_LIFT_GRACE_MS,
            liftLookbackMs: tracking.TRACKING_LIFT_LOOKBACK_MS,
            liftConfirmWorkingDays: tracking.TRACKING_LIFT_CONFIRM_WORKING_DAYS,
            checkDecisionWorkingDays: tracking.TRACKING_CHECK_DECISION_WORKING_DAYS,
          },
        }),
      ],
    });
    // the console at / (decision 0028), when it was built (npm run console:build)
    const consoleDir = findConsoleDir(__dirname, env);
    if (consoleDir) await registerConsole(app.getHttpAdapter().getInstance(), consoleDir);
    await app.listen(config.PORT, config.HOST);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    const started = app;
    return {
      app: started,
      db,
      config,
      url: `http://${host}:${port}`,
      firstStart,
      close: async () => {
        await started.close();
        await db.close();
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
}

/** Whether the registry holds anything yet (its schema exists and has a department). */
async function hasData(db: EmbeddedPostgres): Promise<boolean> {
  return db.exclusive(async (client) => {
    const { rows } = await client.query<{ exists: boolean }>(
      `SELECT to_regclass('registry.departments') IS NOT NULL AS exists`,
    );
    if (!rows[0].exists) return false;
    const { rows: any } = await client.query('SELECT 1 FROM registry.departments LIMIT 1');
    return any.length > 0;
  });
}

/** The enforcement settings of the one process: the check's index is never split (no Kafka group). */
function embeddedEnforcementSettings(config: Parameters<typeof enforcementSettingsOf>[0]) {
  const settings = enforcementSettingsOf(config);
  return { ...settings, checkIndex: { ...settings.checkIndex, split: false } };
}
