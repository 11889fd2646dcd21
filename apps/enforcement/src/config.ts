import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, Min, Validate } from 'class-validator';
import { loadConfig, parseBoolean, ServiceConfig } from '@credit/platform';
import { DEFAULT_SWEEP_OPTIONS as S, SweepOptions } from './checks/sweep-detector';
import { DEFAULT_DELIVERY_OPTIONS as D, DeliveryOptions } from './delivery/delivery.options';
import { DEFAULT_WATCH_LIST_MAX } from './watch-lists/watch-list.policy';
import {
  previousWebhookSecretKeysOf,
  WebhookSecretKeyRule,
  webhookSecretKeyOf,
  WebhookSecretKeysPreviousRule,
} from './delivery/webhook-secret-cipher';
import type { WebhookOptions } from './delivery/webhook-policy';
import {
  DEFAULT_LOG_PARTITIONS_OPTIONS as P,
  LogPartitionsOptions,
} from './retention/log-partitions.options';

export class EnforcementConfig extends ServiceConfig {
  override PORT = 3003;

  // webhook delivery policy (DeliveryOptions): positive integers, validated with every other setting so
  // that a bad value stops the process (exit 78) naming the variable

  @Type(() => Number) @IsInt() @Min(1) DELIVERY_RETRY_BASE_MS = D.retryBaseMs;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_RETRY_MAX_MS = D.retryMaxMs;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_MAX_ATTEMPTS = D.maxAttempts;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_MAX_AGE_MS = D.maxAgeMs;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_TIMEOUT_MS = D.timeoutMs;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_POLL_MS = D.pollMs;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_PER_DEPARTMENT_CONCURRENCY = D.perDepartmentConcurrency;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_MAX_IN_FLIGHT = D.maxInFlight;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_STREAM_HEARTBEAT_MS = D.heartbeatMs;
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_STREAM_RETENTION_MS = D.streamRetentionMs;

  /** subjects one department may watch (decision 0020) */
  @Type(() => Number) @IsInt() @Min(1) WATCH_LIST_MAX_PER_DEPARTMENT = DEFAULT_WATCH_LIST_MAX;

  @Type(() => Number) @IsInt() @Min(1) DELIVERY_PAYLOAD_RETENTION_MS = D.payloadRetentionMs;
  @Type(() => Number) @IsInt() @Min(0) DELIVERY_PAYLOAD_RETENTION_INTERVAL_MS = D.payloadRetentionIntervalMs;

  // batch checks that look like a sweep over an identifier range (decision 0022)
  @Type(() => Number) @IsInt() @Min(1) CHECK_SWEEP_BATCH_MISSES = S.batchMisses;
  @Type(() => Number) @IsInt() @Min(1) CHECK_SWEEP_WINDOW_MISSES = S.windowMisses;
  @Type(() => Number) @IsInt() @Min(1000) CHECK_SWEEP_WINDOW_MS = S.windowMs;

  /** the check's index split over the replicas by the Kafka group's assignment (decision 0055) */
  @Transform(({ value }) => parseBoolean(value))
  @IsBoolean()
  CHECK_INDEX_SPLIT = false;
  /** binding rows one replica's index holds at most; beyond, it caches what it is asked about */
  @Type(() => Number) @IsInt() @Min(1) CHECK_INDEX_MAX_ROWS = 2_000_000;

  // the access log kept by month (decision 0056), the check log by day (0071), dropped a partition at a time
  @Type(() => Number) @IsInt() @Min(1) CHECK_LOG_RETENTION_MONTHS = P.checkLogRetentionMonths;
  @Type(() => Number) @IsInt() @Min(1) ACCESS_LOG_RETENTION_MONTHS = P.accessLogRetentionMonths;
  @Type(() => Number) @IsInt() @Min(1) LOG_PARTITIONS_AHEAD_MONTHS = P.aheadMonths;
  @Type(() => Number) @IsInt() @Min(2) LOG_PARTITIONS_AHEAD_DAYS = P.aheadDays;
  @Type(() => Number) @IsInt() @Min(0) LOG_PARTITIONS_INTERVAL_MS = P.intervalMs;
  /** how long a deleted assignment's keys are kept for the check index's backstop (0055) */
  @Type(() => Number) @IsInt() @Min(60_000) ASSIGNMENT_REMOVALS_RETENTION_MS = P.removalsRetentionMs;

  /** AES-256-GCM key for the webhook signing secrets at rest: base64 of 32 bytes (a fixed key in development and test only). */
  @Validate(WebhookSecretKeyRule)
  WEBHOOK_SECRET_KEY?: string = undefined;

  /** Keys WEBHOOK_SECRET_KEY had before a rotation (comma-separated): read until every row is re-encrypted. */
  @Validate(WebhookSecretKeysPreviousRule)
  WEBHOOK_SECRET_KEY_PREVIOUS?: string = undefined;
}

/** What the enforcement module takes from its settings, besides the database and Redis. */
export function enforcementSettingsOf(config: EnforcementConfig): {
  delivery: DeliveryOptions;
  sweep: SweepOptions;
  webhooks: WebhookOptions;
  watchListMaxPerDepartment: number;
  checkIndex: { split: boolean; maxRows: number };
  logPartitions: LogPartitionsOptions;
} {
  return {
    delivery: deliveryOptionsOf(config),
    sweep: {
      batchMisses: config.CHECK_SWEEP_BATCH_MISSES,
      windowMisses: config.CHECK_SWEEP_WINDOW_MISSES,
      windowMs: config.CHECK_SWEEP_WINDOW_MS,
    },
    webhooks: {
      secretKey: webhookSecretKeyOf(config.WEBHOOK_SECRET_KEY, config.NODE_ENV),
      previousSecretKeys: previousWebhookSecretKeysOf(config.WEBHOOK_SECRET_KEY_PREVIOUS),
      allowPlainHttp: config.NODE_ENV === 'development' || config.NODE_ENV === 'test',
    },
    watchListMaxPerDepartment: config.WATCH_LIST_MAX_PER_DEPARTMENT,
    checkIndex: { split: config.CHECK_INDEX_SPLIT, maxRows: config.CHECK_INDEX_MAX_ROWS },
    logPartitions: {
      checkLogRetentionMonths: config.CHECK_LOG_RETENTION_MONTHS,
      accessLogRetentionMonths: config.ACCESS_LOG_RETENTION_MONTHS,
      aheadMonths: config.LOG_PARTITIONS_AHEAD_MONTHS,
      aheadDays: config.LOG_PARTITIONS_AHEAD_DAYS,
      removalsRetentionMs: config.ASSIGNMENT_REMOVALS_RETENTION_MS,
      intervalMs: config.LOG_PARTITIONS_INTERVAL_MS,
    },
  };
}

/** The settings from the environment alone (tests tune them as an operator would); throws ConfigError. */
export function enforcementSettingsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  return enforcementSettingsOf(loadConfig(EnforcementConfig, env));
}

/** The delivery policy of a validated config. */
export function deliveryOptionsOf(config: EnforcementConfig): DeliveryOptions {
  return {
    retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
    retryMaxMs: config.DELIVERY_RETRY_MAX_MS,
    maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
    maxAgeMs: config.DELIVERY_MAX_AGE_MS,
    timeoutMs: config.DELIVERY_TIMEOUT_MS,
    pollMs: config.DELIVERY_POLL_MS,
    perDepartmentConcurrency: config.DELIVERY_PER_DEPARTMENT_CONCURRENCY,
    maxInFlight: config.DELIVERY_MAX_IN_FLIGHT,
    heartbeatMs: config.DELIVERY_STREAM_HEARTBEAT_MS,
    streamRetentionMs: config.DELIVERY_STREAM_RETENTION_MS,
    payloadRetentionMs: config.DELIVERY_PAYLOAD_RETENTION_MS,
    payloadRetentionIntervalMs: config.DELIVERY_PAYLOAD_RETENTION_INTERVAL_MS,
  };
}
