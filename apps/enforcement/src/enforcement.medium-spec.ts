import { logPartitionCases } from '../../../test/support/partition-cases';

/**
 * Enforcement's medium tests (decision 0046), one jest file (decision 0061): the cases stay beside their
 * feature (`*.medium-cases.ts`, each a top-level describe starting its own platform) and run here in this
 * order; jest loads NestJS, TypeORM and the services' modules once rather than once per feature.
 */
import './checks/checks.medium-cases';
import './checks/check.route.medium-cases';
import './inbox/inbox.queries.medium-cases';
import './inbox/record-feedback.medium-cases';
import './delivery/delivery.medium-cases';
import './watch-lists/watch-list.medium-cases';
import './checks/active-measures/binding-partitions.medium-cases';
import './checks/entry-ends.medium-cases';
import './checks/check-log-rollup.medium-cases';

/**
 * Decision 0056 on PGlite (the embedded mode runs the same migrations): the check log and the access log
 * converted to monthly partitions without losing a row, the maintainer making months ahead and dropping
 * only months past the retention, and assignment_removals pruned. The same cases run on PostgreSQL in
 * test/platform/partitions.integration-cases.ts.
 */
logPartitionCases('pglite');
