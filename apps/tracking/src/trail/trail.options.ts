/** When the trail's records are sealed into their entry's hash chain (decision 0011). */
export interface TrailOptions {
  /** how often the sealing job runs (ms); 0 turns the timer off (tests call the job directly) */
  sealIntervalMs: number;
  /**
   * How far behind the newest events sealing stays (ms): covers an event committed by a service but not
   * yet relayed to Kafka, and times that are not quite in order within a partition.
   */
  settleMs: number;
  /**
   * How often the trail's months are made ahead (decision 0056; 0: never, tests run the job); the trail
   * is kept for ever, no month is dropped.
   */
  partitionsIntervalMs: number;
  /** months made ahead of the current one */
  partitionsAheadMonths: number;
}

export const TRAIL_OPTIONS = Symbol('TRAIL_OPTIONS');

export const DEFAULT_TRAIL_OPTIONS: TrailOptions = {
  sealIntervalMs: 0,
  settleMs: 0,
  partitionsIntervalMs: 0,
  partitionsAheadMonths: 3,
};
