import 'reflect-metadata';
import { databaseOptions, runServiceMain } from '@credit/runtime';
import { EnforcementConfig, enforcementSettingsOf } from './config';
import { EnforcementModule } from './enforcement.module';

runServiceMain({
  name: 'enforcement',
  title: 'enforcement — 措施实施 (measure enforcement)',
  configSchema: EnforcementConfig,
  modules: (config) => [
    EnforcementModule.register({
      ...databaseOptions(config),
      redisUrl: config.REDIS_URL,
      ...enforcementSettingsOf(config),
    }),
  ],
});
