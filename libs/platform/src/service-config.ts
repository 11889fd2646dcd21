import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

export const LOCAL_JWT_SECRET = 'local-development-secret-change-me';

/** The environment every service reads; each service extends it with what it alone needs. */
export class ServiceConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsString()
  @MinLength(1)
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/credit';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  @Transform(({ value }) => parseBoolean(value))
  @IsBoolean()
  DATABASE_MIGRATE_ON_START = true;

  @IsString()
  @MinLength(1)
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IsString()
  KAFKA_TOPIC_PREFIX = '';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_PARTITIONS = 6;

  @IsOptional()
  @IsString()
  @MinLength(16)
  AUTH_JWT_SECRET?: string = LOCAL_JWT_SECRET;

  @IsOptional()
  @IsUrl({ require_tld: false })
  AUTH_JWKS_URL?: string = undefined;

  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string = undefined;

  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string = undefined;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Shares the replicas' quota counts (and, in enforcement, the check's cache invalidations). */
  @IsString()
  @MinLength(1)
  REDIS_URL = 'redis://127.0.0.1:6379';

  // Quotas (decision 0022): requests per window, 0 = no limit. The check's defaults are above what one
  // replica answers (bench:check sends ~12k checks/s from one token); set them per deployment.
  @Type(() => Number) @IsInt() @Min(1000) QUOTA_WINDOW_MS = 60_000;
  @Type(() => Number) @IsInt() @Min(10) QUOTA_SYNC_MS = 250;
  @Type(() => Number) @IsInt() @Min(0) QUOTA_CHECKS_PER_TOKEN = 1_200_000;
  @Type(() => Number) @IsInt() @Min(0) QUOTA_CHECKS_PER_DEPARTMENT = 2_400_000;
  @Type(() => Number) @IsInt() @Min(0) QUOTA_LOOKUPS_PER_TOKEN = 3_000;
  @Type(() => Number) @IsInt() @Min(0) QUOTA_LOOKUPS_PER_DEPARTMENT = 20_000;
  @Type(() => Number) @IsInt() @Min(0) QUOTA_EXPORTS_PER_TOKEN = 60;
  @Type(() => Number) @IsInt() @Min(0) QUOTA_EXPORTS_PER_DEPARTMENT = 300;
  @Type(() => Number) @IsInt() @Min(0) QUOTA_PUBLIC_PER_CLIENT = 600;
}

/** 'true'/'1'/'yes' and 'false'/'0'/'no'; anything else stays as given and fails validation. */
export function parseBoolean(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  const v = String(value).trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return value;
}

/** Rules across variables, checked after each is valid on its own. */
export function checkServiceConfig(config: ServiceConfig): string[] {
  const problems: string[] = [];
  if (
    config.NODE_ENV === 'production' &&
    !config.AUTH_JWKS_URL &&
    config.AUTH_JWT_SECRET === LOCAL_JWT_SECRET
  ) {
    problems.push(
      'AUTH_JWT_SECRET: the local development secret must not be used in production; set AUTH_JWKS_URL',
    );
  }
  if (!config.AUTH_JWKS_URL && !config.AUTH_JWT_SECRET) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWKS_URL: one of them must be set');
  }
  return problems;
}
