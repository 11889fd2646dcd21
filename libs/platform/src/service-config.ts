import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { AuthOptions, DEPARTMENT_CODE, lifetimeSeconds, parseDepartmentRoles } from '@credit/auth';

const PROXY_ADDRESS = String.raw`(?:[0-9A-Fa-f.:]+(?:/\d{1,3})?|loopback|linklocal|uniquelocal)`;
const TRUST_PROXY_VALUE = new RegExp(
  String.raw`^(?:true|false|\d{1,2}|${PROXY_ADDRESS}(?:\s*,\s*${PROXY_ADDRESS})*)$`,
);

export const LOCAL_JWT_SECRET = 'local-development-secret-change-me';

/** The environment every service reads; each service extends it with what it alone needs. */
export class ServiceConfig {
  /**
   * Unset means neither development nor test: the built-in development secret is refused (npm start,
   * npm run start:cluster and the tests set development or test explicitly).
   */
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV?: string = undefined;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * Which proxies' `X-Forwarded-For` to believe for the client address (the public routes' quota):
   * `false` (none: the connection's address), `true` (any), a hop count, or addresses and CIDRs
   * (comma-separated, e.g. the gateway's `127.0.0.1,10.0.0.0/8`).
   */
  @Matches(TRUST_PROXY_VALUE, {
    message: 'TRUST_PROXY must be true, false, a hop count, or comma-separated addresses/CIDRs',
  })
  TRUST_PROXY = 'false';

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

  /**
   * This replica's stable name (a pod's name, a container's host name): a restart takes its previous
   * incarnation's consumers out of their groups instead of waiting for their sessions to expire
   * (decision 0044). Empty: off. Two live replicas of one service must never share it.
   */
  @IsString()
  KAFKA_INSTANCE_ID = '';

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

  /** The longest lifetime a token may have (exp − iat): seconds, or a number with s, m or h. */
  @Matches(/^[1-9]\d*[smh]?$/, { message: 'AUTH_MAX_TOKEN_AGE must be seconds, or a number with s, m or h' })
  AUTH_MAX_TOKEN_AGE = '12h';

  /** The department that exists from the first start, supervises and may hold every role. */
  @Matches(DEPARTMENT_CODE, { message: 'AUTH_BOOTSTRAP_DEPT must be 2–32 of A–Z, 0–9, _ or -' })
  AUTH_BOOTSTRAP_DEPT = 'CREDIT_OFFICE';

  /** Further role limits: `DEPT=role,role;DEPT=role` (a listed department holds only those roles). */
  @IsString()
  AUTH_DEPARTMENT_ROLES = '';

  /** How often each service reloads the registered departments (an event is applied at once). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  AUTH_DEPARTMENTS_REFRESH_MS = 3000;

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
  const local = config.NODE_ENV === 'development' || config.NODE_ENV === 'test';
  if (!local && !config.AUTH_JWKS_URL && config.AUTH_JWT_SECRET === LOCAL_JWT_SECRET) {
    problems.push(
      'AUTH_JWT_SECRET: the built-in development secret is refused unless NODE_ENV is development or ' +
        `test (NODE_ENV is ${config.NODE_ENV ?? 'not set'}); set AUTH_JWKS_URL, or NODE_ENV=development for a local run`,
    );
  }
  if (config.NODE_ENV === 'production') {
    if (!config.AUTH_JWKS_URL?.startsWith('https://')) {
      problems.push("AUTH_JWKS_URL: production needs the identity provider's JWKS over https");
    }
    if (!config.AUTH_ISSUER) problems.push('AUTH_ISSUER: production needs the issuer tokens must name');
    if (!config.AUTH_AUDIENCE) problems.push('AUTH_AUDIENCE: production needs the audience tokens must name');
  }
  if (!config.AUTH_JWKS_URL && !config.AUTH_JWT_SECRET) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWKS_URL: one of them must be set');
  }
  try {
    parseDepartmentRoles(config.AUTH_DEPARTMENT_ROLES);
  } catch (err) {
    problems.push(`AUTH_DEPARTMENT_ROLES: ${(err as Error).message}`);
  }
  return problems;
}

/** The token rules of the config, for TokenVerifier. */
export function authOptions(config: ServiceConfig): AuthOptions {
  return {
    jwtSecret: config.AUTH_JWT_SECRET,
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    maxTokenAgeSeconds: lifetimeSeconds(config.AUTH_MAX_TOKEN_AGE),
    bootstrapDept: config.AUTH_BOOTSTRAP_DEPT,
    departmentRoles: parseDepartmentRoles(config.AUTH_DEPARTMENT_ROLES),
    departmentsRefreshMs: config.AUTH_DEPARTMENTS_REFRESH_MS,
  };
}

/** TRUST_PROXY as Fastify's `trustProxy` takes it (see ServiceConfig.TRUST_PROXY). */
export function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((a) => a.trim());
}
