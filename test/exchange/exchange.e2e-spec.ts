/**
 * The exchange of documents, distributed and embedded.
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/exchange -t '<its describe>'`.
 */
import './exchange.e2e-cases';
import './exchange.embedded.e2e-cases';
