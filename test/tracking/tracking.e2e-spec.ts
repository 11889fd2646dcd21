/**
 * Tracking's cross-service and PostgreSQL tests.
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/tracking -t '<its describe>'`.
 */
import './due-process-closures.integration-cases';
import './due-process.integration-cases';
import './follow-up.e2e-cases';
import './reconciliation-watermark.integration-cases';
import './reconciliation.e2e-cases';
import './suspension.e2e-cases';
import './trail-opaque.e2e-cases';
import './trail-tamper.e2e-cases';
import './typical-cases.e2e-cases';
import './typical-cases.embedded.e2e-cases';
