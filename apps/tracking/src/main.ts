import 'reflect-metadata';
import { databaseOptions, runServiceMain } from '@credit/runtime';
import { TrackingConfig } from './config';
import { TrackingModule } from './tracking.module';

runServiceMain({
  name: 'tracking',
  title: 'tracking — 跟踪问效 (tracking and supervision)',
  configSchema: TrackingConfig,
  modules: (config) => [
    TrackingModule.register({
      ...databaseOptions(config),
      followUp: {
        ackWorkingDays: config.TRACKING_ACK_WORKING_DAYS,
        escalationWorkingDays: config.TRACKING_ESCALATION_WORKING_DAYS,
        intervalMs: config.TRACKING_OVERDUE_INTERVAL_MS,
        applicationThreshold: config.TRACKING_APPLICATION_THRESHOLD,
      },
      trail: {
        sealIntervalMs: config.TRACKING_TRAIL_SEAL_INTERVAL_MS,
        settleMs: config.TRACKING_TRAIL_SETTLE_MS,
        partitionsIntervalMs: config.TRACKING_TRAIL_PARTITIONS_INTERVAL_MS,
      },
      reconciliation: {
        intervalMs: config.TRACKING_RECONCILE_INTERVAL_MS,
        fanOutGraceMs: config.TRACKING_FAN_OUT_GRACE_MS,
        liftGraceMs: config.TRACKING_LIFT_GRACE_MS,
        liftLookbackMs: config.TRACKING_LIFT_LOOKBACK_MS,
        liftConfirmWorkingDays: config.TRACKING_LIFT_CONFIRM_WORKING_DAYS,
        checkDecisionWorkingDays: config.TRACKING_CHECK_DECISION_WORKING_DAYS,
      },
    }),
  ],
});
