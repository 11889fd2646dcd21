/**
 * The end-to-end stories, distributed and embedded.
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/e2e -t '<its describe>'`.
 */
import './acceptance-story.e2e-cases';
import './commitments-embedded.e2e-cases';
import './due-process-story.e2e-cases';
import './due-process-story.embedded.e2e-cases';
import './embedded.e2e-cases';
import './repair-story.e2e-cases';
import './walking-skeleton.e2e-cases';
