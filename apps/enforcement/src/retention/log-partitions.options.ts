/** The check log's and the access log's months, and how long deleted rows' keys are kept (decision 0056). */
export interface LogPartitionsOptions {
  /** whole months of the check log (and its decisions) kept before the current month */
  checkLogRetentionMonths: number;
  /** whole months of the access log kept before the current month */
  accessLogRetentionMonths: number;
  /** months made ahead of the current one */
  aheadMonths: number;
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
  removalsRetentionMs: 24 * 3_600_000,
  intervalMs: 6 * 3_600_000,
};
