/**
 * Trigger's medium tests (decision 0046), one jest file (decision 0061): the cases stay beside their
 * feature (`*.medium-cases.ts`, each a top-level describe starting its own platform) and run here in this
 * order; jest loads NestJS, TypeORM and the services' modules once rather than once per feature.
 */
import './memoranda/memoranda.medium-cases';
import './memoranda/import-memoranda.medium-cases';
import './fan-out/measure-versions.medium-cases';
import './lawful/lawful-measures.medium-cases';
import './subscriptions/subscriptions.medium-cases';
