import { trackingPartitionCases } from '../../../../test/support/partition-cases';

/**
 * Decision 0056 on PGlite: the trail moved into monthly partitions still verifies, stays append-only and
 * deduplicates redeliveries; the overdue rollup equals a plain count through random transitions; the
 * pass's index reads exactly what its former filter did. On PostgreSQL: test/platform/partitions.integration-spec.ts.
 */
trackingPartitionCases('pglite');
