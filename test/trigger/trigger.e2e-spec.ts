/**
 * Trigger's cross-service tests.
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/trigger -t '<its describe>'`.
 */
import './demo-catalog.e2e-cases';
import './fan-out-kill.e2e-cases';
import './fan-out.e2e-cases';
import './issued-recipe.e2e-cases';
import './list-type-classes.e2e-cases';
