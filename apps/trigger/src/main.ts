import 'reflect-metadata';
import { databaseOptions, runServiceMain } from '@credit/runtime';
import { TriggerConfig } from './config';
import { TriggerModule } from './trigger.module';

runServiceMain({
  name: 'trigger',
  title: 'trigger — 触发反馈 (trigger and feedback)',
  configSchema: TriggerConfig,
  modules: (config) => [
    TriggerModule.register({
      ...databaseOptions(config),
      window: { intervalMs: config.MEMORANDUM_WINDOW_INTERVAL_MS },
      webhookPolicy: { allowPlainHttp: config.NODE_ENV === 'development' || config.NODE_ENV === 'test' },
    }),
  ],
});
