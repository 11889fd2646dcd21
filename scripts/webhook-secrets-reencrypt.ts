/**
 * npm run webhook-secrets:reencrypt (node dist/scripts/webhook-secrets-reencrypt.js in an image): moves
 * every stored webhook signing secret to the current WEBHOOK_SECRET_KEY, reading the old rows with the
 * keys of WEBHOOK_SECRET_KEY_PREVIOUS (decision 0051, docs/runbook.md "Rotating the webhook key").
 * Env: DATABASE_URL, WEBHOOK_SECRET_KEY, WEBHOOK_SECRET_KEY_PREVIOUS, NODE_ENV. Safe to run while the
 * services run, and twice at once. Exit 0 when no row is left under another key; 1 otherwise.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { configOrExit } from '@credit/runtime';
import { EnforcementConfig, enforcementSettingsOf } from '../apps/enforcement/src/config';
import { WebhookSecretCipher } from '../apps/enforcement/src/delivery/webhook-secret-cipher';
import { WebhookSecretReencryption } from '../apps/enforcement/src/delivery/webhook-secret-reencryption';

async function main(): Promise<void> {
  const config = configOrExit('webhook-secrets-reencrypt', EnforcementConfig);
  const { webhooks } = enforcementSettingsOf(config);
  const cipher = new WebhookSecretCipher(webhooks.secretKey, webhooks.previousSecretKeys);
  const db = new DataSource({
    type: 'postgres',
    url: config.DATABASE_URL,
    poolSize: 1,
    applicationName: 'webhook-secrets-reencrypt',
  });
  await db.initialize();
  try {
    const report = await new WebhookSecretReencryption(db, cipher).run();
    process.stdout.write(
      `webhook secrets: ${report.reencrypted} re-encrypted to key ${cipher.keyId}; ${report.remaining} left under another key` +
        (report.unreadable.length > 0
          ? `; opened by no configured key: ${report.unreadable.join(', ')}`
          : '') +
        '\n',
    );
    if (report.remaining > 0) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`webhook-secrets-reencrypt: ${err.message}\n`);
  process.exit(1);
});
