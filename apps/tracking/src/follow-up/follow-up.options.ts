/** How tracking follows deadlines up and counts application (resolved from TrackingModuleOptions). */
export interface FollowUpOptions {
  /** 确认时限: working days after issue within which a department must acknowledge */
  ackWorkingDays: number;
  /** further working days after a missed deadline before the second escalation (level 2) */
  escalationWorkingDays: number;
  /** how often the overdue job runs (ms); 0 turns the timer off (tests call the job directly) */
  intervalMs: number;
  /** share of its assignments a department must have acted on to count as applying (default 0.95) */
  applicationThreshold: number;
}

export const FOLLOW_UP_OPTIONS = Symbol('FOLLOW_UP_OPTIONS');

export const DEFAULT_FOLLOW_UP_OPTIONS: FollowUpOptions = {
  ackWorkingDays: 2,
  escalationWorkingDays: 3,
  intervalMs: 0,
  applicationThreshold: 0.95,
};
