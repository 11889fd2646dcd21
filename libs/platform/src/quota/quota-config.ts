import type { ServiceConfig } from '../service-config';
import { QuotaOptions } from './quotas';

/**
 * The quotas of a validated config. Store keys carry KAFKA_TOPIC_PREFIX, the deployment's (or test
 * run's) namespace, so that two tenants on one Redis never share a count.
 */
export function quotaOptionsOf(config: ServiceConfig): QuotaOptions {
  return {
    windowMs: config.QUOTA_WINDOW_MS,
    syncMs: config.QUOTA_SYNC_MS,
    keyPrefix: `credit:quota:${config.KAFKA_TOPIC_PREFIX}`,
    limits: {
      checks: {
        perToken: config.QUOTA_CHECKS_PER_TOKEN,
        perDepartment: config.QUOTA_CHECKS_PER_DEPARTMENT,
      },
      lookups: {
        perToken: config.QUOTA_LOOKUPS_PER_TOKEN,
        perDepartment: config.QUOTA_LOOKUPS_PER_DEPARTMENT,
      },
      exports: {
        perToken: config.QUOTA_EXPORTS_PER_TOKEN,
        perDepartment: config.QUOTA_EXPORTS_PER_DEPARTMENT,
      },
      public: { perClient: config.QUOTA_PUBLIC_PER_CLIENT },
    },
  };
}
