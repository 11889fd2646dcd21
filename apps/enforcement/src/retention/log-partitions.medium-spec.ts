import { logPartitionCases } from '../../../../test/support/partition-cases';

/**
 * Decision 0056 on PGlite (the embedded mode runs the same migrations): the check log and the access log
 * converted to monthly partitions without losing a row, the maintainer making months ahead and dropping
 * only months past the retention, and assignment_removals pruned. The same cases run on PostgreSQL in
 * test/platform/partitions.integration-spec.ts.
 */
logPartitionCases('pglite');
