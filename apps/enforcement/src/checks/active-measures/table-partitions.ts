import { keyHash } from '@credit/contracts';

/**
 * `enforcement.assignments` is list-partitioned by `key_partition`, murmur2 of the target at issue modulo
 * 48 (decision 0080): a Kafka partition p of a topic of n partitions, n dividing 48, holds the rows of
 * the table partitions q with q % n = p, so a replica reads only its share of the table's pages. 48 is
 * the most assignments partitions the deployment plans (decision 0055).
 */
export const ASSIGNMENT_TABLE_PARTITIONS = 48;

/** The table partition of an assignment to `targetId` (set once, at issue; an anonymised copy stays). */
export function tablePartitionOf(targetId: string): number {
  return keyHash(targetId) % ASSIGNMENT_TABLE_PARTITIONS;
}

const ALL = Array.from({ length: ASSIGNMENT_TABLE_PARTITIONS }, (_, q) => q);

/**
 * The table partitions that can hold the binding rows of the owned Kafka partitions: all of them when
 * no scope is given or the topic's count does not divide 48 (correct, read whole).
 */
export function tablePartitionsOf(scope?: { partitions: number; owned: readonly number[] }): number[] {
  if (!scope || scope.partitions <= 0 || ASSIGNMENT_TABLE_PARTITIONS % scope.partitions !== 0) return ALL;
  return ALL.filter((q) => scope.owned.includes(q % scope.partitions));
}
