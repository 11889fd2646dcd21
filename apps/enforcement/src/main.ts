import 'reflect-metadata';
import { databaseOptions, runServiceMain } from '@credit/runtime';
import { deliveryOptionsOf, EnforcementConfig } from './config';
import { EnforcementModule } from './enforcement.module';

runServiceMain({
  name: 'enforcement',
  title: 'enforcement — 措施实施 (measure enforcement)',
  configSchema: EnforcementConfig,
  modules: (config) => [
    EnforcementModule.register({
      ...databaseOptions(config),
      redisUrl: config.REDIS_URL,
      delivery: deliveryOptionsOf(config),
      watchListMaxPerDepartment: config.WATCH_LIST_MAX_PER_DEPARTMENT,
    }),
  ],
});
