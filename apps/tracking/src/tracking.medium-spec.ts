import { trackingPartitionCases } from '../../../test/support/partition-cases';

/**
 * Tracking's medium tests (decision 0046), one jest file (decision 0061): the cases stay beside their
 * feature (`*.medium-cases.ts`, each a top-level describe starting its own platform) and run here in this
 * order; jest loads NestJS, TypeORM and the services' modules once rather than once per feature.
 */
import './follow-up/follow-up.medium-cases';
import './reports/reports.medium-cases';
import './cases/typical-cases.medium-cases';
import './reconciliation/run-reconciliation.medium-cases';

/**
 * Decision 0056 on PGlite: the trail moved into monthly partitions still verifies, stays append-only and
 * deduplicates redeliveries; the overdue rollup equals a plain count through random transitions; the
 * pass's index reads exactly what its former filter did. On PostgreSQL: test/platform/partitions.integration-cases.ts.
 */
trackingPartitionCases('pglite');
