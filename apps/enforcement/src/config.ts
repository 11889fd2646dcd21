import { Type } from 'class-transformer';
import { IsInt, IsString, Min, MinLength } from 'class-validator';
import { loadConfig, ServiceConfig } from '@credit/platform';
import { DEFAULT_DELIVERY_OPTIONS as D, DeliveryOptions } from './delivery/delivery.options';

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
  };
}

/** The delivery policy from the environment alone (tests tune it as an operator would); throws ConfigError. */
export function deliveryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryOptions {
  return deliveryOptionsOf(loadConfig(EnforcementConfig, env));
}
