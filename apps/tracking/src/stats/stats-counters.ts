import { EntityManager } from 'typeorm';
import {
  Contribution,
  Counters,
  STAT_COUNTERS,
  StatCounter,
  StatsBucket,
} from '../follow-up/follow-up-state';

/** Column of each counter in tracking.stats_daily. */
export const COUNTER_COLUMNS: Record<StatCounter, string> = {
  assigned: 'assigned',
  acknowledged: 'acknowledged',
  acknowledgedOnTime: 'acknowledged_on_time',
  enforced: 'enforced',
  notApplicable: 'not_applicable',
  liftsConfirmed: 'lifts_confirmed',
  overdue: 'overdue',
  acted: 'acted',
};

/**
 * Adds `after − before` of one assignment's contribution to its daily bucket, in the caller's
 * transaction. Because a counter only ever moves by the change of a contribution, every counter equals
 * the sum of the contributions of the assignments in its bucket, whatever the order of the events.
 */
export async function addToStats(
  manager: EntityManager,
  before: Contribution | null,
  after: Contribution | null,
): Promise<void> {
  if (before && after && sameBucket(before.bucket, after.bucket)) {
    await upsert(manager, after.bucket, diff(after.counters, before.counters));
    return;
  }
  if (before) await upsert(manager, before.bucket, diff(zero(), before.counters));
  if (after) await upsert(manager, after.bucket, after.counters);
}

async function upsert(manager: EntityManager, bucket: StatsBucket, delta: Counters): Promise<void> {
  if (STAT_COUNTERS.every((c) => delta[c] === 0)) return;
  const columns = STAT_COUNTERS.map((c) => COUNTER_COLUMNS[c]);
  const key = [bucket.dept, bucket.listType, bucket.memorandumCode, bucket.day];
  const values = STAT_COUNTERS.map((c) => delta[c]);
  // update first: a negative delta must never be offered as a new row (its CHECK would refuse it)
  const [, updated] = (await manager.query(
    `UPDATE tracking.stats_daily SET ${columns.map((c, i) => `${c} = ${c} + $${i + 5}`).join(', ')}
     WHERE dept = $1 AND list_type = $2 AND memorandum_code = $3 AND day = $4`,
    [...key, ...values],
  )) as [unknown, number];
  if (updated > 0) return;
  await manager.query(
    `INSERT INTO tracking.stats_daily (dept, list_type, memorandum_code, day, ${columns.join(', ')})
     VALUES ($1, $2, $3, $4, ${columns.map((_, i) => `$${i + 5}`).join(', ')})
     ON CONFLICT (dept, list_type, memorandum_code, day) DO UPDATE SET
     ${columns.map((c) => `${c} = stats_daily.${c} + EXCLUDED.${c}`).join(', ')}`,
    [...key, ...values],
  );
}

function sameBucket(a: StatsBucket, b: StatsBucket): boolean {
  return (
    a.dept === b.dept && a.listType === b.listType && a.memorandumCode === b.memorandumCode && a.day === b.day
  );
}

function zero(): Counters {
  return Object.fromEntries(STAT_COUNTERS.map((c) => [c, 0])) as Counters;
}

function diff(a: Counters, b: Counters): Counters {
  return Object.fromEntries(STAT_COUNTERS.map((c) => [c, a[c] - b[c]])) as Counters;
}
