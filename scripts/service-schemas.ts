import type { ServiceDatabaseOptions } from '@credit/persistence';
import type { WebhookSecretCipher } from '../apps/enforcement/src/delivery/webhook-secret-cipher';
import { ENFORCEMENT_ENTITIES, enforcementMigrations } from '../apps/enforcement/src/enforcement.module';
import { ENFORCEMENT_SCHEMA } from '../apps/enforcement/src/enforcement.tokens';
import { REGISTRY_ENTITIES, REGISTRY_MIGRATIONS } from '../apps/registry/src/registry.module';
import { REGISTRY_SCHEMA } from '../apps/registry/src/registry.tokens';
import { TRACKING_ENTITIES, TRACKING_MIGRATIONS } from '../apps/tracking/src/tracking.module';
import { TRACKING_SCHEMA } from '../apps/tracking/src/tracking.tokens';
import { TRIGGER_ENTITIES, TRIGGER_MIGRATIONS } from '../apps/trigger/src/trigger.module';
import { TRIGGER_SCHEMA } from '../apps/trigger/src/trigger.tokens';

/**
 * The four services' schemas with their entities and migrations, in the order they are migrated: by the
 * migration job (scripts/migrate.ts) and by the tests' template database (test/support/migrated-database.ts).
 * Enforcement's migrations take the webhook key's cipher (one of them encrypts the stored secrets).
 */
export function serviceSchemas(cipher: WebhookSecretCipher): Omit<ServiceDatabaseOptions, 'url'>[] {
  return [
    { schema: REGISTRY_SCHEMA, entities: REGISTRY_ENTITIES, migrations: REGISTRY_MIGRATIONS },
    { schema: TRIGGER_SCHEMA, entities: TRIGGER_ENTITIES, migrations: TRIGGER_MIGRATIONS },
    { schema: ENFORCEMENT_SCHEMA, entities: ENFORCEMENT_ENTITIES, migrations: enforcementMigrations(cipher) },
    { schema: TRACKING_SCHEMA, entities: TRACKING_ENTITIES, migrations: TRACKING_MIGRATIONS },
  ];
}
