/**
 * The check log's days (decision 0071) and the access log's months (0056), and how long deleted rows'
 * keys are kept.
 */
export interface LogPartitionsOptions {
  /** months of the check log (and its decisions) kept before the current day: older days are dropped */
  checkLogRetentionMonths: number;
  /** whole months of the access log kept before the current month */
  accessLogRetentionMonths: number;
  /** months of the access log made ahead of the current one */
  aheadMonths: number;
  /** days of the check log made ahead of the current one (more than the passes' interval) */
  aheadDays: number;
  /** how long a deleted assignment's keys stay in `assignment_removals` for the backstop */
  removalsRetentionMs: number;
  /** how often the maintainer runs (0: never; tests run it themselves); it also runs at start-up */
  intervalMs: number;
}

export const LOG_PARTITIONS_OPTIONS = Symbol('LOG_PARTITIONS_OPTIONS');

export const DEFAULT_LOG_PARTITIONS_OPTIONS: LogPartitionsOptions = {
  // five years, as personal data of ended entries (RETENTION_*_DAYS, decision 0021)
  checkLogRetentionMonths: 60,
  accessLogRetentionMonths: 60,
  aheadMonths: 3,
  aheadDays: 7,
  removalsRetentionMs: 24 * 3_600_000,
  intervalMs: 6 * 3_600_000,
};
