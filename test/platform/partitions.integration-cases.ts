import { logPartitionCases, trackingPartitionCases } from '../support/partition-cases';

/**
 * Decision 0056 on PostgreSQL: the monthly partitions of the check log, the access log and the trail,
 * their maintainer, assignment_removals pruning and the overdue rollup. The same cases run on PGlite in
 * the medium tier (apps/enforcement/src/enforcement.medium-spec.ts, apps/tracking/src/tracking.medium-spec.ts).
 */
logPartitionCases('pg');
trackingPartitionCases('pg');
