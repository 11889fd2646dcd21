import { Type } from 'class-transformer';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { ServiceConfig } from '@credit/platform';

export class TrackingConfig extends ServiceConfig {
  override PORT = 3004;

  /** 确认时限: working days after issue within which a department must acknowledge an assignment. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  TRACKING_ACK_WORKING_DAYS = 2;

  /** Further working days after a missed deadline before it is escalated a second time (level 2). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  TRACKING_ESCALATION_WORKING_DAYS = 3;

  /** How often the overdue job runs (ms; 0 turns it off). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  TRACKING_OVERDUE_INTERVAL_MS = 60_000;

  /** Share of its assignments a department must have acted on to count as applying (应用率). */
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  TRACKING_APPLICATION_THRESHOLD = 0.95;

  /** How often reconciliation (对账) looks for gaps (ms; 0 turns it off). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  TRACKING_RECONCILE_INTERVAL_MS = 300_000;

  /** A published entry whose fan-out was not announced this long after publication is a gap (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TRACKING_FAN_OUT_GRACE_MS = 600_000;

  /** An ended entry with an assignment not lifted this long after the end is a gap (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TRACKING_LIFT_GRACE_MS = 600_000;

  /**
   * Each reconciliation pass reads again the entries ended this long before its last pass's mark: an end
   * or an assignment that reaches tracking later than this after the end is not found (ms; decision 0071).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TRACKING_LIFT_LOOKBACK_MS = 86_400_000;

  /** Working days after a lift within which the department must confirm it. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  TRACKING_LIFT_CONFIRM_WORKING_DAYS = 2;

  /** Working days after a check hit within which the department must record what it did with it. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  TRACKING_CHECK_DECISION_WORKING_DAYS = 1;

  /** How often trail records are sealed into their entry's hash chain (ms; 0 turns it off). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  TRACKING_TRAIL_SEAL_INTERVAL_MS = 10_000;

  /** How far behind the newest events sealing stays (ms): outbox relay delays, clock disorder. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TRACKING_TRAIL_SETTLE_MS = 60_000;

  /** How often the trail's months are made ahead (ms; 0 turns it off; decision 0056). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TRACKING_TRAIL_PARTITIONS_INTERVAL_MS = 6 * 3_600_000;
}
