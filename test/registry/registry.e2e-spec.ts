/**
 * Registry's cross-service tests.
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/registry -t '<its describe>'`.
 */
import './commitments.e2e-cases';
import './documents-job.e2e-cases';
import './due-process-closures.e2e-cases';
import './import.e2e-cases';
import './list-entry-lifecycle.e2e-cases';
import './objections-repairs.e2e-cases';
import './periods.e2e-cases';
import './periods.embedded.e2e-cases';
import './repair-deadlines.e2e-cases';
import './subject-journey.e2e-cases';
