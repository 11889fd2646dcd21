/**
 * The messaging port over Kafka and in process.
 *
 * One jest file for the area (decision 0084). The cases keep their files
 * (`*.e2e-cases.ts`, `*.integration-cases.ts`: top-level describes, each with its own platform) and run
 * here in this order, so jest loads NestJS, TypeORM, kafkajs and the services' modules once for the area
 * rather than once a file. One group alone: `npx jest test/messaging -t '<its describe>'`.
 */
import './bus-contract.in-process.integration-cases';
import './bus-contract.kafka.integration-cases';
import './consumer-restart.integration-cases';
import './dead-letters.integration-cases';
import './event-consumer.integration-cases';
import './in-process-restart.integration-cases';
import './kafka-bus.integration-cases';
import './outbox-relay.integration-cases';
import './outbox-tracing.integration-cases';
import './shutdown.integration-cases';
import './sticky-assignment.integration-cases';
