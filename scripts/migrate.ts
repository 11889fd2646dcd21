/**
 * `npm run migrate` (node dist/scripts/migrate.js): applies every service's pending migrations to its own
 * schema and exits — the distributed layout's one-shot migration job (deploy/compose, deploy/kubernetes).
 * The services then start with DATABASE_MIGRATE_ON_START=false. Each schema is migrated under the same
 * advisory lock the services take, so a job and a starting replica never migrate one schema twice.
 * Env: DATABASE_URL; WEBHOOK_SECRET_KEY (one enforcement migration encrypts the webhook secrets); NODE_ENV.
 * With `--wait-for-kafka` it then waits until KAFKA_BROKERS' group coordinator answers: a fresh KRaft broker
 * serves requests before its offsets topic exists, and consumers that start then fail to join (the compose
 * stack starts the services after this job).
 */
import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { createServiceDataSource, openServiceDatabase } from '@credit/persistence';
import { configOrExit } from '@credit/runtime';
import { EnforcementConfig, enforcementSettingsOf } from '../apps/enforcement/src/config';
import { WebhookSecretCipher } from '../apps/enforcement/src/delivery/webhook-secret-cipher';
import { serviceSchemas } from './service-schemas';

async function main(): Promise<void> {
  // the enforcement config is the widest: the shared settings plus the webhook key
  const config = configOrExit('migrate', EnforcementConfig);
  const { webhooks } = enforcementSettingsOf(config);
  const cipher = new WebhookSecretCipher(webhooks.secretKey, webhooks.previousSecretKeys);
  for (const service of serviceSchemas(cipher)) {
    const started = Date.now();
    const dataSource = createServiceDataSource({
      ...service,
      url: config.DATABASE_URL,
      poolSize: 1,
      applicationName: `migrate-${service.schema}`,
    });
    try {
      await openServiceDatabase(dataSource);
      process.stdout.write(`migrate: ${service.schema} is up to date (${Date.now() - started} ms)\n`);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  }
}

/** Until a FindCoordinator for a consumer group succeeds (the offsets topic exists and has a leader). */
async function waitForGroupCoordinator(brokers: string[], timeoutMs = 120_000): Promise<void> {
  const admin = new Kafka({ clientId: 'migrate', brokers, logLevel: logLevel.NOTHING }).admin();
  const started = Date.now();
  await admin.connect();
  try {
    for (;;) {
      try {
        await admin.describeGroups(['credit.readiness']);
        process.stdout.write(`migrate: the Kafka group coordinator answers (${Date.now() - started} ms)\n`);
        return;
      } catch (err) {
        if (Date.now() - started > timeoutMs) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

main()
  .then(async () => {
    if (process.argv.includes('--wait-for-kafka')) {
      await waitForGroupCoordinator((process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','));
    }
  })
  .catch((err: Error) => {
    process.stderr.write(`migrate failed: ${err?.stack ?? err}\n`);
    process.exit(1);
  });
