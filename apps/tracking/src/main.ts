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
    }),
  ],
});
