/** How reconciliation (对账) decides that something that should have happened did not. */
export interface ReconciliationOptions {
  /** how often the reconciliation job runs (ms); 0 turns the timer off (tests call the job directly) */
  intervalMs: number;
  /** a published entry whose fan-out was not announced this long after publication is a gap */
  fanOutGraceMs: number;
  /** an ended entry with an assignment still not lifted this long after the end is a gap */
  liftGraceMs: number;
  /**
   * How far before the last pass's mark each pass reads ended entries again (decision 0071): an end or an
   * issued assignment that reaches tracking this much later than the end is still found. Bounds the pass
   * to the ends of this window plus those since the last pass.
   */
  liftLookbackMs: number;
  /** working days after a lift within which the department must confirm it (解除确认) */
  liftConfirmWorkingDays: number;
  /** working days after a check hit within which the department must say what it did with it */
  checkDecisionWorkingDays: number;
}

export const RECONCILIATION_OPTIONS = Symbol('RECONCILIATION_OPTIONS');

export const DEFAULT_RECONCILIATION_OPTIONS: ReconciliationOptions = {
  intervalMs: 0,
  fanOutGraceMs: 10 * 60_000,
  liftGraceMs: 10 * 60_000,
  liftLookbackMs: 24 * 3_600_000,
  liftConfirmWorkingDays: 2,
  checkDecisionWorkingDays: 1,
};
