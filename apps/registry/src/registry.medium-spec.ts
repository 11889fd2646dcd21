/**
 * Registry's medium tests (decision 0046), one jest file (decision 0061): the cases stay beside their
 * feature (`*.medium-cases.ts`, each a top-level describe) and run here in this order. One file makes jest
 * load NestJS, TypeORM and the services' modules once rather than once per feature, and the features that
 * use `seededRegistry` share one seeded registry (their ids are their own); the public disclosure queries,
 * which count what is in force, and the features that seed their own departments start their own.
 */
import './list-entries/list-entries.medium-cases';
import './subjects/subjects.medium-cases';
import './subjects/identifier-allow-list.medium-cases';
import './departments/register-department.medium-cases';
import './publication/acknowledge-feed.medium-cases';
import './exchange/exchange-registers.medium-cases';
import './statements/statements.medium-cases';
import './objections/objections.medium-cases';
import './repairs/repairs.medium-cases';
import './commitments/commitments.medium-cases';
import './list-types/list-types.medium-cases';
import './imports/import-list-entries.medium-cases';
import './publication/public-entries.queries.medium-cases';
import './exchange/receive-exchange-document.medium-cases';
import './record/subject-measures.handlers.medium-cases';
import './dev-sign-in/issue-dev-token.medium-cases';
