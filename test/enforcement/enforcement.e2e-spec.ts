/**
 * Enforcement's cross-service and PostgreSQL tests.
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/enforcement -t '<its describe>'`.
 */
import './assignments-partitions-migration.integration-cases';
import './check-backstop.e2e-cases';
import './check-index-split.integration-cases';
import './check-log-poison.integration-cases';
import './check-subjects-by-day-migration.integration-cases';
import './check-without-redis.e2e-cases';
import './entry-ends.e2e-cases';
import './entry-ends-locks.integration-cases';
import './entry-partitions-migration.integration-cases';
import './inbox.e2e-cases';
import './measure-queries.integration-cases';
import './push-delivery.e2e-cases';
import './quotas.e2e-cases';
import './webhook-secret-rotation.integration-cases';
import './webhook-secrets-migration.integration-cases';
