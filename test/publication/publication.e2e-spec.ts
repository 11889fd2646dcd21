/**
 * Publication, distributed and embedded.
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/publication -t '<its describe>'`.
 */
import './publication.e2e-cases';
import './publication.embedded.e2e-cases';
