import 'reflect-metadata';
import { databaseOptions, runServiceMain } from '@credit/runtime';
import { publicationFromConfig, exchangeFromConfig, RegistryConfig, retentionFromConfig } from './config';
import { devSignInOf, RegistryModule } from './registry.module';

runServiceMain({
  name: 'registry',
  title: 'registry — 名单认定 (list registration)',
  configSchema: RegistryConfig,
  modules: (config) => [
    RegistryModule.register({
      ...databaseOptions(config),
      expiryIntervalMs: config.LIST_ENTRY_EXPIRY_INTERVAL_MS,
      identifierPolicy: { orgCodeCheck: config.SUBJECT_ORG_CODE_CHECK },
      retention: retentionFromConfig(config),
      publication: publicationFromConfig(config),
      exchange: exchangeFromConfig(config),
      noticeMaxBackdateDays: config.NOTICE_MAX_BACKDATE_DAYS,
      devSignIn: devSignInOf(config),
    }),
  ],
});
