/**
 * The platform's cross-cutting tests (access, recovery, operations).
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/platform -t '<its describe>'`.
 *
 * The light groups first, those that run service processes, their own brokers or a load last: this
 * file starts while the compose stack's test may still run its timed steps (test/support/test-sequencer.js),
 * which should not share the two cores with a SIGKILL under load.
 */
import './deploy-manifests.integration-cases';
import './jwks.integration-cases';
import './kafka-healthcheck.integration-cases';
import './quota-store.integration-cases';
import './database-probe.integration-cases';
import './database-wait.integration-cases';
import './partitions.integration-cases';
import './access-log.e2e-cases';
import './department-tokens.e2e-cases';
import './observability.e2e-cases';
import './tracing.e2e-cases';
import './retention.e2e-cases';
import './route-access.e2e-cases';
import './fuzz.e2e-cases';
import './poisoned-consumers.e2e-cases';
import './service-process.e2e-cases';
import './broker-restart.e2e-cases';
import './recovery.e2e-cases';
